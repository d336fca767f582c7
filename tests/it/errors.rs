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
