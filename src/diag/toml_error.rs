//! Typed TOML parsing that reports problems as [`Diagnostic`]s in the user's file.
//!
//! Shared by `site.toml`, the registries and front matter: it turns serde's messages into
//! the project's wording ("unknown key `titel`" with the nearest valid key as a hint) and
//! places them at the line and column of the offending key or value, even when the TOML is
//! embedded in a larger file (front matter). Every unknown key of the text is reported in
//! one run, and the first other problem: serde stops at the first, so the pair at fault is
//! blanked out (its bytes turned to spaces, which keeps every position) and the text
//! parsed again.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use serde::de::DeserializeOwned;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    let mut found = Diagnostics::default();
    let at = |span: Range<usize>, message| {
        let span = offset + span.start..offset + span.end;
        Diagnostic::at(path, file_text, span, message)
    };
    let parsed = parse_all(toml_text, at, &mut found);
    found.sort();
    diags.extend(found.0);
    parsed
}

/// The most problems one file's TOML reports. Each costs two parses of the whole text, so
/// a hostile file of a million unknown keys must not cost a million parses.
const MAX_PROBLEMS: usize = 20;

/// The most bytes one file's TOML is parsed over, in all, while looking for its further
/// problems: a large file (a registry of thousands of entries) reports its first problem,
/// and more only while they stay cheap. Front matter, a few kilobytes, is never cut short.
const PARSE_BUDGET: usize = 8 << 20;

/// The bytes all files of one run may re-parse together to look for problems after their
/// first: each further problem costs a parse of its whole file, so without a shared
/// budget, many large files each full of unknown keys would cost [`PARSE_BUDGET`] each.
/// The first parse of every file is free; past this, a file reports the problems found so
/// far.
const RUN_PARSE_BUDGET: usize = 32 << 20;

/// What remains of [`RUN_PARSE_BUDGET`] in this run (see [`reset_parse_budget`]).
static RUN_PARSE_LEFT: AtomicUsize = AtomicUsize::new(RUN_PARSE_BUDGET);

/// Starts a run's shared parse budget afresh; `site` calls it as a build starts. (Builds
/// that run at the same time in one process share it: they can only report fewer problems.)
pub(crate) fn reset_parse_budget() {
    RUN_PARSE_LEFT.store(RUN_PARSE_BUDGET, Ordering::Relaxed);
}

/// Takes `bytes` of another parse from the run's budget; false when it is spent.
fn take_run_budget(bytes: usize) -> bool {
    RUN_PARSE_LEFT
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(bytes)
        })
        .is_ok()
}

/// [`parse`]'s work, its problems (made by `at`, from a span of `toml_text`) in the order
/// found.
fn parse_all<T: DeserializeOwned>(
    toml_text: &str,
    at: impl Fn(Range<usize>, String) -> Diagnostic,
    diags: &mut Diagnostics,
) -> Option<T> {
    let mut text = std::borrow::Cow::Borrowed(toml_text);
    // Whether a problem was found, and one other than an unknown key.
    let (mut failed, mut other) = (false, false);
    let mut parsed = 0;
    loop {
        let e = match toml::from_str(&text) {
            Ok(t) => return (!failed).then_some(t),
            Err(e) => e,
        };
        let span = e.span().unwrap_or(0..0);
        let (message, hint) = reword(e.message());
        let unknown = message.starts_with("unknown key `");
        if unknown || !(other || misspelt(&message, diags)) {
            let d = at(span.clone(), message);
            diags.push(d.with_hint(hint.unwrap_or_else(|| GENERIC_HINT.to_string())));
        }
        (failed, other) = (true, other || !unknown);
        parsed += 2 * text.len();
        if diags.len() >= MAX_PROBLEMS || parsed >= PARSE_BUDGET || !take_run_budget(2 * text.len())
        {
            return None;
        }
        // Past the pair at fault, for the unknown keys after it.
        let pair = pair_at(&text, span.start)?;
        text = std::borrow::Cow::Owned(blank(&text, pair));
    }
}

/// Whether `message` is a missing key that an unknown key already reported is a
/// misspelling of (its hint names it): the one problem is reported once.
fn misspelt(message: &str, diags: &Diagnostics) -> bool {
    let Some(name) = message.strip_prefix("missing key ") else {
        return false;
    };
    let hint = format!("did you mean {name}?");
    diags
        .0
        .iter()
        .any(|d| d.hint.as_deref() == Some(hint.as_str()))
}

/// The bytes of the `key = value` pair whose key starts at `pos` or whose value holds it,
/// with the comma that separates it from its neighbour in an inline table; `None` when
/// there is no such pair (a table header, a dotted key, a text that is not TOML).
fn pair_at(text: &str, pos: usize) -> Option<Range<usize>> {
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let pair = pair_in(doc.as_table(), pos)?;
    let after = text[pair.end..].trim_start_matches([' ', '\t']);
    if after.starts_with(',') {
        return Some(pair.start..text.len() - after.len() + 1);
    }
    let before = text[..pair.start].trim_end_matches([' ', '\t']);
    if before.ends_with(',') {
        return Some(before.len() - 1..pair.end);
    }
    Some(pair)
}

/// [`pair_at`]'s pair, in `table` or any table under it: the innermost one.
fn pair_in(table: &dyn toml_edit::TableLike, pos: usize) -> Option<Range<usize>> {
    for (name, item) in table.iter() {
        let (key, _) = table.get_key_value(name)?;
        let key = key.span();
        let value = item.as_value().and_then(|v| v.span());
        if let (Some(k), Some(v)) = (&key, &value) {
            if k.start == pos || v.contains(&pos) {
                let inner = item.as_value().and_then(|v| pair_in_value(v, pos));
                return Some(inner.unwrap_or(k.start..v.end));
            }
        }
        let found = match item {
            toml_edit::Item::Table(t) => pair_in(t, pos),
            toml_edit::Item::ArrayOfTables(a) => a.iter().find_map(|t| pair_in(t, pos)),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// [`pair_in`] in the inline tables of a value.
fn pair_in_value(value: &toml_edit::Value, pos: usize) -> Option<Range<usize>> {
    match value {
        toml_edit::Value::InlineTable(t) => pair_in(t, pos),
        toml_edit::Value::Array(a) => a.iter().find_map(|v| pair_in_value(v, pos)),
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
    fn many_unknown_keys_stop_at_the_limit_and_a_large_file_at_its_budget() {
        let mut file = String::from("title = \"x\"\norder = 1\n");
        for i in 0..100 {
            file.push_str(&format!("k{i} = 1\n"));
        }
        let found = problems(&file);
        assert_eq!(found.len(), MAX_PROBLEMS);
        assert_eq!(found[0], (3, 1, "unknown key `k0`".to_string()));
        // A text whose every parse costs more than half the budget: its first problem only.
        let big = format!("{file}# {}\n", "x".repeat(PARSE_BUDGET / 2));
        assert_eq!(problems(&big).len(), 1);
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
            (3, 9, "invalid type"),
            (4, 1, "unknown key "),
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
