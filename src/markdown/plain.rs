//! Plain text of a rendered text, without markup or citations: [`super::Rendered::text`]
//! (for descriptions, search and JSON), and a body's [`Section`]s for the search index,
//! taken from its HTML at the headings and citations marked as it was written.
//!
//! Citations are left out of both by one rule, [`drop_citation`].

use super::{Rendered, Renderer, Section};
use crate::text::escape_html;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::cell::Cell;
use std::fmt;
use std::ops::Range;

/// The rule for a citation in plain text: it is left out, and so are the spaces before
/// it, so `relations [E].` reads `relations.`.
pub(super) fn drop_citation(text: &mut String) {
    while text.ends_with(' ') {
        text.pop();
    }
}

impl<'s> Renderer<'s, '_> {
    /// Text: it joins the plain text, and the open heading's title.
    pub(super) fn text(&mut self, t: CowStr<'s>) {
        self.push_plain(&t);
        self.events.push(Event::Text(t));
    }

    /// Inline code in a heading, which is part of its title (and of the plain text).
    pub(super) fn heading_code(&mut self, t: CowStr<'s>) {
        self.push_plain(&t);
        self.events.push(Event::Code(t));
    }

    fn push_plain(&mut self, t: &str) {
        if let Some(h) = &mut self.open_heading {
            h.text.push_str(t);
        }
        self.out.text.push_str(t);
    }

    /// A soft or hard line break: a space in the plain text.
    pub(super) fn line_break(&mut self, ev: Event<'s>) {
        self.out.text.push(' ');
        self.events.push(ev);
    }

    /// A paragraph's end: a new line in the plain text.
    pub(super) fn paragraph_end(&mut self, ev: Event<'s>) {
        self.out.text.push('\n');
        self.events.push(ev);
    }
}

/// A place in a body's HTML that its search sections need, marked as the HTML is written.
#[derive(Debug, Clone)]
pub(crate) enum Mark {
    /// Where an `<h2>` or `<h3>` starts, and its id as written (escaped).
    Heading { at: usize, id: String },
    /// Where the heading's title ends.
    HeadingEnd(usize),
    /// A citation's HTML, left out of the text.
    Cite(Range<usize>),
}

/// Writes `events` as HTML to `html`, and returns the marks of its `<h2>` and `<h3>`
/// headings and of its citations (the events at `cites`).
pub(super) fn write_html(html: &mut String, events: Vec<Event>, cites: &[usize]) -> Vec<Mark> {
    let len = Cell::new(html.len());
    let mut marks = Vec::new();
    let mut cites = cites.iter().peekable();
    let mut open_cite = None;
    // Inside an image, the writer puts the text in its `alt` attribute: a citation there
    // is no citation.
    let mut images = 0usize;
    let events = events.into_iter().enumerate().map(|(i, ev)| {
        // Each event is handed to the writer after all before it are written.
        let at = len.get();
        if let Some(start) = open_cite.take() {
            marks.push(Mark::Cite(start..at));
        }
        if cites.next_if_eq(&&i).is_some() && images == 0 {
            open_cite = Some(at);
        }
        match &ev {
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2 | HeadingLevel::H3,
                id: Some(id),
                ..
            }) => {
                let mut escaped = String::new();
                escape_html(id, &mut escaped);
                marks.push(Mark::Heading { at, id: escaped });
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2 | HeadingLevel::H3)) => {
                marks.push(Mark::HeadingEnd(at));
            }
            _ => {}
        }
        ev
    });
    // Writing to a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(Tee { html, len: &len }, events);
    if let Some(start) = open_cite {
        marks.push(Mark::Cite(start..len.get()));
    }
    marks
}

/// Writes HTML to a String and keeps its length where the events can read it.
struct Tee<'a> {
    html: &'a mut String,
    len: &'a Cell<usize>,
}

impl fmt::Write for Tee<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.html.push_str(s);
        self.len.set(self.html.len());
        Ok(())
    }
}

impl Rendered {
    /// A body's sections for the search index (see [`Section`]): the text outside tags of
    /// its HTML, split at the headings the renderer marked, without its citations. A
    /// front-matter string has one section.
    pub(crate) fn sections(&self) -> Vec<Section> {
        let mut s = Sections::default();
        let mut pos = 0;
        for mark in &self.marks {
            match mark {
                Mark::Heading { at, id } => {
                    s.write(&self.html[pos..*at]);
                    pos = *at;
                    s.heading(id);
                }
                Mark::HeadingEnd(at) => {
                    s.write(&self.html[pos..*at]);
                    pos = *at;
                    s.heading_end();
                }
                Mark::Cite(r) => {
                    s.write(&self.html[pos..r.start]);
                    pos = r.end;
                    drop_citation(&mut s.part);
                }
            }
        }
        s.write(&self.html[pos..]);
        s.finish()
    }
}

/// The sections read so far.
#[derive(Default)]
struct Sections {
    done: Vec<Section>,
    /// The section being read (its id and title once its heading is read).
    current: Section,
    /// The text outside tags of the part being read (a heading's title or a section's
    /// text), with the entities as written.
    part: String,
    in_tag: bool,
    /// Reading an `<h2>` or `<h3>`.
    in_title: bool,
}

impl Sections {
    fn heading(&mut self, id: &str) {
        let text = plain(&std::mem::take(&mut self.part));
        self.done.push(Section {
            text,
            ..std::mem::take(&mut self.current)
        });
        self.current.id = id.to_string();
        self.in_title = true;
    }

    fn heading_end(&mut self) {
        if self.in_title {
            self.current.title = plain(&std::mem::take(&mut self.part));
            self.in_title = false;
        }
    }

    fn write(&mut self, html: &str) {
        for c in html.chars() {
            match c {
                '<' => self.in_tag = true,
                '>' => self.in_tag = false,
                _ if !self.in_tag => self.part.push(c),
                _ => {}
            }
        }
    }

    fn finish(mut self) -> Vec<Section> {
        let text = plain(&self.part);
        self.done.push(Section {
            text,
            ..self.current
        });
        self.done
    }
}

/// Text outside tags made plain: the entities the HTML writers use decoded, spaces
/// collapsed.
fn plain(text: &str) -> String {
    let out = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;

    #[test]
    fn sections_split_at_h2_and_h3_without_citations() {
        let (r, _) = run("Intro [@A] here.\n\n## Aid [@E]\n\nMoney **x** &amp; more\n\n#### Deep\n\ntext\n\n### Pilots {#p}\n\n200\n");
        let sections = r.sections();
        let s: Vec<_> = sections
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            s,
            [
                ("", "", "Intro here."),
                ("aid", "Aid", "Money x & more Deep text"),
                ("p", "Pilots", "200")
            ]
        );
    }

    #[test]
    fn a_citation_in_an_image_is_alt_text_not_a_citation() {
        let (r, _) = run("see ![x [@E]](/a.png)more\n");
        assert_eq!(r.sections()[0].text, "see more");
    }

    #[test]
    fn a_figure_caption_leaves_its_citation_out() {
        let fig = "```figure\ntitle = \"T\"\nunit = \"u\"\nsources = [\"A\"]\nbars = [[\"a\", 1.0]]\nnote = \"n\"\n```\n";
        let (r, d) = run(fig);
        assert!(d.is_empty());
        assert!(r.html.contains("n <span class=\"cite\">"), "{}", r.html);
        assert!(
            r.sections()[0].text.ends_with("T, in u. n"),
            "{:?}",
            r.sections()
        );
    }
}
