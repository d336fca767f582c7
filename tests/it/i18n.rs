//! Interface text and dates per language: a site in Vietnamese or Korean shows every
//! interface string and date in its language, an unknown language falls back to English
//! with a warning, and a broken catalogue is an error at its line.

use crate::harness::{page, repo, SiteTest};
use std::collections::BTreeMap;

/// The fixture `build/minimal` with `language = "<code>"`.
fn site_in(code: &str) -> SiteTest {
    let t = SiteTest::new("build/minimal");
    let toml = std::fs::read_to_string(t.path("site.toml")).unwrap();
    t.write("site.toml", &format!("language = \"{code}\"\n{toml}"));
    t
}

#[test]
fn a_vietnamese_site_shows_its_interface_and_dates_in_vietnamese() {
    let files = site_in("vi").build_memory().unwrap();
    let home = page(&files, "index.html");
    assert!(home.contains("<html lang=\"vi\">"), "{home}");
    assert!(home.contains("Chuyển đến nội dung"));
    assert!(home.contains("Xem dòng thời gian (3 sự kiện)"), "{home}");
    let era = page(&files, "timeline/alliance/index.html");
    assert!(era.contains("ngày 31 tháng 1 năm 1950"), "{era}");
    assert!(era.contains("tháng 7 năm 1957"), "{era}");
    let timeline = page(&files, "timeline/index.html");
    assert!(timeline.contains("<script type=\"application/json\" id=\"timeline-text\">"));
    assert!(timeline.contains("\"lang\":\"vi\""));
    assert!(page(&files, "search/index.html").contains("Không có kết quả."));
}

#[test]
fn an_unknown_language_shows_english_and_check_warns() {
    let t = site_in("fr");
    let files = t.build_memory().unwrap();
    let home = page(&files, "index.html");
    assert!(home.contains("<html lang=\"fr\">") && home.contains("Skip to content"));
    let run = t.run(&["check"]);
    assert!(
        run.stderr
            .contains("warning: no interface catalogue for the language `fr`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_catalogue_is_an_error_at_its_line_and_an_unknown_key_names_the_template() {
    let t = site_in("vi");
    t.write("i18n/vi.toml", "[text]\nsearch = \"Tra cứu\nx\"\n");
    let err = t.build_memory().unwrap_err();
    assert!(err.contains("i18n/vi.toml:2:"), "{err}");
    let t = site_in("vi");
    t.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ t(key=\"no-such-string\") }}{% endblock content %}");
    t.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\nText.\n",
    );
    let err = t.build_memory().unwrap_err();
    assert!(err.contains("templates/page.html:1:55"), "{err}");
    assert!(
        err.contains("unknown interface string `no-such-string`"),
        "{err}"
    );
}

/// The phrases of the English catalogue a page could show: each text's parts between its
/// placeholders, of two words or more.
fn english_phrases() -> Vec<String> {
    let en: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo().join("i18n/en.toml")).unwrap()).unwrap();
    let mut texts = Vec::new();
    for v in en["text"].as_table().unwrap().values() {
        match v {
            toml::Value::String(s) => texts.push(s.clone()),
            toml::Value::Table(forms) => {
                texts.extend(forms.values().filter_map(|f| f.as_str().map(String::from)))
            }
            _ => {}
        }
    }
    let mut phrases: Vec<String> = texts
        .iter()
        .flat_map(|s| {
            s.split(['{', '}'])
                .step_by(2)
                .map(str::trim)
                .map(String::from)
                .collect::<Vec<_>>()
        })
        // Two words or more, and long enough not to be any English sentence's ("of the").
        .filter(|p| p.split_whitespace().filter(|w| w.len() > 1).count() >= 2 && p.len() >= 10)
        .collect();
    phrases.sort();
    phrases.dedup();
    phrases
}

#[test]
fn a_korean_build_has_no_english_interface_text_left() {
    let t = site_in("ko");
    // The home page's own text, which is content, would otherwise name "the timeline".
    let home = std::fs::read_to_string(t.path("content/index.md")).unwrap();
    t.write("content/index.md", &home.replace("the timeline", "연표"));
    let files: BTreeMap<String, Vec<u8>> = t.build_memory().unwrap();
    let phrases = english_phrases();
    assert!(phrases.len() > 50, "{phrases:?}");
    let mut found = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes).replace("&#39;", "'");
        for p in &phrases {
            if html.contains(p.as_str()) {
                found.push(format!("{path}: {p}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English left on the Korean site:\n{}",
        found.join("\n")
    );
}
