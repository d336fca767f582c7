//! Page producers: one function per kind of page, which makes the page's Tera context. A
//! site-wide page's producer is given its route ([`Page`]) by the scheduler in
//! [`crate::render`]; a chapter's or an event's is given the item with its neighbours and
//! takes its route from it. A producer only makes the context; the scheduler decides when
//! it runs and writes the page. The two pages that list
//! every event (the timeline and the print view) are in [`super::listings`].

use super::paginate::{self, Pager};
use super::sources::{brief_ids, event_ids};
use super::timeline::Group;
use super::views::{Around, Card, Views};
use crate::markdown::stage::RenderedChapter;
use crate::routes::{Page, Paged};
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
    /// Each chapter's cards, in the events' order, by the chapter's slug: grouped once, so
    /// that each numbered page of a chapter does not filter every card.
    pub(crate) by_chapter: HashMap<&'a str, Vec<&'a Card<'a>>>,
    pub(crate) groups: Vec<Group<'a>>,
    /// How many numbered pages each listing has.
    pub(crate) numbers: paginate::Numbers,
    /// What rests on each source, for the numbered sources pages.
    pub(crate) by_source: super::sources::BySource<'a>,
}

impl Pages<'_> {
    /// The base context with the keys every page has: its absolute URL (`canonical`), its
    /// section, title and description.
    pub(crate) fn context<'a>(
        &self,
        page: impl Into<Paged<'a>>,
        title: &str,
        description: &str,
    ) -> Context {
        let mut c = self.base.clone();
        set_page(&mut c, &self.views, page.into(), title, description);
        c
    }

    /// The context of a numbered page of a listing, with its `pager`: the title of a page
    /// after the first names its number ("Tags, page 2 of 5"), so that each page has its own.
    pub(crate) fn paged_context(
        &self,
        at: Paged,
        pager: &Pager,
        title: &str,
        description: &str,
    ) -> Context {
        let title = match at.number {
            1 => title.to_string(),
            n => self.views.catalog.get(
                "page-title",
                &[
                    ("title", title.into()),
                    ("number", n.into()),
                    ("count", pager.count.into()),
                ],
            ),
        };
        let mut c = self.context(at, &title, description);
        c.insert("pager", pager);
        c
    }
}

/// Sets the keys every page has (see [`Pages::context`]) in `c`; on a site of several
/// languages, the page in each language too ([`set_languages`]).
fn set_page(c: &mut Context, v: &Views, page: Paged, title: &str, description: &str) {
    c.insert("canonical", &page.url(v.base_url()));
    c.insert("section", page.page.section());
    c.insert("title", title);
    c.insert("description", description);
    if v.current().is_some() {
        set_languages(c, v, page);
        c.insert("text_lang", &None::<String>);
    }
}

/// Marks the page's own text as in `lang` (its item's language): on a page of another
/// language, the notice that the page is not translated, and the text's `lang`.
fn set_text_lang(c: &mut Context, v: &Views, lang: &str) {
    if let Some(lang) = v.text_lang(lang) {
        c.insert("text_lang", &lang);
    }
}

/// The same page in another language, as the switcher links to it.
#[derive(Serialize)]
struct InLanguage<'a> {
    code: &'a str,
    name: &'a str,
    /// Its link: the same page under the language's base (the 404 page: the language's
    /// home page, since a server shows only the root's 404 page).
    url: String,
    current: bool,
}

/// An `hreflang` alternate of a page: the language's code (`x-default` for the default
/// language's page) and the page's absolute URL there.
#[derive(Serialize)]
struct Alternate<'a> {
    hreflang: &'a str,
    href: String,
}

/// `languages` (the switcher's links, [`InLanguage`]) and `alternates` (the page's
/// `hreflang` alternates, every language's and `x-default`; none for the 404 page, which
/// search engines do not list). Every language has every page: a translation replaces an
/// item's text, never its id.
fn set_languages(c: &mut Context, v: &Views, page: Paged) {
    let missing = page.page == Page::NotFound;
    let switch: Vec<InLanguage> = (v.languages.iter().enumerate())
        .map(|(i, l)| InLanguage {
            code: &l.code,
            name: &l.name,
            url: match missing {
                true => Page::Home.url(&l.path),
                false => page.url(&l.path),
            },
            current: i == v.language,
        })
        .collect();
    let mut alternates: Vec<Alternate> = Vec::new();
    if !missing {
        alternates.extend(v.languages.iter().map(|l| Alternate {
            hreflang: &l.code,
            href: page.url(&l.url),
        }));
        alternates.push(Alternate {
            hreflang: "x-default",
            href: page.url(v.root_url()),
        });
    }
    c.insert("languages", &switch);
    c.insert("alternates", &alternates);
}

/// A chapter's card on the home page and the chapters' index.
#[derive(Serialize)]
struct ChapterCard<'a> {
    /// Its place in the documentary, from 1.
    number: usize,
    title: &'a str,
    url: String,
    order: i64,
    years: (i32, i32),
    years_text: String,
    summary_html: &'a str,
    events: usize,
}

/// The home page: its own text (`content/index.md`) and a card for each of the first
/// chapters (`paginate` of them; the chapters' index lists them all).
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
        set_text_lang(&mut c, &p.views, &h.lang);
    }
    let first = paginate::items(1, content.chapters.len(), config.paginate);
    c.insert("chapters", &chapter_cards(p, first));
    c
}

/// The cards of the chapters at `range` in the documentary's order.
fn chapter_cards<'a>(p: &Pages<'a>, range: std::ops::Range<usize>) -> Vec<ChapterCard<'a>> {
    let chapters = &p.views.rendered.chapters[range.clone()];
    // Each chapter's count from the cards grouped once per pass: counting the events here
    // walked them all for each numbered page of the index (40 pages × 100,000 events).
    let per_chapter = |slug: &str| p.by_chapter.get(slug).map_or(0, Vec::len);
    (chapters.iter().zip(range.start + 1..))
        .map(|(r, number)| {
            let ch = r.chapter;
            ChapterCard {
                number,
                title: &ch.title,
                url: Page::Chapter(&ch.slug).url(p.views.base()),
                order: ch.order,
                years: ch.years,
                years_text: crate::date::year_range_text_in(
                    &p.views.catalog.date,
                    ch.years.0,
                    ch.years.1,
                ),
                summary_html: &r.summary.html,
                events: per_chapter(&ch.slug),
            }
        })
        .collect()
}

/// A numbered page of the chapters' index: the cards of its chapters, `paginate` a page.
pub(crate) fn chapters<'a>(p: &Pages<'a>, at: Paged<'a>) -> Context {
    let config = p.views.config;
    let total = p.views.rendered.chapters.len();
    let pager = paginate::pager(at, total, config.paginate, p.views.base());
    let cat = &p.views.catalog;
    let description = cat.get("chapters-description", &[("count", total.into())]);
    let mut c = p.paged_context(at, &pager, &cat.get("chapters", &[]), &description);
    let range = paginate::items(at.number, total, config.paginate);
    c.insert("chapters", &chapter_cards(p, range));
    c
}

/// The `number`th page of a chapter (its route is the chapter's): the first holds its
/// text, table of contents and map; each holds `paginate` of its events' cards, with a
/// pager when they take more than one page, and links to the chapters before and after it.
pub(crate) fn chapter<'a>(
    p: &Pages<'a>,
    at: Around<RenderedChapter<'a>>,
    number: usize,
) -> (Paged<'a>, Context) {
    let (ch, item) = (at.item.chapter, at.item);
    let config = p.views.config;
    let route = Paged::new(Page::Chapter(&ch.slug), number);
    let events: &[&Card] = p
        .by_chapter
        .get(ch.slug.as_str())
        .map_or(&[], Vec::as_slice);
    let range = paginate::items(number, events.len(), config.paginate);
    let pager = paginate::pager(route, events.len(), config.paginate, p.views.base());
    let page = p.views.chapter_page(at, events, range.clone(), number == 1);
    let mut c = p.paged_context(route, &pager, &ch.title, &page.summary_text);
    c.insert("page", &page);
    set_text_lang(&mut c, &p.views, &ch.lang);
    let texts = [&item.summary, &item.body].map(|t| t.cited.iter().map(String::as_str));
    let texts = texts.into_iter().flatten().filter(|_| number == 1);
    let shown = events[range].iter().flat_map(|e| brief_ids(e.event));
    c.insert("cited", &p.views.cited(texts.chain(shown)));
    (route, c)
}

/// An event's page (its route is the event's), written into `c`: a context kept by each
/// worker thread, whose per-page keys are overwritten for each event (copying the
/// site-wide part, every chapter's link and so on, for each of thousands of pages cost
/// more than rendering some of them).
pub(crate) fn event<'a>(p: &Pages<'a>, at: Around<Card<'a>>, c: &mut Context) -> Page<'a> {
    let r = at.item.event;
    let route = Page::Event(&r.event.id);
    set_page(c, &p.views, route.into(), &r.event.title, &r.summary.text);
    c.insert("cited", &p.views.cited(event_ids(r)));
    c.insert("page", &p.views.event_page(at));
    set_text_lang(c, &p.views, &r.event.lang);
    route
}

/// The `number`th sources page: its `paginate` sources, each with what rests on it
/// (bounded: see [`super::sources`]).
pub(crate) fn sources<'a>(p: &Pages<'a>, at: Paged<'a>) -> Context {
    let config = p.views.config;
    let total = p.views.content.sources.len();
    let pager = paginate::pager(at, total, config.paginate, p.views.base());
    let cat = &p.views.catalog;
    let description = cat.get("sources-description", &[]);
    let mut c = p.paged_context(at, &pager, &cat.get("sources", &[]), &description);
    let range = paginate::items(at.number, total, config.paginate);
    c.insert("sources", &p.views.sources(range, &p.by_source));
    c
}

/// The `number`th page of a taxonomy's index (`taxonomy.html`): its terms, `paginate` a
/// page, each with its events' count; `by_term` holds the cards of each term's events
/// ([`Views::cards_by_term`]).
pub(crate) fn taxonomy<'a>(
    p: &Pages<'a>,
    i: usize,
    number: usize,
    by_term: &HashMap<String, Vec<&'a Card<'a>>>,
) -> (Paged<'a>, Context) {
    let config = p.views.config;
    let t = &config.taxonomies[i];
    let route = Paged::new(Page::Taxonomy(&t.name), number);
    let total = p.views.content.terms[i].len();
    let pager = paginate::pager(route, total, config.paginate, p.views.base());
    let singular = t.singular.to_lowercase();
    let description =
        (p.views.catalog).get("taxonomy-description", &[("singular", singular.into())]);
    let mut c = p.paged_context(route, &pager, &t.label, &description);
    c.insert("taxonomy", &p.views.taxonomy_link(i));
    let range = paginate::items(number, total, config.paginate);
    c.insert("terms", &p.views.term_views(i, range, by_term));
    (route, c)
}

/// The `number`th page of the `j`th term of the `i`th taxonomy (`term.html`): its
/// registry entry, if any, and the cards of its events on that page, `paginate` a page.
pub(crate) fn term<'a>(
    p: &Pages<'a>,
    (i, j): (usize, usize),
    number: usize,
    by_term: &HashMap<String, Vec<&'a Card<'a>>>,
) -> (Paged<'a>, Context) {
    let config = p.views.config;
    let t = &config.taxonomies[i];
    let term = &p.views.content.terms[i][j];
    let route = Paged::new(Page::Term(&t.name, &term.id), number);
    let cards = by_term.get(&term.id).map_or(&[][..], Vec::as_slice);
    let pager = paginate::pager(route, cards.len(), config.paginate, p.views.base());
    let shown = &cards[paginate::items(number, cards.len(), config.paginate)];
    let page = p.views.term_page(i, j, shown);
    let description = (p.views.catalog).get(
        "term-description",
        &[
            ("singular", t.singular.as_str().into()),
            ("name", term.name.as_str().into()),
        ],
    );
    let mut c = p.paged_context(route, &pager, &term.name, &description);
    c.insert("page", &page);
    let entry = p.views.rendered.registries[i]
        .get(j)
        .filter(|e| e.entry.id == term.id);
    let own = entry
        .into_iter()
        .flat_map(|e| e.entry.sources.iter().chain(&e.summary.cited));
    let ids = own
        .map(String::as_str)
        .chain(shown.iter().flat_map(|e| brief_ids(e.event)));
    c.insert("cited", &p.views.cited(ids));
    (route, c)
}

/// The search page (its script reads `search.json`).
pub(crate) fn search<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    let cat = &p.views.catalog;
    let description = cat.get("search-description", &[]);
    let mut c = p.context(page, &cat.get("search", &[]), &description);
    let facets = super::listings::taxonomy_menus(p.views.config, p.views.content);
    c.insert("facets", &facets);
    c
}

/// The page a server shows for a missing path (`404.html`).
pub(crate) fn not_found<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    p.context(
        page,
        &p.views.catalog.get("not-found", &[]),
        &p.views.config.description,
    )
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
    set_text_lang(&mut c, &p.views, &r.page.lang);
    c
}
