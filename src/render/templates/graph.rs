//! The reference graph of the templates and its cycle search: which templates and macros
//! rendering each one can enter (extends, imports, includes, macro calls), every cycle
//! among them, and a chain deeper than [`MAX_CHAIN`], each refused with a diagnostic placed
//! where the first file refers to the next.

use super::refs::{refs_of_expr, refs_of_nodes, Ref};
use crate::diag::{Diagnostic, Diagnostics};
use std::collections::HashMap;

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

/// How many templates and macros deep a chain of extends, imports, includes and macro
/// calls may go. Tera renders each level with a few nested calls of its own and has no
/// limit; the real templates use under ten.
pub(crate) const MAX_CHAIN: usize = 64;

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
pub(super) fn cycles(
    parsed: &[tera::Template],
    files: &[(String, String)],
    diags: &mut Diagnostics,
) {
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
