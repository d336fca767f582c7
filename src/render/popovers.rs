//! The popover data of the citations: one small JSON file beside each numbered sources page
//! ([`crate::routes::popover_file`]: `sources/popovers.json`, `sources/page/2/popovers.json`),
//! holding what the popover of each source that page lists shows. static/cite.js fetches
//! the file a citation's link names (the link already points at the sources page holding its
//! source) the first time a reader opens one of its sources, so no page carries the data.
//!
//! A file is `{"words": {…}, "sources": {…}}`. `words` are the popover's words in the
//! pass's language (`read`, `on`, `close`, and `label` with `{source}` for the source's id:
//! the catalogue's `cite-*` messages), so that pages carry none of them. `sources` is keyed
//! by source id, each `{"title", "meta", "url"}`: `meta` is the author, publisher and
//! date, each followed by a full stop (the date in the pass's language, as the pages show
//! it), absent when the source has none; `url` is its address, absent without one. The
//! script writes every value as text.

use super::paginate;
use super::views::Views;
use crate::content::Work;
use crate::i18n::Arg;
use crate::routes::{page_count, popover_file};
use serde::Serialize;
use std::collections::BTreeMap;

/// One popover data file.
#[derive(Serialize)]
struct File<'w> {
    words: &'w BTreeMap<&'static str, String>,
    sources: BTreeMap<&'w str, Popover<'w>>,
}

/// What a source's popover shows.
#[derive(Serialize)]
struct Popover<'w> {
    title: &'w str,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'w str>,
}

/// Every popover data file of the pass of `v`: its name (under the language's folder) and
/// its bytes, one per numbered sources page.
pub(crate) fn files(v: Views) -> Vec<(String, Vec<u8>)> {
    let (all, per_page) = (&v.content.sources, v.config.paginate);
    let cat = &v.catalog;
    let words: BTreeMap<&'static str, String> = BTreeMap::from([
        ("read", cat.get("cite-read", &[])),
        ("on", cat.get("cite-on-page", &[])),
        ("close", cat.get("cite-close", &[])),
        (
            "label",
            cat.get("cite-label", &[("source", Arg::Text("{source}".into()))]),
        ),
    ]);
    (1..=page_count(all.len(), per_page))
        .map(|n| {
            let works = &all[paginate::items(n, all.len(), per_page)];
            let sources = (works.iter())
                .map(|w| (w.id.as_str(), popover(v, w)))
                .collect();
            let file = File {
                words: &words,
                sources,
            };
            (
                popover_file(n),
                serde_json::to_vec(&file).unwrap_or_default(),
            )
        })
        .collect()
}

/// The popover of the source `w`.
fn popover<'w>(v: Views, w: &'w Work) -> Popover<'w> {
    let date = (w.date.map(|d| d.human_in(&v.catalog.date, false))).or_else(|| w.date_text.clone());
    let parts = [w.author.clone(), w.publisher.clone(), date];
    let meta: Vec<String> = parts
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p}."))
        .collect();
    Popover {
        title: &w.title,
        meta: (!meta.is_empty()).then(|| meta.join(" ")),
        url: w.url.as_deref(),
    }
}
