//! Fenced and indented code: a block with the language `figure` is drawn as an SVG chart
//! ([`super::figure`]), one with `map` as a map ([`super::map`]), any other is highlighted ([`super::highlight`]). Control
//! characters written as TOML escapes in a figure are errors at the escape; a figure in a
//! front-matter string is an error.

use super::{figure, highlight, Events, Renderer};
use crate::content::toml_control_characters;
use crate::content::Source;
use crate::diag::Diagnostics;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, TagEnd};
use std::ops::Range;

impl<'s> Renderer<'s, '_> {
    /// A code block: its text is read to its end and written as a figure or highlighted.
    pub(super) fn code_block(
        &mut self,
        kind: CodeBlockKind<'s>,
        range: Range<usize>,
        iter: &mut impl Events<'s>,
    ) {
        let lang = match &kind {
            CodeBlockKind::Fenced(l) => l.split([' ', ',']).next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        for (e, _) in iter.by_ref() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        if lang == "figure" {
            self.figure(&code, range);
        } else if lang == "map" {
            self.map(&code, range);
        } else {
            let html = highlight::highlight(&code, &lang);
            self.events.push(Event::Html(CowStr::from(html)));
        }
    }

    /// A `figure` block: drawn with its ids made free on the page and its sources cited;
    /// nothing is written if it has an error.
    fn figure(&mut self, code: &str, range: Range<usize>) {
        let src = self.src;
        if self.opts.front_matter {
            self.diags.push(
                src.diag(range.start..(range.start + 3).min(range.end), "a figure in a front-matter string")
                    .with_hint("figures belong in the body: a summary is shown on many pages at once, and the figure's ids would be written on each"),
            );
            self.events.push(Event::Html(CowStr::from(String::new())));
            return;
        }
        let code_offset = src.markdown[range.clone()]
            .find('\n')
            .map_or(range.start, |i| range.start + i + 1);
        figure_control_characters(src, code, code_offset, &range, &mut self.diags);
        match figure::render(code, self.r.sources, src, code_offset) {
            Ok(fig) => {
                let head = self.figure_ids(fig.html);
                self.events.push(Event::Html(CowStr::from(head)));
                let fence = range.start..code_offset;
                self.cite(fig.sources, fence);
                self.events.push(Event::Html(CowStr::from(figure::END)));
            }
            Err(d) => {
                self.diags.push(d);
                self.events.push(Event::Html(CowStr::from(String::new())));
            }
        }
    }
}

/// Control characters written as TOML escapes in a figure's or a map's block (`title`,
/// `unit`, bar labels, `note`, place ids), each an error at its escape, as in front matter (raw ones are found
/// with the rest of the body). The block's text is found in the file where it was
/// written; a block whose lines carry a prefix (inside a quote or a list) is reported at
/// its fence.
pub(super) fn figure_control_characters(
    src: &Source,
    code: &str,
    code_offset: usize,
    range: &Range<usize>,
    diags: &mut Diagnostics,
) {
    if !code.contains('\\') {
        return;
    }
    let abs = src.offset + code_offset;
    if src.file.get(abs..abs + code.len()) == Some(code) {
        toml_control_characters(&src.path, &src.file, abs..abs + code.len(), &[], diags);
        return;
    }
    let mut found = Diagnostics::default();
    toml_control_characters(&src.path, code, 0..code.len(), &[], &mut found);
    if let Some(d) = found.0.first() {
        diags.push(
            src.diag(range.start..(range.start + 3).min(range.end), d.message.clone())
                .with_hint("remove it from the figure: it cannot be shown, and it would make the Atom feed invalid XML"),
        );
    }
}
