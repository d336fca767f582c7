//! One event file, `content/events/<id>.md` (any depth): its front matter read and checked
//! against what it refers to (chapters, sources, people, places, countries: [`Refs`]),
//! its id (the file name) and its tags checked as element ids, its dates parsed. Every
//! problem of the file is reported; an event with any problem is not loaded.

use super::doc::{parse_fm, read_doc, stem, Doc};
use super::registry::{check_country, Kind, PEOPLE, PLACES};
use super::schema::{EventMeta, RawSourceRef};
use super::{Event, SourceRef};
use crate::config::Config;
use crate::date::Date;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::files::Fence;
use crate::text::is_slug;
use std::collections::BTreeSet;
use std::path::Path;
use toml::Spanned;

/// What an event may refer to: the site's countries, and the ids of the chapters (loaded,
/// broken or draft), sources, people and places.
pub(super) struct Refs<'a> {
    pub(super) config: &'a Config,
    pub(super) chapters: &'a [&'a str],
    pub(super) sources: &'a BTreeSet<&'a str>,
    pub(super) people: &'a BTreeSet<&'a str>,
    pub(super) places: &'a BTreeSet<&'a str>,
}

/// Reads and checks the event at `rel`; `None` (with its problems in `diags`) when it has
/// any problem.
pub(super) fn load_event(
    fence: &Fence,
    rel: &Path,
    refs: &Refs,
    diags: &mut Diagnostics,
) -> Option<Event> {
    let doc = read_doc(fence, rel).map_err(|d| diags.push(d)).ok()?;
    let meta: EventMeta = parse_fm(&doc, diags)?;
    let before = diags.len();
    let id = stem(rel);
    check_id(rel, &id, diags);
    check_tags(&doc, &meta.tags, diags);
    let (date, end_date) = dates(&doc, &meta, diags);
    check_chapter(&doc, &meta.chapter, refs.chapters, diags);
    let sources = sources(&doc, &meta.sources, refs.sources, diags);
    let people = check_list(&doc, &meta.people, refs.people, &PEOPLE, diags);
    let places = check_list(&doc, &meta.places, refs.places, &PLACES, diags);
    for c in &meta.countries {
        check_country(refs.config, c, |span, msg| doc.fm_at(span, msg), diags);
    }
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
        id,
        title: meta.title,
        date,
        end_date,
        approximate: meta.approximate,
        display_date,
        summary: doc.string_source(&meta.summary),
        places,
        people,
        countries: meta
            .countries
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        tags: meta.tags.into_iter().map(Spanned::into_inner).collect(),
        chapter: meta.chapter.into_inner(),
        sources,
        disputed: meta.disputed.as_ref().map(|d| doc.string_source(d)),
        draft: meta.draft,
        body: doc.body_source(),
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

/// A tag's slug is the id of its section on the tags page: not an id of the layout.
fn check_tags(doc: &Doc, tags: &[Spanned<String>], diags: &mut Diagnostics) {
    for t in tags {
        let slug = crate::text::slugify(t.get_ref());
        if let Some(why) = crate::routes::layout_id_clash(&slug) {
            diags.push(
                doc.fm_at(
                    t.span(),
                    format!("tag `{}` has the id `{slug}`, which {why}", t.get_ref()),
                )
                .with_hint("rename the tag: its id becomes the id of its section on the tags page"),
            );
        }
    }
}

/// `date` and `end_date`, parsed; `end_date` may not come before `date`.
fn dates(doc: &Doc, meta: &EventMeta, diags: &mut Diagnostics) -> (Option<Date>, Option<Date>) {
    let date_of = |v: &Spanned<String>, diags: &mut Diagnostics| match Date::parse(v.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(
                e.in_string(&doc.path, &doc.text, doc.fm.start + v.span().start)
                    .with_hint(crate::date::DATE_HINT),
            );
            None
        }
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

/// The event's chapter must be one of `chapters`.
fn check_chapter(doc: &Doc, chapter: &Spanned<String>, chapters: &[&str], diags: &mut Diagnostics) {
    let name = chapter.get_ref();
    if chapters.contains(&name.as_str()) {
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
    let mut sources = Vec::new();
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

/// The event's people or places: each an id of `known`, the entries of the registry of
/// `kind`.
fn check_list(
    doc: &Doc,
    list: &[Spanned<String>],
    known: &BTreeSet<&str>,
    kind: &Kind,
    diags: &mut Diagnostics,
) -> Vec<String> {
    for v in list {
        if !known.contains(v.get_ref().as_str()) {
            let what = kind.what;
            let d = doc.fm_at(v.span(), format!("unknown {what} `{}`", v.get_ref()));
            diags.push(match did_you_mean(v.get_ref(), known.iter().copied()) {
                Some(h) => d.with_hint(h),
                None => d.with_hint(format!("add it to content/{}", kind.file)),
            });
        }
    }
    list.iter().map(|v| v.get_ref().clone()).collect()
}
