//! The render stage: every page and data file of the site, rendered through the templates
//! and written through the [`Output`] switch. [`load`] loads the templates once, then
//! [`render_pass`] runs the scheduler here on threads with large stacks, once per
//! language. Where each page goes and which template renders it is [`crate::routes`]'s; [`pages`] and [`listings`]
//! make each page's context from [`views`]; [`data_files`] writes the data files and
//! [`static_files`] copies `static/`.
//!
//! Every page's output path and template are [`Page`]'s, one variant per kind of page;
//! the data files (`timeline.json`, `highlight.css`, `sitemap.xml`, `robots.txt`,
//! `atom.xml`, `.nojekyll`, `search.json`, `CNAME`, the citations' popover data beside the
//! sources pages: [`popovers`]) are [`crate::routes::DataFile`]s.
//! Every file of `static/` is copied as it is, unless its path is one the build makes
//! (`static/index.html`, `static/search.json`, …): that is an error, never a silent
//! replacement.
//!
//! Adding a page, in three steps:
//! 1. give it a [`Page`] variant (its arms in `path` or `folder`, `template` and `section`)
//!    and list it in [`Page::SITE_WIDE`], which the scheduler and the sitemap read;
//! 2. write its producer in [`pages`]: `fn my_page(p: &Pages, page: Page) -> Context`,
//!    starting from `p.context(page, title, description)`;
//! 3. give it its arm in [`producer`] (the `match` is exhaustive, so the compiler asks for
//!    it), [`Run::Alone`] if it lists every event. Then write its template.
//!
//! A listing split into numbered pages ([`crate::routes::Paged`]: the chapters' index, a
//! chapter's events, the sources, the print view, each taxonomy's index and each term's page) has a producer per numbered
//! page ([`Make::Numbered`]); [`paginate::Numbers`] says how many pages each has.

mod data_files;
mod listings;
mod pages;
mod paginate;
mod popovers;
mod search_index;
mod sources;
mod static_files;
pub(crate) mod templates;
pub(crate) mod timeline;
pub(crate) mod views;

use crate::diag::{BuildError, Diagnostics, Sink};
use crate::output::Output;
use crate::routes::{Page, Paged};
use data_files::Made;
use pages::Pages;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use templates::Templates;
use tera::Context;
use views::{around, Card, Views};

/// What the render stage wrote: how many pages, and how many files in all.
pub(crate) struct Written {
    pub(crate) pages: usize,
    pub(crate) files: usize,
    /// Every page written, by output path, with the template that rendered it as
    /// diagnostics name it (`(built-in theme) templates/page.html` for the built-in
    /// theme's): what `check` names for a problem in a page's HTML.
    pub(crate) made_by: HashMap<String, String>,
}

impl Written {
    /// Adds what another language's pass wrote.
    pub(crate) fn add(&mut self, other: Written) {
        self.pages += other.pages;
        self.files += other.files;
        self.made_by.extend(other.made_by);
    }
}

/// Loads the templates, once for every language's pass; `diags` holds the problems the
/// stages before found: with any, or with a template that does not load, nothing is
/// rendered.
pub(crate) fn load(root: &Path, mut diags: Diagnostics) -> Result<Templates, BuildError> {
    let tera = templates::load(root, &mut diags);
    let (Some(tera), true) = (tera, diags.is_empty()) else {
        diags.sort();
        return Err(BuildError::Site(diags));
    };
    Ok(tera)
}

/// One language's pass of the render stage ([`Views::in_language`]): its pages and its
/// own data files under its folder (`vi/`: [`crate::routes::language_folder`]); the
/// default language's pass (the only one of a site of one language) also writes the
/// files every language shares and copies `static/`. Problems found by the templates are
/// diagnostics; a failed write is a system error.
///
/// `only`, when given (by `serve`'s incremental rebuild, in `src/incremental/`), picks
/// which of the pages made one per item (each chapter's, event's and term's) are rendered
/// (the others are kept from the last build), and holds the cards of unchanged events.
/// Every other page, every data file and `static/` are made all the same.
pub(crate) fn render_pass(
    root: &Path,
    v: Views,
    tera: &Templates,
    out: &Output,
    only: Option<Only>,
) -> Result<Written, BuildError> {
    // The pass's own templates: the loaded ones with `t` bound to its language's catalogue.
    let mut tera = tera.clone();
    crate::i18n::register(&mut tera.tera, v.catalog.clone());
    // Pages are rendered on threads with large stacks (Tera's renderer recurses).
    templates::with_render_stack(|| write_all(root, v, &tera, out, only))
}

/// The output path of `file` (a path under a language's base) in the pass of `v`.
fn in_folder(v: &Views, file: &str) -> String {
    match v.current() {
        Some(l) => format!(
            "{}{file}",
            crate::routes::language_folder(&l.code, v.language == 0)
        ),
        None => file.to_string(),
    }
}

/// What an incremental build brings to the render stage.
pub(crate) trait Reuse: Sync {
    /// Whether to render `page`, one of the pages made per item (a chapter's, an event's, a
    /// term's, each of a term's numbered pages); every other page is always made.
    fn renders(&self, page: Paged) -> bool;
    /// The cards of the event `id` as an earlier build made them (what `keep_card` kept),
    /// when they are the same.
    fn card(&self, id: &str) -> Option<String>;
    /// Keeps the cards just made for the event `id` (the full and the brief one, in one
    /// string).
    fn keep_card(&self, id: &str, html: &str);
}

pub(crate) type Only<'o> = &'o dyn Reuse;

/// Whether `page` is rendered under `only`.
fn wanted(only: Option<Only>, page: Paged) -> bool {
    match page.page {
        Page::Chapter(_) | Page::Event(_) | Page::Term(..) | Page::TimelinePart(..) => {
            only.is_none_or(|r| r.renders(page))
        }
        _ => true,
    }
}

/// How the scheduler runs a site-wide page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    /// The page lists every event. Its context is among the largest (tens of megabytes on
    /// a large site, and holding every such context at once was most of the build's peak
    /// memory), so these pages are rendered one after the other, never side by side.
    Alone,
    /// In parallel with each other and with the chapters' and the events' pages.
    Beside,
}

/// A producer of one site-wide page: the page's context, for the page the scheduler
/// passes it (so a producer cannot write one page with another's route).
type Producer = for<'a, 'p> fn(&'p Pages<'a>, Page<'a>) -> Context;

/// A producer of each numbered page of a site-wide listing.
type Numbered = for<'a, 'p> fn(&'p Pages<'a>, Paged<'a>) -> Context;

/// How a site-wide page is made: one page, or numbered pages.
#[derive(Clone, Copy)]
enum Make {
    One(Producer),
    Numbered(Numbered),
}

/// The producer of each site-wide page ([`Page::SITE_WIDE`]) and how it runs; none for
/// the chapters', the events' and the taxonomies' pages, made one per item by
/// [`render_pages`].
fn producer(page: Page) -> Option<(Make, Run)> {
    use Make::{Numbered, One};
    use Run::{Alone, Beside};
    let made: (Make, Run) = match page {
        Page::Home => (One(pages::home), Beside),
        Page::Chapters => (Numbered(pages::chapters), Beside),
        Page::Timeline => (One(listings::timeline), Alone),
        Page::Sources => (Numbered(pages::sources), Beside),
        Page::Search => (One(pages::search), Beside),
        Page::Print => (Numbered(listings::print), Alone),
        Page::NotFound => (One(pages::not_found), Beside),
        Page::Free(_) => (One(pages::free), Beside),
        Page::Chapter(_)
        | Page::Event(_)
        | Page::Taxonomy(_)
        | Page::Term(..)
        | Page::TimelinePart(..) => return None,
    };
    Some(made)
}

/// Runs `make` for `at`.
fn produce<'a>(p: &Pages<'a>, make: Make, at: Paged<'a>) -> Context {
    match make {
        Make::One(f) => f(p, at.page),
        Make::Numbered(f) => f(p, at),
    }
}

/// The scheduler: renders the cards, then every page, then the data files and the copy of
/// `static/`, each step marked for the profile ([`crate::profile::stage`]).
fn write_all(
    root: &Path,
    v: Views,
    tera: &Templates,
    out: &Output,
    only: Option<Only>,
) -> Result<Written, BuildError> {
    let base = base_context(v, tera)?;
    let sink = Sink::default();
    let Some(cards) = cards(v, tera, &sink, only) else {
        return Err(BuildError::Site(sink.into_diagnostics()));
    };
    crate::profile::stage("cards");
    let p = Pages {
        numbers: paginate::Numbers::of(v),
        views: v,
        base,
        cards: &cards,
        by_chapter: cards_by_chapter(&cards),
        groups: timeline::group(v.config, v.catalog, &cards),
        by_source: sources::BySource::of(v),
    };
    let made = render_pages(&p, tera, out, &sink, only);
    drop(p);
    drop(cards);
    let mut made = made?;
    let pages = made.values().filter(|t| t.is_some()).count();
    crate::profile::stage("pages");
    let written = data_files::write_all(v, out, &mut made);
    let made_by: HashMap<String, String> = (made.iter())
        .filter_map(|(file, t)| Some((file.clone(), tera.path_of((*t)?))))
        .collect();
    let statics = match v.language {
        0 => static_files::copy_static(root, out, &made, &made_by, &sink),
        _ => {
            static_files::refuse_clashes(root, &made, &made_by, &sink);
            Ok(0)
        }
    };
    crate::profile::stage("files");
    let errors = sink.into_diagnostics();
    if !errors.is_empty() {
        return Err(BuildError::Site(errors));
    }
    written?;
    Ok(Written {
        pages,
        files: made.len() + statics?,
        made_by,
    })
}

/// Each chapter's cards, in the events' order, by the chapter's slug.
fn cards_by_chapter<'a>(cards: &'a [Card<'a>]) -> HashMap<&'a str, Vec<&'a Card<'a>>> {
    let mut by_chapter: HashMap<&str, Vec<&Card>> = HashMap::new();
    for card in cards {
        by_chapter
            .entry(&card.event.event.chapter)
            .or_default()
            .push(card);
    }
    by_chapter
}

/// The site-wide part of every page's context: `site`, and `site_footer`, which depends
/// only on the site and so is rendered once and included by every page.
fn base_context(v: Views, tera: &Templates) -> Result<Context, BuildError> {
    let mut base = Context::new();
    base.insert("site", &v.site());
    base.insert("lang", &v.catalog.code);
    let footer = templates::render(tera, "footer.html", &base)?;
    base.insert("site_footer", footer.trim_end());
    Ok(base)
}

/// Every event's card (`card.html`) and brief card (`card_brief.html`), each with its
/// event (taken from `only` when it holds it); `None` when a card failed (its problem is
/// in `sink`).
fn cards<'a>(
    v: Views<'a>,
    tera: &Templates,
    sink: &Sink,
    only: Option<Only>,
) -> Option<Vec<Card<'a>>> {
    let cards: Vec<Option<Card>> = (v.rendered.events.par_iter())
        .map(|event| {
            let id = &event.event.id;
            if let Some((html, brief)) = only.and_then(|r| r.card(id)).and_then(unpack) {
                return Some(Card { event, html, brief });
            }
            let mut c = Context::new();
            c.insert("e", &v.event(event));
            let render = |name: &str| {
                let mut html = templates::render(tera, name, &c)?;
                html.truncate(html.trim_end().len());
                // Tera renders into a buffer of 2,000 bytes at least; every card is held
                // until the pages are written (twice a card's size at 100,000 events).
                Ok::<_, crate::diag::Diagnostic>(crate::mem::exact(html))
            };
            let card = render("card.html").and_then(|html| Ok((html, render("card_brief.html")?)));
            let (html, brief) = card.map_err(|d| sink.push(d)).ok()?;
            if let Some(r) = only {
                r.keep_card(id, &format!("{}\n{html}{brief}", html.len()));
            }
            Some(Card { event, html, brief })
        })
        .collect();
    cards.into_iter().collect()
}

/// An event's card and brief card from what [`Reuse::keep_card`] kept: both in one string
/// (so that they are reused together), the card's length in bytes and a newline first.
fn unpack(kept: String) -> Option<(String, String)> {
    let (len, both) = kept.split_once('\n')?;
    let len: usize = len.parse().ok()?;
    let (html, brief) = (both.get(..len)?, both.get(len..)?);
    Some((html.to_string(), brief.to_string()))
}

/// Runs every page producer and writes its page; returns every page written (by output
/// path, with its template). A context is made only when its page is rendered and dropped
/// right after. The site-wide pages that run [`Run::Alone`] go one after the other, then
/// the other site-wide pages, the free pages ([`Page::Free`], each by its producer like a
/// site-wide page) and the chapters in parallel; the events' pages run beside
/// them all, each worker thread with one base context for all its events. A template's
/// problem goes to `sink`; a failed write is a system error.
fn render_pages(
    p: &Pages,
    tera: &Templates,
    out: &Output,
    sink: &Sink,
    only: Option<Only>,
) -> anyhow::Result<Made> {
    let write = |page: Paged, ctx: &Context| -> anyhow::Result<(String, Option<&'static str>)> {
        let (file, template) = (in_folder(&p.views, &page.file()), page.page.template());
        sink.record(out.put_with(&file, |w| templates::render_to(tera, template, ctx, w))?);
        Ok((file, Some(template)))
    };
    // The site-wide pages, each numbered page of those that are split, then the free
    // pages (`Page::Free`, one per page).
    let free = (p.views.rendered.pages.iter()).map(|r| Page::Free(&r.page.path));
    let scheduled: Vec<Paged> = (Page::SITE_WIDE.iter().copied().chain(free))
        .flat_map(|page| {
            let count = p.numbers.of_page(p.views, page);
            (1..=count).map(move |n| Paged::new(page, n))
        })
        .collect();
    let site_wide = |run: Run| {
        (scheduled.iter())
            .filter_map(move |&page| Some((page, producer(page.page)?)).filter(|m| m.1 .1 == run))
    };
    let (made, events) = rayon::join(
        || -> anyhow::Result<Made> {
            let alone =
                site_wide(Run::Alone).map(|(page, (make, _))| write(page, &produce(p, make, page)));
            let mut made = alone.collect::<anyhow::Result<Made>>()?;
            made.extend(listings::timeline_parts(p, out, &write, only)?);
            let beside: Vec<_> = site_wide(Run::Beside).collect();
            let beside = (beside.into_par_iter())
                .map(|(page, (make, _))| write(page, &produce(p, make, page)));
            let chapters = around(&p.views.rendered.chapters).flat_map_iter(|at| {
                let page = Page::Chapter(&at.item.chapter.slug);
                (1..=p.numbers.of_page(p.views, page))
                    .filter(move |&n| wanted(only, Paged::new(page, n)))
                    .map(move |n| {
                        let (page, ctx) = pages::chapter(p, at, n);
                        write(page, &ctx)
                    })
            });
            made.extend(beside.chain(chapters).collect::<anyhow::Result<Made>>()?);
            for i in 0..p.views.config.taxonomies.len() {
                made.extend(taxonomy_pages(p, i, &write, only)?);
            }
            Ok(made)
        },
        || {
            around(p.cards)
                .filter(|at| wanted(only, Page::Event(&at.item.event.event.id).into()))
                .map_init(
                    || p.base.clone(),
                    |c, at| {
                        let page = pages::event(p, at, c);
                        write(page.into(), c)
                    },
                )
                .collect::<anyhow::Result<Vec<_>>>()
        },
    );
    let mut made = made?;
    made.extend(events?);
    Ok(made)
}

/// The pages of the `i`th taxonomy, each written by `write`: its index pages, then its
/// terms' pages (each of their numbered pages) in parallel.
fn taxonomy_pages<W>(p: &Pages, i: usize, write: &W, only: Option<Only>) -> anyhow::Result<Made>
where
    W: Fn(Paged, &Context) -> anyhow::Result<(String, Option<&'static str>)> + Sync,
{
    let by_term = p.views.cards_by_term(i, p.cards);
    let (name, terms) = (
        &p.views.config.taxonomies[i].name,
        &p.views.content.terms[i],
    );
    let index = (1..=p.numbers.of_page(p.views, Page::Taxonomy(name))).map(|n| {
        let (page, ctx) = pages::taxonomy(p, i, n, &by_term);
        write(page, &ctx)
    });
    let mut made: Made = index.collect::<anyhow::Result<_>>()?;
    let per_page = p.views.config.paginate;
    let numbered: Vec<(usize, usize)> = (0..terms.len())
        .flat_map(|j| {
            let events = by_term.get(&terms[j].id).map_or(0, Vec::len);
            (1..=crate::routes::page_count(events, per_page)).map(move |n| (j, n))
        })
        .filter(|&(j, n)| wanted(only, Paged::new(Page::Term(name, &terms[j].id), n)))
        .collect();
    let written = numbered.into_par_iter().map(|(j, n)| {
        let (page, ctx) = pages::term(p, (i, j), n, &by_term);
        write(page, &ctx)
    });
    made.extend(written.collect::<anyhow::Result<Made>>()?);
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every site-wide page and every free page has a producer; the chapters and events are
    /// made per item.
    #[test]
    fn every_site_wide_page_has_a_producer() {
        for &page in Page::SITE_WIDE {
            assert!(producer(page).is_some(), "{page:?} has no producer");
        }
        assert!(producer(Page::Chapter("c")).is_none());
        assert!(producer(Page::Event("e")).is_none());
        assert!(producer(Page::Free("about")).is_some());
    }
}
