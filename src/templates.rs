//! The template stage: loads `templates/*.html` into Tera and renders pages with them.
//!
//! Escaping is contextual by construction, because Tera's autoescape is not:
//!
//! * HTML text and quoted attributes: Tera's autoescape (on for `.html`), which escapes
//!   `& < > " ' /`. Templates must quote every attribute.
//! * URLs: built in Rust from checked slugs and the checked base URL; source URLs must be
//!   `http(s)://` (checked in the content stage), so no `javascript:` can reach an `href`.
//! * JSON inside `<script>`: the `json_script` filter serializes the value and escapes
//!   `<`, `>`, `&`, U+2028 and U+2029, so `</script>` in a title cannot close the element.
//! * Markdown HTML is marked `| safe` in templates: raw HTML in front-matter strings is
//!   escaped by the Markdown stage; bodies are the author's own HTML.
//!
//! Template problems are reported with the template's path and, for syntax errors, its
//! line and column.

use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tera::Tera;

/// Serializes `v` as JSON safe to place inside a `<script>` element.
pub fn json_for_script<T: serde::Serialize + ?Sized>(v: &T) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn json_script_filter(
    v: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(json_for_script(v)))
}

/// HTML escaping for text and quoted attributes: `& < > " '`. (Tera's default also
/// escapes `/`, which is not needed inside quoted attributes and bloats every URL.)
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    crate::markdown::escape_html(s, &mut out);
    out
}

/// The loaded templates, with their sources kept to place render errors.
pub struct Templates {
    pub tera: Tera,
    sources: HashMap<String, String>,
}

/// Loads every `.html` template under `root/templates`.
pub fn load(root: &Path) -> Result<Templates, Diagnostics> {
    let dir = root.join("templates");
    let mut diags = Diagnostics::default();
    let mut files: Vec<(String, String)> = Vec::new();
    if !dir.is_dir() {
        return Err(Diagnostics(vec![Diagnostic::file(
            "templates",
            "no templates/ folder",
        )
        .with_hint(
            "a site needs templates/ with base.html, index.html, chapter.html, event.html, …",
        )]));
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::file("templates", format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if !(name.ends_with(".html") || name.ends_with(".xml")) {
            continue;
        }
        let rel = crate::diagnostics::rel(root, entry.path());
        match crate::content::read_text(root, &rel) {
            Ok(t) => files.push((name, t.to_string())),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.register_filter("json_script", json_script_filter);
    tera.set_escape_fn(escape_html);
    // Templates are added one by one to name the broken one; then all together so that
    // inheritance resolves.
    for (name, text) in &files {
        if let Err(e) = tera::Template::new(name, None, text) {
            diags.push(template_diag(&format!("templates/{name}"), text, &e));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if let Err(e) = tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let (name, text) = files
            .iter()
            .find(|(n, _)| chain(&e).contains(&format!("'{n}'")))
            .map(|(n, t)| (format!("templates/{n}"), t.as_str()))
            .unwrap_or(("templates".into(), ""));
        return Err(Diagnostics(vec![template_diag(&name, text, &e)]));
    }
    Ok(Templates {
        tera,
        sources: files.into_iter().collect(),
    })
}

/// The whole error chain as one string.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// A diagnostic for a Tera error in `path`, placed at the `--> line:col` pest reports.
pub fn template_diag(path: &str, text: &str, e: &tera::Error) -> Diagnostic {
    let full = chain(e);
    let pos = full.split("--> ").nth(1).and_then(|rest| {
        let mut it = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        Some((
            it.next()?.parse::<usize>().ok()?,
            it.next()?.parse::<usize>().ok()?,
        ))
    });
    let summary = full
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("-->") && !l.starts_with('|') && !l.starts_with('=')
        })
        .filter(|l| !l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ");
    let expected = full
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .map(str::to_string);
    let mut d = match pos {
        Some((line, col)) if line > 0 => {
            let start = text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum::<usize>();
            let line_text = text[start..].lines().next().unwrap_or("");
            let off = line_text
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i);
            Diagnostic::at(
                PathBuf::from(path),
                text,
                start + off..start + off + 1,
                "template syntax error",
            )
        }
        _ => Diagnostic::file(PathBuf::from(path), format!("template error: {summary}")),
    };
    if pos.is_some() {
        if let Some(x) = expected {
            d = d.with_hint(x);
        }
    }
    d
}

/// Renders `template` with `ctx`; an error names the template file and, when it is about
/// a variable, the line and column where the template uses it.
pub fn render(t: &Templates, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
    t.tera
        .render(template, ctx)
        .map_err(|e| render_error(t, template, e))
}

/// Renders straight into `w` (a page's file), so that a page of many megabytes is never
/// held whole in memory. Errors as [`render`].
pub fn render_to(
    t: &Templates,
    template: &str,
    ctx: &tera::Context,
    w: &mut dyn std::io::Write,
) -> Result<(), Diagnostic> {
    t.tera
        .render_to(template, ctx, w)
        .map_err(|e| render_error(t, template, e))
}

fn render_error(t: &Templates, template: &str, e: tera::Error) -> Diagnostic {
    let full = chain(&e);
    let message = format!("template error: {full}");
    let variable = full
        .split("Variable `")
        .nth(1)
        .and_then(|r| r.split('`').next());
    if let Some(var) = variable {
        // The template named first, then the ones it extends or includes.
        let mut names: Vec<&String> = t.sources.keys().collect();
        names.sort_by_key(|n| (n.as_str() != template, n.as_str()));
        for name in names {
            let text = &t.sources[name];
            if let Some(at) = text.find(var) {
                return Diagnostic::at(format!("templates/{name}"), text, at..at + var.len(), message)
                    .with_hint(format!("`{var}` is not given to `{template}`; the README lists what each template receives"));
            }
        }
    }
    Diagnostic::file(format!("templates/{template}"), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_script_cannot_close_the_script() {
        let v = serde_json::json!({"t": "</script><script>alert(1)</script>\u{2028}&"});
        let s = json_for_script(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let text = "<p>\n{{ title \n</p>\n{% if %}";
        let mut t = Tera::default();
        let e = t.add_raw_template("x.html", text).unwrap_err();
        let d = template_diag("templates/x.html", text, &e);
        assert_eq!(d.message, "template syntax error");
        assert!(d.line >= 2, "{d}");
    }
}
