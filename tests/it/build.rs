//! `build` on a good site: which files it writes, what the interesting regions of the
//! pages say, determinism, atomic replacement and the TimelineJS data.

use crate::harness::{expect_file, page, region, SiteTest};

#[test]
fn writes_every_page_and_asset() {
    let t = SiteTest::new("build/minimal");
    let files = t.build_memory().unwrap();
    let names: Vec<&str> = files.keys().map(|s| s.as_str()).collect();
    for want in [
        "404.html",
        "chapters/alliance/index.html",
        "chapters/split/index.html",
        "events/1950-01-31-relations/index.html",
        "events/1957-07-ho-visit/index.html",
        "events/1968-peace-talks/index.html",
        "favicon.svg",
        "highlight.css",
        "index.html",
        "people/index.html",
        "places/index.html",
        "sources/index.html",
        "style.css",
        "tags/index.html",
        "timeline.json",
        "timeline/index.html",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
}

#[test]
fn chapter_has_toc_events_and_neighbours() {
    let t = SiteTest::new("build/minimal");
    let files = t.build_memory().unwrap();
    let html = page(&files, "chapters/alliance/index.html");
    expect_file(
        &t.case,
        "expected-chapter-toc.html",
        region(&html, "<nav class=\"toc\"", "</nav>"),
    );
    assert!(html.contains(
        "<a rel=\"next\" href=\"/sub/chapters/split/\"><span>Next chapter</span> The split</a>"
    ));
    assert!(!html.contains("rel=\"prev\""));
    // The chapter lists its own events, not the other chapter's.
    let events = region(&html, "<section class=\"chapter-events\"", "</section>");
    assert!(events.contains("href=\"/sub/events/1957-07-ho-visit/\""));
    assert!(!events.contains("1968-peace-talks"));
    // Internal links resolved to URLs under the base path.
    assert!(html.contains("<a href=\"/sub/events/1957-07-ho-visit/\">the visit</a>"));
    let split = page(&files, "chapters/split/index.html");
    assert!(split.contains("<a href=\"/sub/chapters/alliance/#aid\">aid</a>"));
}

#[test]
fn event_page_shows_date_sources_dispute_and_links() {
    let t = SiteTest::new("build/minimal");
    let files = t.build_memory().unwrap();
    let html = page(&files, "events/1968-peace-talks/index.html");
    expect_file(
        &t.case,
        "expected-event-header.html",
        region(&html, "<article class=\"event\">", "</header>"),
    );
    let note = region(&html, "<aside class=\"disputed-note\"", "</aside>");
    assert!(note.contains("A test note naming"), "{note}");
    // Its link to the timeline leads to its card on its era's page, which holds the anchor;
    // the script turns it into the interactive timeline's deep link.
    assert!(html.contains(
        "href=\"/sub/timeline/later/#1968-peace-talks\" \
         data-timeline-href=\"/sub/timeline/?event=1968-peace-talks\""
    ));
    let era = page(&files, "timeline/later/index.html");
    assert!(era.contains("id=\"1968-peace-talks\""), "{era}");
    // A chapter's story on the timeline, and each of its events on its era's page.
    let split = page(&files, "chapters/split/index.html");
    assert!(split.contains("class=\"story-link\" href=\"/sub/timeline/?story=split\""));
    assert!(split.contains("href=\"/sub/timeline/later/#1968-peace-talks\""));
    assert!(html.contains("<a href=\"/sub/chapters/split/\">The split</a>"));
    let ho = page(&files, "events/1957-07-ho-visit/index.html");
    assert!(ho.contains("<li><a href=\"/sub/sources/#source-szalontai-2012\">szalontai-2012</a>: In the Shadow of Vietnam (background)</li>"));
    assert!(ho.contains("<a href=\"/sub/people/ho-chi-minh/\">Ho Chi Minh</a>"));
}

#[test]
fn a_chapter_without_events_has_no_story_link() {
    let t = SiteTest::new("build/minimal");
    t.write(
        "content/chapters/quiet.md",
        "+++\ntitle = \"Quiet\"\norder = 3\nsummary = \"Nothing happens [@E].\"\nyears = [1992, 1993]\n+++\nA quiet chapter [@E].\n",
    );
    let files = t.build_memory().unwrap();
    let html = page(&files, "chapters/quiet/index.html");
    assert!(!html.contains("story-link"), "{html}");
    assert!(!html.contains("story="), "{html}");
}

#[test]
fn timeline_lists_every_event_by_era_with_ids() {
    let t = SiteTest::new("build/minimal");
    let files = t.build_memory().unwrap();
    // The timeline page lists the eras, each linking to its page of events.
    let html = page(&files, "timeline/index.html");
    let era = region(&html, "<li class=\"tl-era\" id=\"era-alliance\">", "</li>");
    assert!(era.contains("timeline/alliance/\">2 events</a>"), "{era}");
    assert!(
        !html.contains("id=\"1950-01-31-relations\""),
        "the page holds no card"
    );
    let alliance = page(&files, "timeline/alliance/index.html");
    assert!(alliance.contains("id=\"1950-01-31-relations\""));
    assert!(alliance.contains("id=\"1957-07-ho-visit\""));
    let later = page(&files, "timeline/later/index.html");
    assert!(later.contains("id=\"1968-peace-talks\""));
    // Date order inside an era.
    assert!(
        alliance.find("1950-01-31-relations").unwrap() < alliance.find("1957-07-ho-visit").unwrap()
    );
    assert!(later.contains("<time datetime=\"1968\">from 1968</time> <span class=\"mark approx\""));
    // The script's index: one row per event, each naming its page of the era (0).
    let index: serde_json::Value =
        serde_json::from_slice(&files["timeline/alliance/0.json"]).unwrap();
    let rows = index.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "1950-01-31-relations");
    assert_eq!(rows[1][9], 0);
}

/// A site without events: the timeline says so, with no empty sentence ("0 events from
/// to") and no controls for an axis it cannot draw; each era's page says it is empty.
#[test]
fn an_empty_timeline_says_it_has_no_events() {
    let t = SiteTest::new("build/minimal");
    for e in [
        "1950-01-31-relations",
        "1957-07-ho-visit",
        "1968-peace-talks",
    ] {
        std::fs::remove_file(t.path(&format!("content/events/{e}.md"))).unwrap();
    }
    let chapter = std::fs::read_to_string(t.path("content/chapters/alliance.md")).unwrap();
    t.write(
        "content/chapters/alliance.md",
        &chapter.replace(" See [the visit](@/events/1957-07-ho-visit.md).", ""),
    );
    let files = t.build_memory().unwrap();
    let html = page(&files, "timeline/index.html");
    assert!(
        html.contains("<p class=\"lede\">No events yet.</p>"),
        "{html}"
    );
    assert!(!html.contains("0 events") && !html.contains("id=\"timeline-app\""));
    let era = page(&files, "timeline/alliance/index.html");
    assert!(era.contains("No events in this era yet."));
}

#[test]
fn timeline_json_is_timelinejs3() {
    let t = SiteTest::new("build/minimal");
    let files = t.build_memory().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&files["timeline.json"]).unwrap();
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    let ho = events
        .iter()
        .find(|e| e["unique_id"] == "1957-07-ho-visit")
        .unwrap();
    assert_eq!(
        ho["start_date"],
        serde_json::json!({"year": 1957, "month": 7})
    );
    assert_eq!(ho["text"]["headline"], "Ho Chi Minh visits North Korea");
    assert_eq!(ho["group"], "The alliance");
    assert_eq!(ho["display_date"], "July 1957");
    assert_eq!(v["eras"][0]["text"]["headline"], "Alliance");
    assert_eq!(v["eras"][1]["start_date"]["year"], 1968);
}

#[test]
fn sources_page_lists_what_rests_on_each_source() {
    let t = SiteTest::new("build/minimal");
    let files = t.build_memory().unwrap();
    let html = page(&files, "sources/index.html");
    let sz = region(&html, "<li id=\"source-szalontai-2012\"", "</li>");
    expect_file(&t.case, "expected-source-szalontai.html", sz);
}

#[test]
fn code_is_highlighted_with_classes() {
    let t = SiteTest::new("build/minimal");
    t.write(
        "content/chapters/split.md",
        "+++\ntitle = \"The split\"\norder = 2\nsummary = \"s\"\nyears = [1968, 1991]\n+++\n## Estrangement {#estrangement}\n\n```rust\nfn main() {}\n```\n\n[aid](@/chapters/alliance.md#aid)\n",
    );
    let files = t.build_memory().unwrap();
    let html = page(&files, "chapters/split/index.html");
    let code = region(&html, "<pre class=\"code\" data-lang=\"rust\">", "</pre>");
    assert!(code.contains("<span class=\"hl-"), "{code}");
    assert!(!code.contains("style="));
    // Only pages with code load the highlighting styles.
    assert!(html.contains("href=\"/sub/highlight.css\""));
    assert!(!page(&files, "chapters/alliance/index.html").contains("highlight.css"));
}

#[test]
fn two_builds_are_byte_identical() {
    let t = SiteTest::new("build/minimal");
    t.run(&["build", "--output-dir", "one"]).success();
    t.run(&["build", "--output-dir", "two"]).success();
    let (a, b) = (t.tree("one"), t.tree("two"));
    assert!(a.len() > 10);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between two builds");
    }
}

#[test]
fn failed_build_leaves_public_untouched_and_success_removes_stale_files() {
    let t = SiteTest::new("build/minimal");
    t.run(&["build"]).success();
    std::fs::write(t.path("public/stale.html"), "old").unwrap();
    let before = t.tree("public");
    t.write(
        "content/events/1950-01-31-relations.md",
        "+++\ntitle = \"x\"\ndate = \"2019-02-30\"\n+++\n",
    );
    t.run(&["build"]).failure();
    assert_eq!(before, t.tree("public"), "a failed build changed public/");
    t.assert_no_temp_folders();
    let t2 = SiteTest::new("build/minimal");
    t2.run(&["build"]).success();
    std::fs::write(t2.path("public/stale.html"), "old").unwrap();
    t2.run(&["build"]).success();
    assert!(
        !t2.path("public/stale.html").exists(),
        "a successful build kept a stale file"
    );
}

#[test]
fn base_url_flag_rewrites_every_link() {
    let t = SiteTest::new("build/minimal");
    t.run(&["build", "--base-url", "https://user.github.io/repo"])
        .success();
    let html = std::fs::read_to_string(t.path("public/chapters/alliance/index.html")).unwrap();
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://user.github.io/repo/chapters/alliance/\">"
    ));
    assert!(html.contains("href=\"/repo/style.css\""));
    assert!(!html.contains("/sub/"), "the configured base path leaked");
}

#[test]
fn refuses_to_write_over_the_site_itself() {
    let t = SiteTest::new("build/minimal");
    let r = t.run(&["build", "--output-dir", "."]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("refusing to write the site into"),
        "{}",
        r.stderr
    );
    assert!(t.path("site.toml").exists());
}

#[test]
fn profile_reports_every_stage_in_order() {
    let t = SiteTest::new("build/minimal");
    let out = crate::harness::run_command(
        std::process::Command::new(env!("CARGO_BIN_EXE_docsite"))
            .args(["build"])
            .env("DOCSITE_PROFILE", "1")
            .current_dir(t.root()),
        crate::harness::RUN_LIMIT,
    );
    out.success();
    let stderr = &out.stderr;
    let stages: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("profile: "))
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    // After the pages, each data file of the site (the minimal site has no CNAME).
    let files = [
        "timeline.json",
        "highlight.css",
        "sitemap",
        "robots.txt",
        "atom.xml",
        ".nojekyll",
        "search",
    ];
    let mut expected = vec!["start", "content", "markdown", "cards", "pages"];
    expected.extend(files);
    expected.extend(["files", "done"]);
    assert_eq!(stages, expected);
    // Each line: the stage, milliseconds, CPU time (user + system, ms), then resident and
    // peak memory in MiB (read from /proc on Linux, where CI runs: a process this size has
    // more than 1 MiB).
    for line in stderr.lines().filter(|l| l.starts_with("profile: ")) {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            (f[3], f[4], f[6], f[8], f[9], f[11], f[12], f[14]),
            ("ms", "cpu", "+", "ms", "rss", "MiB", "peak", "MiB"),
            "{line}"
        );
        for n in [f[2], f[5], f[7]] {
            assert!(n.parse::<u64>().is_ok(), "{line}");
        }
        assert!(f[10].parse::<u64>().unwrap() > 0, "{line}");
    }
    // CPU time only grows.
    let cpu: Vec<u64> = (stderr.lines().filter(|l| l.starts_with("profile: ")))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f[5].parse::<u64>().unwrap() + f[7].parse::<u64>().unwrap()
        })
        .collect();
    assert!(cpu.windows(2).all(|w| w[0] <= w[1]), "{cpu:?}");
    // Without the variable, nothing of it.
    let quiet = t.run(&["build"]);
    assert!(!quiet.stderr.contains("profile:"), "{}", quiet.stderr);
}
