//! `check`: every problem at once, exact messages, nothing written; `--external` against a
//! local server; drafts in `build --drafts` and not in `build` (`new` is in `new.rs`).

use crate::harness::{expect_file, SiteTest};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

#[track_caller]
fn check_fails_with_expected(case: &str, args: &[&str]) -> SiteTest {
    let t = SiteTest::new(case);
    t.fails_as_expected(args);
    t
}

#[test]
fn the_real_documentary_has_no_broken_link_or_anchor() {
    let r = crate::harness::run_in(&crate::harness::repo(), &["check"]);
    r.success();
    assert!(r.stderr.starts_with("no problems: "), "{}", r.stderr);
}

#[test]
fn check_finds_broken_links_and_anchors_written_by_templates() {
    check_fails_with_expected("check/template-links", &["check"]);
}

#[test]
fn a_rooted_link_to_a_missing_file_fails_check_and_build_at_its_line() {
    let t = check_fails_with_expected("check/missing-static", &["check"]);
    // `build` refuses the same site, with the same messages, and writes nothing.
    let r = t.run(&["build"]);
    r.failure();
    assert!(
        r.stderr.contains("content/chapters/split.md:9:76"),
        "{}",
        r.stderr
    );
    assert!(!t.path("public").exists());
}

/// A tiny HTTP server on loopback: `/ok` answers 200, everything else 404.
fn local_server() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut s) = stream else { continue };
            // A client that never finishes its request cannot hold this thread.
            let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(30)));
            let mut line = String::new();
            let mut reader = BufReader::new(s.try_clone().unwrap());
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) <= 2 {
                    break;
                }
            }
            let status = if line.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (port, handle)
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let t = SiteTest::new("check/external");
    let (port, _server) = local_server();
    t.write(
        "content/chapters/split.md",
        &format!(
            "+++\ntitle = \"The split\"\norder = 2\nsummary = \"Apart [@E].\"\nyears = [1968, 1979]\n+++\n## Apart\n\nA [good](http://127.0.0.1:{port}/ok) and a [dead](http://127.0.0.1:{port}/gone) link [@E].\n"
        ),
    );
    t.run(&["check"]).success();
    let r = t.run(&["check", "--external"]);
    r.failure();
    let text = r.stderr.replace(&port.to_string(), "PORT");
    expect_file(&t.case, "expected.txt", &text);
}

#[test]
fn drafts_are_left_out_of_build_and_shown_with_drafts() {
    let t = SiteTest::new("check/draft");
    t.run(&["build"]).success();
    assert!(!t.path("public/events/1960-draft/index.html").exists());
    let timeline = std::fs::read_to_string(t.path("public/timeline/index.html")).unwrap();
    assert!(!timeline.contains("An unfinished event"));
    t.run(&["build", "--drafts"]).success();
    assert!(t.path("public/events/1960-draft/index.html").is_file());
}

/// An id given to two elements of one page (here by a template, and once clashing with the
/// layout's own) fails `check`, naming the page and the id; `build` does not look.
#[test]
fn duplicate_ids_in_a_page_fail_check_naming_page_and_id() {
    let t = check_fails_with_expected("check/duplicate-id", &["check"]);
    t.run(&["build"]).success();
}

/// An event's or a person's `sources` list out of step with what its text cites (a source
/// cited in a body, a summary or a `disputed` note and not listed; one listed and never
/// cited): each is a problem at its line and column, an error in `check`, a warning in
/// `build`, which still makes the site.
#[test]
fn citation_lists_out_of_step_fail_check_and_are_warnings_in_build() {
    let t = check_fails_with_expected("check/citation-lists", &["check"]);
    let r = t.run(&["build"]);
    r.success();
    let (warnings, built) = r.stderr.split_once("built ").unwrap();
    assert!(built.contains(" pages (3 events, 2 chapters)"), "{built}");
    expect_file(&t.case, "expected-build.txt", warnings);
    assert!(t
        .path("public/events/1968-peace-talks/index.html")
        .is_file());
}

/// A broken link on a free page or a taxonomy's term page names the template that rendered
/// it: the built-in theme's as such, the site's own by its path.
#[test]
fn a_broken_link_on_a_free_or_term_page_names_its_template() {
    let t = SiteTest::new("pages/site");
    t.write(
        "content/pages/broken.md",
        "+++\ntitle = \"Broken\"\n+++\nSee [that](#nope).\n",
    );
    let event = std::fs::read_to_string(t.path("content/events/1968-peace-talks.md")).unwrap();
    t.write(
        "content/events/1968-peace-talks.md",
        &event.replace("disagrees with", "disagrees [see](#nope) with"),
    );
    let broken = |file: &str, template: &str| {
        format!("error: broken anchor: `#nope`: the page has no element with id `nope`\n --> public/{file}\n  = hint: the link is in the HTML rendered by {template}\n")
    };
    // The fixture has the repository's templates as its own; without them, the built-in
    // theme's render the pages.
    for theme in ["", "(built-in theme) "] {
        if !theme.is_empty() {
            std::fs::remove_dir_all(t.path("templates")).unwrap();
        }
        let r = t.run(&["check"]);
        r.failure();
        for expected in [
            broken("broken/index.html", &format!("{theme}templates/page.html")),
            broken(
                "tags/rupture/index.html",
                &format!("{theme}templates/term.html"),
            ),
        ] {
            assert!(r.stderr.contains(&expected), "no {expected}\n{}", r.stderr);
        }
    }
}
