//! Routes: every URL and output path of the site, and the element ids its layout keeps.
//!
//! Nothing else formats a site URL: content keys (`events/x.md`), page URLs under the base
//! path, output files, and the ids the templates write all come from here.

use crate::content::Content;
use std::collections::{BTreeMap, HashSet};

/// Every literal `id="…"` the templates write, and the ids the scripts give elements. A
/// unit test reads `templates/`, `static/` and `src/serve/live.js` and fails when an id there is
/// missing from this list.
pub const LAYOUT_IDS: &[&str] = &[
    "main",
    "chapters",
    "chapters-h",
    "toc-h",
    "chapter-events",
    "chapter-events-h",
    "disputed-h",
    "sources-h",
    "print-toc-h",
    "print-timeline",
    "print-timeline-h",
    "q",
    "search-status",
    "search-results",
    "timeline-app",
    "timeline-data",
    "tl-clear",
    "tl-list",
    "tl-q",
    "tl-zoom-in",
    "tl-zoom-out",
    "tl-pan-left",
    "tl-pan-right",
    "tl-zoom-reset",
    // The timeline's filter menus, `tl-f-<name>` (`timeline_filters` in src/render/mod.rs).
    "tl-f-country",
    "tl-f-person",
    "tl-f-tag",
    "tl-f-chapter",
    "tl-f-era",
    // Written by the scripts: `serve`'s error overlay (src/serve/live.js).
    "docsite-error",
];

/// The literal prefixes of the ids the templates make from content (`h-<event id>`,
/// `chapter-<slug>`, `era-<era id>`, `tl-f-<filter>`, `source-<id>`, `tag-<tag>`). A unit
/// test reads `templates/` and fails when a templated id has another form.
pub const LAYOUT_PREFIXES: &[&str] = &["h-", "chapter-", "era-", "tl-f-", "source-", "tag-"];

/// Why a content id that the templates write as an element id as it is (an event's on the
/// timeline, a person's or place's on their page, a tag's on the tags page) cannot be
/// one: it is a layout id, or it starts with a prefix of the layout's templated ids. Kept
/// out by construction, so no page can have one id twice and `getElementById` always
/// finds the layout's element.
pub fn layout_id_clash(id: &str) -> Option<String> {
    if LAYOUT_IDS.contains(&id) {
        return Some("is an id the page layout uses".into());
    }
    LAYOUT_PREFIXES
        .iter()
        .find(|p| id.starts_with(**p))
        .map(|p| format!("starts with `{p}`, a prefix the page layout keeps for its own ids"))
}

/// The ids a heading or footnote in a page's body must not take: [`LAYOUT_IDS`] and the
/// ids the templates make from the content on the pages that show bodies (event cards'
/// `h-<event id>` on chapter pages, `chapter-<slug>` and `chapter-<slug>-h` on the print
/// page).
pub fn reserved_ids(content: &crate::content::Content) -> HashSet<String> {
    let mut ids: HashSet<String> = LAYOUT_IDS.iter().map(|s| s.to_string()).collect();
    for e in &content.events {
        ids.insert(format!("h-{}", e.id));
    }
    for c in &content.chapters {
        ids.insert(format!("chapter-{}", c.slug));
        ids.insert(format!("chapter-{}-h", c.slug));
    }
    ids
}

/// Maps content paths (`events/x.md`, `chapters/y.md`) to the URL path each page gets.
pub fn page_urls(content: &Content, base_path: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    m.insert("index.md".to_string(), base_path.to_string());
    for c in &content.chapters {
        m.insert(
            format!("chapters/{}.md", c.slug),
            format!("{base_path}chapters/{}/", c.slug),
        );
    }
    for e in &content.events {
        let rel = e.body.path.strip_prefix("content").unwrap_or(&e.body.path);
        let key = rel.to_string_lossy().replace('\\', "/");
        m.insert(key, format!("{base_path}events/{}/", e.id));
    }
    for key in &content.unloaded {
        let stem = key
            .rsplit('/')
            .next()
            .unwrap_or(key)
            .trim_end_matches(".md");
        let kind = key.split('/').next().unwrap_or_default();
        m.entry(key.clone())
            .or_insert_with(|| format!("{base_path}{kind}/{stem}/"));
    }
    m
}
