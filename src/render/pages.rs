//! Page producers: one function per kind of page, which makes the page's Tera context. A
//! site-wide page's producer is given its route ([`Page`]) by the scheduler in
//! [`crate::render`]; a chapter's or an event's is given the item with its neighbours and
//! takes its route from it. A producer only makes the context; the scheduler decides when
//! it runs and writes the page. The two pages that list
//! every event (the timeline and the print view) are in [`super::listings`].

use super::sources::event_ids;
use super::timeline::Group;
use super::views::{Around, Card, Views};
use crate::config::Config;
use crate::markdown::stage::RenderedChapter;
use crate::routes::Page;
use serde::Serialize;
use std::collections::HashMap;
use tera::Context;

/// What every producer reads: the site's inputs and views, the context every page starts
/// from, each event's card and the timeline's groups.
pub(crate) struct Pages<'a> {
    pub(crate) views: Views<'a>,
    /// The site-wide part of every page's context (`site`, `site_footer`).
    pub(crate) base: Context,
    /// Every event's card, in the events' order, each with its event.
    pub(crate) cards: &'a [Card<'a>],
    pub(crate) groups: Vec<Group<'a>>,
}

impl Pages<'_> {
    /// The base context with the keys every page has: its absolute URL (`canonical`), its
    /// section, title and description.
    pub(crate) fn context(&self, page: Page, title: &str, description: &str) -> Context {
        let mut c = self.base.clone();
        set_page(&mut c, self.views.config, page, title, description);
        c
    }
}

/// Sets the keys every page has (see [`Pages::context`]) in `c`.
fn set_page(c: &mut Context, config: &Config, page: Page, title: &str, description: &str) {
    c.insert("canonical", &page.url(&config.base_url));
    c.insert("section", page.section());
    c.insert("title", title);
    c.insert("description", description);
}

/// A chapter's card on the home page.
#[derive(Serialize)]
struct ChapterCard<'a> {
    title: &'a str,
    url: String,
    order: i64,
    years: (i32, i32),
    years_text: String,
    summary_html: &'a str,
    events: usize,
}

/// The home page: its own text (`content/index.md`) and a card for each chapter.
pub(crate) fn home<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    let (config, content) = (p.views.config, p.views.content);
    let home_title = content
        .home
        .as_ref()
        .map_or(config.title.as_str(), |h| h.title.as_str());
    let mut c = p.context(page, home_title, &config.description);
    if let Some(h) = &content.home {
        c.insert("home_title", &h.title);
        c.insert("home_summary", &h.summary);
        let html = p
            .views
            .rendered
            .home
            .as_ref()
            .map_or("", |r| r.html.as_str());
        c.insert("home_html", html);
    }
    let mut per_chapter: HashMap<&str, usize> = HashMap::new();
    for e in &content.events {
        *per_chapter.entry(e.chapter.as_str()).or_default() += 1;
    }
    let chapter_cards: Vec<_> = (p.views.rendered.chapters.iter())
        .map(|r| {
            let ch = r.chapter;
            ChapterCard {
                title: &ch.title,
                url: Page::Chapter(&ch.slug).url(&config.base_path),
                order: ch.order,
                years: ch.years,
                years_text: crate::date::year_range_text(ch.years.0, ch.years.1),
                summary_html: &r.summary.html,
                events: per_chapter.get(ch.slug.as_str()).copied().unwrap_or(0),
            }
        })
        .collect();
    c.insert("chapters", &chapter_cards);
    c
}

/// A chapter's page (its route is the chapter's): its text, table of contents and event
/// cards, and links to the chapters before and after it.
pub(crate) fn chapter<'a>(p: &Pages<'a>, at: Around<RenderedChapter<'a>>) -> (Page<'a>, Context) {
    let (ch, item) = (at.item.chapter, at.item);
    let page = p.views.chapter_page(at, p.cards);
    let route = Page::Chapter(&ch.slug);
    let mut c = p.context(route, &ch.title, &page.summary_text);
    c.insert("page", &page);
    let events = (p.cards.iter()).filter(|card| card.event.event.chapter == ch.slug);
    let texts = [&item.summary, &item.body].map(|t| t.cited.iter().map(String::as_str));
    let ids = texts.into_iter().flatten();
    c.insert(
        "cited",
        &p.views
            .cited(ids.chain(events.flat_map(|e| event_ids(e.event)))),
    );
    (route, c)
}

/// An event's page (its route is the event's), written into `c`: a context kept by each
/// worker thread, whose per-page keys are overwritten for each event (copying the
/// site-wide part, every chapter's link and so on, for each of thousands of pages cost
/// more than rendering some of them).
pub(crate) fn event<'a>(p: &Pages<'a>, at: Around<Card<'a>>, c: &mut Context) -> Page<'a> {
    let r = at.item.event;
    let route = Page::Event(&r.event.id);
    set_page(c, p.views.config, route, &r.event.title, &r.summary.text);
    c.insert("cited", &p.views.cited(event_ids(r)));
    c.insert("page", &p.views.event_page(at));
    route
}

/// The sources page: every source, with what rests on it (bounded: see
/// [`super::sources`]).
pub(crate) fn sources<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    let description = "The texts every chapter and event of the documentary rests on.";
    let mut c = p.context(page, "Sources", description);
    c.insert("sources", &p.views.sources());
    c
}

/// A taxonomy's index page (`taxonomy.html`): its terms, each with its events' count;
/// `by_term` holds the cards of each term's events ([`Views::cards_by_term`]).
pub(crate) fn taxonomy<'a>(
    p: &Pages<'a>,
    i: usize,
    by_term: &HashMap<String, Vec<&'a Card<'a>>>,
) -> (Page<'a>, Context) {
    let t = &p.views.config.taxonomies[i];
    let route = Page::Taxonomy(&t.name);
    let description = format!("The documentary's events by {}.", t.singular.to_lowercase());
    let mut c = p.context(route, &t.label, &description);
    c.insert("taxonomy", &p.views.taxonomy_link(i));
    c.insert("terms", &p.views.term_views(i, by_term));
    (route, c)
}

/// The page of the `j`th term of the `i`th taxonomy (`term.html`): its registry entry, if
/// any, and the cards of its events.
pub(crate) fn term<'a>(
    p: &Pages<'a>,
    i: usize,
    j: usize,
    by_term: &HashMap<String, Vec<&'a Card<'a>>>,
) -> (Page<'a>, Context) {
    let t = &p.views.config.taxonomies[i];
    let term = &p.views.content.terms[i][j];
    let route = Page::Term(&t.name, &term.id);
    let cards = by_term.get(&term.id).map_or(&[][..], Vec::as_slice);
    let page = p.views.term_page(i, j, cards);
    let description = format!(
        "{}: {}, and the events of the documentary that concern it.",
        t.singular, term.name
    );
    let mut c = p.context(route, &term.name, &description);
    c.insert("page", &page);
    let entry = p.views.rendered.registries[i]
        .get(j)
        .filter(|e| e.entry.id == term.id);
    let own = entry
        .into_iter()
        .flat_map(|e| e.entry.sources.iter().chain(&e.summary.cited));
    let ids = own
        .map(String::as_str)
        .chain(cards.iter().flat_map(|e| event_ids(e.event)));
    c.insert("cited", &p.views.cited(ids));
    (route, c)
}

/// The search page (its script reads `search.json`).
pub(crate) fn search<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    let description = "Search the chapters, events, people and places of the documentary.";
    let mut c = p.context(page, "Search", description);
    let facets = super::listings::taxonomy_menus(p.views.config, p.views.content);
    c.insert("facets", &facets);
    c
}

/// The page a server shows for a missing path (`404.html`).
pub(crate) fn not_found<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    p.context(page, "Page not found", &p.views.config.description)
}

/// A free page (`page.html`): its text, found by the path of its route (the rendered pages
/// are in the order of their paths, so a binary search finds it).
pub(crate) fn free<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    let pages = &p.views.rendered.pages;
    let found = match page {
        Page::Free(path) => (pages.binary_search_by(|r| r.page.path.as_str().cmp(path)))
            .ok()
            .map(|i| &pages[i]),
        _ => None,
    };
    let Some(r) = found else {
        return p.context(page, "", "");
    };
    let summary = r.page.summary.as_deref().unwrap_or(&r.body.text);
    let description: String = summary.chars().take(300).collect();
    let mut c = p.context(page, &r.page.title, description.trim());
    c.insert("page", &p.views.free_page(r));
    c
}
