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
//! [`MAX_CHAIN`] (64), and, in one template, block tags or brackets nested deeper than
//! [`MAX_NESTING`] (100) or more than [`MAX_OPERATORS`] (200) operators in one tag (a cheap
//! scan of the text, before Tera's recursive parser reads it). Within those limits the worst
//! case needs far less than the [`STACK`] (256 MiB) of the threads that parse ([`load`]) and
//! render ([`with_render_stack`]) templates. A panic inside Tera while rendering (it has
//! `unreachable!()`s a template can reach) becomes an error naming the template.

use crate::diag::{Diagnostic, Diagnostics};
use std::collections::HashMap;
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
pub(crate) struct Templates {
    pub tera: Tera,
    sources: HashMap<String, String>,
}

/// The stack of the thread that parses templates, and of each thread that renders them.
/// With chains under [`MAX_CHAIN`] and nesting under [`MAX_NESTING`], Tera's recursion stays
/// far inside this; it is reserved address space, touched only as deep as rendering goes.
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
    let dir = root.join("templates");
    if !dir.is_dir() {
        diags.push(
            Diagnostic::file("templates", "no templates/ folder").with_hint(
                "a site needs templates/ with base.html, index.html, chapter.html, event.html, …",
            ),
        );
        return None;
    }
    let files = read_all(root, &dir, diags);
    if found(diags) {
        return None;
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.register_filter("json_script", JsonScript);
    tera.set_escape_fn(escape_html);
    // Templates are added one by one to name the broken one; then all together so that
    // inheritance resolves.
    for (name, text) in &files {
        if let Some(d) = too_deep(&format!("templates/{name}"), text) {
            diags.push(d);
        }
    }
    if found(diags) {
        return None;
    }
    let mut parsed = Vec::with_capacity(files.len());
    for (name, text) in &files {
        match tera::Template::new(name, None, text) {
            Ok(t) => parsed.push(t),
            Err(e) => diags.push(template_diag(&format!("templates/{name}"), text, &e)),
        }
    }
    if found(diags) {
        return None;
    }
    // Before Tera sees them: it follows extends, imports, includes and macro calls with no
    // depth limit, so a cycle among them would overflow the stack and abort the process.
    cycles(&parsed, &files, diags);
    if found(diags) {
        return None;
    }
    if let Err(e) = tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let (name, text) = files
            .iter()
            .find(|(n, _)| chain(&e).contains(&format!("'{n}'")))
            .map(|(n, t)| (format!("templates/{n}"), t.as_str()))
            .unwrap_or(("templates".into(), ""));
        diags.push(template_diag(&name, text, &e));
        return None;
    }
    Some(Templates {
        tera,
        sources: files.into_iter().collect(),
    })
}

/// The text of every `.html` and `.xml` file under `dir` (the site's `templates/`), with
/// its name there; a file that cannot be read goes into `diags` instead.
fn read_all(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let fence = crate::files::Fence::new(root, "templates");
    for path in crate::files::files_under(root, "templates", diags) {
        let name = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !(name.ends_with(".html") || name.ends_with(".xml")) {
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

/// What rendering a template can enter: a template's body, or one macro of a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Unit {
    Template(String),
    Macro(String, String),
}

impl Unit {
    fn file(&self) -> &str {
        match self {
            Unit::Template(t) | Unit::Macro(t, _) => t,
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unit::Template(t) => write!(f, "{t}"),
            Unit::Macro(t, m) => write!(f, "{t}::{m}"),
        }
    }
}

/// What a piece of template text refers to: an include (the first of its names that
/// exists is rendered), or a macro call `namespace::name`.
enum Ref {
    Include(Vec<String>),
    Call(String, String),
}

// The walkers below match every variant of Tera's syntax tree with no catch-all arm, so a
// kind of node or expression added by a future Tera fails to compile here instead of
// hiding a reference from the cycle check.

fn refs_of_nodes(nodes: &[tera::ast::Node], out: &mut Vec<Ref>) {
    use tera::ast::Node;
    for n in nodes {
        match n {
            Node::VariableBlock(_, e) => refs_of_expr(e, out),
            Node::Include(_, names, _) => out.push(Ref::Include(names.clone())),
            Node::Set(_, s) => refs_of_expr(&s.value, out),
            Node::FilterSection(_, f, _) => {
                refs_of_call(&f.filter, out);
                refs_of_nodes(&f.body, out);
            }
            Node::Block(_, b, _) => refs_of_nodes(&b.body, out),
            Node::Forloop(_, l, _) => {
                refs_of_expr(&l.container, out);
                refs_of_nodes(&l.body, out);
                if let Some(e) = &l.empty_body {
                    refs_of_nodes(e, out);
                }
            }
            Node::If(i, _) => {
                for (_, cond, body) in &i.conditions {
                    refs_of_expr(cond, out);
                    refs_of_nodes(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    refs_of_nodes(body, out);
                }
            }
            // A macro definition is a unit of its own, walked from `Template::macros`.
            Node::MacroDefinition(..) => {}
            // Extends and imports are read from `Template::parent` and
            // `Template::imported_macro_files`; `super()` renders the parent's block, and
            // the parent is an edge already.
            Node::Extends(..) | Node::ImportMacro(..) | Node::Super => {}
            Node::Text(_)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

fn refs_of_call(c: &tera::ast::FunctionCall, out: &mut Vec<Ref>) {
    let tera::ast::FunctionCall { name: _, args } = c;
    for e in args.values() {
        refs_of_expr(e, out);
    }
}

fn refs_of_expr(e: &tera::ast::Expr, out: &mut Vec<Ref>) {
    let tera::ast::Expr {
        val,
        negated: _,
        filters,
    } = e;
    for f in filters {
        refs_of_call(f, out);
    }
    refs_of_val(val, out);
}

fn refs_of_val(v: &tera::ast::ExprVal, out: &mut Vec<Ref>) {
    use tera::ast::ExprVal;
    match v {
        ExprVal::Math(m) => {
            refs_of_expr(&m.lhs, out);
            refs_of_expr(&m.rhs, out);
        }
        ExprVal::Logic(l) => {
            refs_of_expr(&l.lhs, out);
            refs_of_expr(&l.rhs, out);
        }
        ExprVal::In(i) => {
            refs_of_expr(&i.lhs, out);
            refs_of_expr(&i.rhs, out);
        }
        ExprVal::Test(t) => t.args.iter().for_each(|a| refs_of_expr(a, out)),
        ExprVal::MacroCall(m) => {
            out.push(Ref::Call(m.namespace.clone(), m.name.clone()));
            m.args.values().for_each(|a| refs_of_expr(a, out));
        }
        ExprVal::FunctionCall(f) => refs_of_call(f, out),
        ExprVal::Array(items) => items.iter().for_each(|a| refs_of_expr(a, out)),
        ExprVal::StringConcat(c) => c.values.iter().for_each(|v| refs_of_val(v, out)),
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

/// How many templates and macros deep a chain of extends, imports, includes and macro
/// calls may go. Tera renders each level with a few nested calls of its own and has no
/// limit; the real templates use under ten.
pub(crate) const MAX_CHAIN: usize = 64;

/// How deeply `{% if %}`, `{% for %}`, `{% block %}`, `{% macro %}`, `{% filter %}` and
/// `{% raw %}` may nest in one template, and brackets in one expression. Tera's parser and
/// renderer recurse once per level; a few hundred levels overflow a thread's stack.
pub(crate) const MAX_NESTING: usize = 100;

/// How many operators (`+`, `and`, `==`, `~`, …) one `{{ … }}` or `{% … %}` may hold: Tera
/// parses and evaluates a chain of them by recursion, one level per operator.
pub(crate) const MAX_OPERATORS: usize = 200;

/// The graph of what rendering each unit can enter, with the text that makes each edge (to
/// place a message).
type Edges = std::collections::BTreeMap<Unit, Vec<(Unit, String)>>;

/// Every cycle of extends, imports, includes and macro calls among the templates, as one
/// diagnostic each (pushed to `diags`), placed where its first file refers to the next and
/// naming the whole cycle (`a.html -> b.html -> a.html`). A macro that calls itself is a
/// cycle too, even one that would stop: Tera has no depth limit to catch one that does
/// not. When there is no cycle, a chain deeper than [`MAX_CHAIN`] is refused the same way.
///
/// A macro call `ns::name()` counts as a call to every macro called `name`, whatever
/// template defines it: Tera looks the namespace up at run time, in the template that owns
/// the block being rendered (or the template being rendered) rather than the file where
/// the call is written, so the written namespace does not say which file is meant.
fn cycles(parsed: &[tera::Template], files: &[(String, String)], diags: &mut Diagnostics) {
    let edges = graph(parsed);
    let (found, depth) = search(&edges);
    let texts: HashMap<&str, &str> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    if found.is_empty() {
        diags.extend(too_long(&edges, &texts, &depth));
    }
    diags.extend(
        found
            .into_iter()
            .map(|cycle| cycle_diag(&edges, &texts, cycle)),
    );
}

/// What rendering each template and macro can enter, from their syntax trees: a
/// template's parent and imports, and every include and macro call (see [`cycles`] for
/// which macros a call can enter).
fn graph(parsed: &[tera::Template]) -> Edges {
    let by_name: HashMap<&str, &tera::Template> =
        parsed.iter().map(|t| (t.name.as_str(), t)).collect();
    let exists = |n: &str| by_name.contains_key(n);
    // Every template that defines a macro of each name.
    let mut defined: HashMap<&str, Vec<&str>> = HashMap::new();
    for t in parsed {
        for m in t.macros.keys() {
            defined.entry(m.as_str()).or_default().push(t.name.as_str());
        }
    }
    let resolve = |refs: Vec<Ref>, out: &mut Vec<(Unit, String)>| {
        for r in refs {
            match r {
                Ref::Include(names) => {
                    if let Some(n) = names.into_iter().find(|n| exists(n)) {
                        out.push((Unit::Template(n.clone()), n));
                    }
                }
                Ref::Call(ns, m) => {
                    for file in defined.get(m.as_str()).into_iter().flatten() {
                        out.push((
                            Unit::Macro(file.to_string(), m.clone()),
                            format!("{ns}::{m}"),
                        ));
                    }
                }
            }
        }
    };
    let mut edges: Edges = Default::default();
    for t in parsed {
        let name = t.name.as_str();
        let mut own = Vec::new();
        for parent in t.parent.iter().filter(|p| exists(p)) {
            own.push((Unit::Template(parent.clone()), parent.clone()));
        }
        for (file, _) in t.imported_macro_files.iter().filter(|(f, _)| exists(f)) {
            own.push((Unit::Template(file.clone()), file.clone()));
        }
        let mut refs = Vec::new();
        refs_of_nodes(&t.ast, &mut refs);
        resolve(refs, &mut own);
        edges.insert(Unit::Template(name.to_string()), own);
        for (m, def) in &t.macros {
            let tera::ast::MacroDefinition {
                name: _,
                args,
                body,
            } = def;
            let mut refs = Vec::new();
            for e in args.values().flatten() {
                refs_of_expr(e, &mut refs);
            }
            refs_of_nodes(body, &mut refs);
            let mut out = Vec::new();
            resolve(refs, &mut out);
            edges.insert(Unit::Macro(name.to_string(), m.clone()), out);
        }
    }
    for out in edges.values_mut() {
        out.sort();
        out.dedup();
    }
    edges
}

/// How deep the chain that starts at a unit goes (when there is no cycle), and the next
/// unit of its deepest chain.
type Depths<'a> = HashMap<&'a Unit, (usize, Option<&'a Unit>)>;

/// Every cycle of `edges` (each once, starting at its least unit), and the depth of each
/// unit.
fn search(edges: &Edges) -> (std::collections::BTreeSet<Vec<Unit>>, Depths<'_>) {
    // Depth-first search without recursion (a long chain of templates cannot overflow it
    // either); each edge back to a unit on the path closes one cycle. Finished units get
    // their depth: the longest chain that starts there.
    let mut found: std::collections::BTreeSet<Vec<Unit>> = Default::default();
    let mut depth: Depths = Default::default();
    for start in edges.keys() {
        if depth.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&Unit, usize)> = vec![(start, 0)];
        while let Some(&mut (unit, ref mut next)) = path.last_mut() {
            let Some((to, _)) = edges[unit].get(*next) else {
                let deepest = edges[unit]
                    .iter()
                    .filter_map(|(to, _)| {
                        let (k, _) = edges.get_key_value(to)?;
                        Some((depth.get(k).map_or(0, |d| d.0), k))
                    })
                    .max_by_key(|(d, _)| *d);
                depth.insert(unit, deepest.map_or((1, None), |(d, to)| (d + 1, Some(to))));
                path.pop();
                continue;
            };
            *next += 1;
            if let Some(at) = path.iter().position(|(u, _)| *u == to) {
                let mut cycle: Vec<Unit> = path[at..].iter().map(|(u, _)| (*u).clone()).collect();
                // The same cycle found from another unit is reported once.
                let first = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
                cycle.rotate_left(first);
                found.insert(cycle);
            } else if let Some((to, _)) = edges.get_key_value(to) {
                if !depth.contains_key(to) {
                    path.push((to, 0));
                }
            }
        }
    }
    (found, depth)
}

/// The deepest chain, when it is deeper than [`MAX_CHAIN`] (depths are exact once there is
/// no cycle).
fn too_long(edges: &Edges, texts: &HashMap<&str, &str>, depth: &Depths) -> Option<Diagnostic> {
    let (start, _) = depth
        .iter()
        .filter(|(_, d)| d.0 > MAX_CHAIN)
        .max_by(|a, b| (a.1 .0, b.0).cmp(&(b.1 .0, a.0)))?;
    let mut chain = vec![(*start).clone()];
    let mut at = *start;
    while let Some(&(_, Some(next))) = depth.get(at) {
        chain.push(next.clone());
        at = next;
    }
    let shown = if chain.len() > 6 {
        let names: Vec<String> = chain.iter().map(|u| u.to_string()).collect();
        format!(
            "{} -> … -> {}",
            names[..3].join(" -> "),
            names[names.len() - 2..].join(" -> ")
        )
    } else {
        chain
            .iter()
            .map(|u| u.to_string())
            .collect::<Vec<_>>()
            .join(" -> ")
    };
    let message = format!(
        "templates and macros nest {} deep, over the limit of {MAX_CHAIN}: {shown}",
        chain.len()
    );
    Some(placed(edges, texts, &chain, message).with_hint(format!(
        "Tera renders extends, imports, includes and macro calls with no depth limit, and \
         a deep enough chain overflows the stack: keep chains under {MAX_CHAIN} (a macro \
         call counts as a call to every macro of that name)"
    )))
}

/// The diagnostic for one cycle (`cycle[0]` first; its last unit refers back to it).
fn cycle_diag(edges: &Edges, texts: &HashMap<&str, &str>, mut cycle: Vec<Unit>) -> Diagnostic {
    let chain = cycle
        .iter()
        .chain(cycle.first())
        .map(|u| u.to_string())
        .collect::<Vec<_>>()
        .join(" -> ");
    let message = match &cycle[0] {
        Unit::Macro(..) if cycle.len() == 1 => format!("macro calls itself: {chain}"),
        Unit::Macro(..) => format!("macros call each other in a cycle: {chain}"),
        Unit::Template(_) => format!("templates refer to each other in a cycle: {chain}"),
    };
    cycle.push(cycle[0].clone());
    let macros = cycle.iter().any(|u| matches!(u, Unit::Macro(..)));
    placed(edges, texts, &cycle, message).with_hint(if macros {
        "Tera calls macros with no depth limit, so a recursive macro could exhaust the \
         stack: a macro may not call itself, directly or through others. Tera picks \
         the file of `ns::name()` at run time, so a call counts as a call to every \
         macro named `name`; if two unrelated macros share a name, renaming one \
         breaks the cycle"
    } else {
        "Tera follows includes, extends and imports with no depth limit, so this \
         would never finish: break the cycle"
    })
}

/// A diagnostic placed where `chain[0]` refers to `chain[1]`.
fn placed(
    edges: &Edges,
    texts: &HashMap<&str, &str>,
    chain: &[Unit],
    message: String,
) -> Diagnostic {
    let first = &chain[0];
    let next = chain.get(1).unwrap_or(first);
    let needle = edges
        .get(first)
        .and_then(|e| e.iter().find(|(u, _)| u == next))
        .map(|(_, n)| n.as_str())
        .unwrap_or_default();
    let path = format!("templates/{}", first.file());
    let text = texts.get(first.file()).copied().unwrap_or_default();
    // A macro's call is looked for inside its own definition.
    let from = match first {
        Unit::Macro(_, m) => [format!("macro {m}("), format!("macro {m} (")]
            .iter()
            .filter_map(|d| text.find(d.as_str()))
            .min()
            .unwrap_or(0),
        Unit::Template(_) => 0,
    };
    match find_reference(&text[from..], needle) {
        Some(at) => Diagnostic::at(path, text, from + at..from + at + needle.len(), message),
        None => Diagnostic::file(path, message),
    }
}

/// The first place where `text` nests deeper than [`MAX_NESTING`]: block tags (`if`, `for`,
/// `block`, `macro`, `filter`, `raw`) opened and not yet closed, or brackets inside one
/// `{{ … }}` or `{% … %}`. A cheap scan of the text, made before Tera's parser (which
/// recurses once per level) sees it.
fn too_deep(path: &str, text: &str) -> Option<Diagnostic> {
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

/// Where `needle` (a template name or `namespace::macro`) is written inside a `{% … %}` or
/// `{{ … }}` tag of `text`.
fn find_reference(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    text.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = &text[..i];
        let open = before.rfind("{%").max(before.rfind("{{"));
        let close = before.rfind("%}").max(before.rfind("}}"));
        match (open, close) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        }
    })
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
    caught(template, || t.tera.render(template, ctx))?.map_err(|e| render_error(t, template, e))
}

/// Runs one Tera render, turning a panic inside Tera (it has `unreachable!()`s that a
/// template can reach, such as a macro call as an operand of `+`) into an error naming the
/// template, so that one bad template cannot end `build` with a crash or `serve` at all.
fn caught<R>(template: &str, f: impl FnOnce() -> R) -> Result<R, Diagnostic> {
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
            format!("templates/{template}"),
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
    caught(template, || t.tera.render_to(template, ctx, w))?
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
    #[allow(unused_imports)]
    use crate::routes::*;

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
