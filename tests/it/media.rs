//! Media (issue 14): `[[media]]` in front matter, images of `content/media/` processed at
//! build time (sizes, WebP and fallback, metadata stripped, cached by content), figures
//! in Markdown, video and audio, and every bad file or field an error at its place.

use crate::harness::{page, SiteTest};
use std::collections::BTreeMap;

fn cache_files(site: &SiteTest) -> BTreeMap<String, std::time::SystemTime> {
    walkdir::WalkDir::new(site.path("target/docsite-media"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let t = e.metadata().unwrap().modified().unwrap();
            (e.path().display().to_string(), t)
        })
        .collect()
}

#[test]
fn bad_media_files_are_errors_where_they_are_named() {
    SiteTest::new("media/bad").fails_as_expected(&["build"]);
}

#[test]
fn bad_media_fields_are_errors_where_they_are_written() {
    SiteTest::new("media/bad-fields").fails_as_expected(&["build"]);
}

#[test]
fn an_event_s_first_image_is_on_its_page_its_card_and_the_timeline() {
    let site = SiteTest::new("media/site");
    let files = site.build_memory().unwrap();
    let event = page(&files, "events/1957-07-ho-visit/index.html");
    let first = event
        .find("<figure class=\"media media-image\"><picture>")
        .unwrap();
    let img = &event[first..event[first..].find("</picture>").unwrap() + first];
    for want in [
        "type=\"image/webp\"",
        "480w, /sub/media/img/",
        "width=\"960\" height=\"540\"",
        "alt=\"A harbour at dusk under an orange sky\"",
        "fetchpriority=\"high\"",
    ] {
        assert!(img.contains(want), "{want}: {img}");
    }
    assert!(!img.contains("loading=\"lazy\""), "{img}");
    assert!(event.contains("<span class=\"credit\"><a href=\"https://example.org/archive\">Fixture archive</a></span>"), "{event}");
    assert!(
        event.contains("<audio controls preload=\"none\""),
        "{event}"
    );
    // The card, with its image, is on its era's page of the timeline.
    let on_era_page = (files.iter())
        .filter(|(k, _)| k.starts_with("timeline/") && k.ends_with("/index.html"))
        .filter(|(k, _)| *k != "timeline/index.html")
        .any(|(_, b)| String::from_utf8_lossy(b).contains("<div class=\"event-image\"><picture>"));
    assert!(on_era_page, "no era page shows the event's image");
    let json: serde_json::Value = serde_json::from_slice(&files["timeline.json"]).unwrap();
    let ev = (json["events"].as_array().unwrap().iter())
        .find(|e| e["unique_id"] == "1957-07-ho-visit")
        .unwrap();
    let m = &ev["media"];
    assert!(
        m["url"]
            .as_str()
            .unwrap()
            .starts_with("https://example.org/sub/media/img/"),
        "{m}"
    );
    assert!(
        m["thumbnail"].as_str().unwrap().ends_with("-480.jpg"),
        "{m}"
    );
    assert!(
        m["caption"]
            .as_str()
            .unwrap()
            .contains("as the delegation saw it"),
        "{m}"
    );
    assert_eq!(
        m["credit"],
        "<a href=\"https://example.org/archive\">Fixture archive</a>"
    );
    for url in [&m["url"], &m["thumbnail"]] {
        let rel = url
            .as_str()
            .unwrap()
            .trim_start_matches("https://example.org/sub/");
        assert!(files.contains_key(rel), "{rel}");
    }
    assert!(files.contains_key("media/interview.mp3"));
}

#[test]
fn a_markdown_figure_has_a_caption_and_a_credit_and_a_remote_video_is_a_facade() {
    let site = SiteTest::new("media/site");
    let files = site.build_memory().unwrap();
    let chapter = page(&files, "chapters/alliance/index.html");
    assert!(chapter.contains("alt=\"Ships in the harbour of Haiphong\" loading=\"lazy\" decoding=\"async\"></picture><figcaption>Ships in the harbour, 1965 <span class=\"cite\">"), "{chapter}");
    assert!(
        chapter.contains(
            "</span>. <span class=\"credit\">Fixture archive</span></figcaption></figure>"
        ),
        "{chapter}"
    );
    assert!(chapter.contains("An inline image <picture>"), "{chapter}");
    // The facade links out, and nothing on the page loads from the provider.
    assert!(
        chapter.contains(
            "<a class=\"facade has-poster\" href=\"https://www.youtube.com/watch?v=abc123\""
        ),
        "{chapter}"
    );
    for attr in ["src=\"https://", "srcset=\"https://", "<iframe"] {
        assert!(!chapter.contains(attr), "{attr}: {chapter}");
    }
}

/// Re-encoding leaves the EXIF block (with its GPS position) behind.
#[test]
fn metadata_is_stripped() {
    let site = SiteTest::new("media/site");
    let source = std::fs::read(site.path("content/media/harbour.png")).unwrap();
    let secret = b"GPSLatitude";
    assert!(source.windows(secret.len()).any(|w| w == secret));
    let files = site.build_memory().unwrap();
    let images: Vec<_> = files
        .keys()
        .filter(|k| k.starts_with("media/img/"))
        .collect();
    assert_eq!(images.len(), 10, "{images:?}");
    for k in images {
        let b = &files[k];
        assert!(!b.windows(secret.len()).any(|w| w == secret), "{k}");
        assert!(!b.windows(4).any(|w| w == b"Exif" || w == b"eXIf"), "{k}");
    }
}

/// A second build of unchanged images reads them from the cache: nothing in it is written
/// again, and the site is the same. A changed image is processed anew.
#[test]
fn unchanged_images_come_from_the_cache() {
    let site = SiteTest::new("media/site");
    let first = site.build_memory().unwrap();
    let cached = cache_files(&site);
    assert!(cached.len() >= 10, "{cached:?}");
    let second = site.build_memory().unwrap();
    assert_eq!(cache_files(&site), cached);
    assert_eq!(first, second);
    let mut ships = std::fs::read(site.path("content/media/ships.png")).unwrap();
    ships.extend(b"changed");
    std::fs::write(site.path("content/media/ships.png"), ships).unwrap();
    site.build_memory().unwrap();
    assert!(cache_files(&site).len() > cached.len());
}

#[test]
fn an_unknown_media_key_is_an_error_listing_the_table_s_keys() {
    SiteTest::new("media/unknown-key").fails_as_expected(&["build"]);
}
