//! Page views: the plain, serializable data each template receives.
//!
//! Built from the checked content and its rendered Markdown, read through each item
//! ([`RenderedContent`]); every URL here is a path under the site's base path, made by
//! [`crate::routes`] from checked ids, so templates never build URLs.

use crate::config::Config;
use crate::content::{Content, Entry, Event};
use crate::markdown::stage::{
    RenderedChapter, RenderedContent, RenderedEntry, RenderedEvent, RenderedPage,
};
use crate::markdown::{Heading, Rendered};
use crate::routes::{Fragment, Page};
use crate::text::{fold, slugify};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
    pub base_path: String,
    pub language: String,
    pub author: String,
    pub footer: Option<String>,
    pub sources_intro: Option<String>,
    pub chapters: Vec<Link>,
    pub eras: Vec<crate::config::Era>,
    pub event_count: usize,
    /// The free pages with a `menu` number, in its order (then by path): the main
    /// navigation lists them after its own entries.
    pub menu: Vec<Link>,
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
    pub timeline_url: String,
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
    pub places: Vec<Named>,
    pub people: Vec<Named>,
    pub countries: Vec<String>,
    pub tags: Vec<Named>,
    pub chapter: Link,
    pub chapter_slug: String,
    pub sources: Vec<Cite>,
    pub era: String,
    /// The card as HTML (`templates/card.html`), made once and reused by every listing.
    pub card_html: String,
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
    pub display_date: &'a str,
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
    pub disputed_html: Option<String>,
    /// The body has highlighted code: the page loads `highlight.css`.
    pub has_code: bool,
    pub prev: Option<Link>,
    pub next: Option<Link>,
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
    pub has_code: bool,
    pub toc: Vec<Heading>,
    pub events: Vec<EventView>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub words: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryView {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// The name without diacritics, when it differs (so it can be found without them).
    pub plain: Option<String>,
    pub detail: Option<String>,
    pub summary_html: String,
    pub events: Vec<Link>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceView {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub date_text: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub cited_in: Option<String>,
    pub cites: Vec<String>,
    pub events: Vec<Link>,
    pub chapters: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TagView {
    pub id: String,
    pub name: String,
    pub events: Vec<Link>,
}

fn has_code(html: &str) -> bool {
    html.contains("<span class=\"hl-")
}

/// An event's card (`card.html`, which receives `e`), rendered once with the event it
/// shows and reused by every page that lists events. Only the HTML is kept: a page that
/// needs an event's fields builds its view again, which costs less than holding ten
/// thousand of them.
pub(crate) struct Card<'a> {
    pub(crate) event: &'a RenderedEvent<'a>,
    pub(crate) html: String,
}

/// An item of a list with its neighbours in the same list (a page's previous and next).
pub(crate) struct Around<'l, T> {
    pub(crate) prev: Option<&'l T>,
    pub(crate) item: &'l T,
    pub(crate) next: Option<&'l T>,
}

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
}

impl<'a> Views<'a> {
    pub(crate) fn new(
        config: &'a Config,
        content: &'a Content,
        rendered: &'a RenderedContent<'a>,
    ) -> Self {
        Views {
            config,
            content,
            rendered,
        }
    }

    /// The site's base path, which every link starts with.
    fn base(&self) -> &'a str {
        &self.config.base_path
    }

    pub(crate) fn site(&self) -> SiteView {
        SiteView {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
            base_url: self.config.base_url.clone(),
            base_path: self.base().to_string(),
            language: self.config.language.clone(),
            author: self.config.author.clone(),
            footer: self.config.footer.clone(),
            sources_intro: self.config.sources_intro.clone(),
            chapters: self
                .content
                .chapters
                .iter()
                .map(|c| self.chapter_link(&c.slug, &c.title))
                .collect(),
            eras: self.config.eras.clone(),
            event_count: self.content.events.len(),
            menu: self.menu(),
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
        let (p, body) = (r.page, &r.body);
        FreePageView {
            title: p.title.clone(),
            summary: p.summary.clone(),
            url: Page::Free(&p.path).url(self.base()),
            body_html: body.html.clone(),
            has_code: has_code(&body.html),
            toc: body.toc.iter().filter(|h| h.level <= 3).cloned().collect(),
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

    fn named<'i>(
        &self,
        ids: &'i [String],
        list: &[Entry],
        fragment: fn(&'i str) -> Fragment<'i>,
    ) -> Vec<Named> {
        ids.iter()
            .map(|id| Named {
                id: id.clone(),
                name: list
                    .iter()
                    .find(|p| &p.id == id)
                    .map_or_else(|| id.clone(), |p| p.name.clone()),
                url: fragment(id).url(self.base()),
            })
            .collect()
    }

    /// An event as its card shows it, without the card's HTML (`card_html` is empty): what
    /// `card.html` receives.
    pub(crate) fn event(&self, r: &RenderedEvent) -> EventView {
        let e = r.event;
        let chapter = self.content.chapter(&e.chapter);
        EventView {
            id: e.id.clone(),
            title: e.title.clone(),
            url: Page::Event(&e.id).url(self.base()),
            timeline_url: Fragment::OnTimeline(&e.id).url(self.base()),
            date: e.date.iso(),
            datetime: e.date.datetime(),
            end_date: e.end_date.map(|d| d.iso()),
            display_date: e.display_date.clone(),
            approximate: e.approximate,
            disputed: e.disputed.is_some(),
            summary_html: r.summary.html.clone(),
            summary_text: r.summary.text.clone(),
            places: self.named(&e.places, &self.content.places, Fragment::Place),
            people: self.named(&e.people, &self.content.people, Fragment::Person),
            countries: e.countries.clone(),
            tags: e
                .tags
                .iter()
                .map(|t| {
                    let id = slugify(t);
                    Named {
                        url: Fragment::Tag(&id).url(self.base()),
                        id,
                        name: t.clone(),
                    }
                })
                .collect(),
            chapter: self.chapter_link(
                &e.chapter,
                chapter.map_or(e.chapter.as_str(), |c| c.title.as_str()),
            ),
            chapter_slug: e.chapter.clone(),
            sources: e
                .sources
                .iter()
                .map(|s| Cite {
                    id: s.id.clone(),
                    title: self
                        .content
                        .sources
                        .iter()
                        .find(|w| w.id == s.id)
                        .map_or_else(String::new, |w| w.title.clone()),
                    url: Fragment::Source(&s.id).url(self.base()),
                    note: s.note.clone(),
                })
                .collect(),
            era: self.era_of(e).to_string(),
            card_html: String::new(),
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
        self.config
            .era_of(&e.date)
            .map_or("other-dates", |x| x.id.as_str())
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
            display_date: &e.display_date,
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
            has_code: has_code(&r.body.html),
            disputed_html: r.disputed.as_ref().map(|d| d.html.clone()),
            prev: at.prev.map(|p| self.event_link(p.event.event)),
            next: at.next.map(|n| self.event_link(n.event.event)),
        }
    }

    /// A chapter's page, with the chapters before and after it; `cards` holds every
    /// event's card.
    pub(crate) fn chapter_page(&self, at: Around<RenderedChapter>, cards: &[Card]) -> ChapterPage {
        let r = at.item;
        let (c, body) = (r.chapter, &r.body);
        let link = |n: &RenderedChapter| self.chapter_link(&n.chapter.slug, &n.chapter.title);
        ChapterPage {
            slug: c.slug.clone(),
            title: c.title.clone(),
            order: c.order,
            url: Page::Chapter(&c.slug).url(self.base()),
            summary_html: r.summary.html.clone(),
            summary_text: r.summary.text.clone(),
            years: c.years,
            years_text: crate::date::year_range_text(c.years.0, c.years.1),
            body_html: body.html.clone(),
            has_code: has_code(&body.html),
            toc: body.toc.iter().filter(|h| h.level <= 3).cloned().collect(),
            events: (cards.iter())
                .filter(|card| card.event.event.chapter == c.slug)
                .map(|card| self.carded(card))
                .collect(),
            prev: at.prev.map(link),
            next: at.next.map(link),
            words: body.text.split_whitespace().count(),
        }
    }

    /// For each id the events name (`ids(event)`), those events, in order and each once:
    /// one pass over the events, however long the registries.
    fn events_by_id<'e, I: Iterator<Item = &'e str>>(
        &'e self,
        ids: impl Fn(&'e RenderedEvent<'a>) -> I,
    ) -> HashMap<&'e str, Vec<&'e RenderedEvent<'a>>> {
        let mut by_id: HashMap<&str, Vec<&RenderedEvent>> = HashMap::new();
        for e in &self.rendered.events {
            for id in ids(e) {
                let list = by_id.entry(id).or_default();
                if !list.last().is_some_and(|l| std::ptr::eq(*l, e)) {
                    list.push(e);
                }
            }
        }
        by_id
    }

    /// Links to `events` (none when there are none).
    fn event_links(&self, events: Option<&Vec<&RenderedEvent>>) -> Vec<Link> {
        events
            .into_iter()
            .flatten()
            .map(|r| self.event_link(r.event))
            .collect()
    }

    /// The people's or the places' page: `list`, each entry linked at `fragment`, with
    /// the events that name it (`of`).
    pub(crate) fn entries<'e>(
        &self,
        list: &[RenderedEntry<'e>],
        fragment: fn(&'e str) -> Fragment<'e>,
        of: impl Fn(&Event) -> &[String],
    ) -> Vec<EntryView> {
        let named = self.events_by_id(|e| of(e.event).iter().map(String::as_str));
        list.iter()
            .map(
                |RenderedEntry {
                     entry: p,
                     summary: r,
                 }| {
                    let plain = fold(&p.name);
                    EntryView {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        aliases: p.aliases.clone(),
                        plain: (plain != p.name && !p.aliases.contains(&plain)).then_some(plain),
                        detail: p.detail.clone(),
                        summary_html: r.html.clone(),
                        events: self.event_links(named.get(p.id.as_str())),
                        url: fragment(&p.id).url(self.base()),
                    }
                },
            )
            .collect()
    }

    pub(crate) fn tags(&self) -> Vec<TagView> {
        let mut tags: BTreeMap<String, TagView> = BTreeMap::new();
        for e in &self.content.events {
            for t in &e.tags {
                let id = slugify(t);
                tags.entry(id.clone())
                    .or_insert_with(|| TagView {
                        id,
                        name: t.clone(),
                        events: Vec::new(),
                    })
                    .events
                    .push(self.event_link(e));
            }
        }
        tags.into_values().collect()
    }

    pub(crate) fn sources(&self) -> Vec<SourceView> {
        let r = self.rendered;
        // The events that rest on each source: listed in front matter or cited.
        let resting = self.events_by_id(|r| {
            r.event
                .sources
                .iter()
                .map(|s| s.id.as_str())
                .chain(r.body.cited.iter().map(String::as_str))
                .chain(r.summary.cited.iter().map(String::as_str))
                .chain(
                    r.disputed
                        .iter()
                        .flat_map(|d| d.cited.iter().map(String::as_str)),
                )
        });
        self.content
            .sources
            .iter()
            .map(|w| {
                let cites = |x: &Rendered| x.cited.contains(&w.id);
                let events = self.event_links(resting.get(w.id.as_str()));
                let chapters = r
                    .chapters
                    .iter()
                    .filter(|c| cites(&c.body) || cites(&c.summary))
                    .map(|c| self.chapter_link(&c.chapter.slug, &c.chapter.title))
                    .collect();
                SourceView {
                    id: w.id.clone(),
                    title: w.title.clone(),
                    publisher: w.publisher.clone(),
                    author: w.author.clone(),
                    date: w.date.map(|d| d.human()),
                    date_text: w.date_text.clone(),
                    url: w.url.clone(),
                    note: w.note.clone(),
                    cited_in: w.cited_in.clone(),
                    cites: self
                        .content
                        .sources
                        .iter()
                        .filter(|x| x.cited_in.as_deref() == Some(&w.id))
                        .map(|x| x.id.clone())
                        .collect(),
                    events,
                    chapters,
                }
            })
            .collect()
    }
}
