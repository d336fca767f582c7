//! Control characters written in TOML strings (a front matter, a registry, a figure's
//! settings), each an error at the escape or byte that wrote it: every front matter of the
//! content and all three registries are checked here, the same way.

use super::{Content, Source};
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::{escape_span, is_refused_char};
use rayon::prelude::*;
use std::path::Path;

/// Control characters in the plain strings of every front matter loaded (titles, dates,
/// notes); the Markdown ones (`summary`, `disputed`) are checked as they are rendered, and
/// the registries as they are read.
pub(super) fn front_matter_controls(content: &Content, diags: &mut Diagnostics) {
    let events: Vec<Diagnostics> = content
        .events
        .par_iter()
        .map(|e| {
            let mut found = Diagnostics::default();
            front_matter(&e.body, &["summary", "disputed"], &mut found);
            found
        })
        .collect();
    for found in events {
        diags.extend(found.0);
    }
    for c in &content.chapters {
        front_matter(&c.body, &["summary"], diags);
    }
    if let Some(h) = &content.home {
        front_matter(&h.body, &[], diags);
    }
    for p in &content.pages {
        front_matter(&p.body, &[], diags);
    }
}

/// The control characters of the front matter of `body`'s file: between its first line
/// (`+++`) and the `+++` line before the body.
pub(super) fn front_matter(body: &Source, markdown_keys: &[&str], diags: &mut Diagnostics) {
    let head = &body.file[..body.offset.min(body.file.len())];
    let start = head.find('\n').map_or(0, |i| i + 1);
    let end = head.rfind("+++").unwrap_or(head.len()).max(start);
    toml_control_characters(&body.path, &body.file, start..end, markdown_keys, diags);
}

/// Control characters in the TOML strings of `file[range]` (a front matter, a whole
/// registry such as `content/people.toml`, or a figure's block, for the Markdown stage),
/// each an error at the escape or byte that wrote it. The strings under `markdown_keys`
/// are Markdown, which the Markdown stage checks the same way as it renders them. Plain
/// strings (titles, names, notes) go into every output, the Atom feed included, so they
/// are refused here rather than dropped.
pub(crate) fn toml_control_characters(
    path: &Path,
    file: &str,
    range: std::ops::Range<usize>,
    markdown_keys: &[&str],
    diags: &mut Diagnostics,
) {
    let Some(text) = file.get(range.clone()) else {
        return;
    };
    // Only an escape or a raw control character can write one: most files have neither.
    if !text.contains('\\') && !text.chars().any(is_refused_char) {
        return;
    }
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        return;
    };
    let mut report = |key: &str, value: &toml_edit::Value| {
        let (Some(s), Some(span)) = (value.as_str(), value.span()) else {
            return;
        };
        if markdown_keys.contains(&key) {
            return;
        }
        let written = &text[span.clone()];
        for (nth, c) in s.chars().filter(|&c| is_refused_char(c)).enumerate() {
            let at = if written.contains(c) {
                written.find(c).map(|i| i..i + c.len_utf8())
            } else {
                escape_span(written, nth)
            }
            .unwrap_or(0..1);
            let abs = range.start + span.start + at.start..range.start + span.start + at.end;
            diags.push(
                Diagnostic::at(
                    path,
                    file,
                    abs,
                    format!("control character U+{:04X} is not allowed", c as u32),
                )
                .with_hint(
                    "remove it: it cannot be shown, and it would make the Atom feed invalid XML",
                ),
            );
        }
    };
    fn walk(key: &str, item: &toml_edit::Item, f: &mut dyn FnMut(&str, &toml_edit::Value)) {
        match item {
            toml_edit::Item::Value(v) => walk_value(key, v, f),
            toml_edit::Item::Table(t) => t.iter().for_each(|(k, i)| walk(k, i, f)),
            toml_edit::Item::ArrayOfTables(a) => a
                .iter()
                .for_each(|t| t.iter().for_each(|(k, i)| walk(k, i, f))),
            toml_edit::Item::None => {}
        }
    }
    fn walk_value(key: &str, v: &toml_edit::Value, f: &mut dyn FnMut(&str, &toml_edit::Value)) {
        match v {
            toml_edit::Value::Array(a) => a.iter().for_each(|x| walk_value(key, x, f)),
            toml_edit::Value::InlineTable(t) => t.iter().for_each(|(k, x)| walk_value(k, x, f)),
            _ => f(key, v),
        }
    }
    doc.as_table()
        .iter()
        .for_each(|(k, i)| walk(k, i, &mut report));
}
