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
