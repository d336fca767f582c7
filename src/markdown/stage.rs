//! The Markdown stage's driver: renders every text of the content, in parallel, and checks
//! what can only be checked once all are rendered (internal `#anchors`).

use crate::config::Config;
use crate::content::translations::original_path as original;
use crate::content::{Chapter, Content, Entry, Event, FreePage, Source};
use crate::diag::{Diagnostics, Sink};
use crate::markdown::media::{self, FrontCtx, FrontMedia};
use crate::markdown::{render, RenderOptions, Rendered, Resolver, Words};
use crate::media::Media;
use crate::routes;
use crate::routes::source_page;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Renders every Markdown text of the site and checks internal `#anchors`; problems go
/// to `diags` (the HTML is made all the same).
pub fn render_markdown<'a>(
    config: &Config,
    content: &'a Content,
    diags: &mut Diagnostics,
) -> RenderedContent<'a> {
    render_reusing(config, content, diags, None, (None, &Words::english()))
}

/// Rendered texts kept between builds (`serve`'s incremental rebuilds, in
/// `src/incremental/`), for texts that render to the same result (the same file, and
/// the same pages and sources to link to).
pub(crate) trait Reuse: Sync {
    /// The text `src` (a front-matter string when `front`) as an earlier build rendered it.
    fn get(&self, src: &Source, front: bool) -> Option<Rendered>;
    /// Keeps `r`, the text `src` rendered without a problem.
    fn put(&self, src: &Source, front: bool, r: &Rendered);
}

/// Each source's id with the number of the sources page that holds it.
pub(crate) fn source_pages(config: &Config, content: &Content) -> BTreeMap<String, usize> {
    (content.sources.iter().enumerate())
        .map(|(i, s)| (s.id.clone(), source_page(i, config.paginate)))
        .collect()
}

/// The options of a page's body.
const BODY: RenderOptions = RenderOptions {
    front_matter: false,
};

/// [`render_markdown`], taking each text from `reuse` when it holds it, the files of
/// `content/media/` made by `media` (when given).
pub(crate) fn render_reusing<'a>(
    config: &Config,
    content: &'a Content,
    diags: &mut Diagnostics,
    reuse: Option<&dyn Reuse>,
    (media, words): (Option<&Media>, &Words),
) -> RenderedContent<'a> {
    let at = (config.base_path.as_str(), words);
    render_among(config, content, at, diags, reuse, media)
}

/// [`render_reusing`] for the pages under `pages_path` (a language's, `/vi/`: internal
/// links lead to the pages there; the media and `/`-rooted links stay at the site's root),
/// in that language's `words`.
pub(crate) fn render_among<'a>(
    config: &Config,
    content: &'a Content,
    (pages_path, words): (&str, &Words),
    diags: &mut Diagnostics,
    reuse: Option<&dyn Reuse>,
    media: Option<&Media>,
) -> RenderedContent<'a> {
    let resolver = Resolver {
        pages: &page_urls(content, pages_path),
        pages_path,
        base_path: &config.base_path,
        sources: &source_pages(config, content),
        reserved: &reserved_ids(content),
        places: &crate::maps::Places::checked(config, content, pages_path, diags),
        media,
        words,
    };
    let (body, front, sink) = (BODY, RenderOptions { front_matter: true }, Sink::default());
    let run = |src: &Source, o: RenderOptions| -> Rendered {
        if let Some(r) = reuse.and_then(|k| k.get(src, o.front_matter)) {
            // Its files are asked for again, to be written (from the cache).
            media.inspect(|m| r.media.iter().for_each(|n| drop(m.get(n))));
            return r;
        }
        let mut d = Diagnostics::default();
        let r = render(src, &resolver, o, &mut d);
        match (reuse, d.is_empty()) {
            (Some(k), true) => k.put(src, o.front_matter, &r),
            _ => sink.extend(d.0),
        }
        r
    };
    let entries = |list: &'a [Entry]| -> Vec<RenderedEntry<'a>> {
        list.par_iter()
            .map(|entry| RenderedEntry {
                entry,
                summary: run(&entry.summary, front),
            })
            .collect()
    };
    let cx = FrontCtx::new(media, &config.base_path, &sink);
    let rendered = RenderedContent {
        home: content.home.as_ref().map(|h| run(&h.body, body)),
        pages: (content.pages.par_iter())
            .map(|page| RenderedPage {
                page,
                body: run(&page.body, body),
            })
            .collect(),
        chapters: (content.chapters.par_iter())
            .map(|chapter| RenderedChapter {
                chapter,
                summary: run(&chapter.summary, front),
                body: run(&chapter.body, body),
                media: media::front(&chapter.media, &cx, |s| run(s, front)),
            })
            .collect(),
        events: (content.events.par_iter())
            .map(|event| RenderedEvent {
                event,
                summary: run(&event.summary, front),
                disputed: event.disputed.as_ref().map(|d| Box::new(run(d, front))),
                body: without_text(run(&event.body, body)),
                media: media::front(&event.media, &cx, |s| run(s, front)),
            })
            .collect(),
        registries: content.registries.iter().map(|r| entries(r)).collect(),
        places: resolver.places.clone(),
        at: content.positions(),
    };
    diags.extend(sink.into_diagnostics().0);
    check_anchors(content, &rendered, diags);
    rendered
}

/// An event's body without its plain text: nothing reads it (search and descriptions use
/// the summary), and dropping it at once keeps large sites smaller.
fn without_text(mut body: Rendered) -> Rendered {
    body.text = String::new();
    body
}

/// Every `@/page.md#anchor` must name an id on that page.
fn check_anchors(content: &Content, r: &RenderedContent, diags: &mut Diagnostics) {
    let mut ids: HashMap<String, &HashSet<String>> = HashMap::new();
    if let Some(h) = &r.home {
        ids.insert(routes::HOME_KEY.into(), &h.ids);
    }
    for p in &r.pages {
        ids.insert(
            routes::content_key(&original(&p.page.body.path, &p.page.lang)),
            &p.body.ids,
        );
    }
    for c in &r.chapters {
        ids.insert(routes::chapter_key(&c.chapter.slug), &c.body.ids);
    }
    for e in &r.events {
        ids.insert(
            routes::content_key(&original(&e.event.body.path, &e.event.lang)),
            &e.body.ids,
        );
    }
    for rendered in r.all() {
        for l in rendered
            .links
            .iter()
            .filter(|l| !content.unloaded.contains(&l.target))
        {
            let ok = ids
                .get(&l.target)
                .is_some_and(|set| set.contains(&l.anchor));
            if !ok {
                let mut d = l.at.diag(format!(
                    "broken internal link: `@/{}` has no heading `#{}`",
                    l.target, l.anchor
                ));
                if let Some(set) = ids.get(&l.target) {
                    if let Some(h) =
                        crate::diag::did_you_mean(&l.anchor, set.iter().map(|s| s.as_str()))
                    {
                        d = d.with_hint(h);
                    }
                }
                diags.push(d);
            }
        }
    }
}

/// Rendered Markdown of every text in the content, each with the item it belongs to.
pub struct RenderedContent<'a> {
    pub home: Option<Rendered>,
    /// The free pages, in the content's order (by path).
    pub pages: Vec<RenderedPage<'a>>,
    /// In the content's order.
    pub chapters: Vec<RenderedChapter<'a>>,
    /// In the content's order (by date, then id).
    pub events: Vec<RenderedEvent<'a>>,
    /// Each taxonomy's registry entries (in the site's taxonomies' order; empty for a free
    /// taxonomy).
    pub registries: Vec<Vec<RenderedEntry<'a>>>,
    /// The places maps may show (read by `map` blocks, and by the pages' maps).
    pub(crate) places: crate::maps::Places,
    /// Where each source, chapter and registry entry of the content is, by id.
    pub(crate) at: crate::content::Positions<'a>,
}

/// A free page with its rendered body.
pub struct RenderedPage<'a> {
    pub page: &'a FreePage,
    pub body: Rendered,
}

/// A chapter with its rendered summary and body.
pub struct RenderedChapter<'a> {
    pub chapter: &'a Chapter,
    pub summary: Rendered,
    pub body: Rendered,
    /// Its `[[media]]`, made.
    pub media: FrontMedia,
}

/// An event with its rendered summary, dispute note and body (whose `text` is left
/// empty: nothing reads it).
pub struct RenderedEvent<'a> {
    pub event: &'a Event,
    pub summary: Rendered,
    pub disputed: Option<Box<Rendered>>,
    pub body: Rendered,
    /// Its `[[media]]`, made: the first image is the event's image.
    pub media: FrontMedia,
}

/// A registry entry (a person, a place) with its rendered summary.
pub struct RenderedEntry<'a> {
    pub entry: &'a Entry,
    pub summary: Rendered,
}

impl RenderedContent<'_> {
    /// Every rendered text of the site.
    pub(crate) fn all(&self) -> impl Iterator<Item = &Rendered> {
        let (chapters, events) = (&self.chapters, &self.events);
        self.home
            .iter()
            .chain(self.pages.iter().map(|p| &p.body))
            .chain(chapters.iter().map(|c| &c.summary))
            .chain(chapters.iter().map(|c| &c.body))
            .chain(events.iter().map(|e| &e.summary))
            .chain(events.iter().filter_map(|e| e.disputed.as_deref()))
            .chain(events.iter().map(|e| &e.body))
            .chain(self.registries.iter().flatten().map(|p| &p.summary))
    }
}

/// The ids no heading or footnote of the content may take ([`routes::reserved_ids`]).
pub(crate) fn reserved_ids(content: &Content) -> HashSet<String> {
    routes::reserved_ids(
        content.events.iter().map(|e| e.id.as_str()),
        content.chapters.iter().map(|c| c.slug.as_str()),
    )
}

/// The URL of every page an internal link may name ([`routes::page_urls`]), by content key.
pub(crate) fn page_urls(content: &Content, base_path: &str) -> BTreeMap<String, String> {
    routes::page_urls(
        (content.pages.iter()).map(|p| {
            (
                routes::content_key(&original(&p.body.path, &p.lang)),
                p.path.as_str(),
            )
        }),
        content.chapters.iter().map(|c| c.slug.as_str()),
        (content.events.iter()).map(|e| {
            (
                routes::content_key(&original(&e.body.path, &e.lang)),
                e.id.as_str(),
            )
        }),
        content.unloaded.iter().map(String::as_str),
        base_path,
    )
}
