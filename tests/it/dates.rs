//! Dates before year 1 (`tests/fixtures/build/antiquity`): events from 490 BCE to 14 CE
//! in date order, their display dates, `<time datetime>` only from year 1, TimelineJS3's
//! signed years, chapters' years, and the errors for year 0 BCE and dates out of range.

use crate::harness::{page, SiteTest};

#[test]
fn events_before_year_1_are_in_date_order_with_their_display_dates() {
    let t = SiteTest::new("build/antiquity");
    let files = t.build_memory().unwrap();
    let timeline = page(&files, "timeline/index.html");
    // The eras' pages, in era order, list the events.
    let listed: String = ["classical", "republic", "principate", "other-dates"]
        .iter()
        .filter_map(|era| files.get(&format!("timeline/{era}/index.html")))
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    let order: Vec<usize> = [
        "id=\"marathon\"",
        "id=\"thermopylae\"",
        "id=\"peloponnesian-war\"",
        "id=\"ides-of-march\"",
        "id=\"augustus-reign\"",
        "id=\"augustus-dies\"",
    ]
    .iter()
    .map(|id| listed.find(id).unwrap_or_else(|| panic!("no {id}")))
    .collect();
    assert!(order.is_sorted(), "events out of date order: {order:?}");
    assert!(
        timeline.contains("6 events, 490 BCE – 14 CE, grouped by era, in date order."),
        "the lede gives the events' years"
    );
    assert!(timeline.contains("<span class=\"tl-era-span\">322–28 BCE</span>"));
    for (event, shown) in [
        ("marathon", "<span class=\"date\">September 490 BCE</span>"),
        (
            "peloponnesian-war",
            "<span class=\"date\">431–404 BCE</span>",
        ),
        (
            "ides-of-march",
            "<span class=\"date\">15 March 44 BCE</span>",
        ),
        (
            "augustus-reign",
            "<span class=\"date\">January 27 BCE – August 14 CE</span>",
        ),
        (
            "augustus-dies",
            "<time datetime=\"0014-08-19\">19 August 14 CE</time>",
        ),
    ] {
        let html = page(&files, &format!("events/{event}/index.html"));
        assert!(html.contains(shown), "{event}: no {shown}");
    }
    let home = page(&files, "index.html");
    assert!(home.contains("<p class=\"years\">490–44 BCE · 4 events</p>"));
    assert!(home.contains("<p class=\"years\">44 BCE – 14 CE · 2 events</p>"));
    let feed = page(&files, "atom.xml");
    assert!(feed.contains("<updated>0014-08-19T00:00:00Z</updated>"));
    assert!(feed.contains("<updated>0001-01-01T00:00:00Z</updated>"));
}

#[test]
fn timeline_json_gives_signed_years_as_timelinejs3_reads_them() {
    let t = SiteTest::new("build/antiquity");
    let files = t.build_memory().unwrap();
    let json: serde_json::Value = serde_json::from_str(&page(&files, "timeline.json")).unwrap();
    let start = |i: usize| json["events"][i]["start_date"].clone();
    assert_eq!(start(0), serde_json::json!({"year": -490, "month": 9}));
    assert_eq!(
        start(3),
        serde_json::json!({"year": -44, "month": 3, "day": 15})
    );
    assert_eq!(
        json["events"][4]["end_date"],
        serde_json::json!({"year": 14, "month": 8})
    );
    assert_eq!(json["events"][5]["start_date"]["year"], 14);
    // "-0321" in ISO 8601's astronomical numbering is 322 BCE.
    assert_eq!(json["eras"][1]["start_date"]["year"], -322);
    assert_eq!(json["events"][0]["display_date"], "September 490 BCE");
}

/// Year 0 BCE, an event's dates out of range, an era's, and a negative chapter year: each
/// an error at its file, line and column (`expected.txt` of each case).
#[test]
fn refused_dates_are_errors_at_their_place() {
    for case in [
        "date-year-zero-bce",
        "date-out-of-range",
        "era-date-out-of-range",
        "chapter-years-negative",
    ] {
        SiteTest::new(&format!("errors/{case}")).fails_as_expected(&["build"]);
    }
}

/// The timeline's lede names the events' years whatever the eras: an event outside every
/// era (grouped last, under "Other dates") and a site without eras or events.
#[test]
fn the_timeline_lede_gives_the_events_years_or_says_there_are_none() {
    let t = SiteTest::new("build/minimal");
    t.write(
        "content/events/1890-early.md",
        "+++\ntitle = \"An early event\"\ndate = \"1890\"\nsummary = \"Before every era [@E].\"\nchapter = \"split\"\nsources = [\"E\"]\n+++\nText [@E].\n",
    );
    let files = t.build_memory().unwrap();
    let lede = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        let html = page(files, "timeline/index.html");
        let start = html.find("<p class=\"lede\">").unwrap();
        let end = start + html[start..].find("</p>").unwrap();
        html[start..end].to_string()
    };
    assert_eq!(
        lede(&files),
        "<p class=\"lede\">4 events, 1890–1968, grouped by era, in date order. Each links to its full account and its chapter."
    );
    for e in [
        "1890-early",
        "1950-01-31-relations",
        "1957-07-ho-visit",
        "1968-peace-talks",
    ] {
        std::fs::remove_file(t.path(&format!("content/events/{e}.md"))).unwrap();
    }
    let chapter = std::fs::read_to_string(t.path("content/chapters/alliance.md")).unwrap();
    t.write(
        "content/chapters/alliance.md",
        &chapter.replace("(@/events/1957-07-ho-visit.md)", "(/timeline/)"),
    );
    let files = t.build_memory().unwrap();
    assert_eq!(lede(&files), "<p class=\"lede\">No events yet.");
}
