//! Translations of the content: each language of `site.toml` other than the default
//! (`[languages.<code>]`) may have a translation of any text item, in a file beside its
//! original with the code before the extension:
//!
//! * `content/index.<code>.md`, `content/chapters/<slug>.<code>.md`,
//!   `content/events/<id>.<code>.md` (beside the original, at any depth) and
//!   `content/pages/**/<name>.<code>.md`: front matter holding only the text keys
//!   (`title`, `summary`; for events also `display_date` and `disputed`), then the body.
//!   Everything else (dates, chapter, sources, terms, media, order…) is the original's.
//! * `content/sources.<code>.toml` (`[[source]]`: `id`, `title_translation`,
//!   `publisher`, `date_text`, `note`) and `content/<registry>.<code>.toml` for each
//!   registry taxonomy (`[[person]]`: `id`, `name`, `role` (or `detail`, `country`),
//!   `summary`), naming the original's ids.
//!
//! A file whose name ends in `.<code>.md` for a declared code is a translation, never a
//! chapter, event or page of its own ([`translation_code`]). Every problem is an error at
//! its place: a key a translation may not hold, a translation without an original, an id
//! the original registry does not have, a body whose headings differ from the original's.
//! A translation's body reuses the original's heading ids by position (the same number of
//! headings, each of the same level, are required), so that `@/chapters/x.md#the-road`
//! reaches the same section in every language: [`Source::headings`] carries them to the
//! Markdown stage.
//!
//! [`Content::localized`] gives the content a language's pages render with; [`missing`]
//! makes `check`'s warnings of the items a language has not translated.

use super::doc::{load_each, parse_fm, read_doc, string_source, Doc};
use super::schema::SourcesFile;
use super::{Content, Source};
use crate::config::Config;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Severity};
use crate::files::Fence;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The translated texts of one chapter, event, page or the home page.
#[derive(Debug, Clone)]
pub struct ItemText {
    pub title: String,
    pub summary: Option<Source>,
    pub display_date: Option<String>,
    pub disputed: Option<Source>,
    pub body: Source,
}

/// The translated texts of one registry entry.
#[derive(Debug, Clone, Default)]
pub struct EntryText {
    pub name: Option<String>,
    pub detail: Option<String>,
    pub summary: Option<Source>,
}

/// The translated texts of one source.
#[derive(Debug, Clone, Default)]
pub struct WorkText {
    pub title_translation: Option<String>,
    pub publisher: Option<String>,
    pub date_text: Option<String>,
    pub note: Option<String>,
}

/// Everything translated into one language, by the original's key.
#[derive(Debug, Clone, Default)]
pub struct LangTexts {
    pub home: Option<ItemText>,
    /// By page path.
    pub pages: HashMap<String, ItemText>,
    /// By slug.
    pub chapters: HashMap<String, ItemText>,
    /// By id.
    pub events: HashMap<String, ItemText>,
    /// By taxonomy (the site's order; empty for a free taxonomy), then entry id.
    pub registries: Vec<HashMap<String, EntryText>>,
    /// By source id.
    pub sources: HashMap<String, WorkText>,
}

/// Every language's translations, by code.
#[derive(Debug, Clone, Default)]
pub struct Translations(pub BTreeMap<String, LangTexts>);

/// The declared code `rel` is a translation into (`x.vi.md` → `vi`), if any.
pub(crate) fn translation_code<'c>(rel: &Path, codes: &'c [String]) -> Option<&'c str> {
    let stem = rel.file_stem()?.to_str()?;
    let (_, code) = stem.rsplit_once('.')?;
    codes.iter().find(|c| *c == code).map(String::as_str)
}

/// The path of the original of an item whose text is in `lang` and was read from `path`:
/// `content/events/x.md` for `content/events/x.vi.md` in `vi`; `path` itself for an
/// original. Links and anchors name the original's path in every language.
pub(crate) fn original_path<'p>(path: &'p Path, lang: &str) -> std::borrow::Cow<'p, Path> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    match stem.strip_suffix(lang).and_then(|s| s.strip_suffix('.')) {
        Some(base) if !lang.is_empty() => {
            let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("md");
            std::borrow::Cow::Owned(path.with_file_name(format!("{base}.{ext}")))
        }
        _ => std::borrow::Cow::Borrowed(path),
    }
}

/// An error for a Markdown file named like a translation into a language `site.toml` does
/// not declare (`x.fr.md`): it is neither a translation nor, with a dot in its name, an
/// item of its own.
pub(super) fn undeclared(rel: &Path) -> Option<Diagnostic> {
    let stem = rel.file_stem()?.to_str()?;
    let (_, code) = stem.rsplit_once('.')?;
    let primary = code.split('-').next()?;
    let looks = (2..=3).contains(&primary.len())
        && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    let name = rel.file_name()?.to_string_lossy();
    let msg =
        format!("{name} looks like a translation into `{code}`, which site.toml does not declare");
    let hint = format!("declare the language in site.toml ([languages.{code}] with `name`, `title` and `description`), or rename the file: the name of a chapter, an event or a page has no dot");
    looks.then(|| Diagnostic::file(rel, msg).with_hint(hint))
}

/// A free page in a folder named like a language (`content/pages/vi/x.md`) would be where
/// that language's pages live: an error at the page.
pub(super) fn check_page_folders(
    config: &Config,
    pages: &[super::FreePage],
    diags: &mut Diagnostics,
) {
    for p in pages {
        let first = p.path.split('/').next().unwrap_or_default();
        if let Some(l) = config.languages.iter().skip(1).find(|l| l.code == first) {
            let msg = format!(
                "this page would build to /{}/, in /{first}/, where the pages in {} live",
                p.path, l.name
            );
            let hint = "a language's pages live under its code: give this page another path";
            diags.push(Diagnostic::file(&p.body.path, msg).with_hint(hint));
        }
    }
}

/// The languages' codes other than the default's.
pub(super) fn codes(config: &Config) -> Vec<String> {
    (config.languages.iter().skip(1))
        .map(|l| l.code.clone())
        .collect()
}

/// What a translation file translates.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Home,
    Page,
    Chapter,
    Event,
}

impl Kind {
    /// The front-matter keys its translation may hold.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Event => &["title", "summary", "display_date", "disputed"],
            _ => &["title", "summary"],
        }
    }
    /// The keys of its original that a translation takes from the original.
    fn original_keys(self) -> &'static [&'static str] {
        match self {
            Kind::Home => &[],
            Kind::Page => &["draft", "menu"],
            Kind::Chapter => &["order", "years", "draft", "media"],
            Kind::Event => crate::taxonomy::EVENT_KEYS,
        }
    }
}

/// A translation's front matter: only texts.
#[derive(Deserialize)]
struct Meta {
    title: String,
    summary: Option<Spanned<String>>,
    display_date: Option<String>,
    disputed: Option<Spanned<String>>,
}

/// One translation file found: its path, language, kind and original's path.
struct Found {
    rel: PathBuf,
    code: String,
    kind: Kind,
    original: PathBuf,
}

/// Reads every translation of the content (in parallel, as the originals are); `content`
/// holds the originals, loaded. Every problem goes to `diags`.
pub(super) fn load(
    root: &Path,
    fence: &Fence,
    config: &Config,
    content: &Content,
    diags: &mut Diagnostics,
) -> Translations {
    let codes = codes(config);
    let mut out = Translations::default();
    if codes.is_empty() {
        return out;
    }
    let found = find(root, &codes, diags);
    let originals = Originals::of(content);
    let by_rel: HashMap<&Path, &Found> = found.iter().map(|f| (f.rel.as_path(), f)).collect();
    let files: Vec<PathBuf> = found.iter().map(|f| f.rel.clone()).collect();
    let results = load_each(&files, diags, |rel, ds| {
        load_item(root, fence, by_rel.get(rel)?, &originals, ds)
    });
    for code in &codes {
        let texts = LangTexts {
            registries: registries(root, fence, config, content, code, diags),
            sources: sources(root, fence, content, code, diags),
            ..Default::default()
        };
        out.0.insert(code.clone(), texts);
    }
    for (f, item) in found.iter().zip(results) {
        let (Some(item), Some(texts)) = (item, out.0.get_mut(&f.code)) else {
            continue;
        };
        let key = originals.key(f);
        match f.kind {
            Kind::Home => texts.home = Some(item),
            Kind::Page => drop(texts.pages.insert(key, item)),
            Kind::Chapter => drop(texts.chapters.insert(key, item)),
            Kind::Event => drop(texts.events.insert(key, item)),
        }
    }
    out
}

/// Every translation file of the Markdown content.
fn find(root: &Path, codes: &[String], diags: &mut Diagnostics) -> Vec<Found> {
    let mut found = Vec::new();
    for code in codes {
        let rel = PathBuf::from(format!("content/index.{code}.md"));
        if root.join(&rel).symlink_metadata().is_ok() {
            found.push(Found {
                rel,
                code: code.clone(),
                kind: Kind::Home,
                original: PathBuf::from("content/index.md"),
            });
        }
    }
    let dirs = [
        (super::pages::PAGES_DIR, Kind::Page),
        ("content/chapters", Kind::Chapter),
        ("content/events", Kind::Event),
    ];
    for (dir, kind) in dirs {
        for path in crate::files::files_under(root, dir, diags) {
            let rel = crate::files::rel(root, &path);
            let md = rel.extension().is_some_and(|x| x == "md");
            let Some(code) = translation_code(&rel, codes).filter(|_| md) else {
                continue;
            };
            let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
            let base = &stem[..stem.len() - code.len() - 1];
            let original = rel.with_file_name(format!("{base}.md"));
            found.push(Found {
                code: code.to_string(),
                rel,
                kind,
                original,
            });
        }
    }
    found
}

/// The originals a translation may translate, by file, with their headings.
struct Originals<'c> {
    by_path: HashMap<&'c Path, (String, &'c Source)>,
}

impl<'c> Originals<'c> {
    fn of(content: &'c Content) -> Self {
        let mut by_path = HashMap::new();
        if let Some(h) = &content.home {
            by_path.insert(h.body.path.as_path(), (String::new(), &h.body));
        }
        for p in &content.pages {
            by_path.insert(p.body.path.as_path(), (p.path.clone(), &p.body));
        }
        for c in &content.chapters {
            by_path.insert(c.body.path.as_path(), (c.slug.clone(), &c.body));
        }
        for e in &content.events {
            by_path.insert(e.body.path.as_path(), (e.id.clone(), &e.body));
        }
        Originals { by_path }
    }

    fn key(&self, f: &Found) -> String {
        (self.by_path.get(f.original.as_path())).map_or_else(String::new, |(k, _)| k.clone())
    }
}

/// Reads one translation: `None` (with its problems in `diags`) when it has any, or when
/// its original is a draft left out or failed to load (reported there).
fn load_item(
    root: &Path,
    fence: &Fence,
    f: &Found,
    originals: &Originals,
    diags: &mut Diagnostics,
) -> Option<ItemText> {
    let doc = read_doc(fence, &f.rel).map_err(|d| diags.push(d)).ok()?;
    let Some((_, original)) = originals.by_path.get(f.original.as_path()) else {
        if root.join(&f.original).symlink_metadata().is_err() {
            diags.push(
                Diagnostic::file(&f.rel, format!("a translation into `{}` without its original: there is no {}", f.code, f.original.display()))
                    .with_hint("a translation sits beside its original, with the language code before .md: rename it, or write the original"),
            );
        }
        return None;
    };
    let before = diags.len();
    check_keys(&doc, f.kind, diags);
    let meta: Meta = parse_fm(&doc, diags)?;
    let mut body = doc.body_source();
    super::controls::front_matter(&body, &["summary", "disputed"], diags);
    body.headings = same_headings(original, &body, diags);
    (diags.len() == before).then(|| ItemText {
        title: meta.title,
        summary: meta.summary.as_ref().map(|s| doc.string_source(s)),
        display_date: meta.display_date,
        disputed: meta.disputed.as_ref().map(|s| doc.string_source(s)),
        body,
    })
}

/// Only text keys: any other is an error at its line, saying where it comes from.
fn check_keys(doc: &Doc, kind: Kind, diags: &mut Diagnostics) {
    let fm = &doc.text[doc.fm.clone()];
    let Ok(parsed) = toml_edit::ImDocument::parse(fm) else {
        return; // parse_fm reports it.
    };
    let allowed = kind.keys();
    let list = (allowed.iter().map(|k| format!("`{k}`")))
        .collect::<Vec<_>>()
        .join(", ");
    let top = parsed.as_table();
    for (key, _) in top.iter() {
        if allowed.contains(&key) {
            continue;
        }
        let span = top.key(key).and_then(|k| k.span()).unwrap_or(0..0);
        let msg = match kind.original_keys().contains(&key) {
            true => format!("`{key}` is taken from the original; a translation holds only {list}"),
            false => format!("unknown key `{key}`: a translation holds only {list}"),
        };
        let d = doc.fm_at(span, msg).with_hint("everything but the texts (dates, chapter, sources, terms, media, order) is the original's");
        diags.push(d);
    }
}

/// A heading of a body: its level, the id it is given (`{#id}`, else from its text) and
/// where it is.
struct Heading {
    level: u8,
    base: String,
    at: std::ops::Range<usize>,
}

/// The headings of a Markdown body, as the Markdown stage reads them.
fn headings(md: &str) -> Vec<Heading> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut out = Vec::new();
    let mut open: Option<(u8, Option<String>, String, std::ops::Range<usize>)> = None;
    for (ev, range) in Parser::new_ext(md, opts).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                open = Some((level as u8, id.map(|i| i.to_string()), String::new(), range));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text, _)) = &mut open {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text, at)) = open.take() {
                    let base = id.unwrap_or_else(|| crate::text::slugify(&text));
                    out.push(Heading { level, base, at });
                }
            }
            _ => {}
        }
    }
    out
}

/// The original's heading ids for `translation`, when its headings match the original's
/// in number and levels; else an error naming both files and the first that differs.
fn same_headings(
    original: &Source,
    translation: &Source,
    diags: &mut Diagnostics,
) -> Option<Arc<[String]>> {
    let (o, t) = (
        headings(&original.markdown),
        headings(&translation.markdown),
    );
    let differs = (0..o.len().max(t.len())).find(|&i| match (o.get(i), t.get(i)) {
        (Some(a), Some(b)) => a.level != b.level,
        _ => true,
    });
    let Some(i) = differs else {
        return Some(o.into_iter().map(|h| h.base).collect());
    };
    let theirs = match o.get(i) {
        Some(h) => {
            let line = original.file[..original.offset + h.at.start]
                .lines()
                .count()
                + 1;
            let file = original.path.display();
            let text = original.markdown[h.at.clone()].lines().next();
            let text = text.unwrap_or_default().trim();
            format!("its heading {} is `{text}` ({file}:{line})", i + 1)
        }
        None => format!("{} has {} headings", original.path.display(), o.len()),
    };
    let (at, ours) = match t.get(i) {
        Some(h) => (
            h.at.clone(),
            format!(
                "heading {} of this translation is a level-{} heading",
                i + 1,
                h.level
            ),
        ),
        None => (
            translation.markdown.len()..translation.markdown.len(),
            format!("this translation has {} headings", t.len()),
        ),
    };
    diags.push(
        translation
            .diag(at, format!("the headings differ from the original's, {}: {ours}, and {theirs}", original.path.display()))
            .with_hint("a translation keeps the original's headings, as many and of the same levels in the same order: links to a section use the original's heading ids in every language"),
    );
    None
}

/// One entry of a registry's translation: its id and texts only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntryText {
    id: Spanned<String>,
    name: Option<String>,
    #[serde(alias = "role", alias = "country")]
    detail: Option<String>,
    summary: Option<Spanned<String>>,
}

/// The registries' translations into `code`, in the site's taxonomies' order.
fn registries(
    root: &Path,
    fence: &Fence,
    config: &Config,
    content: &Content,
    code: &str,
    diags: &mut Diagnostics,
) -> Vec<HashMap<String, EntryText>> {
    let each = config.taxonomies.iter().enumerate();
    each.map(|(i, t)| {
        let mut out = HashMap::new();
        if !t.registry {
            return out;
        }
        let name = format!("{}.{code}.toml", t.name);
        let Some((rel, text)) =
            super::registry::read_registry(root, fence, &name, &["summary"], diags)
        else {
            return out;
        };
        let parsed: Option<BTreeMap<String, Vec<RawEntryText>>> =
            crate::diag::toml_error::parse(&rel, &text, &text, 0, diags);
        let ids: Vec<&str> = content.registries[i]
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        for (key, entries) in parsed.into_iter().flatten() {
            if key != t.entry {
                let d = Diagnostic::file(&rel, format!("unknown key `{key}`"));
                diags.push(d.with_hint(format!(
                    "a translation of content/{} holds [[{}]] tables",
                    t.file(),
                    t.entry
                )));
                continue;
            }
            for e in entries {
                if known_id(&rel, &text, &e.id, &ids, diags) {
                    let summary = e.summary.as_ref().map(|s| string_source(&rel, &text, s, 0));
                    let texts = EntryText {
                        name: e.name,
                        detail: e.detail,
                        summary,
                    };
                    out.insert(e.id.into_inner(), texts);
                }
            }
        }
        out
    })
    .collect()
}

/// Whether `id` is one of the original's `ids`; else an error with the nearest.
fn known_id(
    rel: &Path,
    text: &str,
    id: &Spanned<String>,
    ids: &[&str],
    diags: &mut Diagnostics,
) -> bool {
    if ids.contains(&id.get_ref().as_str()) {
        return true;
    }
    let msg = format!(
        "`{}` is not an id of the original",
        id.get_ref().escape_debug()
    );
    let mut d = Diagnostic::at(rel, text, id.span(), msg);
    if let Some(h) = did_you_mean(id.get_ref(), ids.iter().copied()) {
        d = d.with_hint(h);
    }
    diags.push(d);
    false
}

/// One source of `sources.<code>.toml`: its id and translated texts.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkText {
    id: Spanned<String>,
    title_translation: Option<String>,
    publisher: Option<String>,
    date_text: Option<String>,
    note: Option<String>,
}

/// The sources' translations into `code`.
fn sources(
    root: &Path,
    fence: &Fence,
    content: &Content,
    code: &str,
    diags: &mut Diagnostics,
) -> HashMap<String, WorkText> {
    let name = format!("sources.{code}.toml");
    let mut out = HashMap::new();
    let Some((rel, text)) = super::registry::read_registry(root, fence, &name, &[], diags) else {
        return out;
    };
    let parsed: Option<SourcesFile<RawWorkText>> =
        crate::diag::toml_error::parse(&rel, &text, &text, 0, diags);
    let ids: Vec<&str> = content.sources.iter().map(|s| s.id.as_str()).collect();
    for w in parsed.map(|p| p.source).unwrap_or_default() {
        if known_id(&rel, &text, &w.id, &ids, diags) {
            let texts = WorkText {
                title_translation: w.title_translation,
                publisher: w.publisher,
                date_text: w.date_text,
                note: w.note,
            };
            out.insert(w.id.into_inner(), texts);
        }
    }
    out
}

/// A translation's summary as the text the page renders, when it has one.
fn summary_text(summary: Option<&Source>) -> Option<String> {
    summary.map(|s| s.markdown.to_string())
}

impl Content {
    /// Names the terms of `config`'s free taxonomies as the language `code` does
    /// (`[languages.<code>.terms.<taxonomy>]` in site.toml); a term it does not name keeps
    /// its value. A registry's terms take their names from the registry's translation.
    pub(crate) fn name_free_terms(&mut self, config: &crate::config::Config, code: &str) {
        for (i, t) in config.taxonomies.iter().enumerate() {
            if t.registry {
                continue;
            }
            for term in &mut self.terms[i] {
                term.name = config.term_name(code, &t.name, &term.name).to_string();
            }
        }
    }

    /// The content as the pages of language `code` show it: each chapter's, event's,
    /// page's, registry entry's and source's texts replaced by their translation where
    /// there is one, and `lang` set on each to the language its text is in (the default's
    /// where it falls back). The default language's content is the content as it is.
    pub(crate) fn localized(&self, code: &str) -> Content {
        let mut c = self.clone();
        let Some(t) = self.translations.0.get(code) else {
            return c;
        };
        if let (Some(h), Some(tr)) = (&mut c.home, &t.home) {
            h.title = tr.title.clone();
            h.summary = summary_text(tr.summary.as_ref()).or(h.summary.take());
            h.body = tr.body.clone();
            h.lang = code.to_string();
        }
        for p in &mut c.pages {
            if let Some(tr) = t.pages.get(&p.path) {
                p.title = tr.title.clone();
                p.summary = summary_text(tr.summary.as_ref()).or(p.summary.take());
                p.body = tr.body.clone();
                p.lang = code.to_string();
            }
        }
        for ch in &mut c.chapters {
            if let Some(tr) = t.chapters.get(&ch.slug) {
                ch.title = tr.title.clone();
                ch.summary = tr.summary.clone().unwrap_or(ch.summary.clone());
                ch.body = tr.body.clone();
                ch.lang = code.to_string();
            }
        }
        for e in &mut c.events {
            if let Some(tr) = t.events.get(&e.id) {
                e.title = tr.title.clone();
                e.summary = tr.summary.clone().unwrap_or(e.summary.clone());
                e.display_date = tr.display_date.clone().unwrap_or(e.display_date.clone());
                e.disputed = tr.disputed.clone().map(Box::new).or(e.disputed.take());
                e.body = tr.body.clone();
                e.lang = code.to_string();
            }
        }
        localize_registries(&mut c, t, code);
        c
    }
}

/// [`Content::localized`] of the registries, their terms and the sources.
fn localize_registries(c: &mut Content, t: &LangTexts, code: &str) {
    for (i, entries) in c.registries.iter_mut().enumerate() {
        let Some(texts) = t.registries.get(i) else {
            continue;
        };
        for e in entries.iter_mut() {
            let Some(tr) = texts.get(&e.id) else {
                continue;
            };
            e.name = tr.name.clone().unwrap_or(e.name.clone());
            e.detail = tr.detail.clone().or(e.detail.take());
            e.summary = tr.summary.clone().unwrap_or(e.summary.clone());
            e.lang = code.to_string();
            if let Some(term) = c
                .terms
                .get_mut(i)
                .and_then(|ts| ts.iter_mut().find(|x| x.id == e.id))
            {
                term.name = e.name.clone();
            }
        }
    }
    for w in &mut c.sources {
        if let Some(tr) = t.sources.get(&w.id) {
            w.title_translation = tr.title_translation.clone();
            w.publisher = tr.publisher.clone().or(w.publisher.take());
            w.date_text = tr.date_text.clone().or(w.date_text.take());
            w.note = tr.note.clone().or(w.note.take());
            w.lang = code.to_string();
        }
    }
}

/// How many names a warning of missing translations lists.
const NAMED: usize = 5;

/// `check`'s warnings of what each language has not translated: one per language and
/// kind of item (chapters, events, pages, each registry, sources), with the first few.
pub(crate) fn missing(config: &Config, content: &Content) -> Diagnostics {
    let mut out = Diagnostics::default();
    for (code, t) in &content.translations.0 {
        let mut kinds: Vec<(String, Vec<&str>, usize)> = vec![
            (
                "chapters".into(),
                missing_of(content.chapters.iter().map(|c| c.slug.as_str()), |k| {
                    t.chapters.contains_key(k)
                }),
                content.chapters.len(),
            ),
            (
                "events".into(),
                missing_of(content.events.iter().map(|e| e.id.as_str()), |k| {
                    t.events.contains_key(k)
                }),
                content.events.len(),
            ),
            (
                "pages".into(),
                missing_of(content.pages.iter().map(|p| p.path.as_str()), |k| {
                    t.pages.contains_key(k)
                }),
                content.pages.len(),
            ),
            (
                "sources".into(),
                missing_of(content.sources.iter().map(|s| s.id.as_str()), |k| {
                    t.sources.contains_key(k)
                }),
                content.sources.len(),
            ),
        ];
        for (i, tax) in config
            .taxonomies
            .iter()
            .enumerate()
            .filter(|(_, x)| x.registry)
        {
            let entries = &content.registries[i];
            let done = t.registries.get(i);
            let m = missing_of(entries.iter().map(|e| e.id.as_str()), |k| {
                done.is_some_and(|d| d.contains_key(k))
            });
            kinds.push((format!("{} entries", tax.name), m, entries.len()));
        }
        if content.home.is_some() && t.home.is_none() {
            kinds.push(("home pages".into(), vec!["content/index.md"], 1));
        }
        for (kind, names, of) in kinds.into_iter().filter(|(_, n, _)| !n.is_empty()) {
            let mut list = names
                .iter()
                .take(NAMED)
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if names.len() > NAMED {
                list.push_str(", …");
            }
            let msg = format!(
                "{code}: {} of {of} {kind} have no translation: {list}",
                names.len()
            );
            let hint = format!(
                "until they have one, their pages in `{code}` show the default language's text"
            );
            out.push(
                Diagnostic::general(msg)
                    .with_hint(hint)
                    .with_severity(Severity::Warning),
            );
        }
    }
    out
}

/// The keys of `all` that `has` does not have.
fn missing_of<'a>(all: impl Iterator<Item = &'a str>, has: impl Fn(&str) -> bool) -> Vec<&'a str> {
    all.filter(|k| !has(k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::LoadOptions;

    /// The two-language fixture (`build/languages` over `build/minimal`), loaded.
    fn fixture() -> (Config, Content) {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build");
        let dir = tempfile::tempdir().unwrap();
        for case in ["minimal", "languages"] {
            for e in walkdir::WalkDir::new(fixtures.join(case)) {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(fixtures.join(case)).unwrap();
                let to = dir.path().join(rel);
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(&to).unwrap();
                } else if !rel.starts_with("base") && !rel.starts_with("expected-check.txt") {
                    std::fs::copy(e.path(), &to).unwrap();
                }
            }
        }
        let mut diags = Diagnostics::default();
        let config = Config::load(dir.path(), None, &mut diags).unwrap();
        let content = Content::load(dir.path(), &config, LoadOptions::default(), &mut diags);
        assert!(diags.is_empty(), "{diags}");
        (config, content)
    }

    #[test]
    fn localized_overlays_the_translated_texts_and_marks_their_language() {
        let (_, content) = fixture();
        assert!(content.events.iter().all(|e| e.lang == "en"));
        let vi = content.localized("vi");
        let ch = |c: &Content| c.chapter("alliance").unwrap().clone();
        assert_eq!(
            (ch(&vi).title.as_str(), ch(&vi).lang.as_str()),
            ("Liên minh", "vi")
        );
        assert_eq!(ch(&vi).order, ch(&content).order, "the original's order");
        assert!(
            vi.chapter("split").unwrap().lang == "en",
            "a fallback keeps its language"
        );
        let ev = vi
            .events
            .iter()
            .find(|e| e.id == "1957-07-ho-visit")
            .unwrap();
        assert_eq!(
            (ev.display_date.as_str(), ev.lang.as_str()),
            ("tháng 7 năm 1957", "vi")
        );
        assert_eq!(
            ev.body.path,
            Path::new("content/events/1957-07-ho-visit.vi.md")
        );
        let ho = &vi.registries[0][0];
        assert_eq!((ho.name.as_str(), ho.lang.as_str()), ("Hồ Chí Minh", "vi"));
        assert_eq!(
            vi.terms[0][0].name, "Hồ Chí Minh",
            "a registry's term takes the name"
        );
        let e = vi.sources.iter().find(|w| w.id == "E").unwrap();
        assert_eq!(
            e.title_translation.as_deref(),
            Some("Quan hệ Triều Tiên – Việt Nam")
        );
        assert_eq!(
            e.publisher.as_deref(),
            Some("Wikipedia"),
            "not translated: kept"
        );
        assert_eq!(vi.home.as_ref().unwrap().title, "Tối giản");
        let en = content.localized("en");
        assert_eq!(ch(&en).title, "The alliance");
        assert!(
            Arc::ptr_eq(&en.translations, &vi.translations),
            "loaded once, shared"
        );
    }

    #[test]
    fn a_translated_body_takes_the_original_heading_ids_by_position() {
        let (_, content) = fixture();
        let body = &content.translations.0["vi"].chapters["alliance"].body;
        let ids: Vec<&str> = body
            .headings
            .as_deref()
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(ids, ["recognition", "aid"]);
    }

    #[test]
    fn missing_translations_are_one_warning_per_language_and_kind() {
        let (config, content) = fixture();
        let w = missing(&config, &content);
        let got: Vec<&str> = w.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "vi: 1 of 2 chapters have no translation: `split`",
                "vi: 2 of 3 events have no translation: `1950-01-31-relations`, `1968-peace-talks`",
                "vi: 1 of 2 sources have no translation: `szalontai-2012`",
                "vi: 1 of 1 places entries have no translation: `pyongyang`",
            ]
        );
        assert!(w.0.iter().all(|d| d.severity == Severity::Warning));
    }

    #[test]
    fn translation_files_are_told_apart_from_originals() {
        let codes = ["vi".to_string(), "pt-br".to_string()];
        let code = |p: &str| translation_code(Path::new(p), &codes);
        assert_eq!(code("content/events/x.vi.md"), Some("vi"));
        assert_eq!(code("content/pages/a/b.pt-br.md"), Some("pt-br"));
        assert_eq!(code("content/events/x.fr.md"), None);
        assert_eq!(code("content/events/vi.md"), None);
        let orig = |p: &str, l: &str| original_path(Path::new(p), l).into_owned();
        assert_eq!(
            orig("content/events/x.vi.md", "vi"),
            Path::new("content/events/x.md")
        );
        assert_eq!(
            orig("content/events/x.md", "en"),
            Path::new("content/events/x.md")
        );
        assert!(undeclared(Path::new("content/events/x.fr.md")).is_some());
        assert!(undeclared(Path::new("content/events/x.1957.md")).is_none());
    }
}
