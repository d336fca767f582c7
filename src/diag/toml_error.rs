//! Typed TOML parsing that reports problems as [`Diagnostic`]s in the user's file.
//!
//! Shared by `site.toml`, the registries and front matter: it turns serde's messages into
//! the project's wording ("unknown key `titel`" with the nearest valid key as a hint) and
//! places them at the line and column of the offending key or value, even when the TOML is
//! embedded in a larger file (front matter). Every unknown key of the text is reported in
//! one run, then the first other problem: serde stops at the first, so each unknown key
//! found is blanked out (its bytes turned to spaces, which keeps every position) and the
//! text parsed again.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use serde::de::DeserializeOwned;
use std::ops::Range;
use std::path::Path;

const GENERIC_HINT: &str =
    "this is TOML: see the README's authoring section for the keys and their types";

/// Parses `toml_text`, which starts at byte `offset` of `file_text` (the whole file, used to
/// compute lines and columns), into `T`: `None` when it has any problem, each unknown key
/// and the first other problem in `diags`.
pub(crate) fn parse<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    toml_text: &str,
    offset: usize,
    diags: &mut Diagnostics,
) -> Option<T> {
    let mut text = std::borrow::Cow::Borrowed(toml_text);
    let mut unknown = false;
    loop {
        let e = match toml::from_str(&text) {
            Ok(t) => return (!unknown).then_some(t),
            Err(e) => e,
        };
        let span = e.span().unwrap_or(0..0);
        let (message, hint) = reword(e.message());
        let is_unknown = message.starts_with("unknown key `");
        let at = offset + span.start..offset + span.end;
        let d = Diagnostic::at(path, file_text, at, message);
        diags.push(d.with_hint(hint.unwrap_or_else(|| GENERIC_HINT.to_string())));
        let pair = is_unknown.then(|| pair_at(&text, span.start)).flatten();
        let Some(pair) = pair else {
            return None;
        };
        unknown = true;
        text = std::borrow::Cow::Owned(blank(&text, pair));
    }
}

/// The bytes of the `key = value` pair whose key starts at `start`, with the comma that
/// separates it from its neighbour in an inline table; `None` when there is no such pair
/// (a table header, a dotted key).
fn pair_at(text: &str, start: usize) -> Option<Range<usize>> {
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let end = value_end(doc.as_table(), start)?;
    let after = text[end..].trim_start_matches([' ', '\t']);
    if after.starts_with(',') {
        return Some(start..text.len() - after.len() + 1);
    }
    let before = text[..start].trim_end_matches([' ', '\t']);
    if before.ends_with(',') {
        return Some(before.len() - 1..end);
    }
    Some(start..end)
}

/// Where the value of the key that starts at `start` ends, searching `table` and every
/// table under it.
fn value_end(table: &dyn toml_edit::TableLike, start: usize) -> Option<usize> {
    for (name, item) in table.iter() {
        let (key, _) = table.get_key_value(name)?;
        if key.span().is_some_and(|s| s.start == start) {
            return item.as_value().and_then(|v| v.span()).map(|s| s.end);
        }
        let found = match item {
            toml_edit::Item::Table(t) => value_end(t, start),
            toml_edit::Item::ArrayOfTables(a) => a.iter().find_map(|t| value_end(t, start)),
            toml_edit::Item::Value(v) => value_end_in(v, start),
            toml_edit::Item::None => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// [`value_end`] in the inline tables of a value.
fn value_end_in(value: &toml_edit::Value, start: usize) -> Option<usize> {
    match value {
        toml_edit::Value::InlineTable(t) => value_end(t, start),
        toml_edit::Value::Array(a) => a.iter().find_map(|v| value_end_in(v, start)),
        _ => None,
    }
}

/// `text` with the bytes of `range` turned to spaces, its line breaks kept.
pub(crate) fn blank(text: &str, range: Range<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..range.start]);
    for c in text[range.clone()].chars() {
        match c {
            '\n' | '\r' => out.push(c),
            _ => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
    out.push_str(&text[range.end..]);
    out
}

/// Rewords serde/toml messages; returns the message and an optional hint.
fn reword(msg: &str) -> (String, Option<String>) {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split("expected")
            .nth(1)
            .map(|e| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let hint = did_you_mean(name, expected.iter().copied()).or_else(|| {
            (!expected.is_empty()).then(|| format!("valid keys here: {}", expected.join(", ")))
        });
        return (format!("unknown key `{name}`"), hint);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        return (
            format!("missing key `{name}`"),
            Some(format!("add `{name} = …` to this table")),
        );
    }
    if msg.starts_with("data did not match any variant") {
        return (
            "expected a source id (\"E\") or a table ({ id = \"E\", note = \"…\" })".into(),
            None,
        );
    }
    let first = msg.lines().next().unwrap_or(msg);
    let first = first
        .replace("expected i64", "expected an integer")
        .replace("expected i32", "expected an integer")
        .replace("expected a boolean", "expected true or false");
    (first, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        order: u32,
    }

    /// The problems of `file` (all TOML) as (line, col, message).
    fn problems(file: &str) -> Vec<(usize, usize, String)> {
        let mut diags = Diagnostics::default();
        assert!(parse::<T>(Path::new("c.md"), file, file, 0, &mut diags).is_none());
        diags
            .0
            .into_iter()
            .map(|d| (d.line, d.col, d.message))
            .collect()
    }

    #[test]
    fn unknown_key_names_key_line_and_nearest() {
        let file = "+++\ntitle = \"x\"\norder = 1\ntitel = \"y\"\n+++\n";
        let toml = &file[4..file.len() - 4];
        let mut diags = Diagnostics::default();
        assert!(parse::<T>(Path::new("c.md"), file, toml, 4, &mut diags).is_none());
        let [d] = &diags.0[..] else { panic!("{diags}") };
        assert_eq!(d.message, "unknown key `titel`");
        assert_eq!((d.line, d.col), (4, 1));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_type_points_at_value() {
        let got = problems("title = \"x\"\norder = \"one\"\n");
        assert_eq!((got[0].0, got[0].1), (2, 9));
        assert!(got[0].2.contains("invalid type"), "{}", got[0].2);
    }

    #[test]
    fn every_unknown_key_then_the_first_other_problem() {
        let file = "titel = \"y\"\nx = { a = 1, b = 2 }\norder = \"one\"\nlast = [\n 1,\n]\n";
        let got: Vec<_> = problems(file)
            .into_iter()
            .map(|(l, c, m)| (l, c, m[..12].to_string()))
            .collect();
        let want = [
            (1, 1, "unknown key "),
            (2, 1, "unknown key "),
            (4, 1, "unknown key "),
            (3, 9, "invalid type"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(l, c, m)| (*l, *c, m.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn blanking_keeps_positions_and_line_breaks() {
        assert_eq!(blank("a = \"é\"\nb", 0..8), "        \nb");
    }
}
