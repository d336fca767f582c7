//! Dates before year 1 (`tests/fixtures/build/antiquity`): events from 490 BCE to 14 CE
//! in date order, their display dates, `<time datetime>` only from year 1, TimelineJS3's
//! signed years, chapters' years, and the errors for year 0 BCE and dates out of range.

use crate::harness::{page, SiteTest};

#[test]
fn events_before_year_1_are_in_date_order_with_their_display_dates() {
    let t = SiteTest::new("build/antiquity");
    let files = t.build_memory().unwrap();
    let timeline = page(&files, "timeline/index.html");
    let order: Vec<usize> = [
        "id=\"marathon\"",
        "id=\"thermopylae\"",
        "id=\"peloponnesian-war\"",
        "id=\"ides-of-march\"",
        "id=\"augustus-reign\"",
        "id=\"augustus-dies\"",
    ]
    .iter()
    .map(|id| timeline.find(id).unwrap_or_else(|| panic!("no {id}")))
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
