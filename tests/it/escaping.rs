//! Hostile strings in every front-matter field land as text, escaped for their context:
//! HTML text, attributes, URLs and JSON inside `<script>`.

use crate::harness::{page, SiteTest};

// Every front-matter string of the fixture `escaping/hostile` (and site.toml's) is
// `</script><script>alert(1)</script>\"'><img src=x onerror=alert(2)>`.

/// The raw payloads that must never appear unescaped in any HTML page.
const NEEDLES: &[&str] = &["<script>alert", "<img src=x", "onerror=alert(2)>", "\"'><"];

#[test]
fn hostile_front_matter_is_text_everywhere() {
    let t = SiteTest::new("escaping/hostile");
    let files = t.build_memory().unwrap();
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        for n in NEEDLES {
            assert!(!html.contains(n), "{path} contains raw {n:?}");
        }
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} pages checked");
    // The title shows as text on its event page.
    let ev = page(&files, "events/1957-hostile/index.html");
    assert!(
        ev.contains("<h1>&lt;&#x2F;script&gt;")
            || ev.contains("<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        &ev[..ev.len().min(3000)]
    );
}

#[test]
fn json_in_script_stays_inside_its_element_and_parses() {
    let t = SiteTest::new("escaping/hostile");
    let files = t.build_memory().unwrap();
    let html = page(&files, "timeline/index.html");
    let start = html
        .find("<script type=\"application/json\" id=\"timeline-data\">")
        .unwrap();
    let body_start = html[start..].find('>').unwrap() + start + 1;
    let body_end = html[body_start..].find("</script>").unwrap() + body_start;
    let json = &html[body_start..body_end];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let ev = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "1957-hostile")
        .unwrap();
    assert!(
        ev["t"]
            .as_str()
            .unwrap()
            .starts_with("</script><script>alert(1)"),
        "the title must survive intact: {}",
        ev["t"]
    );
    // timeline.json is a data file, not HTML: it keeps the string as it is.
    let tl: serde_json::Value = serde_json::from_slice(&files["timeline.json"]).unwrap();
    assert!(tl["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["text"]["headline"]
            .as_str()
            .unwrap()
            .starts_with("</script>")));
}

#[test]
fn javascript_urls_are_refused() {
    let t = SiteTest::new("escaping/hostile");
    t.write(
        "content/sources.toml",
        "[[source]]\nid = \"E\"\ntitle = \"t\"\nurl = \"javascript:alert(1)\"\n",
    );
    let err = t.build_memory().unwrap_err();
    assert!(
        err.contains("error: url `javascript:alert(1)` must start with https:// or http://"),
        "{err}"
    );
}
