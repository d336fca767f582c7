//! Citation lists in step with their texts. An event's `sources` list is what its page
//! shows as the sources it rests on, and a registry entry's (a person's, a place's)
//! `sources` the same for the entry; the citations in the text (`[@A]`, `[@A; @D]`, and a
//! figure's `sources`) are where it rests on them. The two must agree:
//!
//! * a source cited in an event's summary, `disputed` note, body or media captions, or in
//!   an entry's summary, that its `sources` list lacks is a problem at its first citation
//!   in that text (one per text and source: adding it to the list fixes them all);
//! * a source the list names that none of those texts cites is a problem at the list's
//!   entry.
//!
//! Every id is a source of its own: a work with `cited_in = "E"` (found through E's
//! reference list) is listed when it is cited, whether or not E is listed, and citing it
//! is not citing E (the convention is to cite both, `[@E; @pribbenow-2003]`). The list
//! then names every work a reader is pointed to, and the hint says so when E is listed
//! and the work is not.
//!
//! How grave the problems are is the caller's choice ([`Severity`]): `build` and `serve`
//! tell them as warnings and still make the site; `check` fails on them
//! (`Strictness` in the build options).

use super::stage::RenderedContent;
use super::Rendered;
use crate::content::{Source, Work};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use std::ops::Range;

/// One item whose `sources` list is checked against its texts.
struct Listed<'a> {
    /// `event`, or the kind of a registry's entry (`person`, `place`).
    owner: &'a str,
    /// The file the list is written in, and where each entry of it is.
    file: &'a Source,
    list: Vec<(&'a str, Range<usize>)>,
    /// Each text with its rendering.
    texts: Vec<(&'a Source, &'a Rendered)>,
    /// What the texts are, for the message of a source never cited.
    texts_are: &'static str,
}

/// Checks every event of `r` and every entry of its registries (whose kinds, `person`,
/// `place`, are `kinds`, in the same order); each problem goes to `diags` with `severity`,
/// sorted.
pub(crate) fn check<'a>(
    r: &RenderedContent,
    works: &[Work],
    kinds: impl Iterator<Item = &'a str>,
    severity: Severity,
    diags: &mut Diagnostics,
) {
    let mut found = Diagnostics::default();
    // The work of an id (the first of it), looked up per citation missing from a list.
    let work = |id: &str| r.at.sources.get(id).and_then(|&i| works.get(i));
    let works = &work;
    for e in &r.events {
        let ev = e.event;
        let mut texts = vec![(&ev.summary, &e.summary)];
        texts.extend(ev.disputed.as_deref().zip(e.disputed.as_deref()));
        texts.push((&ev.body, &e.body));
        // Its media's captions cite too (`[[media]]`, each rendered in order).
        let captions = ev.media.iter().filter_map(|m| m.caption.as_ref());
        texts.extend(captions.zip(&e.media.captions));
        let list = ev.sources.iter().map(|s| (s.id.as_str(), s.at.clone()));
        Listed {
            owner: "event",
            file: &ev.body,
            list: list.collect(),
            texts,
            texts_are: "its summary, `disputed` note or body",
        }
        .check(works, &mut found);
    }
    for (owner, entries) in kinds.zip(&r.registries) {
        for p in entries {
            let ids = p.entry.sources.iter().map(String::as_str);
            Listed {
                owner,
                file: &p.entry.summary,
                list: ids.zip(p.entry.sources_at.iter().cloned()).collect(),
                texts: vec![(&p.entry.summary, &p.summary)],
                texts_are: "its summary",
            }
            .check(works, &mut found);
        }
    }
    found.sort();
    diags.extend(found.0.into_iter().map(|d| d.with_severity(severity)));
}

impl Listed<'_> {
    fn check<'w>(&self, works: &impl Fn(&str) -> Option<&'w Work>, diags: &mut Diagnostics) {
        let owner = self.owner;
        let listed = |id: &str| self.list.iter().any(|(l, _)| *l == id);
        for (src, rendered) in &self.texts {
            for (id, at) in rendered.cited.iter().zip(&rendered.cited_at) {
                if listed(id) {
                    continue;
                }
                let msg =
                    format!("source `{id}` is cited but missing from the {owner}'s `sources`");
                let parent = works(id.as_str())
                    .and_then(|w| w.cited_in.as_deref())
                    .filter(|p| listed(p));
                let hint = match parent {
                    Some(p) => format!("add \"{id}\" to `sources`: listing `{p}` does not cover the works it cites"),
                    None => format!("add \"{id}\" to `sources`, or cite a source that is listed"),
                };
                diags.push(src.diag(at.clone(), msg).with_hint(hint));
            }
        }
        let cited = |id: &str| {
            self.texts
                .iter()
                .any(|(_, r)| r.cited.iter().any(|c| c == id))
        };
        for (id, at) in self.list.iter().filter(|(id, _)| !cited(id)) {
            let msg = format!(
                "source `{id}` is in the {owner}'s `sources` but {} never cites it",
                self.texts_are
            );
            diags.push(
                Diagnostic::at(&self.file.path, &self.file.file, at.clone(), msg).with_hint(
                    format!(
                        "cite it where the text rests on it ([@{id}]), or take it off the list"
                    ),
                ),
            );
        }
    }
}
