//! The template stage: loads `templates/*.html` into Tera and renders pages with them.
//!
//! Escaping is contextual by construction, because Tera's autoescape is not:
//!
//! * HTML text and quoted attributes: Tera's autoescape (on for `.html` and `.xml`), with
//!   Tera's escape function replaced by [`crate::text::escape_html`], which escapes
//!   `& < > " '` (not `/`, which Tera's own does). Templates must quote every attribute.
//! * URLs: built in Rust from checked slugs and the checked base URL; source URLs must be
//!   `http(s)://` (checked in the content stage), so no `javascript:` can reach an `href`.
//! * JSON inside `<script>`: the `json_script` filter serializes the value and escapes
//!   `<`, `>`, `&`, U+2028 and U+2029, so `</script>` in a title cannot close the element.
//! * Markdown HTML is marked `| safe` in templates: raw HTML in front-matter strings is
//!   escaped by the Markdown stage; bodies are the author's own HTML.
//!
//! The templates are the site's `templates/` merged with the built-in theme
//! ([`crate::theme`]): a site's file replaces the built-in one of the same name, and the
//! built-in ones fill in every name the site has no file for (all of them, for a site
//! without `templates/`).
//!
//! Template problems are reported with the template's path and, for syntax errors, its
//! line and column; a built-in template's path is written
//! `(built-in theme) templates/event.html`.
//!
//! Tera follows `extends`, `import`, `include` and macro calls with no depth limit, so a
//! cycle among them overflows the stack and aborts the process (in `serve`, the server).
//! Before Tera loads the templates, [`load`] builds the graph of those references from each
//! template's syntax tree (Tera's `ast` module, public but outside its stable API: it is
//! pinned by Cargo.lock, and the walkers match every kind of node and expression with no
//! catch-all, so a change there fails to compile here rather than misbehave) and refuses
//! every cycle with a diagnostic naming it: `a.html -> b.html -> a.html`, or
//! `macros.html::tree -> macros.html::tree` for a macro that calls itself. Tera picks the
//! file a macro call `ns::name()` goes to at run time (inside a block, from the template
//! that owns the block, even when the call is written in a macro of another file), so the
//! graph takes a call to be a call to every macro called `name`: a cycle between two
//! unrelated macros of the same name is refused too, and the hint says so.
//!
//! Deep but finite nesting overflows the stack as surely, so the template stage also
//! refuses a chain of extends, imports, includes and macro calls deeper than
//! [`graph::MAX_CHAIN`] (64), and, in one template, block tags or brackets nested deeper
//! than [`depth::MAX_NESTING`] (100) or more than [`depth::MAX_OPERATORS`] (200) operators
//! in one tag (a cheap scan of the text, before Tera's recursive parser reads it). Within
//! those limits the worst case needs far less than the [`STACK`] (256 MiB) of the threads
//! that parse ([`load`]) and render ([`with_render_stack`]) templates. A panic inside Tera
//! while rendering (it has `unreachable!()`s a template can reach) becomes an error naming
//! the template.
//!
//! This file loads and renders; the reference graph and its cycle search are in [`graph`]
//! (what each template refers to, read from its syntax tree, in [`refs`]), the nesting scan
//! in [`depth`].

mod depth;
mod graph;
mod refs;

use crate::diag::{Diagnostic, Diagnostics};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use tera::Tera;

/// Serializes `v` as JSON safe to place inside a `<script>` element.
pub(crate) fn json_for_script<T: serde::Serialize + ?Sized>(v: &T) -> String {
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

/// `json_script`: its output is already safe inside `<script>`, so Tera's autoescape must
/// leave it alone (escaped again, `"` would become `&quot;` and the JSON unreadable).
struct JsonScript;

impl tera::Filter for JsonScript {
    fn filter(
        &self,
        v: &tera::Value,
        _: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        Ok(tera::Value::String(json_for_script(v)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// HTML escaping for text and quoted attributes: `& < > " '`. (Tera's default also
/// escapes `/`, which is not needed inside quoted attributes and bloats every URL.)
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    crate::text::escape_html(s, &mut out);
    out
}

/// The loaded templates, with their sources kept to place render errors.
#[derive(Clone)]
pub(crate) struct Templates {
    pub tera: Tera,
    sources: HashMap<String, String>,
    /// The names of the templates taken from the built-in theme ([`crate::theme`]).
    built_in: HashSet<String>,
}

impl Templates {
    /// How a diagnostic names the template `name`: `templates/event.html` for the site's
    /// own, `(built-in theme) templates/event.html` for the built-in theme's.
    pub(crate) fn path_of(&self, name: &str) -> String {
        let path = format!("templates/{name}");
        if self.built_in.contains(name) {
            crate::theme::shown(&path)
        } else {
            path
        }
    }
}

/// The stack of the thread that parses templates, and of each thread that renders them.
/// With chains under [`graph::MAX_CHAIN`] and nesting under [`depth::MAX_NESTING`], Tera's
/// recursion stays far inside this; it is reserved address space, touched only as deep as
/// rendering goes.
pub(crate) const STACK: usize = 256 << 20;

/// Loads every `.html` template under `root/templates`, on a thread with a [`STACK`]-sized
/// stack (Tera's parser recurses once per level of nesting). Every problem found goes
/// into `diags`; the templates come back only when there was none.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> Option<Templates> {
    let on_own_thread = std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("templates".into())
            .stack_size(STACK)
            .spawn_scoped(s, || load_here(root, diags))
            .ok()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    // No thread to be had: the limits above still hold on this one.
    on_own_thread.unwrap_or_else(|| load_here(root, diags))
}

/// Runs `f` (which renders pages, in parallel or not) in a pool of threads whose stacks are
/// [`STACK`] bytes, so that rendering never depends on the size of the caller's stack.
pub(crate) fn with_render_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("render-{i}"))
            .stack_size(STACK)
            .build()
            .ok()
    });
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

fn load_here(root: &Path, diags: &mut Diagnostics) -> Option<Templates> {
    // Problems found here, not those of the stages before.
    let before = diags.len();
    let found = |diags: &Diagnostics| diags.len() > before;
    let (files, built_in) = merged(root, diags);
    let read = diags.len();
    let checked = check_and_parse(&files, diags);
    let loaded = match checked {
        Some(()) if !found(diags) => add_all(&files, diags),
        _ => None,
    };
    // A problem in a built-in template is named as one (the site has no such file).
    for d in &mut diags.0[read..] {
        let name = d.path.to_string_lossy();
        if let Some(n) = name
            .strip_prefix("templates/")
            .filter(|n| built_in.contains(*n))
        {
            d.path = PathBuf::from(crate::theme::shown(&format!("templates/{n}")));
        }
    }
    let tera = loaded.filter(|_| !found(diags))?;
    Some(Templates {
        tera,
        sources: files.into_iter().collect(),
        built_in,
    })
}

/// The site's templates, then every built-in one the site has no file for, with the names
/// of those taken from the built-in theme. A site without `templates/` uses the built-in
/// theme alone.
fn merged(root: &Path, diags: &mut Diagnostics) -> (Vec<(String, String)>, HashSet<String>) {
    let mut files = read_all(root, &root.join("templates"), diags);
    let own: HashSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let mut built_in = HashSet::new();
    for (name, text) in crate::theme::templates() {
        if !own.contains(name) {
            built_in.insert(name.to_string());
            files.push((name.to_string(), text.to_string()));
        }
    }
    (files, built_in)
}

/// The checks made before Tera sees the templates: nesting, syntax (each template alone,
/// to name the broken one), and cycles and depth of the references between them.
fn check_and_parse(files: &[(String, String)], diags: &mut Diagnostics) -> Option<()> {
    let before = diags.len();
    for (name, text) in files {
        if let Some(d) = depth::too_deep(&format!("templates/{name}"), text) {
            diags.push(d);
        }
    }
    if diags.len() > before {
        return None;
    }
    let mut parsed = Vec::with_capacity(files.len());
    for (name, text) in files {
        match tera::Template::new(name, None, text) {
            Ok(t) => parsed.push(t),
            Err(e) => diags.push(template_diag(&format!("templates/{name}"), text, &e)),
        }
    }
    if diags.len() > before {
        return None;
    }
    // Before Tera sees them: it follows extends, imports, includes and macro calls with no
    // depth limit, so a cycle among them would overflow the stack and abort the process.
    graph::cycles(&parsed, files, diags);
    Some(())
}

/// All the templates added to one Tera together, so that inheritance resolves.
fn add_all(files: &[(String, String)], diags: &mut Diagnostics) -> Option<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.register_filter("json_script", JsonScript);
    tera.set_escape_fn(escape_html);
    if let Err(e) = tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let (name, text) = files
            .iter()
            .find(|(n, _)| chain(&e).contains(&format!("'{n}'")))
            .map(|(n, t)| (format!("templates/{n}"), t.as_str()))
            .unwrap_or(("templates".into(), ""));
        diags.push(template_diag(&name, text, &e));
        return None;
    }
    Some(tera)
}

/// The text of every `.html` and `.xml` file under `dir` (the site's `templates/`, none
/// when it has no such folder), with its name there; a file that cannot be read goes into
/// `diags` instead.
fn read_all(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let fence = crate::files::Fence::new(root, "templates");
    for path in crate::files::files_under(root, "templates", diags) {
        let name = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !crate::theme::names::is_template(&name) {
            continue;
        }
        let rel = crate::files::rel(root, &path);
        match fence.read_text(&rel) {
            Ok(t) => files.push((name, t.to_string())),
            Err(d) => diags.push(d),
        }
    }
    files
}

/// The whole error chain as one string.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
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
pub(crate) fn template_diag(path: &str, text: &str, e: &tera::Error) -> Diagnostic {
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
pub(crate) fn render(
    t: &Templates,
    template: &str,
    ctx: &tera::Context,
) -> Result<String, Diagnostic> {
    caught(t, template, || t.tera.render(template, ctx))?.map_err(|e| render_error(t, template, e))
}

/// Runs one Tera render, turning a panic inside Tera (it has `unreachable!()`s that a
/// template can reach, such as a macro call as an operand of `+`) into an error naming the
/// template, so that one bad template cannot end `build` with a crash or `serve` at all.
fn caught<R>(t: &Templates, template: &str, f: impl FnOnce() -> R) -> Result<R, Diagnostic> {
    thread_local! {
        static RENDERING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    // The panic is reported as a diagnostic: the default hook's message and backtrace are
    // left out for panics inside a render (the hook is chained, once, for everything else).
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !RENDERING.with(|r| r.get()) {
                previous(info);
            }
        }));
    });
    let was = RENDERING.with(|r| r.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    RENDERING.with(|r| r.set(was));
    result.map_err(|p| {
        let why = p
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| p.downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        Diagnostic::file(
            t.path_of(template),
            format!("template error: Tera failed while rendering this template: {why}"),
        )
        .with_hint(
            "Tera does not support something this template (or one it includes) does, such as \
             a macro call inside arithmetic: assign the macro's result with `set` first",
        )
    })
}

/// Renders straight into `w` (a page's file), so that a page of many megabytes is never
/// held whole in memory. Errors as [`render`].
pub(crate) fn render_to(
    t: &Templates,
    template: &str,
    ctx: &tera::Context,
    w: &mut dyn std::io::Write,
) -> Result<(), Diagnostic> {
    caught(t, template, || t.tera.render_to(template, ctx, w))?
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
                return Diagnostic::at(t.path_of(name), text, at..at + var.len(), message)
                    .with_hint(format!("`{var}` is not given to `{template}`; the README lists what each template receives"));
            }
        }
    }
    if let Some(d) = missing_macro(t, &full, &message) {
        return d;
    }
    if let Some(d) = unknown_string(t, template, &full, &message) {
        return d;
    }
    Diagnostic::file(t.path_of(template), message)
}

/// `t(key="x")` with a key no catalogue has ([`crate::i18n`]), placed at the key in the
/// template that writes it (the one rendered first, then those it extends or includes).
fn unknown_string(t: &Templates, template: &str, full: &str, message: &str) -> Option<Diagnostic> {
    let key = full
        .split("unknown interface string `")
        .nth(1)?
        .split('`')
        .next()?;
    let quoted = format!("\"{key}\"");
    let mut names: Vec<&String> = t.sources.keys().collect();
    names.sort_by_key(|n| (n.as_str() != template, n.as_str()));
    let name = names
        .into_iter()
        .find(|n| t.sources[*n].contains(&quoted))?;
    let text = &t.sources[name];
    let at = text.find(&quoted)? + 1;
    Some(
        Diagnostic::at(t.path_of(name), text, at..at + key.len(), message).with_hint(
            "the keys are those of the built-in i18n/en.toml and the site's i18n/*.toml",
        ),
    )
}

/// Tera's `Macro `ns::name` not found in template `file``, placed at the call in that file.
fn missing_macro(t: &Templates, full: &str, message: &str) -> Option<Diagnostic> {
    let rest = full.split("Macro `").nth(1)?;
    let (call, rest) = rest.split_once('`')?;
    let file = rest
        .strip_prefix(" not found in template `")?
        .split('`')
        .next()?;
    let text = t.sources.get(file)?;
    let at = text.find(call)?;
    let (ns, name) = call.split_once("::").unwrap_or(("", call));
    Some(
        Diagnostic::at(t.path_of(file), text, at..at + call.len(), message).with_hint(format!(
            "the file imported as `{ns}` has no macro `{name}`; a site's own template replaces \
             the built-in one whole, so it must keep every macro the other templates call"
        )),
    )
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
    fn json_script_output_is_not_escaped_again_and_parses() {
        let mut t = Tera::default();
        t.autoescape_on(vec![".html"]);
        t.set_escape_fn(escape_html);
        t.register_filter("json_script", JsonScript);
        t.add_raw_template("x.html", "{{ v | json_script }}")
            .unwrap();
        let v = serde_json::json!({"t": "a \"quoted\" </script> & title"});
        let mut ctx = tera::Context::new();
        ctx.insert("v", &v);
        let out = t.render("x.html", &ctx).unwrap();
        assert!(
            !out.contains("&quot;") && !out.contains("</script"),
            "{out}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap(), v);
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
