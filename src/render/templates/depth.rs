//! The nesting scan: a cheap pass over each template's text, before Tera's recursive
//! parser reads it, that refuses block tags or brackets nested deeper than [`MAX_NESTING`]
//! and more than [`MAX_OPERATORS`] operators in one tag.

use crate::diag::Diagnostic;

/// How deeply `{% if %}`, `{% for %}`, `{% block %}`, `{% macro %}`, `{% filter %}` and
/// `{% raw %}` may nest in one template, and brackets in one expression. Tera's parser and
/// renderer recurse once per level; a few hundred levels overflow a thread's stack.
pub(crate) const MAX_NESTING: usize = 100;

/// How many operators (`+`, `and`, `==`, `~`, …) one `{{ … }}` or `{% … %}` may hold: Tera
/// parses and evaluates a chain of them by recursion, one level per operator.
pub(crate) const MAX_OPERATORS: usize = 200;

/// The first place where `text` nests deeper than [`MAX_NESTING`]: block tags (`if`, `for`,
/// `block`, `macro`, `filter`, `raw`) opened and not yet closed, or brackets inside one
/// `{{ … }}` or `{% … %}`. A cheap scan of the text, made before Tera's parser (which
/// recurses once per level) sees it.
pub(super) fn too_deep(path: &str, text: &str) -> Option<Diagnostic> {
    let b = text.as_bytes();
    let mut open = 0usize;
    let mut i = 0;
    let too_deep = |at: usize, what: &str| {
        Diagnostic::at(
            path,
            text,
            at..at + 2,
            match what {
                "operators" => format!("more than {MAX_OPERATORS} operators in one tag"),
                _ => format!("{what} nest more than {MAX_NESTING} deep"),
            },
        )
        .with_hint(
            "Tera's parser and renderer recurse once per level of nesting and once per \
             operator, so this could overflow the stack: split it up (into `set` variables, \
             macros or includes)",
        )
    };
    while let Some(off) = text[i..].find('{') {
        let start = i + off;
        let kind = b.get(start + 1).copied();
        i = start + 1;
        match kind {
            Some(b'#') => {
                i = text[start..].find("#}").map_or(b.len(), |e| start + e + 2);
            }
            Some(c @ (b'{' | b'%')) => {
                let close = if c == b'{' { "}}" } else { "%}" };
                let j = match tag_end(text, start, close) {
                    Ok(j) => j,
                    Err((at, what)) => return Some(too_deep(at, what)),
                };
                let body = &text[start + 2..j.min(b.len())];
                i = (j + 2).min(b.len());
                if c == b'{' {
                    continue;
                }
                let word: String = body
                    .trim_start_matches('-')
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                match word.as_str() {
                    "if" | "for" | "block" | "macro" | "filter" => {
                        open += 1;
                        if open > MAX_NESTING {
                            return Some(too_deep(start, "block tags"));
                        }
                    }
                    // Nothing inside `raw` is parsed: skip to its end.
                    "raw" => {
                        if open + 1 > MAX_NESTING {
                            return Some(too_deep(start, "block tags"));
                        }
                        i = raw_end(text, i);
                    }
                    "endif" | "endfor" | "endblock" | "endmacro" | "endfilter" => {
                        open = open.saturating_sub(1);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    None
}

/// Where the tag that opens at `start` ends: the index of its `close` (`}}` or `%}`), or
/// the end of the text. Brackets and operators are counted outside string literals; `Err`
/// holds the place and the kind ("brackets", "operators") of the first limit passed.
fn tag_end(text: &str, start: usize, close: &str) -> Result<usize, (usize, &'static str)> {
    let b = text.as_bytes();
    let mut j = start + 2;
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut quote: Option<u8> = None;
    while j < b.len() {
        let ch = b[j];
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None => match ch {
                b'"' | b'\'' | b'`' => quote = Some(ch),
                b'(' | b'[' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err((j, "brackets"));
                    }
                }
                b')' | b']' => depth = depth.saturating_sub(1),
                _ if text[j..].starts_with(close) => break,
                b'+' | b'-' | b'*' | b'/' | b'%' | b'~' | b'<' | b'>' | b'=' | b'!' => {
                    operators += 1;
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    // A word: `and`, `or`, `not`, `in` and `is` are operators.
                    let end = text[j..]
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .map_or(b.len(), |e| j + e);
                    if matches!(&text[j..end], "and" | "or" | "not" | "in" | "is") {
                        operators += 1;
                    }
                    j = end - 1;
                }
                _ => {}
            },
        }
        if operators > MAX_OPERATORS {
            return Err((start, "operators"));
        }
        j += 1;
    }
    Ok(j)
}

/// Where scanning goes on after a `{% raw %}` tag that ends at `from`: just inside the
/// `{%` of its `endraw` (nothing between is parsed), or the end of the text.
fn raw_end(text: &str, from: usize) -> usize {
    let mut k = from;
    while let Some(o) = text[k..].find("{%") {
        let tag = text[k + o + 2..].trim_start_matches('-').trim_start();
        if tag.starts_with("endraw") {
            return k + o + 2;
        }
        k += o + 2;
    }
    text.len()
}
