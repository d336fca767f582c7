//! What a template refers to, read from its syntax tree: the includes and macro calls in
//! its nodes and expressions, for the reference graph of [`super::graph`]. The walkers match
//! every kind of Tera node and expression with no catch-all arm.

/// What a piece of template text refers to: an include (the first of its names that
/// exists is rendered), or a macro call `namespace::name`.
pub(super) enum Ref {
    Include(Vec<String>),
    Call(String, String),
}

// The walkers below match every variant of Tera's syntax tree with no catch-all arm, so a
// kind of node or expression added by a future Tera fails to compile here instead of
// hiding a reference from the cycle check.

pub(super) fn refs_of_nodes(nodes: &[tera::ast::Node], out: &mut Vec<Ref>) {
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

pub(super) fn refs_of_expr(e: &tera::ast::Expr, out: &mut Vec<Ref>) {
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
