//! `new event|chapter`: drafts with a readable title that build as they are, the first
//! chapter by `order`, `years` from the site, and refusals that name what is missing and
//! write nothing.

use crate::harness::SiteTest;

/// The text of a file of the site.
#[track_caller]
fn read(t: &SiteTest, rel: &str) -> String {
    std::fs::read_to_string(t.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Builds the site, without and with drafts, and checks it with drafts: all succeed.
#[track_caller]
fn builds(t: &SiteTest) {
    t.run(&["build"]).success();
    t.run(&["build", "--drafts"]).success();
    t.run(&["check", "--drafts"]).success();
}

const NO_CHAPTER: &str = "\
error: nothing was written: an event needs a chapter, and this site has none yet
- a chapter: write one first with `docsite new chapter <slug>` (for example `docsite new chapter first-chapter`)
";

const NO_SOURCE: &str = "\
error: nothing was written: an event needs a source, and this site has none yet
- a source: add one to content/sources.toml, for example:

    [[source]]
    id = \"my-source\"
    title = \"The work's title\"
";

const NEITHER: &str = "\
error: nothing was written: an event needs a chapter and a source, and this site has neither yet
- a chapter: write one first with `docsite new chapter <slug>` (for example `docsite new chapter first-chapter`)
- a source: add one to content/sources.toml, for example:

    [[source]]
    id = \"my-source\"
    title = \"The work's title\"
";

/// The minimal fixture emptied to a home page: no chapter, event or registry.
fn empty_site() -> SiteTest {
    let t = SiteTest::new("build/minimal");
    for dir in ["content/chapters", "content/events"] {
        std::fs::remove_dir_all(t.path(dir)).unwrap();
    }
    for file in ["sources.toml", "people.toml", "places.toml"] {
        std::fs::remove_file(t.path(&format!("content/{file}"))).unwrap();
    }
    t.write("content/index.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n");
    t
}

/// Runs a `new` that must be refused with `expected` on stderr and nothing on stdout,
/// and checks that it wrote nothing.
#[track_caller]
fn refused(t: &SiteTest, args: &[&str], expected: &str, unwritten: &str) {
    let r = t.run(args);
    r.failure();
    pretty_assertions::assert_eq!(r.stderr, expected);
    assert_eq!(r.stdout, "");
    assert!(!t.path(unwritten).exists(), "{unwritten} was written");
}

#[test]
fn new_event_in_the_documentary_is_a_draft_titled_from_its_slug_in_the_first_chapter() {
    let t = SiteTest::documentary();
    // A chapter first alphabetically but last by order: the event must not take it.
    let r = t.run(&["new", "chapter", "aaa-appendix"]);
    r.success();
    assert_eq!(r.stdout, "wrote ./content/chapters/aaa-appendix.md\n");
    let chapter = read(&t, "content/chapters/aaa-appendix.md");
    assert!(chapter.contains("\norder = 5\n"), "{chapter}");
    assert!(chapter.contains("\ndraft = true "), "{chapter}");
    let r = t.run(&["new", "event", "1930-new-lens", "--date", "1930"]);
    r.success();
    assert_eq!(r.stdout, "wrote ./content/events/1930-new-lens.md\n");
    let text = read(&t, "content/events/1930-new-lens.md");
    assert!(text.starts_with("+++\ntitle = \"New lens\"\n"), "{text}");
    assert!(text.contains("\ndate = \"1930\"\n"), "{text}");
    assert!(
        text.contains("\nchapter = \"cold-war-alliance\"\n"),
        "{text}"
    );
    assert!(text.contains("\ndraft = true "), "{text}");
    // A draft: left out of `build`, shown by `build --drafts`; both build, and check.
    t.run(&["build"]).success();
    assert!(!t.path("public/events/1930-new-lens/index.html").exists());
    t.run(&["build", "--drafts"]).success();
    let page = read(&t, "public/events/1930-new-lens/index.html");
    assert!(page.contains("New lens"));
    t.run(&["check", "--drafts"]).success();
}

#[test]
fn titles_drop_a_leading_date_and_read_as_words() {
    let t = SiteTest::new("build/minimal");
    for (slug, title) in [
        ("1930-07-new_lens", "New lens"),
        ("1930-07-04-a-day", "A day"),
        ("12-angry-men", "12 angry men"),
        ("1999", "1999"),
    ] {
        t.run(&["new", "event", slug, "--date", "1930"]).success();
        let text = read(&t, &format!("content/events/{slug}.md"));
        assert!(
            text.starts_with(&format!("+++\ntitle = \"{title}\"\n")),
            "{slug}: {text}"
        );
    }
    t.run(&["build", "--drafts"]).success();
}

#[test]
fn new_event_without_a_chapter_says_to_write_one_and_writes_nothing() {
    let t = SiteTest::new("build/minimal");
    std::fs::remove_dir_all(t.path("content/chapters")).unwrap();
    let args = ["new", "event", "my-event", "--date", "1999"];
    refused(&t, &args, NO_CHAPTER, "content/events/my-event.md");
    // A chapter whose front matter does not parse does not count.
    t.write("content/chapters/broken.md", "+++\norder = \n+++\n");
    refused(&t, &args, NO_CHAPTER, "content/events/my-event.md");
}

/// From an empty site to a first event by following what `new` says: each step builds.
#[test]
fn new_in_an_empty_site_names_what_is_missing_until_the_event_can_be_written() {
    let t = empty_site();
    let args = ["new", "event", "my-event", "--date", "1999"];
    refused(&t, &args, NEITHER, "content/events/my-event.md");
    assert!(!t.path("content/chapters").exists());

    t.run(&["new", "chapter", "first-chapter"]).success();
    let chapter = read(&t, "content/chapters/first-chapter.md");
    assert!(chapter.starts_with("+++\ntitle = \"First chapter\"\norder = 1\n"));
    builds(&t);

    refused(&t, &args, NO_SOURCE, "content/events/my-event.md");
    t.write("content/sources.toml", "# The works this site cites.\n");
    refused(&t, &args, NO_SOURCE, "content/events/my-event.md");

    // The entry the message shows, added as it is, is enough.
    let entry: String = NO_SOURCE
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .map(|l| format!("{l}\n"))
        .collect();
    t.write("content/sources.toml", &entry);
    t.run(&args).success();
    let text = read(&t, "content/events/my-event.md");
    assert!(text.contains("\nchapter = \"first-chapter\"\n"), "{text}");
    assert!(text.contains("\nsources = [\"my-source\"]\n"), "{text}");
    builds(&t);
}

#[test]
fn new_chapter_takes_its_years_from_the_eras_else_the_events_else_a_placeholder() {
    let t = SiteTest::new("build/minimal");
    t.run(&["new", "chapter", "aftermath"]).success();
    let text = read(&t, "content/chapters/aftermath.md");
    assert!(
        text.contains("\nyears = [1950, 2019]   # the first and last year it covers\n"),
        "{text}"
    );
    // No era: the events' dates, end dates included.
    let site = read(&t, "site.toml");
    let no_eras = &site[..site.find("[[eras]]").unwrap()];
    t.write("site.toml", no_eras);
    t.run(&["new", "chapter", "later"]).success();
    let text = read(&t, "content/chapters/later.md");
    assert!(text.contains("\nyears = [1950, 1968]   #"), "{text}");
    // Neither: a placeholder the comment asks to set.
    std::fs::remove_dir_all(t.path("content/events")).unwrap();
    t.run(&["new", "chapter", "last"]).success();
    let text = read(&t, "content/chapters/last.md");
    assert!(
        text.contains("\nyears = [2000, 2000]   # set these: the first and last year it covers\n"),
        "{text}"
    );
    assert!(text.contains("\norder = 5\n"), "{text}");
}

/// Nothing `new` writes carries a word of the documentary this repository publishes.
#[test]
fn what_new_writes_is_neutral() {
    let t = SiteTest::new("build/minimal");
    t.run(&["new", "chapter", "first-chapter"]).success();
    t.run(&["new", "event", "my-event", "--date", "2001"])
        .success();
    let bad = t.run(&["new", "event", "Bad", "--date", "2001"]);
    let texts = [
        read(&t, "content/chapters/first-chapter.md"),
        read(&t, "content/events/my-event.md"),
        bad.stderr.clone(),
    ];
    for text in texts {
        for word in [
            "Korea", "Vietnam", "Kim", "Ho ", "ho-visit", "1960s", "Hanoi",
        ] {
            assert!(!text.contains(word), "{word:?} in:\n{text}");
        }
    }
}
#[test]
fn new_event_and_chapter_write_files_that_build_and_never_overwrite() {
    let t = SiteTest::new("build/minimal");
    let r = t.run(&["new", "event", "1961-new-treaty", "--date", "1961-07"]);
    r.success();
    assert_eq!(r.stdout.trim(), "wrote ./content/events/1961-new-treaty.md");
    let text = std::fs::read_to_string(t.path("content/events/1961-new-treaty.md")).unwrap();
    assert!(text.contains("date = \"1961-07\"\n"), "{text}");
    assert!(text.contains("chapter = \"alliance\"\n"), "{text}");
    assert!(text.contains("sources = [\"E\"]\n"), "{text}");
    let r = t.run(&["new", "chapter", "aftermath"]);
    r.success();
    let text = std::fs::read_to_string(t.path("content/chapters/aftermath.md")).unwrap();
    assert!(text.contains("order = 3\n"), "{text}");
    // Both build as they are (the chapter is a draft, so `--drafts` shows it).
    t.run(&["build", "--drafts"]).success();
    assert!(t.path("public/events/1961-new-treaty/index.html").is_file());
    assert!(t.path("public/chapters/aftermath/index.html").is_file());

    let r = t.run(&["new", "event", "1961-new-treaty", "--date", "1961"]);
    r.failure();
    assert_eq!(
        r.stderr,
        "error: content/events/1961-new-treaty.md already exists; nothing was written\n"
    );
    let r = t.run(&["new", "event", "x", "--date", "1961-02-30"]);
    r.failure();
    assert_eq!(
        r.stderr,
        "error: --date 1961-02-30: February 1961 has 28 days, so day 30 does not exist\n"
    );
    let r = t.run(&["new", "chapter", "Bad Name"]);
    r.failure();
    assert_eq!(
        r.stderr,
        "error: `Bad Name` cannot be a file name here: use lowercase letters, digits, `-` and `_` (for example first-chapter)\n"
    );
    assert!(!t.path("content/events/x.md").exists());
}

#[test]
fn new_event_takes_a_date_with_a_minus_sign_and_writes_nothing_through_a_symlink() {
    let t = SiteTest::new("build/minimal");
    let r = t.run(&["new", "event", "marathon", "--date", "-0489"]);
    r.success();
    let text = read(&t, "content/events/marathon.md");
    assert!(text.contains("date = \"-0489\"\n"), "{text}");
    t.run(&["check", "--drafts"]).success();

    // content/events linked elsewhere: nothing is written there.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(t.path("content/events")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), t.path("content/events")).unwrap();
    let r = t.run(&["new", "event", "later", "--date", "1999"]);
    r.failure();
    assert_eq!(
        r.stderr,
        "error: content/events/later.md was not written: a folder on its path is a symlink\n"
    );
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

/// A source id with a quote in it (sources.toml does not restrict ids) is written quoted, so
/// the event `new` writes is still TOML and names that source.
#[test]
fn new_event_quotes_the_source_id_it_names() {
    let t = SiteTest::new("build/minimal");
    let sources = read(&t, "content/sources.toml");
    let first = sources
        .lines()
        .find_map(|l| l.strip_prefix("id = \"")?.strip_suffix('"'))
        .expect("a source id")
        .to_string();
    t.write(
        "content/sources.toml",
        &sources.replacen(&format!("id = \"{first}\""), "id = \"it\\\"s\"", 1),
    );
    t.run(&["new", "event", "quoted", "--date", "1925"])
        .success();
    let text = read(&t, "content/events/quoted.md");
    let front = text.split("+++").nth(1).unwrap();
    let table: toml::Table = front.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(table["sources"][0].as_str(), Some("it\"s"), "{text}");
}
