//! Page views: the plain, serializable data each template receives.
//!
//! Built from the checked content and its rendered Markdown, read through each item
//! ([`RenderedContent`]); every URL here is a path under the site's base path, made by
//! [`crate::routes`] from checked ids, so templates never build URLs.

use super::timeline::OTHER;
use crate::config::Config;
use crate::content::{Content, Event};
use crate::markdown::stage::{RenderedChapter, RenderedContent, RenderedEvent, RenderedPage};
use crate::markdown::{Heading, Rendered};
use crate::routes::{Fragment, Language, Page};
use crate::text::fold;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    /// The base path of the language's pages (`/vi/` under another language than the
    /// default): every link to a page starts with it.
    pub base_path: String,
    /// The site's root, where the files every language shares are (`style.css`, the
    /// scripts, the media): the base path of the default language's pages.
    pub root_path: String,
    pub language: String,
    pub author: String,
    pub footer: Option<String>,
    pub sources_intro: Option<String>,
    /// The first chapters, as many as the home page shows (`paginate`): all of a small
    /// site's, a bounded few of a large one's.
    pub chapters: Vec<Link>,
    /// How many chapters the site has, and the URL of the chapters' index.
    pub chapter_count: usize,
    pub chapters_url: String,
    pub eras: Vec<crate::config::Era>,
    pub event_count: usize,
    /// The free pages with a `menu` number, in its order (then by path): the main
    /// navigation lists them after its own entries.
    pub menu: Vec<Link>,
    /// The site's taxonomies, each with its index page's URL.
    pub taxonomies: Vec<TaxonomyLink>,
}

/// A taxonomy as every page knows it: for menus, filters and headings.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaxonomyLink {
    pub name: String,
    pub label: String,
    pub singular: String,
    pub filter: bool,
    pub registry: bool,
    pub url: String,
}

/// An event's terms of one taxonomy, as its card and its page show them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermGroup {
    pub name: String,
    pub label: String,
    pub singular: String,
    /// Whether the card shows them (the event's page always does).
    pub card: bool,
    pub terms: Vec<Named>,
}

/// A term on its taxonomy's index page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    /// How many events carry it.
    pub count: usize,
    /// A registry term's detail line and summary.
    pub detail: Option<&'a str>,
    pub summary_html: Option<&'a str>,
}

/// A term's page: the term (with its registry entry, if any) and its events' cards.
#[derive(Debug, Serialize)]
pub(crate) struct TermPage<'a> {
    pub taxonomy: TaxonomyLink,
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    pub aliases: &'a [String],
    /// The name without diacritics, when it differs (so it can be found without them).
    pub plain: Option<String>,
    pub detail: Option<&'a str>,
    pub summary_html: Option<&'a str>,
    pub sources: Vec<Cite>,
    pub events: Vec<ListedEvent<'a>>,
    /// A place's map, when it has a point.
    pub map_html: Option<String>,
}

/// A free page, as `page.html` receives it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FreePageView {
    pub title: String,
    pub summary: Option<String>,
    pub url: String,
    pub body_html: String,
    pub has_code: bool,
    pub toc: Vec<Heading>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Named {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cite {
    pub id: String,
    pub title: String,
    pub url: String,
    pub note: Option<String>,
}

/// An event as it appears in lists, cards and on its own page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventView {
    pub id: String,
    pub title: String,
    pub url: String,
    /// The event on the interactive timeline (`timeline/?event=<id>`), which the
    /// script's links lead to.
    pub timeline_url: String,
    /// The event's card on its era's page (`timeline/<era>/<n>/#<id>`): the `href` of a
    /// link to the event on the timeline, which `site.js` turns into `timeline_url`.
    pub era_page_url: String,
    /// The ISO form (before year 1, astronomical: `-0489` is 490 BCE).
    pub date: String,
    /// The value of `<time datetime>`: absent before year 1, which HTML cannot express.
    pub datetime: Option<String>,
    pub end_date: Option<String>,
    pub display_date: String,
    pub approximate: bool,
    pub disputed: bool,
    pub summary_html: String,
    pub summary_text: String,
    /// The event's terms, one group per taxonomy that it has terms of, in the site's order.
    pub terms: Vec<TermGroup>,
    pub chapter: Link,
    pub chapter_slug: String,
    pub sources: Vec<Cite>,
    pub era: String,
    /// The card as HTML, made once and reused by every listing: the brief card
    /// (`templates/card_brief.html`) in a chapter's list of events.
    pub card_html: String,
    /// The event's image (its first `[[media]]` image) as a `<picture>`, for its card.
    pub image_html: Option<String>,
    /// The language of its text when it is not the page's ([`Views::text_lang`]).
    pub lang: Option<String>,
}

/// An event in a long listing (the timeline, the print view): the few fields such a
/// listing needs, with the card's HTML and the texts borrowed, so that a page listing every
/// event does not copy every card before serializing it.
#[derive(Debug, Serialize)]
pub(crate) struct ListedEvent<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub timeline_url: String,
    pub date: String,
    pub datetime: Option<String>,
    pub end_date: Option<String>,
    pub display_date: std::borrow::Cow<'a, str>,
    pub approximate: bool,
    pub disputed: bool,
    pub summary_text: &'a str,
    pub chapter_slug: &'a str,
    pub era: &'a str,
    /// Absent in the print view, which lists events without their cards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_html: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventPage {
    #[serde(flatten)]
    pub card: EventView,
    pub body_html: String,
    /// Its `[[media]]`, each a `<figure>`.
    pub media_html: String,
    pub disputed_html: Option<String>,
    /// The body has highlighted code: the page loads `highlight.css`.
    pub has_code: bool,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    /// The map of its places that have a point ([`crate::maps`]), if any.
    pub map_html: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChapterPage {
    pub slug: String,
    pub title: String,
    pub order: i64,
    pub url: String,
    pub summary_html: String,
    pub summary_text: String,
    pub years: (i32, i32),
    /// The years as text: "1950–1967", "490–44 BCE".
    pub years_text: String,
    pub body_html: String,
    /// Its `[[media]]`, each a `<figure>`.
    pub media_html: String,
    pub has_code: bool,
    pub toc: Vec<Heading>,
    /// The cards of its events on this numbered page ([`crate::routes::Paged`]).
    pub events: Vec<EventView>,
    /// How many events it has in all.
    pub event_count: usize,
    /// Its story on the timeline (`timeline/?story=<slug>`), when it has events.
    pub story_url: Option<String>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub words: usize,
    /// The map of the places of its events that have a point, if any.
    pub map_html: Option<String>,
}

fn has_code(html: &str) -> bool {
    html.contains("<span class=\"hl-")
}

/// What a page with a table of contents (a chapter, a free page) shows of its body: the
/// HTML, whether it holds highlighted code (the page then loads the highlighting's
/// stylesheet) and the table of contents, its headings of levels 2 and 3.
fn body_with_toc(body: &Rendered) -> (String, bool, Vec<Heading>) {
    let toc = body.toc.iter().filter(|h| h.level <= 3).cloned().collect();
    (body.html.clone(), has_code(&body.html), toc)
}

/// An event's card (`card.html`, which receives `e`) and its brief card
/// (`card_brief.html`: date, title, summary), rendered once with the event they show and
/// reused by every page that lists events: the timeline's era pages show the full card, the
/// term pages and a chapter's list of events the brief one. Only the HTML is kept: a page
/// that needs an event's fields builds its view again, which costs less than holding ten
/// thousand of them.
pub(crate) struct Card<'a> {
    pub(crate) event: &'a RenderedEvent<'a>,
    pub(crate) html: String,
    pub(crate) brief: String,
}

/// An item of a list with its neighbours in the same list (a page's previous and next).
pub(crate) struct Around<'l, T> {
    pub(crate) prev: Option<&'l T>,
    pub(crate) item: &'l T,
    pub(crate) next: Option<&'l T>,
}

impl<T> Clone for Around<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Around<'_, T> {}

/// Every item of `list` with its neighbours, in parallel.
pub(crate) fn around<T: Sync>(list: &[T]) -> impl IndexedParallelIterator<Item = Around<'_, T>> {
    (0..list.len()).into_par_iter().map(move |i| Around {
        prev: i.checked_sub(1).map(|p| &list[p]),
        item: &list[i],
        next: list.get(i + 1),
    })
}

/// What the render stage reads (the site's settings, the checked content and its rendered
/// Markdown, each text with its item), and the views shared by several pages built from it.
#[derive(Clone, Copy)]
pub(crate) struct Views<'a> {
    pub(crate) config: &'a Config,
    pub(crate) content: &'a Content,
    pub(crate) rendered: &'a RenderedContent<'a>,
    /// Which era page each event is on ([`super::timeline::places`]).
    pub(crate) places: &'a super::timeline::Places<'a>,
    /// Every language of the site, the default first (none: a site of one language,
    /// at the root), and which one this pass renders ([`Views::in_language`]).
    pub(crate) languages: &'a [Language],
    pub(crate) language: usize,
    /// The interface text and date words of the page's language.
    pub(crate) catalog: &'a std::sync::Arc<crate::i18n::Catalog>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(
        config: &'a Config,
        content: &'a Content,
        rendered: &'a RenderedContent<'a>,
        places: &'a super::timeline::Places<'a>,
        catalog: &'a std::sync::Arc<crate::i18n::Catalog>,
    ) -> Self {
        Views {
            config,
            content,
            rendered,
            places,
            catalog,
            languages: &[],
            language: 0,
        }
    }

    /// The views of the `i`th of the site's `languages` (the default first): its pages
    /// are under its base ([`crate::routes::languages`]).
    pub(crate) fn in_language(self, languages: &'a [Language], i: usize) -> Self {
        Views {
            languages,
            language: i,
            ..self
        }
    }

    /// The language this pass renders, when the site has several.
    pub(crate) fn current(&self) -> Option<&'a Language> {
        (self.languages.len() > 1).then(|| &self.languages[self.language])
    }

    /// The language of a text in `lang` shown on this pass's pages, when it is not the
    /// pages' (the default language's text, where there is no translation): the `lang` of
    /// its element, and the cue of the notice that the page is not translated.
    pub(crate) fn text_lang(&self, lang: &str) -> Option<String> {
        self.current()
            .filter(|l| l.code != lang)
            .map(|_| lang.to_string())
    }

    /// The base URL of this language's pages, which absolute links start with.
    pub(crate) fn base_url(&self) -> &'a str {
        self.languages
            .get(self.language)
            .map_or(&self.config.base_url, |l| &l.url)
    }

    /// The site's root: where the files every language shares are.
    pub(crate) fn root_path(&self) -> &'a str {
        self.languages
            .first()
            .map_or(&self.config.base_path, |l| &l.path)
    }

    /// The site's root as an absolute URL.
    pub(crate) fn root_url(&self) -> &'a str {
        self.languages
            .first()
            .map_or(&self.config.base_url, |l| &l.url)
    }

    /// How the event `e`'s date reads in the page's language: the author's
    /// `display_date` when given, else its date (and end) in the catalogue's words.
    pub(crate) fn display_date<'e>(
        &self,
        e: &'e crate::content::Event,
    ) -> std::borrow::Cow<'e, str> {
        let w = &self.catalog.date;
        if w == crate::date::english()
            || e.display_date != crate::date::human_range(&e.date, e.end_date.as_ref())
        {
            return std::borrow::Cow::Borrowed(&e.display_date);
        }
        std::borrow::Cow::Owned(crate::date::human_range_in(w, &e.date, e.end_date.as_ref()))
    }

    /// The event `id`'s card on its era's page (the timeline's own page without
    /// JavaScript).
    pub(crate) fn in_era_url(&self, id: &str) -> String {
        let (era, n) = self.places.get(id).copied().unwrap_or((OTHER, 1));
        Fragment::InEra(era, n, id).url(self.base())
    }

    /// The base path of this language's pages, which every link to a page starts with.
    pub(crate) fn base(&self) -> &'a str {
        self.languages
            .get(self.language)
            .map_or(&self.config.base_path, |l| &l.path)
    }

    pub(crate) fn site(&self) -> SiteView {
        SiteView {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
            base_url: self.config.base_url.clone(),
            base_path: self.base().to_string(),
            root_path: self.root_path().to_string(),
            language: self
                .current()
                .map_or(&self.config.language, |l| &l.code)
                .clone(),
            author: self.config.author.clone(),
            footer: self.config.footer.clone(),
            sources_intro: self.config.sources_intro.clone(),
            chapters: self
                .content
                .chapters
                .iter()
                .take(self.config.paginate)
                .map(|c| self.chapter_link(&c.slug, &c.title))
                .collect(),
            chapter_count: self.content.chapters.len(),
            chapters_url: Page::Chapters.url(self.base()),
            eras: self.config.eras.clone(),
            event_count: self.content.events.len(),
            menu: self.menu(),
            taxonomies: (0..self.config.taxonomies.len())
                .map(|i| self.taxonomy_link(i))
                .collect(),
        }
    }

    /// The `i`th taxonomy of the site, with its index page's URL.
    pub(crate) fn taxonomy_link(&self, i: usize) -> TaxonomyLink {
        let t = &self.config.taxonomies[i];
        TaxonomyLink {
            name: t.name.clone(),
            label: t.label.clone(),
            singular: t.singular.clone(),
            filter: t.filter,
            registry: t.registry,
            url: Page::Taxonomy(&t.name).url(self.base()),
        }
    }

    /// A term's id: a registry value is one; a free value's is its slug.
    pub(crate) fn term_id(&self, i: usize, value: &str) -> String {
        match self.config.taxonomies[i].registry {
            true => value.to_string(),
            false => crate::taxonomy::term_id(value),
        }
    }

    /// The free pages of the main navigation ([`SiteView::menu`]).
    fn menu(&self) -> Vec<Link> {
        let mut pages: Vec<_> = (self.content.pages.iter())
            .filter_map(|p| Some((p.menu?, p)))
            .collect();
        pages.sort_by(|a, b| (a.0, &a.1.path).cmp(&(b.0, &b.1.path)));
        (pages.into_iter())
            .map(|(_, p)| Link {
                title: p.title.clone(),
                url: Page::Free(&p.path).url(self.base()),
            })
            .collect()
    }

    /// A free page's view.
    pub(crate) fn free_page(&self, r: &RenderedPage) -> FreePageView {
        let p = r.page;
        let (body_html, has_code, toc) = body_with_toc(&r.body);
        FreePageView {
            title: p.title.clone(),
            summary: p.summary.clone(),
            url: Page::Free(&p.path).url(self.base()),
            body_html,
            has_code,
            toc,
        }
    }

    fn chapter_link(&self, slug: &str, title: &str) -> Link {
        Link {
            title: title.to_string(),
            url: Page::Chapter(slug).url(self.base()),
        }
    }

    pub(crate) fn event_link(&self, e: &Event) -> Link {
        Link {
            title: e.title.clone(),
            url: Page::Event(&e.id).url(self.base()),
        }
    }

    /// An event's terms, one group per taxonomy it has terms of, each term linked to its
    /// page and named by its registry entry (or as written).
    fn term_groups(&self, e: &Event) -> Vec<TermGroup> {
        let taxonomies = self.config.taxonomies.iter().enumerate();
        let with_terms = taxonomies.filter(|(i, _)| !e.terms[*i].is_empty());
        with_terms
            .map(|(i, t)| {
                let (registry, at) = (&self.content.registries[i], &self.rendered.at.entries);
                let named = e.terms[i].iter().map(|v| {
                    let id = self.term_id(i, v);
                    let entry = (at.get(i))
                        .and_then(|a| a.get(v.as_str()))
                        .map(|&j| &registry[j]);
                    Named {
                        url: Page::Term(&t.name, &id).url(self.base()),
                        name: entry.map_or_else(
                            || {
                                self.config
                                    .term_name(&self.config.language, &t.name, v)
                                    .into()
                            },
                            |p| p.name.clone(),
                        ),
                        id,
                    }
                });
                TermGroup {
                    name: t.name.clone(),
                    label: t.label.clone(),
                    singular: t.singular.clone(),
                    card: t.card,
                    terms: named.collect(),
                }
            })
            .collect()
    }

    /// An event as its card shows it, without the card's HTML (`card_html` is empty): what
    /// `card.html` receives.
    pub(crate) fn event(&self, r: &RenderedEvent) -> EventView {
        let e = r.event;
        let at = self.rendered.at.chapters.get(e.chapter.as_str());
        let chapter = at.map(|&i| &self.content.chapters[i]);
        EventView {
            id: e.id.clone(),
            title: e.title.clone(),
            url: Page::Event(&e.id).url(self.base()),
            timeline_url: Fragment::OnTimeline(&e.id).url(self.base()),
            era_page_url: self.in_era_url(&e.id),
            date: e.date.iso(),
            datetime: e.date.datetime(),
            end_date: e.end_date.map(|d| d.iso()),
            display_date: self.display_date(e).into_owned(),
            approximate: e.approximate,
            disputed: e.disputed.is_some(),
            summary_html: r.summary.html.clone(),
            summary_text: r.summary.text.clone(),
            terms: self.term_groups(e),
            chapter: self.chapter_link(
                &e.chapter,
                chapter.map_or(e.chapter.as_str(), |c| c.title.as_str()),
            ),
            chapter_slug: e.chapter.clone(),
            sources: (e.sources.iter())
                .map(|s| self.cite(&s.id, s.note.clone()))
                .collect(),
            era: self.era_of(e).to_string(),
            card_html: String::new(),
            image_html: r.media.card.clone(),
            lang: self.text_lang(&e.lang),
        }
    }

    /// A citation of the source `id`, with its title and its place on the sources page.
    fn cite(&self, id: &str, note: Option<String>) -> Cite {
        let at = self.rendered.at.sources.get(id);
        let work = at.map(|&i| &self.content.sources[i]);
        Cite {
            id: id.to_string(),
            title: work.map_or_else(String::new, |w| w.title.clone()),
            url: self.source_url(id),
            note,
        }
    }

    /// A card's event with the card's HTML.
    pub(crate) fn carded(&self, card: &Card) -> EventView {
        EventView {
            card_html: card.html.clone(),
            ..self.event(card.event)
        }
    }

    /// The era an event falls in, by id (`other-dates` outside every era).
    fn era_of(&self, e: &Event) -> &'a str {
        self.config.era_of(&e.date).map_or(OTHER, |x| x.id.as_str())
    }

    /// An event in a long listing, without its card's HTML.
    pub(crate) fn listed<'l>(&self, r: &'l RenderedEvent<'a>) -> ListedEvent<'l> {
        let e = r.event;
        ListedEvent {
            id: &e.id,
            title: &e.title,
            url: Page::Event(&e.id).url(self.base()),
            timeline_url: Fragment::OnTimeline(&e.id).url(self.base()),
            date: e.date.iso(),
            datetime: e.date.datetime(),
            end_date: e.end_date.map(|d| d.iso()),
            display_date: self.display_date(e),
            approximate: e.approximate,
            disputed: e.disputed.is_some(),
            summary_text: &r.summary.text,
            chapter_slug: &e.chapter,
            era: self.era_of(e),
            card_html: None,
        }
    }

    /// An event's page, from its card, with the events before and after it on the site.
    pub(crate) fn event_page(&self, at: Around<Card>) -> EventPage {
        let r = at.item.event;
        EventPage {
            card: self.carded(at.item),
            body_html: r.body.html.clone(),
            media_html: r.media.page.clone(),
            has_code: has_code(&r.body.html),
            disputed_html: r.disputed.as_ref().map(|d| d.html.clone()),
            prev: at.prev.map(|p| self.event_link(p.event.event)),
            next: at.next.map(|n| self.event_link(n.event.event)),
            map_html: self.map_of(
                [r.event],
                &self.catalog.get("map-event", &[]),
                &Page::Event(&r.event.id).url(self.base()),
            ),
        }
    }

    /// The map of the places of `events` that have a point, on the page at `here`.
    fn map_of<'e>(
        &self,
        events: impl IntoIterator<Item = &'e crate::content::Event>,
        title: &str,
        here: &str,
    ) -> Option<String> {
        let i = crate::maps::Places::taxonomy(self.config)?;
        let ids = events
            .into_iter()
            .flat_map(|e| e.terms.get(i).into_iter().flatten())
            .map(String::as_str);
        (self.rendered.places).figure(ids, title, here, &crate::maps::Words::of(self.catalog))
    }

    /// A chapter's page, with the chapters before and after it; `cards` holds every
    /// event's card.
    pub(crate) fn chapter_page(
        &self,
        at: Around<RenderedChapter>,
        events: &[&Card],
        shown: std::ops::Range<usize>,
        first: bool,
    ) -> ChapterPage {
        let r = at.item;
        let (c, body) = (r.chapter, &r.body);
        let link = |n: &RenderedChapter| self.chapter_link(&n.chapter.slug, &n.chapter.title);
        let (body_html, has_code, toc) = match first {
            true => body_with_toc(body),
            false => (String::new(), false, Vec::new()),
        };
        let url = Page::Chapter(&c.slug).url(self.base());
        let title = self.catalog.get("map-chapter", &[]);
        let map_html = (first)
            .then(|| self.map_of(events.iter().map(|card| card.event.event), &title, &url))
            .flatten();
        ChapterPage {
            slug: c.slug.clone(),
            title: c.title.clone(),
            order: c.order,
            url,
            summary_html: r.summary.html.clone(),
            summary_text: r.summary.text.clone(),
            years: c.years,
            years_text: crate::date::year_range_text_in(&self.catalog.date, c.years.0, c.years.1),
            body_html,
            media_html: r.media.page.clone(),
            has_code,
            toc,
            story_url: (!events.is_empty()).then(|| Fragment::Story(&c.slug).url(self.base())),
            events: (events[shown].iter())
                .map(|card| EventView {
                    card_html: card.brief.clone(),
                    ..self.event(card.event)
                })
                .collect(),
            event_count: events.len(),
            prev: at.prev.map(link),
            next: at.next.map(link),
            words: body.text.split_whitespace().count(),
            map_html,
        }
    }

    /// The cards of the events that carry each term of the `i`th taxonomy, by term id, in
    /// the events' order: one pass over the cards.
    pub(crate) fn cards_by_term(
        &self,
        i: usize,
        cards: &'a [Card<'a>],
    ) -> HashMap<String, Vec<&'a Card<'a>>> {
        let mut by_term: HashMap<String, Vec<&Card>> = HashMap::new();
        for card in cards {
            for v in &card.event.event.terms[i] {
                let list = by_term.entry(self.term_id(i, v)).or_default();
                if !list.last().is_some_and(|l| std::ptr::eq(*l, card)) {
                    list.push(card);
                }
            }
        }
        by_term
    }

    /// The terms of the `i`th taxonomy at `range` on its index pages, with their events'
    /// counts (a registry's entries with their detail and summary).
    pub(crate) fn term_views(
        &self,
        i: usize,
        range: std::ops::Range<usize>,
        by_term: &HashMap<String, Vec<&Card>>,
    ) -> Vec<TermView<'a>> {
        let t = &self.config.taxonomies[i];
        let entries = &self.rendered.registries[i];
        (self.content.terms[i].iter())
            .enumerate()
            .skip(range.start)
            .take(range.len())
            .map(|(j, term)| {
                let entry = entries.get(j).filter(|e| e.entry.id == term.id);
                TermView {
                    id: &term.id,
                    name: &term.name,
                    url: Page::Term(&t.name, &term.id).url(self.base()),
                    count: by_term.get(&term.id).map_or(0, Vec::len),
                    detail: entry.and_then(|e| e.entry.detail.as_deref()),
                    summary_html: entry.map(|e| e.summary.html.as_str()),
                }
            })
            .collect()
    }

    /// The page of the `j`th term of the `i`th taxonomy, with the `cards` of its events.
    pub(crate) fn term_page(&self, i: usize, j: usize, cards: &[&'a Card<'a>]) -> TermPage<'a> {
        let t = &self.config.taxonomies[i];
        let term = &self.content.terms[i][j];
        let entry = self.rendered.registries[i]
            .get(j)
            .filter(|e| e.entry.id == term.id);
        let plain = fold(&term.name);
        let aliases = entry.map_or(&[][..], |e| &e.entry.aliases[..]);
        let url = Page::Term(&t.name, &term.id).url(self.base());
        let map_html = (crate::maps::Places::taxonomy(self.config) == Some(i))
            .then(|| {
                (self.rendered.places).figure(
                    [term.id.as_str()],
                    &self.catalog.get("map-place", &[]),
                    &url,
                    &crate::maps::Words::of(self.catalog),
                )
            })
            .flatten();
        TermPage {
            taxonomy: self.taxonomy_link(i),
            id: &term.id,
            name: &term.name,
            url,
            aliases,
            plain: (plain != term.name && !aliases.contains(&plain)).then_some(plain),
            detail: entry.and_then(|e| e.entry.detail.as_deref()),
            summary_html: entry.map(|e| e.summary.html.as_str()),
            sources: (entry.iter())
                .flat_map(|e| &e.entry.sources)
                .map(|s| self.cite(s, None))
                .collect(),
            events: (cards.iter())
                .map(|card| ListedEvent {
                    card_html: Some(&card.brief),
                    ..self.listed(card.event)
                })
                .collect(),
            map_html,
        }
    }
}
