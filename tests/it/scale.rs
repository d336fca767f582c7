//! Bad input at scale: a site of thousands of events with one broken event reports that
//! event alone, exits 1 and leaves the last `public/` as it was, byte for byte. (The same at
//! 100,000 events is run by hand: `bench/bad-input`; `tests/it/serve.rs` has `serve`
//! answering from its last build while a rebuild of such a site is under way.)

use crate::harness::SiteTest;

/// The documentary with `n` more events, `content/events/scale/e00000.md` …, each valid.
pub fn events_site(n: usize) -> SiteTest {
    let site = SiteTest::documentary();
    for i in 0..n {
        site.write(&scale_event(i), &event(i, &format!("{}", 1950 + i % 60)));
    }
    site
}

/// The file of the `i`th added event.
pub fn scale_event(i: usize) -> String {
    format!("content/events/scale/e{i:05}.md")
}

/// An added event's text, dated `date`.
pub fn event(i: usize, date: &str) -> String {
    format!(
        "+++\ntitle = \"Scale event {i}\"\ndate = \"{date}\"\nsummary = \"Event {i} of many [@D].\"\n\
         countries = [\"Vietnam\"]\ntags = [\"scale-{}\"]\nchapter = \"doi-moi\"\nsources = [\"D\"]\n+++\n\
         The body of event {i}, which cites its source [@D].\n",
        i % 7
    )
}

#[test]
fn one_broken_event_among_thousands_is_reported_alone_and_public_is_untouched() {
    let site = events_site(2000);
    site.run(&["build"]).success();
    let before = site.tree("public");
    assert!(before.contains_key("events/e01234/index.html"));
    let broken = scale_event(1234);
    site.write(&broken, &event(1234, "not a date"));
    let r = site.run(&["build"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let errors: Vec<&str> = (r.stderr.lines())
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "one error, at the broken event:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("--> {broken}:3:")),
        "the error names the event's line:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("\n1 problem found\n") || r.stderr.contains("\n1 error and "),
        "{}",
        r.stderr
    );
    assert!(r
        .stderr
        .ends_with("the build failed; public was left as it was\n"));
    assert!(site.tree("public") == before, "public/ changed");
    site.assert_no_temp_folders();
}
