//! The content stage: reads `content/` into plain data and checks every cross-reference.
//!
//! It owns the front-matter schemas and the registries (documented in the README's
//! authoring section, and here, where they are parsed):
//!
//! * `content/index.md`: the home page. Front matter: `title`, optional `summary`.
//! * `content/chapters/<slug>.md`: `title`, `order` (integer), `summary`,
//!   `years = [first, last]`, optional `draft`.
//! * `content/events/<id>.md` (any depth): `title`, `date`, optional `end_date`,
//!   `approximate`, `display_date`, `summary`, `places`, `people`, `countries`, `tags`,
//!   `chapter`, `sources` (ids, or `{ id, note }` tables), optional `disputed`, `draft`.
//! * `content/sources.toml` (`[[source]]`), `content/people.toml` (`[[person]]`),
//!   `content/places.toml` (`[[place]]`).
//!
//! Front matter is TOML between a first line `+++` and the next line `+++`. Dates use the
//! syntax of [`crate::date`]. Every problem is collected as a [`Diagnostic`] with its file,
//! line and column; loading goes on after a problem so that one run reports them all.
//!
//! Every file is read through a [`Fence`] (also used for `templates/`, `static/` and, with
//! the site folder as its bounds, `site.toml`): its real path must lie inside the real
//! `content/`, decided before the file is opened, so no symlink can bring in (or make the
//! build open) a file from elsewhere; only regular files are opened, never waiting, and
//! none over [`MAX_FILE_BYTES`] is read. Folders are walked by [`files_under`], which reads
//! each real folder once (a second way into one is an error) and at most [`MAX_FILES`]
//! files. A site without a `content/` folder is an error, not an empty site. Two chapters
//! whose file names are the same (in different folders) would build one page over the
//! other, and are refused.
//!
//! Event ids (file names), person and place ids and tag slugs are written as element ids
//! (on the timeline, the people and places pages, the tags page): one that is a layout id
//! or starts with a prefix of the layout's templated ids
//! ([`crate::routes::layout_id_clash`]) is an error naming the file or the registry
//! line, so no page can have an id twice. Control characters written as TOML escapes in
//! `content/sources.toml` are refused at the escape.

use crate::config::Config;
use crate::date::Date;
use crate::diag::toml_error as tomlerr;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Span};
use crate::files::{files_under, Fence};
use crate::text::is_slug;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// Markdown text from a user's file, with where it sits in that file (for diagnostics).
#[derive(Debug, Clone)]
pub struct Source {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// The whole file's text.
    pub file: Arc<str>,
    /// The Markdown itself.
    pub markdown: Text,
    /// Byte offset of `markdown` within `file` (approximate for TOML strings with escapes).
    pub offset: usize,
}

/// Markdown text: a range of the file it was read from (a body: no copy is kept), or a
/// string of its own (a TOML value, whose escapes make it differ from the file's bytes).
#[derive(Debug, Clone)]
pub enum Text {
    InFile(Arc<str>, std::ops::Range<usize>),
    Own(String),
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::InFile(file, range) => &file[range.clone()],
            Text::Own(s) => s,
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Own(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Own(s.to_string())
    }
}

impl Source {
    /// A byte range of `markdown`, as a place in the file.
    pub fn span(&self, span: std::ops::Range<usize>) -> Span {
        Span {
            path: self.path.clone(),
            file: Arc::clone(&self.file),
            range: self.offset + span.start..self.offset + span.end,
        }
    }

    /// A diagnostic at a byte range of `markdown`.
    pub fn diag(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(
            &self.path,
            &self.file,
            self.offset + span.start..self.offset + span.end,
            msg,
        )
    }
}

#[derive(Debug, Clone)]
pub struct Home {
    pub title: String,
    pub summary: Option<String>,
    pub body: Source,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub slug: String,
    pub title: String,
    pub order: i64,
    pub summary: Source,
    pub years: (i32, i32),
    pub draft: bool,
    pub body: Source,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceRef {
    pub id: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub date: Date,
    pub end_date: Option<Date>,
    pub approximate: bool,
    /// `display_date` if given, else the date in words.
    pub display_date: String,
    pub summary: Source,
    pub places: Vec<String>,
    pub people: Vec<String>,
    pub countries: Vec<String>,
    pub tags: Vec<String>,
    pub chapter: String,
    pub sources: Vec<SourceRef>,
    pub disputed: Option<Source>,
    pub draft: bool,
    pub body: Source,
}

#[derive(Debug, Clone)]
pub struct Work {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub date: Option<Date>,
    pub date_text: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub cited_in: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// `role` for people, `country` for places.
    pub detail: Option<String>,
    pub summary: Source,
    pub sources: Vec<String>,
}

/// Everything in `content/`, checked.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub home: Option<Home>,
    /// By `order`, then slug.
    pub chapters: Vec<Chapter>,
    /// By date, then id.
    pub events: Vec<Event>,
    pub sources: Vec<Work>,
    pub people: Vec<Entry>,
    pub places: Vec<Entry>,
    /// Files that failed to load (`chapters/x.md`, `events/y.md`): links to them are not
    /// reported as broken, so that one mistake gives one error, not one per link.
    pub unloaded: BTreeSet<String>,
}

/// Whether drafts are included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

// ---------------------------------------------------------------- front matter schemas

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HomeMeta {
    title: String,
    summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChapterMeta {
    title: String,
    order: i64,
    summary: Spanned<String>,
    years: Spanned<Vec<i32>>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSourceRef {
    Id(String),
    Full { id: String, note: Option<String> },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventMeta {
    title: String,
    date: Spanned<String>,
    end_date: Option<Spanned<String>>,
    #[serde(default)]
    approximate: bool,
    display_date: Option<String>,
    summary: Spanned<String>,
    #[serde(default)]
    places: Vec<Spanned<String>>,
    #[serde(default)]
    people: Vec<Spanned<String>>,
    #[serde(default)]
    countries: Vec<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    chapter: Spanned<String>,
    sources: Spanned<Vec<Spanned<RawSourceRef>>>,
    disputed: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    source: Vec<RawWork>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWork {
    id: Spanned<String>,
    title: String,
    publisher: Option<String>,
    author: Option<String>,
    date: Option<Spanned<String>>,
    date_text: Option<String>,
    url: Option<Spanned<String>>,
    note: Option<String>,
    cited_in: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    #[serde(default)]
    person: Vec<RawPerson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    role: Option<String>,
    summary: Spanned<String>,
    #[serde(default)]
    sources: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    #[serde(default)]
    place: Vec<RawPlace>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    country: Option<Spanned<String>>,
    summary: Spanned<String>,
    #[serde(default)]
    sources: Vec<Spanned<String>>,
}

// ---------------------------------------------------------------- reading files

/// A file read and split: its text, and its front matter and body ranges.
struct Doc {
    path: PathBuf,
    text: Arc<str>,
    fm: std::ops::Range<usize>,
    body: std::ops::Range<usize>,
}

impl Doc {
    fn at(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.path, &self.text, span, msg)
    }

    /// A Markdown source from a TOML string value at `span` (of the front matter).
    fn string_source(&self, value: &Spanned<String>) -> Source {
        string_source(&self.path, &self.text, value, self.fm.start)
    }

    fn body_source(&self) -> Source {
        Source {
            path: self.path.clone(),
            file: self.text.clone(),
            markdown: Text::InFile(Arc::clone(&self.text), self.body.clone()),
            offset: self.body.start,
        }
    }
}

fn string_source(path: &Path, file: &Arc<str>, value: &Spanned<String>, base: usize) -> Source {
    let start = base + value.span().start;
    let quote = if file[start..].starts_with("\"\"\"") || file[start..].starts_with("'''") {
        // A newline right after the opening quotes is not part of the string.
        match &file[start + 3..] {
            r if r.starts_with("\r\n") => 5,
            r if r.starts_with('\n') => 4,
            _ => 3,
        }
    } else {
        1
    };
    Source {
        path: path.to_path_buf(),
        file: file.clone(),
        markdown: Text::Own(value.get_ref().clone()),
        offset: start + quote,
    }
}
/// Splits `+++` front matter from the body.
fn split(rel: &Path, text: Arc<str>) -> Result<Doc, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "+++" {
        let mut d = Diagnostic::at(rel, &text, 0..first_end.max(1), "missing front matter");
        if text.trim().is_empty() {
            d.message = "empty file: missing front matter".into();
        }
        return Err(d.with_hint(
            "start the file with a line `+++`, the TOML front matter, and another line `+++`",
        ));
    }
    let fm_start = (first_end + 1).min(text.len());
    let mut pos = fm_start;
    loop {
        if pos >= text.len() {
            return Err(Diagnostic::at(
                rel,
                &text,
                0..3,
                "unclosed front matter: no closing `+++` line",
            )
            .with_hint("end the front matter with a line that holds only `+++`"));
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            let body_start = (end + 1).min(text.len());
            return Ok(Doc {
                path: rel.to_path_buf(),
                fm: fm_start..pos,
                body: body_start..text.len(),
                text,
            });
        }
        pos = end + 1;
    }
}

fn read_doc(fence: &Fence, rel: &Path) -> Result<Doc, Diagnostic> {
    split(rel, fence.read_text(rel)?)
}

fn parse_fm<T: serde::de::DeserializeOwned>(doc: &Doc) -> Result<T, Diagnostic> {
    tomlerr::parse(
        &doc.path,
        &doc.text,
        &doc.text[doc.fm.clone()],
        doc.fm.start,
    )
}

/// Markdown files under `dir` (relative to root), as paths relative to root.
fn markdown_files(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    files_under(root, dir, diags)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| crate::diag::rel(root, &p))
        .collect()
}
/// Checks that the site has a `content/` folder (or a symlink to one): without it, a
/// build would make an empty site and replace a good one.
fn content_folder(root: &Path) -> Result<(), Diagnostic> {
    let rel = Path::new("content");
    let path = root.join(rel);
    let hint = "the site's pages live in content/: run the command in the site's folder (or pass --root), or create content/index.md";
    let why = match (path.symlink_metadata(), path.metadata()) {
        (Err(_), _) => "it does not exist".to_string(),
        (Ok(_), Err(e)) => match std::fs::read_link(&path) {
            Ok(to) => format!(
                "content is a symlink to {}, which cannot be read ({e})",
                to.display()
            ),
            Err(_) => format!("cannot read it: {e}"),
        },
        (Ok(_), Ok(m)) if !m.is_dir() => "content is not a folder".to_string(),
        _ => return Ok(()),
    };
    Err(Diagnostic::file(rel, format!("no content/ folder: {why}")).with_hint(hint))
}

fn stem(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------- loading

impl Content {
    /// Reads and checks everything under `root/content`.
    pub fn load(root: &Path, config: &Config, opts: LoadOptions) -> (Content, Diagnostics) {
        let mut diags = Diagnostics::default();
        let mut content = Content::default();
        if let Err(d) = content_folder(root) {
            diags.push(d);
            return (content, diags);
        }

        let fence = Fence::new(root, "content");
        // Registries first: events refer to them.
        let registry = |name: &str, diags: &mut Diagnostics| -> Option<(PathBuf, Arc<str>)> {
            let rel = PathBuf::from("content").join(name);
            // A dangling symlink is not "no registry": resolving it reports it.
            if root.join(&rel).symlink_metadata().is_err() {
                return None;
            }
            match fence.read_text(&rel) {
                Ok(t) => Some((rel, t)),
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        };
        if let Some((rel, text)) = registry("sources.toml", &mut diags) {
            // Its strings are all plain (titles, notes, URLs): a control character written
            // as a TOML escape is refused at the escape, as in front matter.
            diags.extend(crate::text::toml_control_characters(
                &rel,
                &text,
                0..text.len(),
                &[],
            ));
            match tomlerr::parse::<SourcesFile>(&rel, &text, &text, 0) {
                Ok(f) => content.sources = load_works(&rel, &text, f.source, &mut diags),
                Err(d) => diags.push(d),
            }
        }
        if let Some((rel, text)) = registry("people.toml", &mut diags) {
            match tomlerr::parse::<PeopleFile>(&rel, &text, &text, 0) {
                Ok(f) => {
                    let mut people = Vec::new();
                    for p in f.person {
                        entry_id(&rel, &text, &p.id, "person", "people", &mut diags);
                        people.push(entry(
                            &rel, &text, p.id, p.name, p.aliases, p.role, p.summary, p.sources,
                        ));
                    }
                    content.people = people;
                }
                Err(d) => diags.push(d),
            }
        }
        if let Some((rel, text)) = registry("places.toml", &mut diags) {
            match tomlerr::parse::<PlacesFile>(&rel, &text, &text, 0) {
                Ok(f) => {
                    let mut places = Vec::new();
                    for p in f.place {
                        entry_id(&rel, &text, &p.id, "place", "places", &mut diags);
                        if let Some(c) = &p.country {
                            check_country(config, &rel, &text, 0, c, &mut diags);
                        }
                        let country = p.country.map(|c| c.into_inner());
                        places.push(entry(
                            &rel, &text, p.id, p.name, p.aliases, country, p.summary, p.sources,
                        ));
                    }
                    content.places = places;
                }
                Err(d) => diags.push(d),
            }
        }
        let source_ids: BTreeSet<&str> = content.sources.iter().map(|s| s.id.as_str()).collect();
        for (file, list) in [
            ("people.toml", &content.people),
            ("places.toml", &content.places),
        ] {
            let rel = PathBuf::from("content").join(file);
            check_unique(
                &rel,
                list.iter().map(|e| (e.id.as_str(), &e.summary)),
                &mut diags,
            );
        }

        // Home page.
        let home_rel = PathBuf::from("content/index.md");
        if root.join(&home_rel).symlink_metadata().is_ok() {
            match read_doc(&fence, &home_rel).and_then(|doc| {
                let meta: HomeMeta = parse_fm(&doc)?;
                Ok(Home {
                    title: meta.title,
                    summary: meta.summary,
                    body: doc.body_source(),
                })
            }) {
                Ok(h) => content.home = Some(h),
                Err(d) => diags.push(d),
            }
        }

        // Chapters.
        let chapter_files = markdown_files(root, "content/chapters", &mut diags);
        // A chapter's URL is its file name, whatever folder under chapters/ holds it: two
        // files of one name would write one page, the second over the first.
        let mut routes: BTreeMap<String, &PathBuf> = BTreeMap::new();
        for rel in &chapter_files {
            let slug = stem(rel);
            match routes.get(&slug) {
                Some(first) => diags.push(
                    Diagnostic::file(
                        rel,
                        format!(
                            "duplicate page: this chapter and {} both build to /chapters/{slug}/",
                            first.display()
                        ),
                    )
                    .with_hint("a chapter's URL is its file name, whatever its folder; rename one"),
                ),
                None => {
                    routes.insert(slug, rel);
                }
            }
        }
        let chapters: Vec<Result<Chapter, Diagnostic>> = chapter_files
            .par_iter()
            .map(|rel| {
                let doc = read_doc(&fence, rel)?;
                let meta: ChapterMeta = parse_fm(&doc)?;
                let slug = stem(rel);
                if !is_slug(&slug) {
                    return Err(Diagnostic::file(
                        rel,
                        format!("chapter file name `{slug}` is not a valid slug"),
                    )
                    .with_hint(
                        "use lowercase letters, digits and hyphens: the name becomes the URL",
                    ));
                }
                let y = meta.years.get_ref();
                let years = match y.as_slice() {
                    [a, b] if a <= b => (*a, *b),
                    _ => {
                        return Err(doc.at(
                            doc.fm.start + meta.years.span().start
                                ..doc.fm.start + meta.years.span().end,
                            "`years` must be [first, last] with first <= last",
                        ))
                    }
                };
                Ok(Chapter {
                    slug,
                    title: meta.title,
                    order: meta.order,
                    summary: doc.string_source(&meta.summary),
                    years,
                    draft: meta.draft,
                    body: doc.body_source(),
                })
            })
            .collect();
        // Slugs of chapters that failed to load still count as known, so that one broken
        // chapter does not cascade into an error in each of its events.
        let mut broken_chapters = Vec::new();
        let mut draft_chapters = BTreeSet::new();
        for (c, rel) in chapters.into_iter().zip(&chapter_files) {
            match c {
                Ok(c) if c.draft && !opts.drafts => {
                    draft_chapters.insert(c.slug);
                }
                Ok(c) => content.chapters.push(c),
                Err(d) => {
                    content
                        .unloaded
                        .insert(format!("chapters/{}.md", stem(rel)));
                    broken_chapters.push(stem(rel));
                    diags.push(d)
                }
            }
        }
        content
            .chapters
            .sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
        let chapter_slugs: Vec<&str> = content
            .chapters
            .iter()
            .map(|c| c.slug.as_str())
            .chain(broken_chapters.iter().map(|s| s.as_str()))
            .chain(draft_chapters.iter().map(|s| s.as_str()))
            .collect();

        // Events.
        let person_ids: BTreeSet<&str> = content.people.iter().map(|p| p.id.as_str()).collect();
        let place_ids: BTreeSet<&str> = content.places.iter().map(|p| p.id.as_str()).collect();
        let refs = Refs {
            config,
            chapters: &chapter_slugs,
            sources: &source_ids,
            people: &person_ids,
            places: &place_ids,
        };
        let event_files = markdown_files(root, "content/events", &mut diags);
        let events: Vec<(Option<Event>, Vec<Diagnostic>)> = event_files
            .par_iter()
            .map(|rel| load_event(&fence, rel, &refs))
            .collect();
        let mut seen: HashMap<String, PathBuf> = HashMap::new();
        for ((event, ds), rel) in events.into_iter().zip(&event_files) {
            diags.extend(ds);
            let Some(e) = event else {
                let key = rel.strip_prefix("content").unwrap_or(rel);
                content
                    .unloaded
                    .insert(key.to_string_lossy().replace('\\', "/"));
                continue;
            };
            if let Some(first) = seen.get(&e.id) {
                diags.push(
                    Diagnostic::file(rel, format!("duplicate event id `{}`", e.id)).with_hint(
                        format!(
                            "{} has the same file name; ids must be unique",
                            first.display()
                        ),
                    ),
                );
                continue;
            }
            seen.insert(e.id.clone(), rel.clone());
            // Events of a draft chapter are drafts too.
            if (!e.draft || opts.drafts) && !draft_chapters.contains(&e.chapter) {
                content.events.push(e);
            }
        }
        content
            .events
            .sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));

        // Registry cross-references.
        for list in [&content.people, &content.places] {
            for e in list {
                for s in &e.sources {
                    if !source_ids.contains(s.as_str()) {
                        diags.push(
                            e.summary
                                .diag(0..0, format!("unknown source `{s}` in `{}`", e.id)),
                        );
                    }
                }
            }
        }

        diags.sort();
        (content, diags)
    }

    pub fn chapter(&self, slug: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.slug == slug)
    }
}

struct Refs<'a> {
    config: &'a Config,
    chapters: &'a [&'a str],
    sources: &'a BTreeSet<&'a str>,
    people: &'a BTreeSet<&'a str>,
    places: &'a BTreeSet<&'a str>,
}

fn load_works(rel: &Path, text: &str, raw: Vec<RawWork>, diags: &mut Diagnostics) -> Vec<Work> {
    let mut out: Vec<Work> = Vec::new();
    for w in &raw {
        let id = w.id.get_ref();
        if id.is_empty()
            || id.contains(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            diags.push(Diagnostic::at(
                rel,
                text,
                w.id.span(),
                format!(
                    "source id `{id}` must use only ASCII letters, digits, hyphens and underscores"
                ),
            ));
        }
        if out.iter().any(|o| &o.id == id) {
            diags.push(Diagnostic::at(
                rel,
                text,
                w.id.span(),
                format!("two sources have the id `{id}`"),
            ));
        }
        let date = w
            .date
            .as_ref()
            .and_then(|d| match Date::parse(d.get_ref()) {
                Ok(x) => Some(x),
                Err(e) => {
                    let b = d.span().start + 1;
                    diags.push(Diagnostic::at(
                        rel,
                        text,
                        b + e.span.start..b + e.span.end,
                        e.message,
                    ));
                    None
                }
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
        out.push(Work {
            id: id.clone(),
            title: w.title.clone(),
            publisher: w.publisher.clone(),
            author: w.author.clone(),
            date,
            date_text: w.date_text.clone(),
            url: w.url.as_ref().map(|u| u.get_ref().clone()),
            note: w.note.clone(),
            cited_in: w.cited_in.as_ref().map(|c| c.get_ref().clone()),
        });
    }
    let ids: Vec<String> = out.iter().map(|w| w.id.clone()).collect();
    for w in &raw {
        if let Some(c) = &w.cited_in {
            if !ids.contains(c.get_ref()) {
                diags.push(
                    Diagnostic::at(
                        rel,
                        text,
                        c.span(),
                        format!("`cited_in` names unknown source `{}`", c.get_ref()),
                    )
                    .with_hint(
                        did_you_mean(c.get_ref(), ids.iter().map(|s| s.as_str()))
                            .unwrap_or_default(),
                    ),
                );
            }
        }
    }
    out
}

/// A person's or place's id is written as the id of its entry on its page: it may not be
/// one the layout uses ([`crate::routes::layout_id_clash`]).
fn entry_id(
    rel: &Path,
    text: &str,
    id: &Spanned<String>,
    what: &str,
    page: &str,
    diags: &mut Diagnostics,
) {
    if let Some(why) = crate::routes::layout_id_clash(id.get_ref()) {
        diags.push(
            Diagnostic::at(rel, text, id.span(), format!("{what} id `{}` {why}", id.get_ref()))
                .with_hint(format!("rename it: the id becomes the id of its entry on the {page} page, and two elements there would share it")),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn entry(
    rel: &Path,
    text: &Arc<str>,
    id: Spanned<String>,
    name: String,
    aliases: Vec<String>,
    detail: Option<String>,
    summary: Spanned<String>,
    sources: Vec<Spanned<String>>,
) -> Entry {
    let summary = string_source(rel, text, &summary, 0);
    Entry {
        id: id.into_inner(),
        name,
        aliases,
        detail,
        summary,
        sources: sources.into_iter().map(|s| s.into_inner()).collect(),
    }
}

fn check_unique<'a>(
    rel: &Path,
    items: impl Iterator<Item = (&'a str, &'a Source)>,
    diags: &mut Diagnostics,
) {
    let mut seen = BTreeSet::new();
    for (id, src) in items {
        if !is_slug(id) {
            diags.push(src.diag(
                0..0,
                format!("id `{id}` must use only lowercase letters, digits and hyphens"),
            ));
        }
        if !seen.insert(id) {
            diags.push(Diagnostic::file(
                rel,
                format!("two entries have the id `{id}`"),
            ));
        }
    }
}

fn check_country(
    config: &Config,
    rel: &Path,
    text: &str,
    base: usize,
    c: &Spanned<String>,
    diags: &mut Diagnostics,
) {
    if !config.countries.iter().any(|x| x == c.get_ref()) {
        let span = base + c.span().start..base + c.span().end;
        let d = Diagnostic::at(
            rel,
            text,
            span,
            format!("unknown country `{}`", c.get_ref()),
        );
        diags.push(
            match did_you_mean(c.get_ref(), config.countries.iter().map(|s| s.as_str())) {
                Some(h) => d.with_hint(h),
                None => d.with_hint("countries must be listed in site.toml `countries`"),
            },
        );
    }
}

fn load_event(fence: &Fence, rel: &Path, refs: &Refs) -> (Option<Event>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let doc = match read_doc(fence, rel) {
        Ok(d) => d,
        Err(d) => return (None, vec![d]),
    };
    let meta: EventMeta = match parse_fm(&doc) {
        Ok(m) => m,
        Err(d) => return (None, vec![d]),
    };
    let id = stem(rel);
    if !is_slug(&id) {
        diags.push(Diagnostic::file(rel, format!("event file name `{id}` is not a valid id"))
            .with_hint("use lowercase letters, digits and hyphens: the name becomes the URL and the timeline anchor"));
    }
    if let Some(why) = crate::routes::layout_id_clash(&id) {
        diags.push(
            Diagnostic::file(rel, format!("event id `{id}` {why}")).with_hint(
                "rename the file: an event's id is its file name, and it becomes the id of its entry on the timeline page",
            ),
        );
    }
    let base = doc.fm.start;
    let at = |s: std::ops::Range<usize>| base + s.start..base + s.end;
    // A tag's slug is the id of its section on the tags page.
    for t in &meta.tags {
        let slug = crate::text::slugify(t.get_ref());
        if let Some(why) = crate::routes::layout_id_clash(&slug) {
            diags.push(
                doc.at(
                    at(t.span()),
                    format!("tag `{}` has the id `{slug}`, which {why}", t.get_ref()),
                )
                .with_hint("rename the tag: its id becomes the id of its section on the tags page"),
            );
        }
    }
    let date_of = |v: &Spanned<String>, diags: &mut Vec<Diagnostic>| match Date::parse(v.get_ref())
    {
        Ok(d) => Some(d),
        Err(e) => {
            let b = base + v.span().start + 1;
            diags.push(
                doc.at(b + e.span.start..b + e.span.end, e.message)
                    .with_hint("dates are YYYY, YYYY-MM or YYYY-MM-DD"),
            );
            None
        }
    };
    let date = date_of(&meta.date, &mut diags);
    let end_date = meta.end_date.as_ref().and_then(|v| date_of(v, &mut diags));
    if let (Some(s), Some(e), Some(ev)) = (date, end_date, &meta.end_date) {
        if e < s {
            diags.push(doc.at(at(ev.span()), "`end_date` is before `date`"));
        }
    }
    let chapter = meta.chapter.get_ref();
    if !refs.chapters.contains(&chapter.as_str()) {
        let d = doc.at(
            at(meta.chapter.span()),
            format!("unknown chapter `{chapter}`"),
        );
        diags.push(match did_you_mean(chapter, refs.chapters.iter().copied()) {
            Some(h) => d.with_hint(h),
            None => d.with_hint(format!(
                "chapters are the files in content/chapters/: {}",
                refs.chapters.join(", ")
            )),
        });
    }
    let mut sources = Vec::new();
    if meta.sources.get_ref().is_empty() {
        diags.push(
            doc.at(
                at(meta.sources.span()),
                "an event needs at least one source",
            )
            .with_hint("sources = [\"E\"]"),
        );
    }
    for s in meta.sources.get_ref() {
        let (id, note) = match s.get_ref() {
            RawSourceRef::Id(id) => (id.clone(), None),
            RawSourceRef::Full { id, note } => (id.clone(), note.clone()),
        };
        if !refs.sources.contains(id.as_str()) {
            let d = doc.at(at(s.span()), format!("unknown source `{id}`"));
            diags.push(match did_you_mean(&id, refs.sources.iter().copied()) {
                Some(h) => d.with_hint(h),
                None => d.with_hint("sources are the [[source]] ids in content/sources.toml"),
            });
        }
        sources.push(SourceRef { id, note });
    }
    let check_list = |list: &[Spanned<String>],
                      known: &BTreeSet<&str>,
                      what: &str,
                      file: &str,
                      diags: &mut Vec<Diagnostic>| {
        for v in list {
            if !known.contains(v.get_ref().as_str()) {
                let d = doc.at(at(v.span()), format!("unknown {what} `{}`", v.get_ref()));
                diags.push(match did_you_mean(v.get_ref(), known.iter().copied()) {
                    Some(h) => d.with_hint(h),
                    None => d.with_hint(format!("add it to content/{file}")),
                });
            }
        }
        list.iter().map(|v| v.get_ref().clone()).collect::<Vec<_>>()
    };
    let people = check_list(
        &meta.people,
        refs.people,
        "person",
        "people.toml",
        &mut diags,
    );
    let places = check_list(
        &meta.places,
        refs.places,
        "place",
        "places.toml",
        &mut diags,
    );
    let mut country_diags = Diagnostics::default();
    for c in &meta.countries {
        check_country(
            refs.config,
            &doc.path,
            &doc.text,
            base,
            c,
            &mut country_diags,
        );
    }
    diags.extend(country_diags.0);
    if meta.title.trim().is_empty() {
        diags.push(doc.at(doc.fm.clone(), "`title` is empty"));
    }
    let (Some(date), true) = (date, diags.is_empty()) else {
        return (None, diags);
    };
    let display_date = meta
        .display_date
        .clone()
        .unwrap_or_else(|| crate::date::human_range(&date, end_date.as_ref()));
    let event = Event {
        id,
        title: meta.title,
        date,
        end_date,
        approximate: meta.approximate,
        display_date,
        summary: doc.string_source(&meta.summary),
        places,
        people,
        countries: meta.countries.into_iter().map(|c| c.into_inner()).collect(),
        tags: meta.tags.into_iter().map(Spanned::into_inner).collect(),
        chapter: chapter.clone(),
        sources,
        disputed: meta.disputed.as_ref().map(|d| doc.string_source(d)),
        draft: meta.draft,
        body: doc.body_source(),
    };
    (Some(event), diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::routes::*;
    #[allow(unused_imports)]
    use crate::text::*;

    #[test]
    fn split_finds_front_matter_and_body() {
        let d = split(
            Path::new("x.md"),
            Arc::from("+++\ntitle = \"a\"\n+++\nbody\n"),
        )
        .unwrap();
        assert_eq!(&d.text[d.fm.clone()], "title = \"a\"\n");
        assert_eq!(&d.text[d.body.clone()], "body\n");
    }

    #[test]
    fn split_reports_unclosed_and_missing() {
        let e = split(Path::new("x.md"), Arc::from("+++\ntitle = \"a\"\nbody\n"))
            .err()
            .unwrap();
        assert_eq!(e.message, "unclosed front matter: no closing `+++` line");
        assert_eq!((e.line, e.col), (1, 1));
        let e = split(Path::new("x.md"), Arc::from("# Title\n"))
            .err()
            .unwrap();
        assert_eq!(e.message, "missing front matter");
        let e = split(Path::new("x.md"), Arc::from("")).err().unwrap();
        assert_eq!(e.message, "empty file: missing front matter");
    }

    #[test]
    fn crlf_front_matter_is_accepted() {
        let d = split(
            Path::new("x.md"),
            Arc::from("+++\r\ntitle = \"a\"\r\n+++\r\nbody"),
        )
        .unwrap();
        assert_eq!(&d.text[d.body.clone()], "body");
    }
}
