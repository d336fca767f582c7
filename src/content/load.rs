//! [`Content::load`]: the driver of the content stage. It checks that there is a
//! `content/` folder, then loads each part in turn (the registries first, since events
//! refer to them; the home page; the free pages; the chapters; the events), cross-checks the registries
//! and checks the plain strings of every front matter it loaded for control characters,
//! and warns of the files it did not read, collecting every problem of every part before
//! it returns. Chapters and
//! events are read in parallel; their problems are gathered in file order's stead by the
//! final sort (by file, then position).
//!
//! An incremental build (`serve`'s) passes a [`Reuse`]: each chapter and event it loaded
//! before without a problem is taken from it when its file has the same bytes (and, for an
//! event, what it is checked against is the same), instead of being read and parsed again.
//! The whole-site checks (duplicate ids, free terms, registries, control characters, unread
//! files) still run over every item, so a load with kept items reports what a clean one
//! does.

use super::controls::front_matter_controls;
use super::doc::{load_each, markdown_files, parse_fm, read_doc, stem, Doc};
use super::event::{load_event, Refs};
use super::registry::{check_entry_sources, load_registry, load_sources, Loaded};
use super::schema::{ChapterMeta, HomeMeta};
use super::{Chapter, Content, Entry, Event, Home, LoadOptions, Term};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::files::Fence;
use crate::text::is_slug;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What an incremental build keeps of the files it loaded (`src/incremental/`): each
/// event and chapter loaded without a problem, given back while its file is unchanged.
pub(crate) trait Reuse: Sync {
    /// The event an earlier load made from `rel`, when `rel` has the same bytes and that
    /// load checked it against the same references (`refs`, a hash of [`Refs`]).
    fn event(&self, rel: &Path, refs: u64) -> Option<Event>;
    /// Keeps `event`, just loaded from `rel` without a problem against `refs`.
    fn keep_event(&self, rel: &Path, refs: u64, event: &Event);
    /// The chapter an earlier load made from `rel`, when `rel` has the same bytes.
    fn chapter(&self, rel: &Path) -> Option<Chapter>;
    /// Keeps `chapter`, just loaded from `rel` without a problem.
    fn keep_chapter(&self, rel: &Path, chapter: &Chapter);
}

impl Content {
    /// Reads and checks everything under `root/content`; every problem goes to `diags`,
    /// sorted, after those already there.
    pub fn load(
        root: &Path,
        config: &Config,
        opts: LoadOptions,
        diags: &mut Diagnostics,
    ) -> Content {
        Self::load_reusing(root, config, opts, diags, None)
    }

    /// [`Content::load`], taking each unchanged chapter and event from `reuse`.
    pub(crate) fn load_reusing(
        root: &Path,
        config: &Config,
        opts: LoadOptions,
        diags: &mut Diagnostics,
        reuse: Option<&dyn Reuse>,
    ) -> Content {
        let mut found = Diagnostics::default();
        let content = Self::load_all(root, config, opts, &mut found, reuse);
        found.sort();
        diags.extend(found.0);
        content
    }

    /// [`Content::load`]'s work, its problems in the order found.
    fn load_all(
        root: &Path,
        config: &Config,
        opts: LoadOptions,
        diags: &mut Diagnostics,
        reuse: Option<&dyn Reuse>,
    ) -> Content {
        let mut content = Content::default();
        if let Err(d) = content_folder(root) {
            diags.push(d);
            return content;
        }
        let fence = Fence::new(root, "content");
        // Registries first: events refer to them.
        // A broken entry's id may still be named: it is reported once, at the entry.
        let sources = load_sources(root, &fence, diags);
        let registries: Vec<Loaded<Entry>> = (config.taxonomies.iter())
            .map(|t| match t.registry {
                true => load_registry(root, &fence, t, diags),
                false => Loaded::default(),
            })
            .collect();
        content.home = load_home(root, &fence, diags);
        let codes = super::translations::codes(config);
        let unloaded = &mut content.unloaded;
        content.pages = super::pages::load_pages(root, &fence, opts, unloaded, &codes, diags);
        check_page_taxonomies(config, &content.pages, diags);
        super::translations::check_page_folders(config, &content.pages, diags);
        let found = Found {
            fence: &fence,
            unloaded: &mut content.unloaded,
            reuse,
            codes: &codes,
        };
        let chapters = load_chapters(root, opts, found, diags);
        let source_ids = sources.ids(|s| s.id.as_str());
        let known = chapters.known();
        let refs = Refs {
            config,
            chapters: &known,
            chapter_set: &known.iter().copied().collect(),
            sources: &source_ids,
            registries: &(registries.iter())
                .map(|r| r.ids(|e| e.id.as_str()))
                .collect::<Vec<_>>(),
        };
        let found = Found {
            fence: &fence,
            unloaded: &mut content.unloaded,
            reuse,
            codes: &codes,
        };
        let events = load_events(root, &refs, found, diags);
        check_term_ids(config, &events, diags);
        let registries: Vec<Vec<Entry>> = registries.into_iter().map(|r| r.entries).collect();
        check_entry_sources(&registries, &source_ids, diags);
        content.events = published(events, opts, &chapters.drafts);
        content.terms = terms(config, &registries, &content.events);
        content.registries = registries;
        content.chapters = chapters.loaded;
        content.sources = sources.entries;
        let translations = super::translations::load(root, &fence, config, &content, diags);
        content.translations = std::sync::Arc::new(translations);
        set_lang(&mut content, &config.language);
        front_matter_controls(&content, diags);
        super::unread::unread_files(root, &fence, diags);
        content
    }
}

/// Marks every item of the content as in the default language `code`.
fn set_lang(content: &mut Content, code: &str) {
    let c = content;
    let items = (c.home.iter_mut().map(|h| &mut h.lang))
        .chain(c.pages.iter_mut().map(|p| &mut p.lang))
        .chain(c.chapters.iter_mut().map(|x| &mut x.lang))
        .chain(c.events.iter_mut().map(|e| &mut e.lang))
        .chain(c.sources.iter_mut().map(|w| &mut w.lang))
        .chain(c.registries.iter_mut().flatten().map(|e| &mut e.lang));
    for lang in items {
        code.clone_into(lang);
    }
}

/// A free page under a taxonomy's folder (`content/pages/people/x.md`) would collide with
/// its pages: an error naming the page's file and the taxonomy.
fn check_page_taxonomies(config: &Config, pages: &[super::FreePage], diags: &mut Diagnostics) {
    for p in pages {
        let first = p.path.split('/').next().unwrap_or_default();
        if let Some(t) = config.taxonomies.iter().find(|t| t.name == first) {
            let msg = format!(
                "this page would build to /{}, which is in /{first}/, the folder where the build puts the pages of the taxonomy `{first}` (made with taxonomy.html and term.html)",
                crate::routes::Page::Free(&p.path).path()
            );
            let hint = format!(
                "the build makes the pages of {} there; give this page another path",
                t.label
            );
            diags.push(Diagnostic::file(&p.body.path, msg).with_hint(hint));
        }
    }
}

/// Two values of one free taxonomy with one id (`Soviet Union`, `soviet union`) would
/// share a page: an error at the later one, naming the first and its event.
fn check_term_ids(config: &Config, events: &[Event], diags: &mut Diagnostics) {
    for (i, t) in config.taxonomies.iter().enumerate() {
        if t.registry {
            continue;
        }
        let mut seen: HashMap<String, (&str, &Event)> = HashMap::new();
        for e in events {
            for v in &e.terms[i] {
                let id = crate::taxonomy::term_id(v);
                match seen.get(&id) {
                    Some((first, _)) if first == v => {}
                    Some((first, by)) => {
                        let fm = &e.body.file[..e.body.offset.min(e.body.file.len())];
                        let quoted = format!("\"{v}\"");
                        let at = fm.find(&quoted).map_or(0..0, |s| s..s + quoted.len());
                        let msg = format!(
                            "`{v}` and `{first}` ({}) are one term of `{}`: both have the URL /{}/{id}/",
                            by.body.path.display(),
                            t.name,
                            t.name
                        );
                        let d = Diagnostic::at(&e.body.path, &e.body.file, at, msg);
                        diags.push(d.with_hint("write the term the same way on every event"));
                    }
                    None => {
                        seen.insert(id, (v, e));
                    }
                }
            }
        }
    }
}

/// The terms of each taxonomy: a registry's entries, in file order; a free taxonomy's
/// values that the (published) `events` carry, each once, by id.
fn terms(config: &Config, registries: &[Vec<Entry>], events: &[Event]) -> Vec<Vec<Term>> {
    let taxonomies = config.taxonomies.iter().enumerate();
    taxonomies
        .map(|(i, t)| {
            if t.registry {
                let entries = registries[i].iter();
                return entries
                    .map(|e| Term {
                        id: e.id.clone(),
                        name: e.name.clone(),
                    })
                    .collect();
            }
            let mut free: BTreeMap<String, &str> = BTreeMap::new();
            for v in events.iter().flat_map(|e| &e.terms[i]) {
                free.entry(crate::taxonomy::term_id(v)).or_insert(v);
            }
            let terms = free.into_iter();
            terms
                .map(|(id, name)| Term {
                    id,
                    name: name.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The events to publish, by date, then id: drafts only with `--drafts`, and none of a
/// draft chapter (its events are drafts too).
fn published(
    events: Vec<Event>,
    opts: LoadOptions,
    draft_chapters: &BTreeSet<String>,
) -> Vec<Event> {
    let shown = |e: &Event| (!e.draft || opts.drafts) && !draft_chapters.contains(&e.chapter);
    // Not `collect`: filtering in place keeps the allocation, room for every draft, held
    // to the end of the build.
    let mut kept = Vec::with_capacity(events.iter().filter(|e| shown(e)).count());
    kept.extend(events.into_iter().filter(|e| shown(e)));
    let mut events = kept;
    events.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    events
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

/// The home page, `content/index.md`, if there is one.
fn load_home(root: &Path, fence: &Fence, diags: &mut Diagnostics) -> Option<Home> {
    let rel = PathBuf::from("content/index.md");
    root.join(&rel).symlink_metadata().ok()?;
    let doc = read_doc(fence, &rel).map_err(|d| diags.push(d)).ok()?;
    let meta: HomeMeta = parse_fm(&doc, diags)?;
    Some(Home {
        lang: String::new(),
        title: meta.title,
        summary: meta.summary,
        body: doc.body_source(),
    })
}

/// The chapters found under `content/chapters/`.
struct Chapters {
    /// Those loaded (drafts only with `--drafts`), by `order`, then slug.
    loaded: Vec<Chapter>,
    /// The slugs of those that failed to load.
    broken: Vec<String>,
    /// The slugs of the drafts left out.
    drafts: BTreeSet<String>,
}

impl Chapters {
    /// The slugs events may name: those of the chapters loaded, and, so that one broken
    /// chapter does not cascade into an error in each of its events, those of the broken
    /// ones and the drafts left out.
    fn known(&self) -> Vec<&str> {
        self.loaded
            .iter()
            .map(|c| c.slug.as_str())
            .chain(self.broken.iter().map(|s| s.as_str()))
            .chain(self.drafts.iter().map(|s| s.as_str()))
            .collect()
    }
}

/// Where the chapters and the events are read: the fence, the keys of the files that fail
/// to load, and what an incremental build kept.
struct Found<'f> {
    fence: &'f Fence,
    unloaded: &'f mut BTreeSet<String>,
    reuse: Option<&'f dyn Reuse>,
    /// The languages' codes but the default's: their translations are not chapters or
    /// events.
    codes: &'f [String],
}

/// Loads every chapter (each unchanged one from `found.reuse`); one that fails to load is
/// recorded in `found.unloaded`.
fn load_chapters(
    root: &Path,
    opts: LoadOptions,
    found: Found,
    diags: &mut Diagnostics,
) -> Chapters {
    let (fence, reuse) = (found.fence, found.reuse);
    let files = markdown_files(root, "content/chapters", found.codes, diags);
    check_chapter_routes(&files, diags);
    let results = load_each(&files, diags, |rel, ds| {
        if let Some(c) = reuse.and_then(|r| r.chapter(rel)) {
            fence.note(rel);
            return Some(c);
        }
        let c = load_chapter(fence, rel, ds);
        if let (Some(r), Some(c), true) = (reuse, &c, ds.is_empty()) {
            r.keep_chapter(rel, c);
        }
        c
    });
    let mut chapters = Chapters {
        loaded: Vec::new(),
        broken: Vec::new(),
        drafts: BTreeSet::new(),
    };
    for (c, rel) in results.into_iter().zip(&files) {
        match c {
            Some(c) if c.draft && !opts.drafts => {
                chapters.drafts.insert(c.slug);
            }
            Some(c) => chapters.loaded.push(c),
            None => {
                found
                    .unloaded
                    .insert(crate::routes::chapter_key(&stem(rel)));
                chapters.broken.push(stem(rel));
            }
        }
    }
    chapters
        .loaded
        .sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    chapters
}

/// A chapter's URL is its file name, whatever folder under chapters/ holds it: two files
/// of one name would write one page, the second over the first.
fn check_chapter_routes(files: &[PathBuf], diags: &mut Diagnostics) {
    let mut routes: BTreeMap<String, &PathBuf> = BTreeMap::new();
    for rel in files {
        let slug = stem(rel);
        match routes.get(&slug) {
            Some(first) => diags.push(
                Diagnostic::file(
                    rel,
                    format!(
                        "duplicate page: this chapter and {} both build to /{}",
                        first.display(),
                        crate::routes::Page::Chapter(&slug).path()
                    ),
                )
                .with_hint("a chapter's URL is its file name, whatever its folder; rename one"),
            ),
            None => {
                routes.insert(slug, rel);
            }
        }
    }
}

/// Reads and checks one chapter file: `None` (with its problems in `diags`) when it has
/// any problem.
fn load_chapter(fence: &Fence, rel: &Path, diags: &mut Diagnostics) -> Option<Chapter> {
    let doc = read_doc(fence, rel).map_err(|d| diags.push(d)).ok()?;
    let mut meta: ChapterMeta = parse_fm(&doc, diags)?;
    let before = diags.len();
    let media = super::media::media(&doc, std::mem::take(&mut meta.media), diags);
    let chapter = chapter(rel, doc, meta).map_err(|d| diags.push(d)).ok()?;
    (diags.len() == before).then_some(Chapter { media, ..chapter })
}

/// A chapter from its file and its front matter, `years` and the file name checked.
fn chapter(rel: &Path, doc: Doc, meta: ChapterMeta) -> Result<Chapter, Diagnostic> {
    let slug = stem(rel);
    if !is_slug(&slug) {
        return Err(Diagnostic::file(
            rel,
            format!("chapter file name `{slug}` is not a valid slug"),
        )
        .with_hint(
            "use lowercase letters, digits, hyphens and underscores: the name becomes the URL",
        ));
    }
    let years = match meta.years.get_ref().as_slice() {
        [a, b] => (chapter_year(&doc, a)?, chapter_year(&doc, b)?),
        _ => (1, 0),
    };
    if years.0 > years.1 {
        return Err(doc.fm_at(
            meta.years.span(),
            "`years` must be [first, last] with first <= last",
        ));
    }
    Ok(Chapter {
        lang: String::new(),
        slug,
        title: meta.title,
        order: meta.order,
        summary: doc.string_source(&meta.summary),
        years,
        draft: meta.draft,
        body: doc.body_source(),
        media: Vec::new(),
    })
}

/// One of a chapter's `years`, astronomically numbered (0 is 1 BCE): a number from 1 to
/// 9999, or a year in the date syntax of [`crate::date`] ("490 BCE", "-0489").
fn chapter_year(doc: &Doc, v: &toml::Spanned<toml::Value>) -> Result<i32, Diagnostic> {
    const HINT: &str =
        "write a year from 1 as a number (1957), and a year before 1 as a string: \"490 BCE\"";
    let year = match v.get_ref() {
        toml::Value::Integer(n @ 1..=9999) => return Ok(*n as i32),
        toml::Value::Integer(n) => {
            let why = if *n <= 0 {
                "a year before 1 is written with its era, as a string"
            } else {
                "years run to 9999"
            };
            return Err(doc
                .fm_at(v.span(), format!("`years` cannot hold {n}: {why}"))
                .with_hint(HINT));
        }
        toml::Value::String(s) => {
            crate::date::parse_at(s, &doc.path, &doc.text, doc.fm.start + v.span().start)?
        }
        _ => {
            return Err(doc
                .fm_at(v.span(), "`years` holds two years")
                .with_hint(HINT))
        }
    };
    if year.month.is_some() {
        return Err(doc
            .fm_at(v.span(), "`years` holds years, not months or days")
            .with_hint(HINT));
    }
    Ok(year.year)
}

/// Loads every event, drafts included (each unchanged one from `found.reuse`); one that
/// fails to load is recorded in `found.unloaded`, and a second event of one id is refused.
fn load_events(root: &Path, refs: &Refs, found: Found, diags: &mut Diagnostics) -> Vec<Event> {
    let (fence, reuse) = (found.fence, found.reuse);
    let files = markdown_files(root, "content/events", found.codes, diags);
    let key = reuse.map_or(0, |_| refs_key(refs));
    let results = load_each(&files, diags, |rel, ds| {
        if let Some(e) = reuse.and_then(|r| r.event(rel, key)) {
            fence.note(rel);
            return Some(e);
        }
        let e = load_event(fence, rel, refs, ds);
        if let (Some(r), Some(e), true) = (reuse, &e, ds.is_empty()) {
            r.keep_event(rel, key, e);
        }
        e
    });
    let mut seen: HashMap<String, &PathBuf> = HashMap::new();
    // Room for every file, not a vector grown by pushes (up to half again to spare);
    // [`published`] copies the events it keeps into one of their exact number.
    let mut events = Vec::with_capacity(files.len());
    for (event, rel) in results.into_iter().zip(&files) {
        let Some(e) = event else {
            found.unloaded.insert(crate::routes::content_key(rel));
            continue;
        };
        if let Some(first) = seen.get(&e.id) {
            diags.push(
                Diagnostic::file(rel, format!("duplicate event id `{}`", e.id)).with_hint(format!(
                    "{} has the same file name; ids must be unique",
                    first.display()
                )),
            );
            continue;
        }
        seen.insert(e.id.clone(), rel);
        events.push(e);
    }
    events
}

/// A hash of everything an event is checked against ([`Refs`]): the settings, and the ids
/// of the chapters, sources and registry entries it may name.
fn refs_key(refs: &Refs) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    format!("{:?}", refs.config).hash(&mut h);
    let mut chapters = refs.chapters.to_vec();
    chapters.sort_unstable();
    (chapters, refs.sources, refs.registries).hash(&mut h);
    h.finish()
}
