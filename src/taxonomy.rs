//! Taxonomies: the ways a site groups its events (people, places, tags, countries, or
//! any the site declares in `site.toml`), as data. This module owns their definition:
//! the `[[taxonomies]]` tables as written ([`RawTaxonomy`]), their checks, the checked
//! [`Taxonomy`], and the default set a site gets when it declares none ([`defaults`]).
//!
//! ```toml
//! [[taxonomies]]
//! name = "organisations"    # the front-matter key on events; URL /organisations/
//! label = "Organisations"   # the index page's title, the filter's label
//! singular = "Organisation" # optional: one term's kind (default: the label)
//! filter = true             # optional: a timeline filter and a search facet
//! card = true               # optional (default true): its terms on the events' cards
//! registry = false          # optional: values are ids of content/organisations.toml
//! entry = "organisation"    # registry only, optional: its tables, [[organisation]]
//! values = ["UN", "…"]      # free values only, optional: the only values allowed
//! aliases = { "UN" = ["United Nations"] } # free values only, optional: other names search knows
//! ```
//!
//! A name is a slug ([`crate::text::is_slug`]), unique, and neither a folder the build
//! writes pages or files to ([`crate::routes::taken_folder`]) nor a key events already
//! have ([`EVENT_KEYS`]); each problem is an error at its place in `site.toml`.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// The front-matter keys of an event that are not taxonomies (the schema in
/// `content/schema.rs`, whose unit test keeps the two lists equal), and the timeline's
/// own filters and search box (`chapter`, `era`, `q`).
pub(crate) const EVENT_KEYS: &[&str] = &[
    "title",
    "date",
    "end_date",
    "approximate",
    "display_date",
    "summary",
    "chapter",
    "sources",
    "disputed",
    "draft",
    "media",
    "era",
    "q",
];

/// One `[[taxonomies]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTaxonomy {
    name: Spanned<String>,
    label: Spanned<String>,
    singular: Option<Spanned<String>>,
    #[serde(default)]
    filter: bool,
    card: Option<bool>,
    #[serde(default)]
    registry: bool,
    entry: Option<Spanned<String>>,
    values: Option<Spanned<Vec<String>>>,
    aliases: Option<Spanned<std::collections::BTreeMap<String, Vec<String>>>>,
}

/// A taxonomy of the site, checked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Taxonomy {
    /// The front-matter key and the URL folder: `organisations`.
    pub name: String,
    /// The index page's title and the filter's label: `Organisations`.
    pub label: String,
    /// One term's kind: `Organisation`.
    pub singular: String,
    /// Whether the timeline filters by it and search offers it as a facet.
    pub filter: bool,
    /// Whether the events' cards show its terms (their pages always do).
    pub card: bool,
    /// Whether its values are the ids of `content/<name>.toml`.
    pub registry: bool,
    /// A registry's table name: `[[person]]` in `content/people.toml`.
    pub entry: String,
    /// For free values, the only values allowed, if the site lists them.
    pub values: Option<Vec<String>>,
    /// For free values, other names of some values (`"North Korea" = ["DPRK"]`), which
    /// search finds them by (a registry's entries have their own `aliases`).
    pub aliases: std::collections::BTreeMap<String, Vec<String>>,
}

impl Taxonomy {
    /// The registry's file, under `content/`: `people.toml`.
    pub(crate) fn file(&self) -> String {
        format!("{}.toml", self.name)
    }
}

/// One taxonomy of the default set: its terms on the cards when it has a registry.
fn builtin(name: &str, label: &str, singular: &str, filter: bool, entry: Option<&str>) -> Taxonomy {
    Taxonomy {
        name: name.into(),
        label: label.into(),
        singular: singular.into(),
        filter,
        card: entry.is_some(),
        registry: entry.is_some(),
        entry: entry.unwrap_or("entry").into(),
        values: None,
        aliases: Default::default(),
    }
}

/// The taxonomies of a site whose `site.toml` declares none: people and places
/// (registries, on the cards), tags and countries (free values, on the events' pages).
pub(crate) fn defaults() -> Vec<Taxonomy> {
    vec![
        builtin("people", "People", "Person", true, Some("person")),
        builtin("places", "Places", "Place", false, Some("place")),
        builtin("tags", "Tags", "Tag", true, None),
        builtin("countries", "Countries", "Country", true, None),
    ]
}

/// Checks the declared taxonomies; `at` makes a diagnostic at a span of `site.toml`.
pub(crate) fn check(
    raw: &[RawTaxonomy],
    at: impl Fn(Range<usize>, String) -> Diagnostic,
    diags: &mut Diagnostics,
) -> Vec<Taxonomy> {
    let mut out: Vec<Taxonomy> = Vec::new();
    for t in raw {
        let name = t.name.get_ref();
        if let Some(why) = bad_name(name) {
            diags.push(at(t.name.span(), format!("taxonomy name `{}` {why}", name.escape_debug()))
                .with_hint("a taxonomy's name is the key events use and its pages' URL folder: lowercase letters, digits, hyphens and underscores, not a name the site already uses"));
        }
        if out.iter().any(|x| &x.name == name) {
            diags.push(at(
                t.name.span(),
                format!("two taxonomies are called `{name}`"),
            ));
        }
        for s in [Some(&t.label), t.singular.as_ref()].into_iter().flatten() {
            if s.get_ref().trim().is_empty()
                || s.get_ref().chars().any(crate::text::is_refused_char)
            {
                diags.push(at(
                    s.span(),
                    "a label must be non-empty text without control characters".into(),
                ));
            }
        }
        let registry = t.registry;
        if let (true, Some(v)) = (registry, &t.values) {
            diags.push(
                at(
                    v.span(),
                    "`values` is for free values: a registry's values are the ids of its file"
                        .into(),
                )
                .with_hint("remove `values`, or set `registry = false`"),
            );
        }
        if let (false, Some(e)) = (registry, &t.entry) {
            diags.push(
                at(
                    e.span(),
                    "`entry` names a registry's tables: this taxonomy has no registry".into(),
                )
                .with_hint("remove `entry`, or set `registry = true`"),
            );
        }
        if let Some(e) = t
            .entry
            .as_ref()
            .filter(|e| !crate::text::is_slug(e.get_ref()))
        {
            diags.push(at(e.span(), format!("entry name `{}` must use only lowercase letters, digits, hyphens and underscores", e.get_ref().escape_debug())));
        }
        out.push(Taxonomy {
            name: name.clone(),
            label: t.label.get_ref().clone(),
            singular: t.singular.as_ref().unwrap_or(&t.label).get_ref().clone(),
            filter: t.filter,
            card: t.card.unwrap_or(true),
            registry,
            entry: t
                .entry
                .as_ref()
                .map_or("entry", |e| e.get_ref())
                .to_string(),
            values: t.values.as_ref().map(|v| v.get_ref().clone()),
            aliases: checked_aliases(t, &at, diags),
        });
    }
    out
}

/// A free taxonomy's `aliases`: each value among its `values` (when it lists them), each
/// alias non-empty text; a registry's taxonomy has none (its entries carry them).
fn checked_aliases(
    t: &RawTaxonomy,
    at: &impl Fn(Range<usize>, String) -> Diagnostic,
    diags: &mut Diagnostics,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let Some(a) = &t.aliases else {
        return Default::default();
    };
    if t.registry {
        diags.push(
            at(
                a.span(),
                "`aliases` is for free values: a registry's entries list their own".into(),
            )
            .with_hint("move them to the entries' `aliases` in the registry's file"),
        );
        return Default::default();
    }
    let values = t.values.as_ref().map(|v| v.get_ref());
    for (value, names) in a.get_ref() {
        if let Some(v) = values.filter(|v| !v.contains(value)) {
            let d = at(
                a.span(),
                format!(
                    "alias of `{}`, which is not among `values`",
                    value.escape_debug()
                ),
            );
            diags.push(match did_you_mean(value, v.iter().map(String::as_str)) {
                Some(h) => d.with_hint(h),
                None => d.with_hint("name a value of `values`"),
            });
        }
        if names
            .iter()
            .any(|n| n.trim().is_empty() || n.chars().any(crate::text::is_refused_char))
        {
            diags.push(at(
                a.span(),
                format!(
                    "an alias of `{}` is empty or holds control characters",
                    value.escape_debug()
                ),
            ));
        }
    }
    a.get_ref().clone()
}

/// Why `name` cannot be a taxonomy's name, if it cannot.
fn bad_name(name: &str) -> Option<String> {
    if !crate::text::is_slug(name) || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("must start with a lowercase letter and use only lowercase letters, digits, hyphens and underscores".into());
    }
    if EVENT_KEYS.contains(&name) {
        return Some("is a key events already have".into());
    }
    if let Some(what) = crate::routes::taken_folder(name) {
        return Some(format!("is the folder of {what}"));
    }
    crate::routes::own_section(name).map(|p| {
        format!(
            "is the section the navigation gives the pages made with {}",
            p.template()
        )
    })
}

/// The problem with `value`, a term of the free taxonomy `t` written on an event, and its
/// hint: a value outside the taxonomy's `values`, or one with no letter or digit to make
/// its URL from.
pub(crate) fn bad_value(t: &Taxonomy, value: &str) -> Option<(String, String)> {
    if let Some(values) = &t.values {
        if !values.iter().any(|v| v == value) {
            let hint =
                did_you_mean(value, values.iter().map(String::as_str)).unwrap_or_else(|| {
                    format!(
                        "the values of `{}` are listed in site.toml's [[taxonomies]]",
                        t.name
                    )
                });
            return Some((
                format!("unknown {} `{value}`", t.singular.to_lowercase()),
                hint,
            ));
        }
    }
    if term_id(value) == "section" && !value.to_lowercase().contains("section") {
        return Some((
            format!(
                "{} `{value}` has no letter or digit to make its URL from",
                t.singular.to_lowercase()
            ),
            "write the term with at least one Latin letter or digit: its URL is made of them"
                .into(),
        ));
    }
    None
}

/// A free value's id, its URL segment (`Soviet Union` → `soviet-union`).
pub(crate) fn term_id(value: &str) -> String {
    crate::text::slugify(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_slugs_free_of_routes_and_event_keys() {
        assert!(bad_name("organisations").is_none());
        assert!(bad_name("people").is_none());
        for n in [
            "__proto__",
            "1x",
            "Orgs",
            "a b",
            "",
            "events",
            "chapters",
            "timeline",
            "search",
            "sources",
            "print",
            "title",
            "chapter",
            "era",
            "page",
            "home",
        ] {
            assert!(bad_name(n).is_some(), "{n}");
        }
    }
}
