//! What a text may not carry: control characters are errors at their line and column,
//! and raw HTML is never passed through (it is escaped, and shows as text).

use super::Renderer;
use crate::content::Source;
use crate::text::{escape_span, is_refused_char};
use pulldown_cmark::{CowStr, Event};
use std::ops::Range;

impl<'s> Renderer<'s, '_> {
    /// Reports every control character of the text (C0 but tab, newline and carriage
    /// return, DEL, C1, U+FFFE and U+FFFF).
    pub(super) fn control_characters(&mut self) {
        let src = self.src;
        let refused = src
            .markdown
            .char_indices()
            .filter(|(_, c)| is_refused_char(*c));
        for (nth, (at, c)) in refused.enumerate() {
            let span = refused_char_span(src, at, c, nth);
            self.diags.push(
                src.diag(
                    span,
                    format!("control character U+{:04X} is not allowed", c as u32),
                )
                .with_hint(
                    "remove it: it cannot be shown, and it would make the Atom feed invalid XML",
                ),
            );
        }
    }

    /// Raw HTML (a block or inline) is shown as text, never passed through.
    pub(super) fn raw_html(&mut self, html: CowStr<'s>) {
        self.events.push(Event::Text(html));
    }
}

/// Where in `src.markdown` the `nth` refused character (`c`, at byte `at` of the text)
/// was written. A body is the file's text itself; a TOML string's characters come from
/// escapes (`\u0001`, `\b`, …), found in the file from the string's start.
fn refused_char_span(src: &Source, at: usize, c: char, nth: usize) -> Range<usize> {
    if src.file.get(src.offset..src.offset + src.markdown.len()) == Some(&*src.markdown) {
        return at..at + c.len_utf8();
    }
    let from = src.offset.min(src.file.len());
    escape_span(&src.file[from..], nth).unwrap_or(0..0)
}
