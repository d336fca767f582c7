//! Ids on a page: headings' ids (from their text or a `{#id}` attribute) and the table of
//! contents, and the ids footnotes and figures share with them. No id is written twice,
//! and none is an id the page layout uses.

use super::{Heading, OpenHeading, Renderer};
use crate::content::Source;
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::ops::Range;

impl<'s> Renderer<'s, '_> {
    /// A free id for `base`: itself, or with -1, -2, …; never a layout id. The next free
    /// number for each base is remembered so that thousands of "Notes" headings do not
    /// count up from 1 every time.
    pub(super) fn take_id(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let n = self.next_suffix.entry(base.to_string()).or_insert(1);
        while self.used_ids.contains(&id) || self.r.reserved.contains(&id) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        self.used_ids.insert(id.clone());
        id
    }

    /// A heading's start: its attributes are checked; its id is given at its end.
    pub(super) fn heading_start(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'s>>,
        classes: &[CowStr<'s>],
        attrs: &[(CowStr<'s>, Option<CowStr<'s>>)],
        range: Range<usize>,
    ) {
        heading_attributes(self.src, &range, classes, attrs, &mut self.diags);
        if let Some(given) = &id {
            let at = attribute_span(self.src, &range, &format!("#{given}"));
            if self.opts.front_matter {
                self.diags.push(
                    self.src
                        .diag(at, format!("heading id `{given}` in a front-matter string"))
                        .with_hint("only headings in a page's body get ids; remove the {#…}"),
                );
            } else if self.r.reserved.contains(given.as_ref()) {
                self.diags.push(
                    self.src
                        .diag(
                            at,
                            format!("heading id `{given}` is an id the page layout uses"),
                        )
                        .with_hint("choose another id: the templates already write this one"),
                );
            }
        }
        // The id comes from the heading's text, known at its end; what is inside
        // (citations, links, raw HTML) goes through the renderer like anywhere else.
        self.events.push(Event::Start(Tag::Heading {
            level,
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        }));
        self.open_heading = Some(OpenHeading {
            at: self.events.len() - 1,
            given: id,
            text: String::new(),
        });
    }

    /// A heading's end: in a body, the heading gets its id and joins the toc.
    pub(super) fn heading_end(&mut self, level: HeadingLevel) {
        let OpenHeading { at, given, text } = self.open_heading.take().unwrap_or_default();
        if !self.opts.front_matter {
            // A translation's headings take the original's ids, by position.
            let nth = self.out.toc.len();
            let original = (self.src.headings.as_ref()).and_then(|ids| ids.get(nth).cloned());
            let base = (original.or_else(|| given.as_deref().map(str::to_string)))
                .unwrap_or_else(|| slugify(&text));
            let hid = self.take_id(&base);
            self.out.toc.push(Heading {
                level: level as u8,
                id: hid.clone(),
                title: text,
            });
            if let Some(Event::Start(Tag::Heading { id, .. })) = self.events.get_mut(at) {
                *id = Some(CowStr::from(hid));
            }
        }
        self.out.text.push('\n');
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// The id of footnote `name` (a reference or a definition), shared with headings.
    /// Footnotes in front-matter strings are errors.
    pub(super) fn footnote_id(&mut self, name: &str, range: &Range<usize>) -> CowStr<'s> {
        if self.opts.front_matter {
            self.diags
                .push(front_matter_footnote(self.src, range, name));
        }
        let fid = match self.footnote_ids.get(name) {
            Some(fid) => fid.clone(),
            None => {
                let fid = self.take_id(name);
                self.footnote_ids.insert(name.to_string(), fid.clone());
                fid
            }
        };
        CowStr::from(fid)
    }

    /// Gives a figure's HTML free ids: its `fig-<title>` and `fig-<title>-cap` share the
    /// ids of headings, so two figures with one title, or a heading "Fig …", get -1, -2.
    pub(super) fn figure_ids(&mut self, html: String) -> String {
        figure_ids(html, |base| {
            let id = self.take_id(base);
            self.used_ids.insert(format!("{id}-cap"));
            id
        })
    }
}

/// A footnote (reference or definition) in a front-matter string: refused, since a summary
/// is shown on many pages at once (its note's id would be written on each, and could take
/// over an event's deep link such as `timeline/#1958-b`).
fn front_matter_footnote(src: &Source, range: &Range<usize>, name: &str) -> Diagnostic {
    src.diag(
        range.start..(range.start + name.len() + 3).min(range.end),
        format!("footnote `[^{name}]` in a front-matter string"),
    )
    .with_hint("footnotes belong in the body: a summary is shown on many pages at once, and its notes' ids would be written on each")
}

/// Gives a figure's HTML the id `take` returns for the one it was made with.
fn figure_ids(html: String, mut take: impl FnMut(&str) -> String) -> String {
    let Some(start) = html.find("<title id=\"").map(|i| i + 11) else {
        return html;
    };
    let Some(len) = html[start..].find('"') else {
        return html;
    };
    let old = html[start..start + len].to_string();
    let new = take(&old);
    if new == old {
        return html;
    }
    html.replace(&format!("\"{old}\""), &format!("\"{new}\""))
        .replace(&format!("\"{old}-cap\""), &format!("\"{new}-cap\""))
}

/// Reports every heading attribute but `{#id}`: classes and `key=value` pairs.
fn heading_attributes(
    src: &Source,
    range: &Range<usize>,
    classes: &[CowStr],
    attrs: &[(CowStr, Option<CowStr>)],
    diags: &mut Diagnostics,
) {
    let hint = "docsite writes a heading's attributes itself; only an id may be given, as `## Title {#id}`";
    for c in classes {
        diags.push(
            src.diag(
                attribute_span(src, range, &format!(".{c}")),
                format!("heading class `.{c}` is not allowed"),
            )
            .with_hint(hint),
        );
    }
    for (k, _) in attrs {
        diags.push(
            src.diag(
                attribute_span(src, range, k),
                format!("heading attribute `{k}` is not allowed"),
            )
            .with_hint(hint),
        );
    }
}

/// Where `needle` is written in the `{…}` block of the heading at `range` (the heading's
/// start if it cannot be found).
fn attribute_span(src: &Source, range: &Range<usize>, needle: &str) -> Range<usize> {
    let text = &src.markdown[range.clone()];
    let brace = text.rfind('{').unwrap_or(0);
    match text[brace..].find(needle) {
        Some(i) => range.start + brace + i..range.start + brace + i + needle.len(),
        None => range.start..range.start,
    }
}
