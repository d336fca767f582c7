//! Syntax highlighting of fenced code with syntect, as CSS classes (no inline styles).
//!
//! The syntax set is loaded once, the first time a code block needs it, so sites without
//! code pay nothing. [`stylesheet`] writes the matching CSS for a light theme and a dark
//! one (chosen by `prefers-color-scheme` or the page's `data-theme`).

use crate::text::escape_html;
use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlights `code` in `lang` (a token like `rust`, `toml`, `sh`); unknown languages are
/// shown as plain, escaped text.
pub(crate) fn highlight(code: &str, lang: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    let attr_lang: String = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '+')
        .collect();
    if lang.is_empty() {
        out.push_str("<pre class=\"code\"><code>");
        escape_html(code, &mut out);
        out.push_str("</code></pre>\n");
        return out;
    }
    let ss = syntaxes();
    let Some(syntax) = ss.find_syntax_by_token(lang) else {
        out.push_str(&format!(
            "<pre class=\"code\" data-lang=\"{attr_lang}\"><code>"
        ));
        escape_html(code, &mut out);
        out.push_str("</code></pre>\n");
        return out;
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            let mut plain = String::new();
            escape_html(code, &mut plain);
            return format!(
                "<pre class=\"code\" data-lang=\"{attr_lang}\"><code>{plain}</code></pre>\n"
            );
        }
    }
    format!(
        "<pre class=\"code\" data-lang=\"{attr_lang}\"><code>{}</code></pre>\n",
        gen.finalize()
    )
}

/// CSS for highlighted code: light by default, dark under `prefers-color-scheme: dark`
/// unless the page says `data-theme="light"`, and dark whenever it says `data-theme="dark"`.
/// It never changes, so it is made once per process (`serve` rebuilds often).
pub(crate) fn stylesheet() -> String {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(make_stylesheet).clone()
}

fn make_stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light =
        css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], STYLE).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], STYLE)
        .unwrap_or_default();
    let scope = |css: &str, prefix: &str| -> String {
        let mut out = String::new();
        for rule in css.split_inclusive('}') {
            let Some((sel, body)) = rule.split_once('{') else {
                continue;
            };
            // A selector after a leading comment: the part after the comment.
            let sel = if sel.trim().is_empty() || sel.trim_start().starts_with("/*") {
                sel.rsplit("*/").next().unwrap_or("").trim()
            } else {
                sel
            };
            if sel.is_empty() {
                continue;
            }
            let sels: Vec<String> = sel
                .split(',')
                .map(|s| format!("{prefix} {}", s.trim()))
                .collect();
            out.push_str(&sels.join(", "));
            out.push_str(" {");
            out.push_str(body);
            out.push('\n');
        }
        out
    };
    let mut css = String::from("/* Generated from syntect themes InspiredGitHub (light) and base16-ocean.dark (dark). */\n");
    css.push_str(&scope(&light, ":root"));
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    css.push_str(&scope(&dark, ":root:not([data-theme=\"light\"])"));
    css.push_str("}\n");
    css.push_str(&scope(&dark, ":root[data-theme=\"dark\"]"));
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_not_styles() {
        let h = highlight("fn main() {}\n", "rust");
        assert!(h.contains("class=\"hl-"), "{h}");
        assert!(!h.contains("style="));
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        assert_eq!(
            highlight("<b>\n", "nosuchlang"),
            "<pre class=\"code\" data-lang=\"nosuchlang\"><code>&lt;b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn stylesheet_has_both_themes() {
        let css = stylesheet();
        assert!(css.contains(":root .hl-"));
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
    }
}
