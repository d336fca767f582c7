//! Bad input: each case under `tests/fixtures/errors/` overlays a good site with one
//! mistake and states in `expected.txt` exactly what `build` prints. Every case must exit
//! 1, print that message, and leave an existing `public/` as it was. Cases that once
//! crashed or hung the process run the binary under a kill timeout, so that a regression
//! is a failing test, never an aborted or hanging test run.

use crate::harness::{expect_file, Run, SiteTest};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn case(name: &str) {
    SiteTest::new(&format!("errors/{name}")).fails_as_expected(&["build"]);
}

macro_rules! cases {
    ($($name:ident => $dir:literal,)*) => {
        $(#[test] fn $name() { case($dir) })*
    };
}

cases! {
    bad_toml => "bad-toml",
    map_problems => "map-problems",
    broken_chapter_no_cascade => "broken-chapter-no-cascade",
    unknown_key => "unknown-key",
    missing_field => "missing-field",
    wrong_type => "wrong-type",
    impossible_date => "impossible-date",
    unknown_chapter => "unknown-chapter",
    unknown_source => "unknown-source",
    unknown_citation => "unknown-citation",
    duplicate_event_id => "duplicate-event-id",
    broken_link => "broken-link",
    broken_anchor => "broken-anchor",
    not_utf8 => "not-utf8",
    template_syntax => "template-syntax",
    template_variable => "template-variable",
    site_toml_unknown_key => "site-toml-unknown-key",
    unclosed_front_matter => "unclosed-front-matter",
    empty_file => "empty-file",
    binary_garbage => "binary-garbage",
    many_problems => "many-problems",
    duplicate_route => "duplicate-route",
    static_shadows_generated => "static-shadows-generated",
    control_bytes_in_value => "control-bytes-in-value",
    duplicate_entry_id => "duplicate-entry-id",
    bad_ids => "bad-ids",
    unknown_keys_event => "unknown-keys-event",
    site_toml_unknown_keys => "site-toml-unknown-keys",
    people_entry_no_cascade => "people-entry-no-cascade",
    taxonomy_unknown_key => "taxonomy-unknown-key",
    taxonomy_bad_name => "taxonomy-bad-name",
    taxonomy_colliding_name => "taxonomy-colliding-name",
    taxonomy_slug_clash => "taxonomy-slug-clash",
    taxonomy_unknown_term => "taxonomy-unknown-term",
    languages_config => "languages-config",
    languages_unknown_key => "languages-unknown-key",
    translation_problems => "translation-problems",
}

/// Runs `docsite args` in `dir`, killing it if it has not finished within `limit` (then
/// the test fails saying so). Output is read on threads, so a chatty child cannot block.
pub fn run_bounded(dir: &std::path::Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docsite"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run docsite");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    let Some(status) = status else {
        panic!(
            "docsite {args:?} did not finish within {limit:?} and was killed; stderr:\n{stderr}"
        );
    };
    Run {
        code: status.code(),
        stdout,
        stderr,
    }
}

/// As [`case`], with the binary under a one-minute kill timeout, and no sign of a stack
/// overflow (which aborts with a signal, so no exit code) in what it printed.
fn bounded_case(name: &str, args: &[&str]) {
    let t = SiteTest::new(&format!("errors/{name}"));
    let r = run_bounded(t.root(), args, Duration::from_secs(60));
    assert_eq!(r.code, Some(1), "{name}: stderr:\n{}", r.stderr);
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("overflow"),
        "{name}:\n{}",
        r.stderr
    );
    expect_file(&t.case, "expected.txt", &r.stderr);
    assert!(
        !t.path("public").exists(),
        "{name}: a failed run wrote public/"
    );
}

macro_rules! bounded_cases {
    ($($name:ident => $dir:literal,)*) => {
        $(#[test] fn $name() { bounded_case($dir, &["build"]) })*
    };
}

bounded_cases! {
    template_includes_itself => "template-includes-itself",
    template_include_cycle => "template-include-cycle",
    template_extends_cycle => "template-extends-cycle",
    template_import_cycle => "template-import-cycle",
    template_recursive_macro => "template-recursive-macro",
    template_macro_self_elsewhere => "template-macro-self-elsewhere",
    template_macro_namespace_elsewhere => "template-macro-namespace-elsewhere",
    template_macro_in_concat => "template-macro-in-concat",
}

/// `check` runs the same template stage: the same cycle is the same message, no crash.
#[test]
fn check_reports_a_template_cycle_too() {
    let t = SiteTest::new("errors/template-include-cycle");
    let r = run_bounded(t.root(), &["check"], Duration::from_secs(60));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "error: templates refer to each other in a cycle: colophon.html -> footer.html -> colophon.html\n"
        ),
        "{}",
        r.stderr
    );
}

/// A file name with an escape sequence and a BEL byte: the message that names the file
/// shows each control character as U+FFFD, in the location and in the message alike.
#[test]
fn control_bytes_in_a_file_name_never_reach_the_terminal() {
    let t = SiteTest::new("build/minimal");
    let good = std::fs::read_to_string(t.path("content/events/1968-peace-talks.md")).unwrap();
    t.write("content/events/1999-\x1b[31mred\x07.md", &good);
    let r = run_bounded(t.root(), &["build"], Duration::from_secs(60));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        !r.stderr.contains(['\x1b', '\x07']),
        "a control byte reached the terminal:\n{:?}",
        r.stderr
    );
    assert!(
        r.stderr.starts_with(
            "error: event file name `1999-\u{fffd}[31mred\u{fffd}` is not a valid id\n \
             --> content/events/1999-\u{fffd}[31mred\u{fffd}.md\n"
        ),
        "{}",
        r.stderr
    );
}

/// Six broken internal links of 200 KB each once took 14–18 s: the "did you mean" hint
/// compared each whole path with every page. The run must finish (a generous kill timeout
/// guards against a hang), report each link, cut the long names in what it prints, and
/// still give the hint for a near miss.
#[test]
fn many_long_broken_links_finish_and_a_near_miss_still_gets_its_hint() {
    let t = SiteTest::new("build/minimal");
    let mut body = String::from(
        "+++\ntitle = \"The split\"\norder = 2\nsummary = \"Apart [@E].\"\nyears = [1968, 1991]\n+++\n",
    );
    for i in 0..6 {
        body.push_str(&format!(
            "Link {i}: [long](@/events/{}{i}.md) [@E].\n\n",
            "1957-07-ho-visit".repeat(200_000 / 16)
        ));
    }
    body.push_str("A typo: [the visit](@/events/1957-07-ho-vist.md) [@E].\n");
    t.write("content/chapters/split.md", &body);
    let r = run_bounded(t.root(), &["build"], Duration::from_secs(60));
    assert_eq!(r.code, Some(1), "{}", &r.stderr[..r.stderr.len().min(2000)]);
    assert_eq!(
        r.stderr.matches("error: broken internal link").count(),
        7,
        "{}",
        &r.stderr[..r.stderr.len().min(2000)]
    );
    assert!(
        r.stderr.contains(
            "error: broken internal link: `@/events/1957-07-ho-vist.md` does not exist\n  --> \
             content/chapters/split.md:19:9\n"
        ) && r
            .stderr
            .contains("   = hint: did you mean `events/1957-07-ho-visit.md`?\n"),
        "{}",
        &r.stderr[r.stderr.len().saturating_sub(2000)..]
    );
    assert!(
        r.stderr.len() < 20_000,
        "the long names were printed whole ({} bytes)",
        r.stderr.len()
    );
}

/// `serve` rebuilds in its own process: a template cycle saved while it runs must come back
/// as an error from the library, never a stack overflow that would end the server (and
/// this test process with it).
#[test]
fn a_template_cycle_is_an_error_in_process_too() {
    for case in ["template-includes-itself", "template-recursive-macro"] {
        let t = SiteTest::new(&format!("errors/{case}"));
        let e = t.build_memory().expect_err("a template cycle built");
        assert!(e.contains(" -> "), "{case}: {e}");
    }
}

/// Runs `docsite check` under a kill timeout and returns what it printed, after asserting
/// that it failed with exit 1 and no sign of a crash.
fn check_fails_cleanly(t: &SiteTest) -> String {
    let r = run_bounded(t.root(), &["check"], Duration::from_secs(120));
    let head = &r.stderr[..r.stderr.len().min(3000)];
    assert_eq!(r.code, Some(1), "{head}");
    // (The messages themselves speak of stacks that overflow: look for the runtime's words.)
    assert!(
        !r.stderr.contains("panicked")
            && !r.stderr.contains("has overflowed its stack")
            && !r.stderr.contains("fatal runtime error"),
        "{head}"
    );
    r.stderr
}

/// A chain of 1000 templates, each including the next, has no cycle but overflowed the
/// stack (300 were enough): it is refused, naming where the chain starts.
#[test]
fn a_deep_include_chain_is_refused() {
    let t = SiteTest::new("build/minimal");
    for i in 0..1000 {
        let body = if i < 999 {
            format!("{{% include \"chain{}.html\" %}}", i + 1)
        } else {
            "end".to_string()
        };
        t.write(&format!("templates/chain{i}.html"), &body);
    }
    let footer = std::fs::read_to_string(t.path("templates/footer.html")).unwrap();
    t.write(
        "templates/footer.html",
        &format!("{{% include \"chain0.html\" %}}{footer}"),
    );
    let err = check_fails_cleanly(&t);
    assert!(
        err.starts_with(
            "error: templates and macros nest 1001 deep, over the limit of 64: footer.html -> \
             chain0.html -> chain1.html -> … -> chain998.html -> chain999.html\n \
             --> templates/footer.html:1:13\n"
        ),
        "{err}"
    );
    assert!(err.ends_with("1 problem found\n"), "{err}");
}

/// A chain of macro calls across templates counts the same way as includes.
#[test]
fn a_deep_macro_chain_is_refused() {
    let t = SiteTest::new("build/minimal");
    let mut macros = String::new();
    for i in 0..100 {
        let call = if i < 99 {
            format!("{{{{ self::m{}() }}}}", i + 1)
        } else {
            "end".to_string()
        };
        macros.push_str(&format!(
            "{{% macro m{i}() %}}{call}{{% endmacro m{i} %}}\n"
        ));
    }
    t.write("templates/deep.html", &macros);
    let footer = std::fs::read_to_string(t.path("templates/footer.html")).unwrap();
    t.write(
        "templates/footer.html",
        &format!("{{% import \"deep.html\" as d %}}{{{{ d::m0() }}}}{footer}"),
    );
    let err = check_fails_cleanly(&t);
    assert!(
        err.starts_with(
            "error: templates and macros nest 101 deep, over the limit of 64: footer.html -> \
             deep.html::m0 -> deep.html::m1 -> … -> deep.html::m98 -> deep.html::m99\n"
        ),
        "{err}"
    );
}

/// 600 nested `{% if %}` in one template overflowed inside Tera's parser; the nesting is
/// counted before the parser sees the text, and the error points at the tag that goes too
/// deep.
#[test]
fn deep_nesting_in_one_template_is_refused_at_its_line() {
    let t = SiteTest::new("build/minimal");
    let footer = std::fs::read_to_string(t.path("templates/footer.html")).unwrap();
    t.write(
        "templates/footer.html",
        &format!(
            "{footer}\n{}x{}",
            "{% if true %}".repeat(600),
            "{% endif %}".repeat(600)
        ),
    );
    let line = footer.matches('\n').count() + 2;
    let err = check_fails_cleanly(&t);
    assert!(
        err.starts_with("error: block tags nest more than 100 deep\n")
            && err.contains(&format!("--> templates/footer.html:{line}:1301\n")),
        "{err}"
    );
}

/// Deep brackets and long operator chains in one expression: Tera's parser and renderer
/// recurse once per level and per operator (200 000 `+` overflowed even a 256 MiB stack).
#[test]
fn deep_expressions_are_refused() {
    for (expr, message) in [
        (
            format!("{}1{}", "(".repeat(5000), ")".repeat(5000)),
            "error: brackets nest more than 100 deep\n",
        ),
        (
            format!("1{}", " + 1".repeat(200_000)),
            "error: more than 200 operators in one tag\n",
        ),
        (
            format!("true{}", " and true".repeat(200_000)),
            "error: more than 200 operators in one tag\n",
        ),
    ] {
        let t = SiteTest::new("build/minimal");
        let footer = std::fs::read_to_string(t.path("templates/footer.html")).unwrap();
        t.write(
            "templates/footer.html",
            &format!("{{{{ {expr} }}}}{footer}"),
        );
        let err = check_fails_cleanly(&t);
        assert!(err.starts_with(message), "{}", &err[..err.len().min(2000)]);
        assert!(
            err.contains(" --> templates/footer.html:1:"),
            "{}",
            &err[..err.len().min(2000)]
        );
    }
}

/// Templates just inside every limit (a chain of 60 includes, each template nesting 99
/// `if`s around 99 brackets) still build: the limits refuse only what could overflow, and
/// rendering runs on threads whose stacks hold the worst case they allow.
#[test]
fn templates_just_inside_the_limits_build() {
    let t = SiteTest::new("build/minimal");
    for i in 0..60 {
        let inner = if i < 59 {
            format!("{{% include \"chain{}.html\" %}}", i + 1)
        } else {
            "end".to_string()
        };
        t.write(
            &format!("templates/chain{i}.html"),
            &format!(
                "{}{{{{ {}1{} }}}}{inner}{}",
                "{% if true %}".repeat(99),
                "(".repeat(99),
                ")".repeat(99),
                "{% endif %}".repeat(99)
            ),
        );
    }
    let footer = std::fs::read_to_string(t.path("templates/footer.html")).unwrap();
    t.write(
        "templates/footer.html",
        &format!("{{% include \"chain0.html\" %}}{footer}"),
    );
    let r = run_bounded(t.root(), &["check"], Duration::from_secs(120));
    assert_eq!(r.code, Some(0), "{}", &r.stderr[..r.stderr.len().min(3000)]);
}

/// 5000 people with 120-character ids and one event naming 3000 unknown ones took 37.7 s:
/// each unknown name was compared with up to 1000 ids. All hints of a run now share a
/// budget of work; the run finishes (a generous kill timeout guards against a hang),
/// reports every unknown name, and the near miss checked first still gets its hint.
#[test]
fn many_unknown_long_names_finish_and_a_near_miss_still_gets_its_hint() {
    let t = SiteTest::new("build/minimal");
    let mut people = std::fs::read_to_string(t.path("content/people.toml")).unwrap();
    let long = |prefix: &str, i: usize| {
        let mut s = format!("{prefix}-{i:05}-{}", "abcdefghij".repeat(12));
        s.truncate(120);
        s
    };
    for i in 0..5000 {
        people.push_str(&format!(
            "\n[[person]]\nid = \"{}\"\nname = \"P\"\nrole = \"r\"\nsummary = \"s [@E].\"\nsources = [\"E\"]\n",
            long("person", i)
        ));
    }
    t.write("content/people.toml", &people);
    let event = std::fs::read_to_string(t.path("content/events/1968-peace-talks.md")).unwrap();
    let names: Vec<String> = std::iter::once("\"ho-chi-mnh\"".to_string())
        .chain((0..3000).map(|i| format!("\"{}\"", long("unknown", i))))
        .collect();
    t.write(
        "content/events/1968-peace-talks.md",
        &event.replacen(
            "chapter = \"split\"",
            &format!("chapter = \"split\"\npeople = [{}]", names.join(", ")),
            1,
        ),
    );
    let r = run_bounded(t.root(), &["check"], Duration::from_secs(300));
    let tail = &r.stderr[r.stderr.len().saturating_sub(2000)..];
    assert_eq!(r.code, Some(1), "{tail}");
    assert_eq!(
        r.stderr.matches("error: unknown person `").count(),
        3001,
        "{tail}"
    );
    assert!(r.stderr.ends_with("3001 problems found\n"), "{tail}");
    assert!(
        r.stderr.starts_with(
            "error: unknown person `ho-chi-mnh`\n  --> content/events/1968-peace-talks.md:10:11\n"
        ) && r
            .stderr
            .contains("   = hint: did you mean `ho-chi-minh`?\n"),
        "{}",
        &r.stderr[..r.stderr.len().min(2000)]
    );
    // Each problem shows a window of the 400 KB line, not the line.
    assert!(r.stderr.len() < 3001 * 1500, "{} bytes", r.stderr.len());
}

/// Tera has `unreachable!()`s a template can reach (a macro call as an operand of `+`):
/// the panic becomes an error naming the template, exit 1, with no panic message printed.
#[test]
fn a_panic_inside_tera_is_an_error_naming_the_template() {
    let t = SiteTest::new("build/minimal");
    t.write(
        "templates/two.html",
        "{% macro two() %}2{% endmacro two %}\n",
    );
    let footer = std::fs::read_to_string(t.path("templates/footer.html")).unwrap();
    t.write(
        "templates/footer.html",
        &format!("{{% import \"two.html\" as d %}}{{{{ 1 + d::two() }}}}{footer}"),
    );
    let err = check_fails_cleanly(&t);
    assert!(
        err.starts_with(
            "error: template error: Tera failed while rendering this template: internal error: \
             entered unreachable code: unimplemented math expression for MacroCall"
        ) && err.contains(" --> templates/footer.html\n")
            && err.ends_with("1 problem found\n"),
        "{err}"
    );
}

/// `serve` builds in its own process: the new template refusals come back as errors from
/// the library there too, never an overflow or a panic that would end the server.
#[test]
fn template_refusals_are_errors_in_process_too() {
    for case in [
        "template-macro-self-elsewhere",
        "template-macro-namespace-elsewhere",
        "template-macro-in-concat",
    ] {
        let t = SiteTest::new(&format!("errors/{case}"));
        let e = t.build_memory().expect_err("a template cycle built");
        assert!(e.contains(" -> "), "{case}: {e}");
    }
    let t = SiteTest::new("build/minimal");
    let footer = std::fs::read_to_string(t.path("templates/footer.html")).unwrap();
    t.write(
        "templates/footer.html",
        &format!("{footer}{}", "{% if true %}".repeat(600)),
    );
    let e = t.build_memory().expect_err("600 nested ifs built");
    assert!(e.contains("block tags nest more than 100 deep"), "{e}");
}
