//! The registries: `content/sources.toml` (the works events cite, [`Work`]), and each
//! registry taxonomy's `content/<name>.toml` (its [`Entry`]s, `[[person]]` tables in
//! `people.toml`). Each registry is optional; one that is there is read through the
//! content [`Fence`] and checked entry by entry: ids (their form and uniqueness, each
//! reported at the id), dates, URLs, `cited_in`, and the sources entries cite. An entry
//! that does not parse is reported once and left out, the others still load, and its id
//! stays nameable ([`Loaded::broken`]), so that it does not cascade.

use super::controls::toml_control_characters;
use super::doc::string_source;
use super::schema::{RawEntry, RawWork, SourcesFile};
use super::{Entry, Work};
use crate::diag::toml_error as tomlerr;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::files::Fence;
use crate::taxonomy::Taxonomy;
use crate::text::is_slug;
use serde::de::{DeserializeOwned, IgnoredAny};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// Reads `content/<name>`: `None` when there is no such file (or it could not be read,
/// which is reported). Control characters written as TOML escapes in its strings are
/// refused at the escape, as in front matter, except under `markdown_keys` (Markdown,
/// checked as it is rendered).
pub(super) fn read_registry(
    root: &Path,
    fence: &Fence,
    name: &str,
    markdown_keys: &[&str],
    diags: &mut Diagnostics,
) -> Option<(PathBuf, Arc<str>)> {
    let rel = PathBuf::from("content").join(name);
    // A dangling symlink is not "no registry": resolving it reports it.
    if root.join(&rel).symlink_metadata().is_err() {
        return None;
    }
    match fence.read_text(&rel) {
        Ok(t) => {
            toml_control_characters(&rel, &t, 0..t.len(), markdown_keys, diags);
            Some((rel, t))
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// A registry's entries: those loaded, and the ids of those that failed to parse (each
/// reported once, at its entry), which other files may still name without an error.
pub(super) struct Loaded<T> {
    pub(super) entries: Vec<T>,
    pub(super) broken: Vec<String>,
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded {
            entries: Vec::new(),
            broken: Vec::new(),
        }
    }
}

impl<T> Loaded<T> {
    /// The same, each entry made into a `U`.
    fn map<U>(self, f: impl FnMut(T) -> U) -> Loaded<U> {
        Loaded {
            entries: self.entries.into_iter().map(f).collect(),
            broken: self.broken,
        }
    }

    /// The ids other files may name: those of the entries and of the broken ones.
    pub(super) fn ids<'a>(&'a self, id: impl Fn(&'a T) -> &'a str) -> BTreeSet<&'a str> {
        let broken = self.broken.iter().map(String::as_str);
        self.entries.iter().map(id).chain(broken).collect()
    }
}

/// Parses the registry `text` (at `rel`) as `F`, whose entries `entries` takes out; `S` is
/// `F` with its entries skipped. When the file as a whole fails, its keys outside the
/// entries are parsed as `S`, and each `[[array]]` entry on its own (the rest of the text
/// blanked out, which keeps every position), so that one bad entry is reported once and
/// the others load; `None` when the file is not TOML at all.
fn parse_entries<F, S, E>(
    rel: &Path,
    text: &str,
    array: &str,
    entries: fn(F) -> Vec<E>,
    diags: &mut Diagnostics,
) -> Option<Loaded<E>>
where
    F: DeserializeOwned,
    S: DeserializeOwned,
{
    let mut whole = Diagnostics::default();
    if let Some(f) = tomlerr::parse::<F>(rel, text, text, 0, &mut whole) {
        return Some(Loaded {
            entries: entries(f),
            broken: Vec::new(),
        });
    }
    let doc = toml_edit::ImDocument::parse(text).ok();
    let tables = doc
        .as_ref()
        .and_then(|d| d.get(array)?.as_array_of_tables());
    let Some(tables) = tables else {
        diags.extend(whole.0);
        return None;
    };
    let before = diags.len();
    tomlerr::parse::<S>(rel, text, text, 0, diags);
    let mut loaded = Loaded::default();
    for t in tables.iter() {
        let Some(span) = t.span() else { continue };
        // The entry alone, placed in the file by its offset: each entry is read once.
        match tomlerr::parse::<F>(rel, text, &text[span.clone()], span.start, diags) {
            Some(f) => loaded.entries.extend(entries(f)),
            None => loaded
                .broken
                .extend(t.get("id").and_then(|v| v.as_str()).map(String::from)),
        }
    }
    if diags.len() == before {
        // Nothing found part by part: the problem is the file's.
        diags.extend(whole.0);
        return None;
    }
    Some(loaded)
}

/// Reads and checks `content/sources.toml`.
pub(super) fn load_sources(root: &Path, fence: &Fence, diags: &mut Diagnostics) -> Loaded<Work> {
    // Its strings are all plain (titles, notes, URLs).
    let Some((rel, text)) = read_registry(root, fence, "sources.toml", &[], diags) else {
        return Loaded::default();
    };
    let parsed = parse_entries::<SourcesFile, SourcesFile<IgnoredAny>, _>(
        &rel,
        &text,
        "source",
        |f| f.source,
        diags,
    );
    let Some(raw) = parsed else {
        return Loaded::default();
    };
    Loaded {
        entries: load_works(&rel, &text, raw.entries, diags),
        broken: raw.broken,
    }
}

/// Checks the works of `sources.toml` (at `rel`, whose text is `text`) and makes them.
fn load_works(rel: &Path, text: &str, raw: Vec<RawWork>, diags: &mut Diagnostics) -> Vec<Work> {
    let mut out: Vec<Work> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for w in &raw {
        check_work_id(rel, text, &w.id, &seen, diags);
        seen.insert(w.id.get_ref());
        out.push(work(rel, text, w, diags));
    }
    check_cited_in(rel, text, &raw, &out, diags);
    out
}

/// A source id is ASCII letters, digits, hyphens and underscores, and unique (not one of
/// the ids `before` it).
fn check_work_id(
    rel: &Path,
    text: &str,
    id: &Spanned<String>,
    before: &HashSet<&str>,
    diags: &mut Diagnostics,
) {
    let shown = id.get_ref();
    if shown.is_empty()
        || shown.contains(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        diags.push(Diagnostic::at(
            rel,
            text,
            id.span(),
            format!(
                "source id `{shown}` must use only ASCII letters, digits, hyphens and underscores"
            ),
        ));
    }
    if before.contains(shown.as_str()) {
        diags.push(Diagnostic::at(
            rel,
            text,
            id.span(),
            format!("two sources have the id `{shown}`"),
        ));
    }
}

/// One work, its date parsed and its URL checked.
fn work(rel: &Path, text: &str, w: &RawWork, diags: &mut Diagnostics) -> Work {
    let date = w.date.as_ref().and_then(|d| {
        crate::date::parse_at(d.get_ref(), rel, text, d.span().start)
            .map_err(|x| diags.push(x))
            .ok()
    });
    if let Some(u) = &w.url {
        let s = u.get_ref();
        if !(s.starts_with("https://") || s.starts_with("http://")) {
            diags.push(Diagnostic::at(
                rel,
                text,
                u.span(),
                format!("url `{s}` must start with https:// or http://"),
            ));
        }
    }
    Work {
        title_translation: None,
        lang: String::new(),
        id: w.id.get_ref().clone(),
        title: w.title.clone(),
        publisher: w.publisher.clone(),
        author: w.author.clone(),
        date,
        date_text: w.date_text.clone(),
        url: w.url.as_ref().map(|u| u.get_ref().clone()),
        note: w.note.clone(),
        cited_in: w.cited_in.as_ref().map(|c| c.get_ref().clone()),
    }
}

/// Every `cited_in` names a work of the same file.
fn check_cited_in(
    rel: &Path,
    text: &str,
    raw: &[RawWork],
    works: &[Work],
    diags: &mut Diagnostics,
) {
    let ids: Vec<String> = works.iter().map(|w| w.id.clone()).collect();
    for c in raw.iter().filter_map(|w| w.cited_in.as_ref()) {
        if !ids.contains(c.get_ref()) {
            diags.push(
                Diagnostic::at(
                    rel,
                    text,
                    c.span(),
                    format!("`cited_in` names unknown source `{}`", c.get_ref()),
                )
                .with_hint(
                    did_you_mean(c.get_ref(), ids.iter().map(|s| s.as_str())).unwrap_or_default(),
                ),
            );
        }
    }
}

/// A taxonomy's registry being read: its file and text, and its taxonomy.
struct Registry<'t> {
    rel: PathBuf,
    text: Arc<str>,
    taxonomy: &'t Taxonomy,
}

/// Reads and checks the registry of the taxonomy `t`, `content/<name>.toml`: its entries,
/// in file order. No file is an empty registry.
pub(super) fn load_registry(
    root: &Path,
    fence: &Fence,
    t: &Taxonomy,
    diags: &mut Diagnostics,
) -> Loaded<Entry> {
    let Some((rel, text)) = read_registry(root, fence, &t.file(), &["summary"], diags) else {
        return Loaded::default();
    };
    let registry = Registry {
        rel,
        text,
        taxonomy: t,
    };
    let raw = registry.parse(diags);
    registry.entries(raw, diags)
}

impl Registry<'_> {
    fn at(&self, span: std::ops::Range<usize>, msg: String) -> Diagnostic {
        Diagnostic::at(&self.rel, &self.text, span, msg)
    }

    /// The file's `[[entry]]` tables, each parsed on its own (placed in the file by its
    /// offset), so that one bad entry is reported once, its id kept as broken, and the
    /// others load. Any other top-level key is an unknown key.
    fn parse(&self, diags: &mut Diagnostics) -> Loaded<RawEntry> {
        let text = &*self.text;
        let Ok(doc) = toml_edit::ImDocument::parse(text) else {
            tomlerr::parse::<IgnoredAny>(&self.rel, text, text, 0, diags);
            return Loaded::default();
        };
        let entry = self.taxonomy.entry.as_str();
        let mut loaded = Loaded::default();
        let top = doc.as_table();
        for (key, item) in top.iter() {
            let key_span = top.key(key).and_then(|k| k.span()).unwrap_or(0..0);
            let tables = item.as_array_of_tables().filter(|_| key == entry);
            let Some(tables) = tables else {
                let d = self.at(key_span, format!("unknown key `{key}`"));
                diags.push(d.with_hint(format!(
                    "content/{} holds [[{entry}]] tables, one per entry",
                    self.taxonomy.file()
                )));
                continue;
            };
            for t in tables.iter() {
                if let Some(e) = self.parse_entry(t, diags) {
                    loaded.entries.push(e);
                } else if let Some(id) = t.get("id").and_then(|v| v.as_str()) {
                    loaded.broken.push(id.to_string());
                }
            }
        }
        loaded
    }

    /// One `[[entry]]` table, parsed alone: its text with its header blanked out (which
    /// keeps every position, and places a missing key at the header), its values' spans
    /// then moved to their place in the file.
    fn parse_entry(&self, t: &toml_edit::Table, diags: &mut Diagnostics) -> Option<RawEntry> {
        let text = &*self.text;
        let span = t.span()?;
        let header = text[span.clone()].find('\n').unwrap_or(span.len());
        let alone = tomlerr::blank(&text[span.clone()], 0..header);
        let before = diags.len();
        for (key, _) in t
            .iter()
            .filter(|(_, i)| i.is_table() || i.is_array_of_tables())
        {
            let key_span = t.key(key).and_then(|k| k.span()).unwrap_or(0..0);
            diags.push(self.at(key_span, format!("unknown key `{key}`")));
        }
        let parsed = tomlerr::parse::<RawEntry>(&self.rel, text, &alone, span.start, diags);
        let at = |v: Spanned<String>| {
            let r = v.span();
            Spanned::new(r.start + span.start..r.end + span.start, v.into_inner())
        };
        let e = parsed.filter(|_| diags.len() == before)?;
        let moved = |v: Spanned<toml::Value>| {
            let r = v.span();
            Spanned::new(r.start + span.start..r.end + span.start, v.into_inner())
        };
        Some(RawEntry {
            id: at(e.id),
            summary: at(e.summary),
            sources: e.sources.into_iter().map(at).collect(),
            lat: e.lat.map(moved),
            lon: e.lon.map(moved),
            at: e.at.map(at),
            outline: e.outline.map(at),
            ..e
        })
    }

    /// The entries, in file order, each id checked.
    fn entries(&self, raw: Loaded<RawEntry>, diags: &mut Diagnostics) -> Loaded<Entry> {
        let mut seen = HashMap::new();
        raw.map(|r| {
            self.check_id(&r.id, &mut seen, diags);
            let coords = self.coords(&r, diags);
            let (marks, outline) = self.map_keys(&r, coords.is_some(), diags);
            Entry {
                lang: String::new(),
                coords,
                marks,
                outline,
                coords_refused: coords.is_none() && (r.lat.is_some() || r.lon.is_some()),
                summary: string_source(&self.rel, &self.text, &r.summary, 0),
                id: r.id.into_inner(),
                name: r.name,
                aliases: r.aliases,
                detail: r.detail,
                sources_at: r.sources.iter().map(Spanned::span).collect(),
                sources: r.sources.into_iter().map(Spanned::into_inner).collect(),
            }
        })
    }

    /// An entry's point: `lat` and `lon`, both numbers of degrees in range, given
    /// together, and only in the registry of places. Each problem is an error at its value.
    fn coords(&self, r: &RawEntry, diags: &mut Diagnostics) -> Option<(f64, f64)> {
        let (lat, lon) = (r.lat.as_ref(), r.lon.as_ref());
        let first = lat.or(lon)?;
        if self.taxonomy.name != super::PLACES {
            let msg =
                "`lat` and `lon` are a place's point: only entries of content/places.toml have one";
            diags.push(self.at(first.span(), msg.into()));
            return None;
        }
        let lat = lat.and_then(|v| self.degrees("lat", v, 90.0, diags));
        let lon = lon.and_then(|v| self.degrees("lon", v, 180.0, diags));
        match (&r.lat, &r.lon) {
            (Some(v), None) | (None, Some(v)) => {
                let (given, missing) = if r.lat.is_some() {
                    ("lat", "lon")
                } else {
                    ("lon", "lat")
                };
                let d = self.at(v.span(), format!("`{given}` without `{missing}`"));
                diags.push(d.with_hint("a place's point needs both `lat` and `lon`, or neither"));
                None
            }
            _ => Some((lat?, lon?)),
        }
    }

    /// An entry's `at` (what its point marks: only with `lat` and `lon`) and `outline`
    /// (a country's name, with where it is written: checked against the outlines where
    /// maps are drawn, `maps::Places::checked`), both only in the registry of places.
    fn map_keys(
        &self,
        r: &RawEntry,
        has_point: bool,
        diags: &mut Diagnostics,
    ) -> (Option<String>, Option<(String, std::ops::Range<usize>)>) {
        let keys = [("at", &r.at), ("outline", &r.outline)];
        if self.taxonomy.name != super::PLACES {
            for (key, v) in keys.iter().filter_map(|(k, v)| Some((k, v.as_ref()?))) {
                let msg = format!(
                    "`{key}` belongs to a place: only entries of content/places.toml have one"
                );
                diags.push(self.at(v.span(), msg));
            }
            return (None, None);
        }
        let marks = r.at.as_ref().and_then(|v| {
            if has_point || r.lat.is_some() || r.lon.is_some() {
                return Some(v.get_ref().clone());
            }
            let d = self.at(v.span(), "`at` without `lat` and `lon`".into());
            diags.push(d.with_hint("`at` says what a place's point marks, e.g. `at = \"Lạng Sơn city\"` for a province"));
            None
        });
        let outline = (r.outline.as_ref()).map(|v| (v.get_ref().clone(), v.span()));
        (marks, outline)
    }

    /// The value of `lat` or `lon` (`key`), a number from `-limit` to `limit`.
    fn degrees(
        &self,
        key: &str,
        v: &Spanned<toml::Value>,
        limit: f64,
        diags: &mut Diagnostics,
    ) -> Option<f64> {
        let n = match v.get_ref() {
            toml::Value::Float(f) => *f,
            toml::Value::Integer(i) => *i as f64,
            other => {
                let d = self.at(
                    v.span(),
                    format!(
                        "`{key}` must be a number of degrees, not a {}",
                        other.type_str()
                    ),
                );
                diags.push(d.with_hint(format!("write it without quotes: `{key} = 21.0245`")));
                return None;
            }
        };
        if !(n.is_finite() && (-limit..=limit).contains(&n)) {
            let d = self.at(v.span(), format!("`{key}` {n} is out of range"));
            diags.push(d.with_hint(format!("{key} lies from -{limit} to {limit} degrees")));
            return None;
        }
        Some(n)
    }

    /// An entry's id is a slug ([`is_slug`]), as it is its page's URL, and unique in its
    /// file. Each problem is reported at the id; `seen` holds the ids before it, with
    /// where each starts.
    fn check_id(
        &self,
        id: &Spanned<String>,
        seen: &mut HashMap<String, usize>,
        diags: &mut Diagnostics,
    ) {
        let (what, shown) = (self.taxonomy.singular.to_lowercase(), id.get_ref());
        let at = |msg: String| self.at(id.span(), msg);
        if !is_slug(shown) {
            diags.push(at(format!(
                "{what} id `{shown}` must use only lowercase letters, digits, hyphens and underscores"
            )));
        }
        match seen.get(shown) {
            Some(&first) => {
                let line = self.text[..first].matches('\n').count() + 1;
                diags.push(
                    at(format!("two entries have the id `{shown}`"))
                        .with_hint(format!("ids must be unique: line {line} has it first")),
                );
            }
            None => {
                seen.insert(shown.clone(), id.span().start);
            }
        }
    }
}

/// The sources that registry entries cite must be works of `sources.toml`.
pub(super) fn check_entry_sources(
    registries: &[Vec<Entry>],
    sources: &BTreeSet<&str>,
    diags: &mut Diagnostics,
) {
    for e in registries.iter().flatten() {
        for s in &e.sources {
            if !sources.contains(s.as_str()) {
                diags.push(
                    e.summary
                        .diag(0..0, format!("unknown source `{s}` in `{}`", e.id)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each problem's file, line and message.
    fn where_and_what(diags: &Diagnostics) -> Vec<(&str, usize, &str)> {
        let all = diags.0.iter();
        all.map(|d| (d.path.to_str().unwrap(), d.line, d.message.as_str()))
            .collect()
    }

    /// A site folder with an empty content/.
    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("content")).unwrap();
        d
    }

    /// The default taxonomy called `name`.
    fn taxonomy(name: &str) -> Taxonomy {
        let all = crate::taxonomy::defaults();
        all.into_iter().find(|t| t.name == name).unwrap()
    }

    /// Every registry's plain strings are checked as it is read, the same way, even when
    /// it then fails to parse; `summary` (Markdown) is left to the Markdown stage.
    #[test]
    fn control_characters_of_every_registry_are_refused_as_it_is_read() {
        let d = site();
        let content = d.path().join("content");
        let person = "[[person]]\nid = \"a\"\nname = \"A\\u0001\"\nsummary = \"\\u0002\"\n";
        std::fs::write(content.join("people.toml"), format!("{person}bogus = 1\n")).unwrap();
        std::fs::write(
            content.join("places.toml"),
            person.replace("person", "place"),
        )
        .unwrap();
        let source = "[[source]]\nid = \"A\"\ntitle = \"T\\b\"\n";
        std::fs::write(content.join("sources.toml"), source).unwrap();
        let fence = Fence::new(d.path(), "content");
        let mut diags = Diagnostics::default();
        let people = load_registry(d.path(), &fence, &taxonomy("people"), &mut diags);
        assert!(people.entries.is_empty());
        let places = load_registry(d.path(), &fence, &taxonomy("places"), &mut diags);
        assert_eq!(places.entries.len(), 1);
        assert_eq!(load_sources(d.path(), &fence, &mut diags).entries.len(), 1);
        let got = where_and_what(&diags);
        let control = |n| format!("control character U+000{n} is not allowed");
        assert_eq!(
            got,
            [
                ("content/people.toml", 3, control(1).as_str()),
                ("content/people.toml", 5, "unknown key `bogus`"),
                ("content/places.toml", 3, control(1).as_str()),
                ("content/sources.toml", 3, control(8).as_str()),
            ]
        );
    }

    /// A bad entry is reported once, at its entry; the others load, the keys outside the
    /// entries are still checked, and the bad entry's id is kept as broken.
    #[test]
    fn a_bad_entry_is_reported_once_and_the_others_load() {
        let d = site();
        let content = d.path().join("content");
        let sources = "bogus = 1\n[[source]]\nid = \"A\"\ntitle = \"T\"\n[[source]]\nid = \"B\"\n";
        std::fs::write(content.join("sources.toml"), sources).unwrap();
        let place = |id: &str, extra: &str| {
            format!("[[place]]\nid = \"{id}\"\nname = \"N\"\n{extra}summary = \"S\"\n")
        };
        let places = place("a", "contry = \"X\"\nnmae = 2\n") + &place("b", "");
        std::fs::write(content.join("places.toml"), places).unwrap();
        let fence = Fence::new(d.path(), "content");
        let mut diags = Diagnostics::default();
        let s = load_sources(d.path(), &fence, &mut diags);
        assert_eq!(
            (s.entries.len(), s.broken.as_slice()),
            (1, ["B".to_string()].as_slice())
        );
        let p = load_registry(d.path(), &fence, &taxonomy("places"), &mut diags);
        assert_eq!(
            p.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        assert_eq!(p.ids(|e| e.id.as_str()), BTreeSet::from(["a", "b"]));
        let got = where_and_what(&diags);
        assert_eq!(
            got,
            [
                ("content/sources.toml", 1, "unknown key `bogus`"),
                ("content/sources.toml", 5, "missing key `title`"),
                ("content/places.toml", 4, "unknown key `contry`"),
                ("content/places.toml", 5, "unknown key `nmae`"),
            ]
        );
    }

    /// `lat` and `lon`: numbers in range, both or neither, only for places; each problem
    /// at its value, and the entry still loads (without a point).
    #[test]
    fn a_place_s_point_is_checked_at_its_values() {
        let d = site();
        let content = d.path().join("content");
        let place = |id: &str, extra: &str| {
            format!("[[place]]\nid = \"{id}\"\nname = \"N\"\nsummary = \"S\"\n{extra}")
        };
        let places = [
            place("ok", "lat = 21.0245\nlon = 105\n"),
            place("text", "lat = \"21\"\nlon = 105.8\n"),
            place("far", "lat = 91.5\nlon = -180\n"),
            place("half", "lon = 10.0\n"),
            place("none", ""),
        ];
        std::fs::write(content.join("places.toml"), places.concat()).unwrap();
        let person = "[[person]]\nid = \"p\"\nname = \"P\"\nsummary = \"S\"\nlat = 1\nlon = 2\n";
        std::fs::write(content.join("people.toml"), person).unwrap();
        let fence = Fence::new(d.path(), "content");
        let mut diags = Diagnostics::default();
        let p = load_registry(d.path(), &fence, &taxonomy("places"), &mut diags);
        let points: Vec<_> = p
            .entries
            .iter()
            .map(|e| (e.id.as_str(), e.coords))
            .collect();
        assert_eq!(
            points,
            [
                ("ok", Some((21.0245, 105.0))),
                ("text", None),
                ("far", None),
                ("half", None),
                ("none", None)
            ]
        );
        let people = load_registry(d.path(), &fence, &taxonomy("people"), &mut diags);
        assert_eq!(people.entries[0].coords, None);
        let got: Vec<_> = (diags.0.iter())
            .map(|d| (d.path.to_str().unwrap(), d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("content/places.toml", 11, 7, "`lat` must be a number of degrees, not a string"),
                ("content/places.toml", 17, 7, "`lat` 91.5 is out of range"),
                ("content/places.toml", 23, 7, "`lon` without `lat`"),
                ("content/people.toml", 5, 7, "`lat` and `lon` are a place's point: only entries of content/places.toml have one"),
            ]
        );
    }
}
