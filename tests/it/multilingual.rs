//! A site in two languages (`tests/fixtures/multilingual/two`: the minimal site with
//! `[languages.vi]` and a few Vietnamese translations): every page in each language, the
//! default at the root and Vietnamese under `/sub/vi/`, with `hreflang` alternates, the
//! switcher, the sitemap's alternates, a feed, a search index and a `timeline.json` per
//! language, and the notice on a page whose text is not translated.

use crate::harness::{page, region, SiteTest};
use std::collections::BTreeMap;

const BASE: &str = "https://example.org/sub/";

fn two() -> BTreeMap<String, Vec<u8>> {
    SiteTest::new("multilingual/two").build_memory().unwrap()
}

#[test]
fn every_page_is_in_each_language_and_shared_files_stay_at_the_root() {
    let files = two();
    for (file, _) in files.iter().filter(|(f, _)| f.ends_with("index.html")) {
        if file.starts_with("vi/") {
            continue;
        }
        assert!(
            files.contains_key(&format!("vi/{file}")),
            "vi/{file} is missing"
        );
    }
    for own in [
        "vi/atom.xml",
        "vi/timeline.json",
        "vi/search.json",
        "vi/404.html",
        "vi/tags/state-visit/index.html",
        "vi/timeline/alliance/index.html",
    ] {
        assert!(files.contains_key(own), "no {own}");
    }
    for shared in [
        "style.css",
        "site.js",
        "highlight.css",
        "robots.txt",
        "sitemap.xml",
        ".nojekyll",
    ] {
        assert!(files.contains_key(shared), "no {shared}");
        assert!(!files.contains_key(&format!("vi/{shared}")), "vi/{shared}");
    }
    let html = page(&files, "vi/events/1957-07-ho-visit/index.html");
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(
        html.contains("href=\"/sub/style.css\""),
        "assets at the root"
    );
    assert!(html.contains("href=\"/sub/vi/timeline/\""));
    assert!(
        html.contains("href=\"/sub/vi/tags/state-visit/\""),
        "same slugs"
    );
    assert!(!html.contains("href=\"/sub/timeline/\""));
    assert!(
        html.contains("href=\"/sub/vi/sources/#source-E\""),
        "citations"
    );
    assert!(html.contains("<h1>Hồ Chí Minh thăm Triều Tiên</h1>"));
}

#[test]
fn every_page_names_its_alternates_and_the_switcher_keeps_the_page() {
    let files = two();
    for file in [
        "events/1957-07-ho-visit/index.html",
        "vi/events/1957-07-ho-visit/index.html",
    ] {
        let html = page(&files, file);
        for (lang, href) in [
            ("en", "events/1957-07-ho-visit/"),
            ("vi", "vi/events/1957-07-ho-visit/"),
            ("x-default", "events/1957-07-ho-visit/"),
        ] {
            let link =
                format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{BASE}{href}\">");
            assert!(html.contains(&link), "{file}: no {link}");
        }
        assert!(html
            .contains("<a href=\"/sub/vi/events/1957-07-ho-visit/\" lang=\"vi\" hreflang=\"vi\""));
        assert!(
            html.contains("<a href=\"/sub/events/1957-07-ho-visit/\" lang=\"en\" hreflang=\"en\"")
        );
        assert!(html.contains("aria-current=\"page\">"));
        assert_eq!(html.matches("class=\"languages\"").count(), 1);
    }
    let vi = page(&files, "vi/events/1957-07-ho-visit/index.html");
    assert!(vi.contains("hreflang=\"vi\" aria-current=\"page\">Tiếng Việt</a>"));
    let en = page(&files, "index.html");
    assert!(en.contains("hreflang=\"en\" aria-current=\"page\">English</a>"));
    // A numbered page's switcher leads to the same numbered page.
    let numbered: Vec<&String> = (files.keys())
        .filter(|f| f.starts_with("vi/") && f.contains("/page/2/"))
        .collect();
    for file in numbered {
        let html = page(&files, file);
        let own = format!("/sub/{}", file.trim_end_matches("index.html"));
        assert!(
            html.contains(&format!("<a href=\"{own}\" lang=\"vi\"")),
            "{file}"
        );
    }
    // The 404 page offers each language's home page.
    let missing = page(&files, "404.html");
    assert!(missing.contains("<a href=\"/sub/vi/\" lang=\"vi\" hreflang=\"vi\""));
    assert!(!missing.contains("hreflang=\"x-default\""));
}

#[test]
fn the_sitemap_lists_each_page_in_each_language_with_its_alternates() {
    let files = two();
    let map = page(&files, "sitemap.xml");
    assert!(map.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    for loc in ["events/1957-07-ho-visit/", "vi/events/1957-07-ho-visit/"] {
        let entry = format!("<url><loc>{BASE}{loc}</loc>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{BASE}events/1957-07-ho-visit/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"vi\" href=\"{BASE}vi/events/1957-07-ho-visit/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{BASE}events/1957-07-ho-visit/\"/>\n  </url>");
        assert!(map.contains(&entry), "no {entry} in\n{map}");
    }
    assert_eq!(
        map.matches("<url>").count() % 2,
        0,
        "every page in both languages"
    );
}

#[test]
fn each_language_has_its_feed_timeline_data_and_search_index() {
    let files = two();
    let feed = page(&files, "vi/atom.xml");
    assert!(feed.contains("xml:lang=\"vi\""));
    assert!(feed.contains(&format!(
        "<link href=\"{BASE}vi/events/1957-07-ho-visit/\"/>"
    )));
    assert!(feed.contains("<title>Hồ Chí Minh thăm Triều Tiên</title>"));
    assert!(page(&files, "atom.xml").contains("xml:lang=\"en\""));
    let tl: serde_json::Value = serde_json::from_str(&page(&files, "vi/timeline.json")).unwrap();
    assert_eq!(tl["language"], "vi");
    let en: serde_json::Value = serde_json::from_str(&page(&files, "timeline.json")).unwrap();
    assert_eq!(en["language"], "en");
    assert!(files.contains_key("vi/search.json"));
    let docs: String = (files.iter())
        .filter(|(f, _)| f.starts_with("vi/search/d"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        docs.contains("\"/sub/vi/events/1957-07-ho-visit/\""),
        "{docs}"
    );
    assert!(!docs.contains("\"/sub/events/"));
}

#[test]
fn an_untranslated_page_says_so_and_marks_its_text_english() {
    let files = two();
    let html = page(&files, "vi/events/1950-01-31-relations/index.html");
    assert!(html.contains(
        "<p class=\"untranslated\" role=\"note\">Trang này chưa được dịch sang tiếng Việt.</p>"
    ));
    assert!(html.contains("<div class=\"prose\" lang=\"en\">"));
    let translated = page(&files, "vi/events/1957-07-ho-visit/index.html");
    assert!(!translated.contains("class=\"untranslated\""));
    assert!(!translated.contains("<h1 lang="));
    // On a Vietnamese listing, an untranslated event's card is marked English.
    let chapter = page(&files, "vi/chapters/alliance/index.html");
    assert!(chapter.contains("id=\"h-1950-01-31-relations\" lang=\"en\""));
    assert!(chapter.contains("id=\"h-1957-07-ho-visit\">"));
    // Internal links of an untranslated text lead to the pages of the page's language.
    assert!(chapter.contains("href=\"/sub/vi/events/1957-07-ho-visit/\""));
    // English pages never say so.
    let en = page(&files, "events/1950-01-31-relations/index.html");
    assert!(!en.contains("class=\"untranslated\""));
    // And a translation's.
    let home = page(&files, "vi/index.html");
    assert!(home.contains("href=\"/sub/vi/events/1957-07-ho-visit/\""));
    assert!(
        home.contains("href=\"/sub/vi/chapters/alliance/\""),
        "{home}"
    );
}

/// A site without `[languages]` has no switcher, no alternates and nothing under a
/// language's folder.
#[test]
fn a_site_of_one_language_has_no_switcher_and_no_alternates() {
    let files = SiteTest::new("build/minimal").build_memory().unwrap();
    assert!(!files.keys().any(|f| f.starts_with("vi/")));
    for (file, bytes) in files.iter().filter(|(f, _)| f.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("hreflang"), "{file}");
        assert!(!html.contains("class=\"languages\""), "{file}");
    }
    assert!(!page(&files, "sitemap.xml").contains("xhtml"));
    let tl: serde_json::Value = serde_json::from_str(&page(&files, "timeline.json")).unwrap();
    assert!(tl.get("language").is_none());
}

/// `check` reads every language's pages: a broken link in a template is reported in each
/// language, naming the page by its output path.
#[test]
fn check_reports_broken_links_per_language() {
    let t = SiteTest::new("multilingual/two");
    let base = std::fs::read_to_string(t.path("templates/404.html")).unwrap();
    t.write(
        "templates/404.html",
        &base
            .replace(
                "</main>",
                "<a href=\"{{ site.base_path }}nowhere/\">x</a></main>",
            )
            .replace(
                "{% endblock",
                "<a href=\"{{ site.base_path }}nowhere/\">x</a>{% endblock",
            ),
    );
    let run = t.run(&["check"]);
    run.failure();
    let err = &run.stderr;
    assert!(err.contains("404.html"), "{err}");
    assert!(err.contains("vi/404.html"), "{err}");
    assert!(err.contains("/sub/vi/nowhere/"), "{err}");
}

/// Rebuilds `session` on a thread under the harness's deadline.
fn rebuild(mut session: docsite::Session) -> (docsite::Session, docsite::Rebuilt) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let r = session.rebuild().map_err(|e| e.to_string());
        let _ = tx.send((session, r));
    });
    let (session, r) = rx
        .recv_timeout(crate::harness::RUN_LIMIT)
        .expect("the rebuild did not end in time");
    (session, r.unwrap())
}

fn text(files: &docsite::Files, path: &str) -> String {
    String::from_utf8_lossy(&files[path]).into_owned()
}

/// `serve` keeps every language up to date: an edit of an untranslated original shows in
/// both languages, an edit of a translation in its own; each rebuild makes the files a
/// clean build makes.
#[test]
fn serve_rebuilds_every_language_after_an_edit() {
    let t = SiteTest::new("multilingual/two");
    let session = docsite::Session::new(docsite::BuildOptions {
        root: t.root().to_path_buf(),
        ..Default::default()
    });
    let (session, _) = rebuild(session);
    let original = "content/events/1950-01-31-relations.md";
    let body = std::fs::read_to_string(t.path(original)).unwrap();
    t.write(original, &format!("{body}\nEdited under serve.\n"));
    let (session, built) = rebuild(session);
    for page in [
        "events/1950-01-31-relations/index.html",
        "vi/events/1950-01-31-relations/index.html",
    ] {
        assert!(
            text(&built.files, page).contains("Edited under serve."),
            "{page}"
        );
    }
    let translation = "content/events/1957-07-ho-visit.vi.md";
    let body = std::fs::read_to_string(t.path(translation)).unwrap();
    t.write(translation, &format!("{body}\nĐã sửa khi xem trước.\n"));
    let (_, built) = rebuild(session);
    let vi = text(&built.files, "vi/events/1957-07-ho-visit/index.html");
    assert!(vi.contains("Đã sửa khi xem trước."));
    let en = text(&built.files, "events/1957-07-ho-visit/index.html");
    assert!(!en.contains("Đã sửa"));
    let clean = t.build_memory().unwrap();
    let keys: Vec<&String> = built.files.keys().collect();
    assert_eq!(keys, clean.keys().collect::<Vec<_>>());
    for (k, v) in clean.iter() {
        assert!(
            built.files[k][..] == v[..],
            "{k} differs from a clean build's"
        );
    }
}

/// The words on a map and a citation's title, which the Markdown stage writes itself.
const ENGLISH_WORDS: [&str; 8] = [
    "Map:",
    "Places:",
    "(shaded)",
    "(marked at",
    "(at ",
    "more not drawn",
    "Outlines:",
    "title=\"Source ",
];

/// The two-language site with Korean too, a map of many places (one shaded, one marked
/// at another place, more than a map draws) in an event untranslated, whose text the
/// languages share, and in one translated into Vietnamese only.
fn with_maps() -> BTreeMap<String, Vec<u8>> {
    let site = SiteTest::new("multilingual/two");
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    let ko =
        "\n[languages.ko]\nname = \"한국어\"\ntitle = \"최소\"\ndescription = \"시험용 사이트\"\n";
    site.write("site.toml", &format!("{toml}{ko}"));
    let mut places = String::from(
        "[[place]]\nid = \"pyongyang\"\nname = \"Pyongyang\"\nsummary = \"A capital.\"\nlat = 39.03\nlon = 125.75\n\n\
         [[place]]\nid = \"lang-son\"\nname = \"Lang Son province\"\nsummary = \"A province.\"\nlat = 21.85\nlon = 106.76\nat = \"Lạng Sơn city\"\n\n\
         [[place]]\nid = \"cambodia\"\nname = \"Cambodia\"\nsummary = \"A country.\"\noutline = \"Cambodia\"\n",
    );
    let mut ids = vec![
        "pyongyang".to_string(),
        "lang-son".into(),
        "cambodia".into(),
    ];
    for i in 0..50 {
        let (lat, lon) = (10.0 + i as f64 * 0.5, 100.0 + i as f64 * 0.5);
        places.push_str(&format!(
            "\n[[place]]\nid = \"p{i}\"\nname = \"P{i}\"\nsummary = \"A place.\"\nlat = {lat}\nlon = {lon}\n"
        ));
        ids.push(format!("p{i}"));
    }
    site.write("content/places.toml", &places);
    let map = format!(
        "\n\n```map\ntitle = \"Route\"\nplaces = [{}]\n```\n",
        (ids.iter().map(|i| format!("\"{i}\"")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let events = [
        "1950-01-31-relations.md",
        "1957-07-ho-visit.md",
        "1957-07-ho-visit.vi.md",
    ];
    for event in events {
        let path = format!("content/events/{event}");
        let text = std::fs::read_to_string(site.path(&path)).unwrap();
        site.write(&path, &format!("{text}{map}"));
    }
    site.build_memory().unwrap()
}

#[test]
fn maps_and_citations_speak_the_pages_language() {
    let files = with_maps();
    let en = page(&files, "events/1950-01-31-relations/index.html");
    for words in [
        "aria-label=\"Map: Route. Pyongyang, Lang Son province (at Lạng Sơn city), Cambodia, P0",
        "<figcaption><strong>Route</strong>. Places: <a href=\"/sub/places/pyongyang/\">Pyongyang</a>, <a href=\"/sub/places/lang-son/\">Lang Son province</a> (marked at Lạng Sơn city), <a href=\"/sub/places/cambodia/\">Cambodia</a> (shaded), ",
        ", and 3 more not drawn. <span class=\"map-credit\">Outlines: Natural Earth.</span></figcaption>",
        "title=\"Source E\">E</a>",
    ] {
        assert!(en.contains(words), "{words} not in:\n{en}");
    }
    let pages = [
        ("vi", "events/1950-01-31-relations/"),
        ("vi", "events/1957-07-ho-visit/"),
        ("ko", "events/1950-01-31-relations/"),
        ("ko", "events/1957-07-ho-visit/"),
    ];
    for (code, path) in pages {
        let html = page(&files, &format!("{code}/{path}index.html"));
        let maps = (html.match_indices("<figure class=\"map"))
            .map(|(i, _)| region(&html[i..], "<figure", "</figure>"))
            .collect::<Vec<_>>()
            .concat();
        for english in ENGLISH_WORDS {
            assert!(
                !maps.contains(english),
                "{english} on {code}/{path}:\n{maps}"
            );
        }
        assert!(!html.contains("title=\"Source "), "{code}/{path}");
        let (cite, label) = match code {
            "vi" => ("title=\"Nguồn E\">E</a>", "aria-label=\"Bản đồ: Route."),
            _ => ("title=\"출처 E\">E</a>", "aria-label=\"지도: Route."),
        };
        assert!(html.contains(cite), "{cite} not on {code}/{path}");
        assert!(
            html.contains(label),
            "{label} not on {code}/{path}:\n{maps}"
        );
    }
    // The Korean pages have the Korean words, not the Vietnamese, and back.
    let ko = page(&files, "ko/events/1950-01-31-relations/index.html");
    assert!(ko.contains("(음영 표시)") && ko.contains("윤곽선: Natural Earth."));
    assert!(!ko.contains("Nguồn E"));
    let vi = page(&files, "vi/events/1950-01-31-relations/index.html");
    assert!(vi.contains("(tô màu)") && vi.contains(" và 3 địa điểm khác"));
    assert!(!vi.contains("출처"));
}

/// A file of `static/` at the path of another language's page is refused as one at a
/// default language's page is, rather than replacing it.
#[test]
fn a_static_file_may_not_replace_another_languages_page() {
    let site = SiteTest::new("multilingual/two");
    site.write("static/vi/index.html", "<p>not the home page</p>");
    site.write("static/vi/own.txt", "a file of its own");
    let err = site.build_memory().unwrap_err();
    assert!(
        err.contains(
            "error: this file would replace the generated `vi/index.html`, rendered by templates/index.html\n --> static/vi/index.html"
        ),
        "{err}"
    );
    assert!(!err.contains("own.txt"), "{err}");
    // A file of static/ under the language's folder at no page's path is copied.
    std::fs::remove_file(site.path("static/vi/index.html")).unwrap();
    let files = site.build_memory().unwrap();
    assert_eq!(files["vi/own.txt"], b"a file of its own");
}

#[test]
fn a_language_names_the_terms_of_free_taxonomies_on_every_page_that_shows_them() {
    let files = two();
    // The term's page, its taxonomy's index and the event's chips, under the same slug.
    let term = page(&files, "vi/tags/state-visit/index.html");
    assert!(term.contains("<h1>chuyến thăm cấp nhà nước"), "{term}");
    let index = page(&files, "vi/tags/index.html");
    assert!(index.contains("chuyến thăm cấp nhà nước"), "{index}");
    let event = page(&files, "vi/events/1957-07-ho-visit/index.html");
    assert!(
        event.contains("/sub/vi/tags/state-visit/\">chuyến thăm cấp nhà nước<"),
        "{event}"
    );
    assert!(
        event.contains("/sub/vi/countries/vietnam/\">Việt Nam<"),
        "{event}"
    );
    // A value the language does not name keeps its own; English keeps every value.
    assert!(
        event.contains("/sub/vi/countries/north-korea/\">North Korea<"),
        "{event}"
    );
    let en = page(&files, "events/1957-07-ho-visit/index.html");
    assert!(en.contains("/sub/tags/state-visit/\">state visit<"), "{en}");
    assert!(!en.contains("chuyến thăm"), "{en}");
}
