//! Citations: `[@A]` and `[@A; @D]` become a bracketed group of links to the sources page
//! (`#source-A`, whose id the page's popover looks up in the sources the page embeds: see
//! `render::sources`);
//! an unknown id is an error at its line and column. Figures cite their sources the same
//! way, through [`Renderer::cite`].

use super::{plain, Events, Renderer};
use crate::diag::did_you_mean;
use crate::text::escape_html;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;

/// Renders citations `ids` as a bracketed group of links, each titled in `words`.
fn citation_html(
    ids: &[String],
    sources: &BTreeMap<String, usize>,
    base_path: &str,
    (before, after): &(String, String),
) -> String {
    let mut s = String::from("<span class=\"cite\">[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let mut eid = String::new();
        escape_html(id, &mut eid);
        let _ = write!(
            s,
            "<a href=\"{}\" title=\"{before}{eid}{after}\">{eid}</a>",
            crate::routes::Fragment::Source(&eid, sources.get(id).copied().unwrap_or(1))
                .url(base_path)
        );
    }
    s.push_str("]</span>");
    s
}

fn parse_citation(refs: &str) -> Vec<String> {
    refs.split([';', ','])
        .map(|s| s.trim().trim_start_matches('@').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl<'s> Renderer<'s, '_> {
    /// A citation `[@A; @D]` (the link the broken-link callback made of it, to `cite:…`):
    /// its known ids are cited, the unknown ones reported.
    pub(super) fn citation(&mut self, refs: &str, range: Range<usize>, iter: &mut impl Events<'s>) {
        // Skip the link's own text: the citation replaces it.
        let mut depth = 1;
        for (e, _) in iter.by_ref() {
            match e {
                Event::Start(Tag::Link { .. }) => depth += 1,
                Event::End(TagEnd::Link) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        let mut ok = Vec::new();
        for id in parse_citation(refs) {
            if self.r.sources.contains_key(&id) {
                ok.push(id);
            } else {
                let d = self
                    .src
                    .diag(range.clone(), format!("unknown source `{id}` in citation"));
                self.diags.push(
                    match did_you_mean(&id, self.r.sources.keys().map(|s| s.as_str())) {
                        Some(h) => d.with_hint(h),
                        None => d.with_hint(
                            "cite the [[source]] ids of content/sources.toml, as [@E] or [@A; @D]",
                        ),
                    },
                );
            }
        }
        plain::drop_citation(&mut self.out.text);
        if !ok.is_empty() {
            self.cite(ok, range);
        }
    }

    /// Cites `ids`, all known sources, at `at` (a byte range of the Markdown): they join
    /// [`super::Rendered::cited`] and their links are written.
    pub(super) fn cite(&mut self, ids: Vec<String>, at: Range<usize>) {
        for id in &ids {
            if !self.out.cited.contains(id) {
                self.out.cited.push(id.clone());
                self.out.cited_at.push(at.clone());
            }
        }
        self.cites.push(self.events.len());
        self.events
            .push(Event::InlineHtml(CowStr::from(citation_html(
                &ids,
                self.r.sources,
                self.r.pages_path,
                &self.r.words.cite,
            ))));
    }
}
