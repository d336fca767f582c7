//! Page producers: one function per kind of page, which returns the page's route
//! ([`Page`]) and its Tera context. A producer only makes the context; the scheduler in
//! [`crate::render`] decides when it runs and writes the page. The two pages that list
//! every event (the timeline and the print view) are in [`super::listings`].

use super::views::Views;
use crate::config::Config;
use crate::content::{Content, Event};
use crate::markdown::stage::{RenderedContent, RenderedEntry};
use crate::routes::{Fragment, Page};
use std::collections::HashMap;
use tera::Context;

/// A page's route and its context, made when its producer is called.
pub(crate) type Produced<'a> = (Page<'a>, Context);

/// What every producer reads: the site's views, the context every page starts from, each
/// event's card HTML and the timeline's groups.
pub(crate) struct Pages<'a> {
    pub(crate) config: &'a Config,
    pub(crate) content: &'a Content,
    pub(crate) rendered: &'a RenderedContent<'a>,
    pub(crate) views: Views<'a>,
    /// The site-wide part of every page's context (`site`, `site_footer`).
    pub(crate) base: Context,
    /// Each card is rendered once (`card.html`, which receives `e`) and its HTML reused by
    /// every page that lists events, by event index. Only the HTML is kept: a page that
    /// needs an event's fields builds its view again, which costs less than holding ten
    /// thousand of them.
    pub(crate) cards: Vec<String>,
    pub(crate) groups: Vec<super::timeline::Group>,
}

impl Pages<'_> {
    /// The base context with the keys every page has: its absolute URL (`canonical`), its
    /// section, title and description.
    pub(crate) fn context(&self, page: Page, title: &str, description: &str) -> Context {
        let mut c = self.base.clone();
        set_page(&mut c, self.config, page, title, description);
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

/// The home page: its own text (`content/index.md`) and a card for each chapter.
pub(crate) fn home<'a>(p: &Pages<'a>) -> Produced<'a> {
    let (config, content) = (p.config, p.content);
    let home_title = content
        .home
        .as_ref()
        .map_or(config.title.as_str(), |h| h.title.as_str());
    let mut c = p.context(Page::Home, home_title, &config.description);
    if let Some(h) = &content.home {
        c.insert("home_title", &h.title);
        c.insert("home_summary", &h.summary);
        let html = p.rendered.home.as_ref().map_or("", |r| r.html.as_str());
        c.insert("home_html", html);
    }
    let mut per_chapter: HashMap<&str, usize> = HashMap::new();
    for e in &content.events {
        *per_chapter.entry(e.chapter.as_str()).or_default() += 1;
    }
    let chapter_cards: Vec<_> = p
        .rendered
        .chapters
        .iter()
        .map(|r| {
            let ch = r.chapter;
            serde_json::json!({
                "title": ch.title, "url": Page::Chapter(&ch.slug).url(&config.base_path),
                "order": ch.order, "years": ch.years, "summary_html": r.summary.html,
                "events": per_chapter.get(ch.slug.as_str()).copied().unwrap_or(0),
            })
        })
        .collect();
    c.insert("chapters", &chapter_cards);
    (Page::Home, c)
}

/// Chapter `i`'s page: its text, table of contents and event cards.
pub(crate) fn chapter<'a>(p: &Pages<'a>, i: usize) -> Produced<'a> {
    let ch = p.rendered.chapters[i].chapter;
    let page = p.views.chapter_page(i, &p.cards);
    let route = Page::Chapter(&ch.slug);
    let mut c = p.context(route, &ch.title, &page.summary_text);
    c.insert("page", &page);
    (route, c)
}

/// Event `i`'s page, written into `c`: a context kept by each worker thread, whose
/// per-page keys are overwritten for each event (copying the site-wide part, every
/// chapter's link and so on, for each of thousands of pages cost more than rendering
/// some of them).
pub(crate) fn event<'a>(p: &Pages<'a>, i: usize, c: &mut Context) -> Page<'a> {
    let r = &p.rendered.events[i];
    let route = Page::Event(&r.event.id);
    set_page(c, p.config, route, &r.event.title, &r.summary.text);
    let card = p.views.event(i, p.cards[i].clone());
    c.insert("page", &p.views.event_page(i, card));
    route
}

/// The sources page: every source, with what rests on it.
pub(crate) fn sources<'a>(p: &Pages<'a>) -> Produced<'a> {
    let description = "The texts every chapter and event of the documentary rests on.";
    let mut c = p.context(Page::Sources, "Sources", description);
    c.insert("sources", &p.views.sources());
    (Page::Sources, c)
}

/// The people page (`entries.html`).
pub(crate) fn people<'a>(p: &Pages<'a>) -> Produced<'a> {
    let heading = ("People", "Who is who in the documentary.");
    entries(
        p,
        Page::People,
        heading,
        &p.rendered.people,
        Fragment::Person,
        |e| &e.people,
    )
}

/// The places page (`entries.html`).
pub(crate) fn places<'a>(p: &Pages<'a>) -> Produced<'a> {
    let heading = (
        "Places",
        "The places where the documentary's events happened.",
    );
    entries(
        p,
        Page::Places,
        heading,
        &p.rendered.places,
        Fragment::Place,
        |e| &e.places,
    )
}

/// A registry's page: `list`, each entry at its `fragment`, with the events that name it
/// (`of`); `heading` is the page's title and description.
fn entries<'a>(
    p: &Pages<'a>,
    page: Page<'a>,
    (heading, description): (&str, &str),
    list: &'a [RenderedEntry<'a>],
    fragment: fn(&'a str) -> Fragment<'a>,
    of: fn(&Event) -> &[String],
) -> Produced<'a> {
    let mut c = p.context(page, heading, description);
    c.insert("entries", &p.views.entries(list, fragment, of));
    c.insert("kind", page.section());
    c.insert("heading", heading);
    (page, c)
}

/// The tags page: every tag with its events.
pub(crate) fn tags<'a>(p: &Pages<'a>) -> Produced<'a> {
    let mut c = p.context(Page::Tags, "Tags", "The documentary's events by theme.");
    c.insert("tags", &p.views.tags());
    (Page::Tags, c)
}

/// The search page (its script reads `search.json`).
pub(crate) fn search<'a>(p: &Pages<'a>) -> Produced<'a> {
    let description = "Search the chapters, events, people and places of the documentary.";
    (Page::Search, p.context(Page::Search, "Search", description))
}

/// The page a server shows for a missing path (`404.html`).
pub(crate) fn not_found<'a>(p: &Pages<'a>) -> Produced<'a> {
    let description = &p.config.description;
    let c = p.context(Page::NotFound, "Page not found", description);
    (Page::NotFound, c)
}
