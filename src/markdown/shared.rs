//! Texts shared by several languages: a text left untranslated (its language's pass shows
//! the default language's) renders to the same HTML in every language but for the links
//! to pages, which lead to the pages of the language showing it (`/vi/events/x/`). So each
//! such text is rendered once, with [`MARKER`] as the base of the pages it links to
//! ([`Shared::render`]), and each language's pass takes it from there with its own base in
//! place of the marker ([`Shared::relocated`]); the media and `/`-rooted links are under
//! the site's root, the same in every language. The words of a citation's title are
//! placeholders the pass puts its own words in place of the same way; a text with a map,
//! whose words are many, is not shared: each pass renders it in its own words.

use super::plain::Mark;
use super::stage::{render_among, Reuse};
use super::{Rendered, Words};
use crate::config::Config;
use crate::content::{Content, Source, Text};
use crate::diag::Diagnostics;
use crate::media::Media;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

/// The base of the pages a shared text links to, until a language's pass puts its own in
/// its place: a path no base path ends in and no page link otherwise holds.
pub(crate) const MARKER: &str = "/docsite-language-base-7f3a/";

/// What stands before and after a source's id in a shared citation's title, until a
/// pass puts its words there ([`super::Words::cite`]).
const CITE: (&str, &str) = ("docsite-cite-before-7f3a-", "-docsite-cite-after-7f3a");

/// Every word of a map in a shared text: a text holding it is not kept.
const MAP: &str = "docsite-map-word-7f3a";

/// Where a text is: its file, its place and length there, whether it is a front-matter
/// string, and for a string of its own (a TOML value with escapes), a hash of it.
type Key = (PathBuf, usize, usize, bool, u64);

fn key(src: &Source, front: bool) -> Key {
    let own = match &src.markdown {
        Text::InFile(..) => 0,
        Text::Own(s) => {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            s.hash(&mut h);
            h.finish()
        }
    };
    (src.path.clone(), src.offset, src.markdown.len(), front, own)
}

/// The default language's texts, each rendered once with [`MARKER`] for its pages' base.
#[derive(Default)]
pub(crate) struct Shared {
    texts: Mutex<HashMap<Key, Rendered>>,
}

impl Shared {
    /// Renders every text of `content` (the default language's) with [`MARKER`] for the
    /// base of its pages. A text whose rendering reported a problem is not kept: each pass
    /// renders it and reports it.
    pub(crate) fn render(config: &Config, content: &Content, media: &Media) -> Shared {
        let shared = Shared::default();
        let keep = Keep(&shared);
        let mut ignored = Diagnostics::default();
        let words = Words {
            cite: (CITE.0.into(), CITE.1.into()),
            map: crate::maps::Words::all(MAP),
        };
        drop(render_among(
            config,
            content,
            (MARKER, &words),
            &mut ignored,
            Some(&keep),
            Some(media),
        ));
        shared
    }

    /// How a pass whose pages are under `pages_path`, in `words`, takes the shared texts.
    pub(crate) fn relocated<'s>(&'s self, pages_path: &'s str, words: &'s Words) -> Relocated<'s> {
        Relocated {
            shared: self,
            pages_path,
            words,
        }
    }
}

/// Keeps every text the marked rendering makes but those with a map.
struct Keep<'s>(&'s Shared);

impl Reuse for Keep<'_> {
    fn get(&self, _: &Source, _: bool) -> Option<Rendered> {
        None
    }

    fn put(&self, src: &Source, front: bool, r: &Rendered) {
        if r.html.contains(MAP) {
            return;
        }
        crate::sync::lock(&self.0.texts).insert(key(src, front), r.clone());
    }
}

/// The shared texts for one language's pass: each with the language's base in place of
/// the marker, and its words in place of the citations' placeholders.
pub(crate) struct Relocated<'s> {
    shared: &'s Shared,
    pages_path: &'s str,
    words: &'s Words,
}

impl Reuse for Relocated<'_> {
    fn get(&self, src: &Source, front: bool) -> Option<Rendered> {
        let texts = crate::sync::lock(&self.shared.texts);
        let r = texts.get(&key(src, front))?;
        let (before, after) = &self.words.cite;
        let swaps = [(MARKER, self.pages_path), (CITE.0, before), (CITE.1, after)];
        Some(relocate(r, &swaps))
    }

    fn put(&self, _: &Source, _: bool, _: &Rendered) {}
}

/// `r` with each swap's second in place of every one of its first (the [`MARKER`] and
/// the placeholders) in its HTML, and its marks (byte offsets in the HTML) moved to match.
fn relocate(r: &Rendered, swaps: &[(&str, &str)]) -> Rendered {
    let mut at: Vec<(usize, usize)> = (swaps.iter().enumerate())
        .flat_map(|(k, (from, _))| r.html.match_indices(from).map(move |(i, _)| (i, k)))
        .collect();
    if at.is_empty() {
        return r.clone();
    }
    at.sort_unstable();
    let mut html = String::with_capacity(r.html.len());
    // Each placeholder's place, with how far the text after it has moved.
    let mut moves: Vec<(usize, isize)> = Vec::with_capacity(at.len());
    let (mut last, mut grow) = (0, 0isize);
    for (i, k) in at {
        let (from, to) = swaps[k];
        html.push_str(&r.html[last..i]);
        html.push_str(to);
        last = i + from.len();
        grow += to.len() as isize - from.len() as isize;
        moves.push((i, grow));
    }
    html.push_str(&r.html[last..]);
    let moved = |p: usize| match moves.partition_point(|&(m, _)| m < p) {
        0 => p,
        n => (p as isize + moves[n - 1].1) as usize,
    };
    let marks = (r.marks.iter())
        .map(|m| match m {
            Mark::Heading { at, id } => Mark::Heading {
                at: moved(*at),
                id: id.clone(),
            },
            Mark::HeadingEnd(at) => Mark::HeadingEnd(moved(*at)),
            Mark::Cite(range) => Mark::Cite(moved(range.start)..moved(range.end)),
        })
        .collect();
    Rendered {
        html,
        marks,
        ..r.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relocated_text_is_the_text_rendered_for_its_pages() {
        let (c0, c1) = CITE;
        let html = format!(
            "<h2 id=\"a\">A</h2><p>See <a href=\"{MARKER}events/x/\">x</a><sup><a href=\"{MARKER}sources/#source-s\" title=\"{c0}s{c1}\">s</a></sup>.</p><h2 id=\"b\">B</h2>"
        );
        let cite_start = html.find("<sup>").unwrap();
        let cite_end = html.find("</sup>").unwrap() + 6;
        let b = html.rfind("<h2").unwrap();
        let r = Rendered {
            html: html.clone(),
            marks: thin_vec::thin_vec![
                Mark::Heading {
                    at: 0,
                    id: "a".into(),
                },
                Mark::Cite(cite_start..cite_end),
                Mark::Heading {
                    at: b,
                    id: "b".into(),
                },
            ],
            ..Rendered::default()
        };
        let moved = relocate(&r, &[(MARKER, "/b/vi/"), (c0, "Nguồn "), (c1, "")]);
        let want = (html.replace(MARKER, "/b/vi/"))
            .replace(c0, "Nguồn ")
            .replace(c1, "");
        assert!(want.contains("title=\"Nguồn s\""));
        assert_eq!(moved.html, want);
        let Mark::Cite(c) = &moved.marks[1] else {
            panic!()
        };
        assert_eq!(
            &want[c.clone()],
            &want[want.find("<sup>").unwrap()..want.find("</sup>").unwrap() + 6]
        );
        let Mark::Heading { at, .. } = &moved.marks[2] else {
            panic!()
        };
        assert_eq!(*at, want.rfind("<h2").unwrap());
    }
}
