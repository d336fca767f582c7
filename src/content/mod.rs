//! The content stage: reads `content/` into plain data and checks every cross-reference.
//!
//! It owns the front-matter schemas and the registries (documented in the README's
//! authoring section, and here, where they are parsed):
//!
//! * `content/index.md`: the home page. Front matter: `title`, optional `summary`.
//! * `content/pages/<path>.md` (any depth; a folder's `index.md` is the folder's page): a
//!   free page at `/<path>/`. Front matter: `title`, optional `summary`, `draft`, `menu`
//!   (integer: its place in the main navigation). See `pages`.
//! * `content/chapters/<slug>.md`: `title`, `order` (integer), `summary`,
//!   `years = [first, last]` (numbers from 1, or year strings such as `"490 BCE"`),
//!   optional `draft`.
//! * `content/events/<id>.md` (any depth): `title`, `date`, optional `end_date`,
//!   `approximate`, `display_date`, `summary`, `chapter`, `sources` (ids, or
//!   `{ id, note }` tables), optional `disputed`, `draft`, and one list of strings per
//!   taxonomy of the site ([`crate::taxonomy`]), under its name (`people`, `tags`, …).
//! * `content/sources.toml` (`[[source]]`), and a registry per registry taxonomy,
//!   `content/<name>.toml` (`[[person]]` in `people.toml`: its `entry` tables).
//!
//! Front matter is TOML between a first line `+++` and the next line `+++`. Dates use the
//! syntax of [`crate::date`]. Every problem is collected as a [`Diagnostic`] with its file,
//! line and column; loading goes on after a problem so that one run reports them all.
//!
//! The stage is split by concern: `schema` holds the serde schemas as written, `doc`
//! reads a Markdown file and splits its front matter, `load` is the driver
//! ([`Content::load`]), `event` loads one event, `pages` the free pages, `registry` the
//! three registries, `translations` the translations beside them (`x.vi.md`, with
//! [`Content::localized`]), `unread` warns of the files under `content/` the build ignores, and
//! `controls` refuses control characters in the TOML strings of every front matter and
//! registry.
//! This module holds the model they build: plain data, immutable once loaded.
//!
//! Every file is read through a [`Fence`](crate::files::Fence) (also used for
//! `templates/`, `static/` and, with the site folder as its bounds, `site.toml`): its real
//! path must lie inside the real `content/`, decided before the file is opened, so no
//! symlink can bring in (or make the build open) a file from elsewhere; only regular files
//! are opened, never waiting, and none over
//! [`MAX_FILE_BYTES`](crate::files::MAX_FILE_BYTES) is read. Folders are walked by
//! [`files_under`](crate::files::files_under), which reads each real folder once (a second
//! way into one is an error) and at most [`MAX_FILES`](crate::files::MAX_FILES) files. A
//! site without a `content/` folder is an error, not an empty site. Two chapters whose
//! file names are the same (in different folders) would build one page over the other,
//! and are refused.
//!
//! Chapter slugs and event ids (file names), and registry ids, are slugs
//! ([`crate::text::is_slug`]): lowercase ASCII letters, digits, hyphens and underscores.
//! Source ids may also use capital letters.
//!
//! A free term's id is its slug ([`crate::taxonomy::term_id`]); two values of one
//! taxonomy with one slug would share a page, and are an error naming both.
//!
//! Event ids (file names) are written as element ids (on the timeline): one that is a
//! layout id or starts with a prefix of the layout's templated ids
//! ([`crate::routes::layout_id_clash`]) is an error naming the file, so no page can have
//! an id twice. Control characters written as TOML escapes in
//! `content/sources.toml` are refused at the escape.

mod controls;
mod doc;
mod event;
pub(crate) mod load;
mod media;
mod pages;
mod registry;
mod schema;
pub(crate) mod translations;
mod unread;

pub(crate) use controls::toml_control_characters;

/// The taxonomy whose registry entries may carry a point (`lat`, `lon`): the places that
/// maps show (the `maps` module).
pub(crate) const PLACES: &str = "places";

use crate::date::Date;
use crate::diag::{Diagnostic, Span};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

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
    /// A translation's body: the ids its headings take, by position (the original's, so
    /// that a link to a section works in every language); `None` elsewhere.
    pub headings: Option<Arc<[String]>>,
}

/// Markdown text: a range of the file it was read from (a body, or a front-matter string
/// written without escapes: no copy is kept), or a string of its own (a TOML value whose
/// escapes make it differ from the file's bytes).
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
    pub(crate) fn span(&self, span: std::ops::Range<usize>) -> Span {
        Span {
            path: self.path.clone(),
            file: Arc::clone(&self.file),
            range: self.offset + span.start..self.offset + span.end,
        }
    }

    /// A diagnostic at a byte range of `markdown`.
    pub(crate) fn diag(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> Diagnostic {
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
    /// The language its texts are in (see `Content::localized`).
    pub lang: String,
    pub title: String,
    pub summary: Option<String>,
    pub body: Source,
}

/// A free page (`content/pages/<path>.md`).
#[derive(Debug, Clone)]
pub struct FreePage {
    /// The language its texts are in (see `Content::localized`).
    pub lang: String,
    /// Its path under the site's root, without slashes at either end (`about`,
    /// `guide/sources`).
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub draft: bool,
    /// Its place in the main navigation, if it is there.
    pub menu: Option<i64>,
    pub body: Source,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    /// The language its texts are in (see `Content::localized`).
    pub lang: String,
    pub slug: String,
    pub title: String,
    pub order: i64,
    pub summary: Source,
    /// The first and last year, astronomically numbered as [`crate::date::Date::year`].
    pub years: (i32, i32),
    pub draft: bool,
    pub body: Source,
    /// Its `[[media]]`, shown under its title.
    pub media: Vec<Media>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceRef {
    pub id: String,
    pub note: Option<String>,
    /// Where the entry is written in the event's file (a byte range of it), for the
    /// check of citation lists (`markdown::cite_lists`).
    #[serde(skip)]
    pub(crate) at: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Event {
    /// The language its texts are in (see `Content::localized`).
    pub lang: String,
    pub id: String,
    pub title: String,
    pub date: Date,
    pub end_date: Option<Date>,
    pub approximate: bool,
    /// `display_date` if given, else the date in words.
    pub display_date: String,
    pub summary: Source,
    /// The values of each of the site's taxonomies (in `Config::taxonomies`' order), as
    /// written: registry ids, or free values.
    pub terms: Vec<Vec<String>>,
    pub chapter: String,
    pub sources: Vec<SourceRef>,
    pub disputed: Option<Box<Source>>,
    pub draft: bool,
    pub body: Source,
    /// Its `[[media]]`: the first image is the event's image (on its page, its card and
    /// the timeline).
    pub media: Vec<Media>,
}

/// Where a media item is: a file of `content/media/`, or a remote `https://` address.
#[derive(Debug, Clone)]
pub enum MediaSrc {
    Local(String),
    Remote(String),
}

/// One `[[media]]` table of front matter, checked (`media.rs`).
#[derive(Debug, Clone)]
pub struct Media {
    pub src: MediaSrc,
    pub kind: crate::media::Kind,
    /// Where `src` is written, for the problems of the file it names.
    pub at: Span,
    /// Required for images; may be empty for video and audio.
    pub alt: String,
    pub caption: Option<Source>,
    pub credit: Option<String>,
    pub credit_url: Option<String>,
    /// A video's or recording's title.
    pub title: Option<String>,
    /// A video's poster: an image of `content/media/`, and where it is named.
    pub poster: Option<(String, Span)>,
}

#[derive(Debug, Clone)]
pub struct Work {
    /// The language its texts are in (see `Content::localized`).
    pub lang: String,
    pub id: String,
    pub title: String,
    /// The title in the language of the page (a translation's `title_translation`).
    pub title_translation: Option<String>,
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
    /// The language its texts are in (see `Content::localized`).
    pub lang: String,
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// A line shown under the name (`detail`, or `role` or `country`).
    pub detail: Option<String>,
    pub summary: Source,
    pub sources: Vec<String>,
    /// A place's point on maps, (latitude, longitude) in degrees: only entries of the
    /// `places` registry have one, and only when they give `lat` and `lon`.
    pub coords: Option<(f64, f64)>,
    /// Whether its `lat` or `lon` was given but refused (and reported): maps leave it off
    /// without a second error.
    pub(crate) coords_refused: bool,
    /// What its point marks when it is not the place itself (`at`: a province's capital).
    pub marks: Option<String>,
    /// The Natural Earth country a map shades for it (`outline`), and where the name is
    /// written in the registry file (a byte range of it).
    pub outline: Option<(String, std::ops::Range<usize>)>,
    /// Where each of `sources` is written in the registry file (byte ranges of it), for
    /// the check of citation lists (`markdown::cite_lists`).
    pub(crate) sources_at: Vec<std::ops::Range<usize>>,
}

/// A term of a taxonomy: its id (a registry id, or a free value's slug) and its name (the
/// entry's, or the value as first written).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Term {
    pub id: String,
    pub name: String,
}

/// Everything in `content/`, checked.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub home: Option<Home>,
    /// The free pages, by path.
    pub pages: Vec<FreePage>,
    /// By `order`, then slug.
    pub chapters: Vec<Chapter>,
    /// By date, then id.
    pub events: Vec<Event>,
    pub sources: Vec<Work>,
    /// The entries of each taxonomy's registry, in file order (in `Config::taxonomies`'
    /// order; empty for free taxonomies).
    pub registries: Vec<Vec<Entry>>,
    /// The terms of each taxonomy (in `Config::taxonomies`' order): a registry's every
    /// entry in file order, a free taxonomy's values that published events carry, by id.
    pub terms: Vec<Vec<Term>>,
    /// Files that failed to load (`chapters/x.md`, `events/y.md`): links to them are not
    /// reported as broken, so that one mistake gives one error, not one per link.
    pub unloaded: BTreeSet<String>,
    /// The translations into each language other than the default (`translations.rs`),
    /// shared by every localized copy.
    pub translations: Arc<translations::Translations>,
}

/// Whether drafts are included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

impl Content {
    pub(crate) fn chapter(&self, slug: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.slug == slug)
    }

    /// Where each source, chapter and registry entry is in its list, by id.
    pub(crate) fn positions(&self) -> Positions<'_> {
        Positions {
            sources: first_at(self.sources.iter().map(|w| w.id.as_str())),
            chapters: first_at(self.chapters.iter().map(|c| c.slug.as_str())),
            entries: (self.registries.iter())
                .map(|r| first_at(r.iter().map(|e| e.id.as_str())))
                .collect(),
        }
    }
}

/// The position of each source, chapter and registry entry in its list of [`Content`],
/// by id: made once per build ([`Content::positions`]), so that what a page looks up per
/// citation, per card or per term is not a scan of the list (which would grow as the
/// site's items times its pages).
#[derive(Debug, Default)]
pub(crate) struct Positions<'a> {
    pub(crate) sources: HashMap<&'a str, usize>,
    pub(crate) chapters: HashMap<&'a str, usize>,
    /// Each taxonomy's registry (in `Config::taxonomies`' order), by entry id.
    pub(crate) entries: Vec<HashMap<&'a str, usize>>,
}

/// Each id of `ids` with its first position.
fn first_at<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut at = HashMap::new();
    for (i, id) in ids.enumerate() {
        at.entry(id).or_insert(i);
    }
    at
}
