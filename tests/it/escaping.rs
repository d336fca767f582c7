//! Hostile input, at the edges of every output. Strings in every front-matter field and
//! body of the fixture `escaping/hostile` land as text, escaped for their context (HTML
//! text, attributes, URLs, JSON inside `<script>`, XML, JSON read as HTML); no element of
//! any page carries an `on*` attribute or a script URL; content headings never take an id
//! the layout writes. What cannot be made safe is refused at its `path:line:col`
//! (`tests/fixtures/errors/`): heading attributes, script URLs, protocol-relative
//! addresses, control characters (in front matter, sources.toml and figure blocks), layout
//! ids given explicitly or taken by content ids (events, people, places, tags), footnotes
//! and figures in front-matter strings, and bad base URLs (a newline, an empty path
//! segment).

use crate::harness::{page, SiteTest};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

// Every front-matter string of the fixture `escaping/hostile` (and site.toml's) holds
// `</script><script>alert(1)</script>\"'><img src=x onerror=alert(2)>`; its Markdown
// fields and bodies add raw HTML with event handlers, headings named like layout ids
// (`## Main`), footnotes, relative links that look like script URLs and a figure.

/// The raw payloads that must never appear unescaped in any HTML page.
const NEEDLES: &[&str] = &[
    "<script>alert",
    "<img src=x",
    "onerror=alert(2)>",
    "\"'><",
    "<div onmouseover",
];

fn hostile() -> BTreeMap<String, Vec<u8>> {
    SiteTest::new("escaping/hostile").build_memory().unwrap()
}

/// Every element's attributes on a page: (tag, name, value).
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let out = RefCell::new(Vec::new());
    let mut rewriter = lol_html::HtmlRewriter::new(
        lol_html::Settings {
            element_content_handlers: vec![lol_html::element!("*", |el| {
                for a in el.attributes() {
                    out.borrow_mut().push((el.tag_name(), a.name(), a.value()));
                }
                Ok(())
            })],
            ..lol_html::Settings::new()
        },
        |_: &[u8]| {},
    );
    rewriter.write(html.as_bytes()).unwrap();
    rewriter.end().unwrap();
    out.into_inner()
}

/// The scheme of a URL as a browser reads it.
fn scheme(url: &str) -> Option<String> {
    docsite::url_scheme(url)
}

#[test]
fn hostile_front_matter_is_text_everywhere() {
    let files = hostile();
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
    // Raw HTML in a body is shown as text.
    assert!(ev.contains("&lt;div onmouseover=\"alert(7)\""), "{ev}");
}

#[test]
fn no_element_has_an_event_handler_or_a_script_url() {
    let files = hostile();
    let mut links = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        for (tag, name, value) in attributes(&html) {
            assert!(
                !name.starts_with("on"),
                "{path}: <{tag} {name}=\"{value}\">"
            );
            assert!(
                !["autofocus", "tabindex"].contains(&name.as_str()) || tag != "h1",
                "{path}: <{tag} {name}>"
            );
            if ["href", "src", "action", "formaction", "xlink:href"].contains(&name.as_str()) {
                links += 1;
                if let Some(s) = scheme(&value) {
                    assert!(
                        ["http", "https", "mailto"].contains(&s.as_str()),
                        "{path}: <{tag} {name}=\"{value}\">"
                    );
                }
            }
        }
    }
    assert!(links > 100, "only {links} links seen");
}

#[test]
fn content_headings_never_take_a_layout_id() {
    let files = hostile();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        let mut count: HashMap<String, usize> = HashMap::new();
        for (_, name, value) in attributes(&html) {
            if name == "id" {
                *count.entry(value).or_default() += 1;
            }
        }
        let twice: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{path}: ids written twice: {twice:?}");
        if path != "404.html" {
            assert_eq!(count.get("main"), Some(&1), "{path}");
        }
    }
    // `## Main` in a chapter body becomes main-1, and its table of contents says so.
    let ch = page(&files, "chapters/c/index.html");
    for id in [
        "main-1",
        "main-2",
        "toc-h-1",
        "chapter-events-1",
        "chapter-c-1",
        "h-1957-hostile-1",
    ] {
        assert!(ch.contains(&format!("<h2 id=\"{id}\">")), "{id}: {ch}");
        assert!(
            ch.contains(&format!("href=\"#{id}\"")),
            "{id} not in the toc"
        );
    }
    // The skip link still lands on <main>.
    assert!(ch.contains("<main id=\"main\""));
    let ev = page(&files, "events/1957-hostile/index.html");
    assert!(ev.contains("<h2 id=\"sources-h-1\">"), "{ev}");
    let home = page(&files, "index.html");
    assert!(home.contains("<h2 id=\"chapters-1\">"), "{home}");
    assert!(home.contains("<h2 id=\"chapters-h-1\">"), "{home}");
}

#[test]
fn json_in_script_stays_inside_its_element_and_parses() {
    let files = hostile();
    let html = page(&files, "timeline/index.html");
    let start = html
        .find("<script type=\"application/json\" id=\"timeline-data\">")
        .unwrap();
    let body_start = html[start..].find('>').unwrap() + start + 1;
    let body_end = html[body_start..].find("</script>").unwrap() + body_start;
    let json = &html[body_start..body_end];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert!(v["groups"].as_array().is_some_and(|g| !g.is_empty()), "{v}");
    // The events are in the index files the page names: the title survives there intact.
    let ev = (files.iter())
        .filter(|(k, _)| k.starts_with("timeline/") && k.ends_with(".json"))
        .flat_map(|(_, b)| serde_json::from_slice::<Vec<serde_json::Value>>(b).unwrap())
        .find(|e| e[0] == "1957-hostile")
        .unwrap();
    assert!(
        ev[3]
            .as_str()
            .unwrap()
            .starts_with("</script><script>alert(1)"),
        "the title must survive intact: {}",
        ev[3]
    );
}

/// TimelineJS3 renders `timeline.json`'s strings as HTML: none holds raw markup.
#[test]
fn timeline_json_strings_are_html_escaped() {
    let files = hostile();
    let tl: serde_json::Value = serde_json::from_slice(&files["timeline.json"]).unwrap();
    let mut strings = Vec::new();
    fn walk<'a>(v: &'a serde_json::Value, key: &str, out: &mut Vec<(String, &'a str)>) {
        match v {
            serde_json::Value::String(s) => out.push((key.to_string(), s)),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, key, out)),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| walk(x, k, out)),
            _ => {}
        }
    }
    walk(&tl, "", &mut strings);
    let mut headlines = 0;
    for (key, s) in &strings {
        if key == "headline" {
            headlines += 1;
            assert!(!s.contains('<'), "raw markup in a headline: {s}");
            assert!(
                !s.contains('\u{1}'),
                "a control character in a headline: {s:?}"
            );
        }
        if ["group", "display_date"].contains(&key.as_str()) {
            assert!(!s.contains('<'), "raw markup in {key}: {s}");
        }
        if key == "text" {
            // The event's summary HTML: markup docsite wrote, none from the payload.
            assert!(!s.contains("<script") && !s.contains("<img"), "{s}");
        }
    }
    assert!(headlines >= 3, "only {headlines} headlines");
    let ev = &tl["events"][0]["text"]["headline"];
    assert!(
        ev.as_str()
            .unwrap()
            .starts_with("&lt;/script&gt;&lt;script&gt;alert(1)"),
        "{ev}"
    );
}

/// The feed and the sitemap are well-formed XML whatever the strings hold (control
/// characters are refused where written, and dropped from XML if any got through).
#[test]
fn atom_and_sitemap_are_well_formed_xml() {
    let files = hostile();
    for name in ["atom.xml", "sitemap.xml"] {
        let text = String::from_utf8(files[name].clone()).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(doc.root_element().children().count() > 2, "{name}");
    }
    let atom = String::from_utf8(files["atom.xml"].clone()).unwrap();
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let titles: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("</script><script>alert(1)") && t.ends_with('>')),
        "{titles:?}"
    );
}

#[test]
fn robots_txt_has_its_three_lines() {
    let files = hostile();
    let robots = String::from_utf8(files["robots.txt"].clone()).unwrap();
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\nSitemap: https://example.org/sitemap.xml\n"
    );
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

fn refused(case: &str, args: &[&str]) {
    SiteTest::new(&format!("errors/{case}")).fails_as_expected(args);
}

#[test]
fn heading_attributes_are_refused() {
    refused("heading-attributes", &["build"]);
}

#[test]
fn script_urls_in_every_markdown_field_are_refused() {
    refused("script-urls", &["build"]);
}

#[test]
fn control_characters_are_refused_where_written() {
    refused("control-characters", &["build"]);
}

#[test]
fn explicit_layout_ids_are_refused() {
    refused("layout-id", &["build"]);
}

#[test]
fn a_base_url_with_a_newline_is_refused_in_site_toml() {
    refused("base-url-newline", &["build"]);
}

#[test]
fn a_base_url_with_a_newline_is_refused_on_the_command_line() {
    refused(
        "base-url-flag",
        &["build", "--base-url", "https://example.org/\nDisallow:/"],
    );
}

/// `https://example.org//evil.com/` would make the base path `//evil.com/`, and every
/// page's `<script src="//evil.com/site.js">` a script of another host.
#[test]
fn a_base_url_with_an_empty_path_segment_is_refused_in_site_toml() {
    refused("base-url-empty-segment", &["build"]);
}

#[test]
fn a_base_url_with_an_empty_path_segment_is_refused_on_the_command_line() {
    refused(
        "base-url-flag-empty-segment",
        &["build", "--base-url", "https://example.org//evil.com/"],
    );
}

/// Event ids (file names) are written as element ids: one equal to a layout id
/// (`timeline-data`, `main`) or starting with a templated prefix (`era-`) would put one id
/// twice on a page, and `getElementById('timeline-data')` would find the event, not the
/// timeline's data. Registry ids and tags (`main`, `tl-f-tag`, `Tag aid` in the fixture)
/// are URLs of their own pages, never element ids, so they are not refused.
#[test]
fn content_ids_that_are_layout_ids_are_refused() {
    refused("content-layout-ids", &["build"]);
}

/// A summary is shown on many pages at once: a footnote or figure in it would write its
/// ids on each (and `[^1968-peace-talks]` would take over that event's deep link).
#[test]
fn footnotes_and_figures_in_front_matter_are_refused() {
    refused("front-matter-footnotes", &["build"]);
}

#[test]
fn control_character_escapes_in_sources_and_figures_are_refused() {
    refused("control-escapes-sources-figures", &["build"]);
}

/// `[a](//evil.com)` names another host without a scheme, skipping the base path and the
/// link checks.
#[test]
fn protocol_relative_addresses_are_refused() {
    refused("protocol-relative", &["build"]);
}

/// `<editor@example.org>` is a `mailto:` link (it once lost the scheme and became a
/// relative link to `editor@example.org`).
#[test]
fn email_autolinks_are_mailto_links() {
    let files = hostile();
    let ch = page(&files, "chapters/c/index.html");
    assert!(
        ch.contains("<a href=\"mailto:editor@example.org\">editor@example.org</a>"),
        "{ch}"
    );
}

/// The print page holds every body: each body's ids get its chapter's prefix, and a
/// prefixed id that is taken already (chapter `alliance`'s `b-c` and chapter
/// `alliance-b`'s `c`; chapter `chapter`'s `split-h` and the layout's `chapter-split-h`;
/// `[^1]` and `## Notes` in every body) gets -1, so `check` finds no id twice.
#[test]
fn the_print_page_has_no_id_twice() {
    let t = SiteTest::new("build/minimal");
    let base = std::fs::read_to_string(t.path("content/chapters/split.md")).unwrap();
    let with = |order: &str, extra: &str| {
        format!(
            "{}\n{extra}",
            base.replace("order = 2", &format!("order = {order}"))
        )
    };
    let notes = "## Notes\n\nA claim[^1].\n\n[^1]: a note\n";
    let alliance = std::fs::read_to_string(t.path("content/chapters/alliance.md")).unwrap();
    t.write(
        "content/chapters/alliance.md",
        &format!("{alliance}\n{notes}\n## B c\n\nx\n"),
    );
    t.write("content/chapters/split.md", &with("2", notes));
    t.write(
        "content/chapters/alliance-b.md",
        &with("3", &format!("{notes}\n## C\n\nx\n")),
    );
    t.write(
        "content/chapters/chapter.md",
        &with("4", "## Split h\n\nx\n"),
    );
    t.run(&["check"]).success();
    let files = t.build_memory().unwrap();
    let print = page(&files, "print/index.html");
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (_, name, value) in attributes(&print) {
        if name == "id" {
            *ids.entry(value).or_default() += 1;
        }
    }
    assert!(ids.values().all(|n| *n == 1), "{ids:?}");
    for id in [
        "alliance-b-c",
        "alliance-b-c-1",
        "chapter-split-h",
        "chapter-split-h-1",
        "alliance-1",
        "split-1",
        "alliance-b-1",
    ] {
        assert_eq!(ids.get(id), Some(&1), "{id}: {ids:?}");
    }
    // Links within a body follow its ids.
    assert!(print.contains("href=\"#alliance-b-1\""), "{print}");
}
