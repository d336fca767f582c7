//! Text helpers every stage shares: HTML escaping, slugs, diacritic folding, the
//! characters refused in any text, and how a browser reads a URL's scheme.
//!
//! Plain functions over strings, with no knowledge of the site's model.

use std::ops::Range;

/// The scheme of a URL as a browser reads it (WHATWG URL parsing): leading and trailing
/// C0 controls and spaces trimmed, tabs and newlines removed, then an ASCII letter
/// followed by letters, digits, `+`, `-` or `.` up to a `:`; lowercased. `None` for a
/// relative URL.
pub fn url_scheme(url: &str) -> Option<String> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            'a'..='z' | 'A'..='Z' => scheme.push(c.to_ascii_lowercase()),
            '0'..='9' | '+' | '-' | '.' if !scheme.is_empty() => scheme.push(c),
            _ => return None,
        }
    }
    None
}

/// Whether a browser reads `url` as protocol-relative (`//host/…`, which takes the page's
/// scheme and names another host): after the trimming of [`url_scheme`], two slashes or
/// backslashes (browsers read `\` as `/` in http(s) URLs).
pub(crate) fn is_protocol_relative(url: &str) -> bool {
    let mut chars = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    matches!(
        (chars.next(), chars.next()),
        (Some('/' | '\\'), Some('/' | '\\'))
    )
}

/// The URL schemes a link or image may use.
pub(crate) const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Characters refused in any text: C0 controls other than tab, newline and carriage
/// return, DEL, C1 controls, and U+FFFE/U+FFFF (not characters in XML).
pub(crate) fn is_refused_char(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// Turns heading text into an id: lowercase ASCII letters and digits, hyphens between words.
/// Diacritics are dropped (`Trần` → `tran`).
pub(crate) fn slugify(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    let mut dash = false;
    for c in text.nfkd() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c == 'đ' || c == 'Đ' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push('d');
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '–' || c == '—' || c == '/'
        {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// The `nth` TOML escape in `text` that writes a refused character (`\u0001`, `\b`,
/// `\U0000007F`, …), as a byte range of `text`.
pub(crate) fn escape_span(text: &str, nth: usize) -> Option<Range<usize>> {
    let mut found = 0;
    let mut i = 0;
    let b = text.as_bytes();
    while i + 1 < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let len = match b[i + 1] {
            b'u' => 6,
            b'U' => 10,
            b'x' => 4,
            b'b' | b'f' | b'e' => 2,
            _ => {
                i += 2;
                continue;
            }
        };
        let esc = text.get(i..(i + len).min(text.len())).unwrap_or("");
        let decoded = match b[i + 1] {
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'e' => Some('\u{1b}'),
            _ => esc
                .get(2..)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32),
        };
        if decoded.is_some_and(is_refused_char) {
            if found == nth {
                return Some(i..i + esc.len());
            }
            found += 1;
        }
        i += 2;
    }
    None
}

pub(crate) fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Strips the diacritics of Latin, Greek and Cyrillic letters, safe in any language:
/// "Trần Đại Quang" → "Tran Dai Quang" (`đ` → `d`, which decomposition does not do), compatibility
/// forms made plain ("ﬁ", full-width letters). Other scripts keep their marks (a Devanagari
/// vowel sign, a kana voicing mark is part of the letter), and Hangul comes out composed
/// (NFC) whether it came in composed or decomposed.
pub(crate) fn fold(s: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    if s.is_ascii() {
        return s.to_string();
    }
    let plain: String = s
        .nfkd()
        .filter(|&c| !is_diacritic(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect();
    // Only marks left and Hangul jamo compose: most text has neither (a long chapter).
    if plain
        .chars()
        .any(|c| is_combining_mark(c) || ('\u{1100}'..='\u{11ff}').contains(&c))
    {
        plain.nfc().collect()
    } else {
        plain
    }
}

/// The combining diacritical marks of the Latin, Greek and Cyrillic alphabets (the blocks
/// Combining Diacritical Marks, their Extended and Supplement, for Symbols, Half Marks).
fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// Lowercase ASCII letters, digits, hyphens and underscores; not empty.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// `s` as a TOML string value, quotes and escapes included (`a"b` → `'a"b'`), for files
/// docsite writes (`init`, `new`).
pub(crate) fn toml_string(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}
