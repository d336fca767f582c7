//! Typed TOML parsing that reports problems as [`Diagnostic`]s in the user's file.
//!
//! Shared by `site.toml`, the registries and front matter: it turns serde's messages into
//! the project's wording ("unknown key `titel`" with the nearest valid key as a hint) and
//! places them at the line and column of the offending key or value, even when the TOML is
//! embedded in a larger file (front matter).

use crate::diag::{did_you_mean, Diagnostic};
use serde::de::DeserializeOwned;
use std::path::Path;

const GENERIC_HINT: &str =
    "this is TOML: see the README's authoring section for the keys and their types";

/// Parses `toml_text`, which starts at byte `offset` of `file_text` (the whole file, used to
/// compute lines and columns), into `T`.
pub(crate) fn parse<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    toml_text: &str,
    offset: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(toml_text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let span = offset + span.start..offset + span.end;
        let (message, hint) = reword(e.message());
        let d = Diagnostic::at(path, file_text, span, message);
        d.with_hint(hint.unwrap_or_else(|| GENERIC_HINT.to_string()))
    })
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

    #[test]
    fn unknown_key_names_key_line_and_nearest() {
        let file = "+++\ntitle = \"x\"\norder = 1\ntitel = \"y\"\n+++\n";
        let toml = &file[4..file.len() - 4];
        let d = parse::<T>(Path::new("c.md"), file, toml, 4).unwrap_err();
        assert_eq!(d.message, "unknown key `titel`");
        assert_eq!((d.line, d.col), (4, 1));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_type_points_at_value() {
        let file = "title = \"x\"\norder = \"one\"\n";
        let d = parse::<T>(Path::new("c.md"), file, file, 0).unwrap_err();
        assert_eq!((d.line, d.col), (2, 9));
        assert!(d.message.contains("invalid type"), "{}", d.message);
    }
}
