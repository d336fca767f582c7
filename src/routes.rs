//! Routes: every URL and output path of the site, and the element ids its layout keeps.
//!
//! Nothing else formats a site URL: content keys (`events/x.md`), page URLs under the base
//! path, output files, and the ids the templates write all come from here.

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
