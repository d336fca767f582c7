//! Plain text of a rendered text, without markup or citations: [`super::Rendered::text`]
//! (for descriptions, search and JSON), and a body's [`Section`]s for the search index,
//! taken from the HTML as it is written, event by event.
//!
//! Citations are left out of both by one rule, [`drop_citation`].

use super::{Renderer, Section};
use crate::text::escape_html;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::cell::RefCell;
use std::fmt;

/// The rule for a citation in plain text: it is left out, and so are the spaces before
/// it, so "relations [E]." reads "relations.".
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

/// Writes `events` as HTML to `html`, and returns the sections of the text: its text
/// outside tags, split at each `<h2>` and `<h3>`, with the citations (the events at
/// `cites`) left out.
pub(super) fn write_html(html: &mut String, events: Vec<Event>, cites: &[usize]) -> Vec<Section> {
    let sections = RefCell::new(Sections::default());
    let mut cites = cites.iter().peekable();
    let events = events.into_iter().enumerate().map(|(i, ev)| {
        let cite = cites.next_if_eq(&&i).is_some();
        sections.borrow_mut().event(&ev, cite);
        ev
    });
    let tee = Tee {
        html,
        sections: &sections,
    };
    // Writing to a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(tee, events);
    sections.into_inner().finish()
}

/// Writes HTML to a String and hands the same text to the sections being read.
struct Tee<'a> {
    html: &'a mut String,
    sections: &'a RefCell<Sections>,
}

impl fmt::Write for Tee<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.html.push_str(s);
        self.sections.borrow_mut().write(s);
        Ok(())
    }
}

/// The sections read so far from the HTML being written. Each event is announced (by
/// [`Sections::event`]) before the HTML it makes is written (by [`Sections::write`]).
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
    /// The HTML being written is a citation's, left out.
    in_cite: bool,
    /// Inside an image, whose text the writer puts in its `alt` attribute (a citation
    /// there is no citation).
    images: usize,
}

impl Sections {
    fn event(&mut self, ev: &Event, cite: bool) {
        self.in_cite = cite && self.images == 0;
        if self.in_cite {
            drop_citation(&mut self.part);
        }
        match ev {
            Event::Start(Tag::Image { .. }) => self.images += 1,
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2 | HeadingLevel::H3,
                id: Some(id),
                ..
            }) => {
                let text = plain(&std::mem::take(&mut self.part));
                self.done.push(Section {
                    text,
                    ..std::mem::take(&mut self.current)
                });
                escape_html(id, &mut self.current.id);
                self.in_title = true;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2 | HeadingLevel::H3)) if self.in_title => {
                self.current.title = plain(&std::mem::take(&mut self.part));
                self.in_title = false;
            }
            _ => {}
        }
    }

    fn write(&mut self, html: &str) {
        if self.in_cite {
            return;
        }
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
        let s: Vec<_> = r
            .sections
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
        assert_eq!(r.sections[0].text, "see more");
    }

    #[test]
    fn a_figure_caption_leaves_its_citation_out() {
        let fig = "```figure\ntitle = \"T\"\nunit = \"u\"\nsources = [\"A\"]\nbars = [[\"a\", 1.0]]\nnote = \"n\"\n```\n";
        let (r, d) = run(fig);
        assert!(d.is_empty());
        assert!(r.html.contains("n <span class=\"cite\">"), "{}", r.html);
        assert!(
            r.sections[0].text.ends_with("T, in u. n"),
            "{:?}",
            r.sections
        );
    }
}
