//! One event file, `content/events/<id>.md` (any depth): its front matter read and checked
//! against what it refers to (chapters, sources, the site's taxonomies and their
//! registries: [`Refs`]), its id (the file name) checked as an element id, its dates
//! parsed. Every problem of the file is reported; an event with any problem is not
//! loaded.
//!
//! The taxonomies' keys are the site's, so they are taken out of the front matter first
//! (read with `toml_edit`, each pair then blanked out, which keeps every position), and
//! the rest is parsed with the fixed schema, whose unknown keys are errors.

use super::doc::{read_doc, stem, Doc};
use super::schema::{EventMeta, RawSourceRef};
use super::{Event, SourceRef};
use crate::config::Config;
use crate::date::Date;
use crate::diag::toml_error as tomlerr;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::files::Fence;
use crate::taxonomy::Taxonomy;
use crate::text::is_slug;
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// What an event may refer to: the site's taxonomies, and the ids of the chapters
/// (loaded, broken or draft), sources, and each taxonomy's registry entries (empty for a
/// free taxonomy), in the taxonomies' order.
pub(super) struct Refs<'a> {
    pub(super) config: &'a Config,
    /// The chapters' slugs, in the order a hint lists them.
    pub(super) chapters: &'a [&'a str],
    /// The same slugs as a set: each event looks its chapter up in it.
    pub(super) chapter_set: &'a HashSet<&'a str>,
    pub(super) sources: &'a BTreeSet<&'a str>,
    pub(super) registries: &'a [BTreeSet<&'a str>],
}

/// A value of a taxonomy as written, with its span in the front matter.
type Value = (String, Range<usize>);

/// Reads and checks the event at `rel`; `None` (with its problems in `diags`) when it has
/// any problem.
pub(super) fn load_event(
    fence: &Fence,
    rel: &Path,
    refs: &Refs,
    diags: &mut Diagnostics,
) -> Option<Event> {
    let doc = read_doc(fence, rel).map_err(|d| diags.push(d)).ok()?;
    let before = diags.len();
    let (rest, values) = taxonomy_keys(&doc, refs.config, diags);
    let meta: Option<EventMeta> = parse_rest(&doc, &rest, refs.config, diags);
    let mut meta = meta?;
    let media = super::media::media(&doc, std::mem::take(&mut meta.media), diags);
    let id = stem(rel);
    check_id(rel, &id, diags);
    let (date, end_date) = dates(&doc, &meta, diags);
    check_chapter(&doc, &meta.chapter, refs, diags);
    let sources = sources(&doc, &meta.sources, refs.sources, diags);
    let terms = check_terms(&doc, values, refs, diags);
    if meta.title.trim().is_empty() {
        diags.push(doc.at(doc.fm.clone(), "`title` is empty"));
    }
    let (Some(date), true) = (date, diags.len() == before) else {
        return None;
    };
    let display_date = meta
        .display_date
        .clone()
        .unwrap_or_else(|| crate::date::human_range(&date, end_date.as_ref()));
    Some(Event {
        lang: String::new(),
        id,
        title: meta.title,
        date,
        end_date,
        approximate: meta.approximate,
        display_date,
        summary: doc.string_source(&meta.summary),
        terms,
        chapter: meta.chapter.into_inner(),
        sources,
        disputed: meta
            .disputed
            .as_ref()
            .map(|d| Box::new(doc.string_source(d))),
        draft: meta.draft,
        body: doc.body_source(),
        media,
    })
}

/// An event's id is its file name: a slug ([`is_slug`]), and, as it becomes the id of its
/// entry on the timeline, not an id of the layout ([`crate::routes::layout_id_clash`]).
fn check_id(rel: &Path, id: &str, diags: &mut Diagnostics) {
    if !is_slug(id) {
        diags.push(Diagnostic::file(rel, format!("event file name `{id}` is not a valid id"))
            .with_hint("use lowercase letters, digits, hyphens and underscores: the name becomes the URL and the timeline anchor"));
    }
    if let Some(why) = crate::routes::layout_id_clash(id) {
        diags.push(
            Diagnostic::file(rel, format!("event id `{id}` {why}")).with_hint(
                "rename the file: an event's id is its file name, and it becomes the id of its entry on the timeline page",
            ),
        );
    }
}

/// The values of each of the site's taxonomies that the front matter of `doc` holds (in
/// the taxonomies' order), and the front matter with their pairs blanked out. A key that is
/// not a list of strings is an error.
fn taxonomy_keys(doc: &Doc, config: &Config, diags: &mut Diagnostics) -> (String, Vec<Vec<Value>>) {
    let fm = &doc.text[doc.fm.clone()];
    let mut values = vec![Vec::new(); config.taxonomies.len()];
    let Ok(parsed) = toml_edit::ImDocument::parse(fm) else {
        // Not TOML: the schema's parse reports where.
        return (fm.to_string(), values);
    };
    let mut rest = fm.to_string();
    let table = parsed.as_table();
    for (i, t) in config.taxonomies.iter().enumerate() {
        let Some((key, item)) = table.get_key_value(&t.name) else {
            continue;
        };
        let list = item
            .as_value()
            .and_then(|v| Some((v.as_array()?, v.span()?)));
        let strings = list.and_then(|(a, span)| {
            let all = a.iter().map(|v| Some((v.as_str()?.to_string(), v.span()?)));
            Some((all.collect::<Option<Vec<Value>>>()?, span))
        });
        match (strings, key.span()) {
            (Some((list, span)), Some(k)) => {
                values[i] = list;
                rest = crate::diag::toml_error::blank(&rest, k.start..span.end);
            }
            _ => {
                if let (Some(k), Some(v)) = (key.span(), item.span()) {
                    rest = crate::diag::toml_error::blank(&rest, k.start..v.end);
                }
                let span = item.span().or(key.span()).unwrap_or(0..0);
                let d = doc.fm_at(span, format!("`{}` must be a list of strings", t.name));
                diags.push(d.with_hint(format!("{} = [\"…\"]", t.name)));
            }
        }
    }
    (rest, values)
}

/// The front matter of `doc` but its taxonomies' keys (`rest`), parsed with the schema.
/// An unknown key's hint names the nearest key, the taxonomies' among them.
fn parse_rest(
    doc: &Doc,
    rest: &str,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<EventMeta> {
    let mut found = Diagnostics::default();
    let meta = tomlerr::parse(&doc.path, &doc.text, rest, doc.fm.start, &mut found);
    let keys = || {
        let taxonomies = config.taxonomies.iter().map(|t| t.name.as_str());
        let fixed = crate::taxonomy::EVENT_KEYS.iter().copied();
        fixed
            .filter(|k| !["era", "q"].contains(k))
            .chain(taxonomies)
    };
    for d in &mut found.0 {
        let Some(name) = d.message.strip_prefix("unknown key `") else {
            continue;
        };
        let name = name.trim_end_matches('`');
        // A key of a `[[media]]` table keeps the hint that lists the table's keys.
        if (d.hint.as_deref()).is_some_and(|h| h.split([' ', ',']).any(|k| k == "src")) {
            continue;
        }
        d.hint = Some(did_you_mean(name, keys()).unwrap_or_else(|| {
            format!("valid keys here: {}", keys().collect::<Vec<_>>().join(", "))
        }));
    }
    diags.extend(found.0);
    meta
}

/// Each taxonomy's values, checked: a registry's must be ids of its entries; a free one's,
/// one of its `values` if it lists them.
fn check_terms(
    doc: &Doc,
    values: Vec<Vec<Value>>,
    refs: &Refs,
    diags: &mut Diagnostics,
) -> Vec<Vec<String>> {
    let taxonomies = refs.config.taxonomies.iter();
    let checked = taxonomies.zip(values).zip(refs.registries);
    checked
        .map(|((t, list), known)| {
            for (v, span) in &list {
                let problem = if t.registry {
                    unknown_id(t, v, known)
                } else {
                    crate::taxonomy::bad_value(t, v)
                };
                if let Some((msg, hint)) = problem {
                    diags.push(doc.fm_at(span.clone(), msg).with_hint(hint));
                }
            }
            // Not `collect`: it would keep the list's allocation, room for 5 strings
            // where 3 are (the pairs are larger), for the whole build.
            let mut values = Vec::with_capacity(list.len());
            values.extend(list.into_iter().map(|(v, _)| v));
            values
        })
        .collect()
}

/// The problem with `v`, a value of the registry taxonomy `t`, if it is no id of `known`.
fn unknown_id(t: &Taxonomy, v: &str, known: &BTreeSet<&str>) -> Option<(String, String)> {
    if known.contains(v) {
        return None;
    }
    let msg = format!("unknown {} `{v}`", t.singular.to_lowercase());
    let hint = did_you_mean(v, known.iter().copied())
        .unwrap_or_else(|| format!("add it to content/{}", t.file()));
    Some((msg, hint))
}

/// `date` and `end_date`, parsed; `end_date` may not come before `date`.
fn dates(doc: &Doc, meta: &EventMeta, diags: &mut Diagnostics) -> (Option<Date>, Option<Date>) {
    let date_of = |v: &Spanned<String>, diags: &mut Diagnostics| {
        let quote = doc.fm.start + v.span().start;
        crate::date::parse_at(v.get_ref(), &doc.path, &doc.text, quote)
            .map_err(|d| diags.push(d))
            .ok()
    };
    let date = date_of(&meta.date, diags);
    let end_date = meta.end_date.as_ref().and_then(|v| date_of(v, diags));
    if let (Some(s), Some(e), Some(ev)) = (date, end_date, &meta.end_date) {
        if e < s {
            diags.push(doc.fm_at(ev.span(), "`end_date` is before `date`"));
        }
    }
    (date, end_date)
}

/// The event's chapter must be one of `refs.chapters`.
fn check_chapter(doc: &Doc, chapter: &Spanned<String>, refs: &Refs, diags: &mut Diagnostics) {
    let (name, chapters) = (chapter.get_ref(), refs.chapters);
    if refs.chapter_set.contains(name.as_str()) {
        return;
    }
    let d = doc.fm_at(chapter.span(), format!("unknown chapter `{name}`"));
    diags.push(match did_you_mean(name, chapters.iter().copied()) {
        Some(h) => d.with_hint(h),
        None => d.with_hint(format!(
            "chapters are the files in content/chapters/: {}",
            chapters.join(", ")
        )),
    });
}

/// The event's sources: at least one, each a work of `known`.
fn sources(
    doc: &Doc,
    list: &Spanned<Vec<Spanned<RawSourceRef>>>,
    known: &BTreeSet<&str>,
    diags: &mut Diagnostics,
) -> Vec<SourceRef> {
    if list.get_ref().is_empty() {
        diags.push(
            doc.fm_at(list.span(), "an event needs at least one source")
                .with_hint("sources = [\"E\"]"),
        );
    }
    let mut sources = Vec::with_capacity(list.get_ref().len());
    for s in list.get_ref() {
        let (id, note) = match s.get_ref() {
            RawSourceRef::Id(id) => (id.clone(), None),
            RawSourceRef::Full { id, note } => (id.clone(), note.clone()),
        };
        if !known.contains(id.as_str()) {
            let d = doc.fm_at(s.span(), format!("unknown source `{id}`"));
            diags.push(match did_you_mean(&id, known.iter().copied()) {
                Some(h) => d.with_hint(h),
                None => d.with_hint("sources are the [[source]] ids in content/sources.toml"),
            });
        }
        let at = doc.fm.start + s.span().start..doc.fm.start + s.span().end;
        sources.push(SourceRef { id, note, at });
    }
    sources
}
