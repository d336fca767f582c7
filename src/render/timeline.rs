//! A render helper for the timeline: events grouped by era (the bands of the timeline
//! and print pages), and `timeline.json` in the TimelineJS3 format.
//!
//! Events are already in date order (the content stage sorts them). Each falls in the era
//! whose span holds its start date; events outside every era are grouped under "Other
//! dates" at the end, so none is ever dropped from the page.
//!
//! TimelineJS3 shows the strings of `timeline.json` as HTML, so every plain string in it
//! (titles, era names, display dates, chapter names, the site's description) is
//! HTML-escaped there (control characters dropped); the `text` of an event is its summary's HTML, already safe.

use super::views::Card;
use crate::config::Config;
use crate::content::Content;
use crate::markdown::stage::{RenderedContent, RenderedEvent};
use serde::Serialize;
use std::collections::HashMap;

/// A plain string as HTML, for the fields TimelineJS3 renders as HTML; control characters
/// (which only titles can still hold) are dropped.
fn html(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    if s.chars().any(crate::text::is_refused_char) {
        let kept: String = s
            .chars()
            .filter(|&c| !crate::text::is_refused_char(c))
            .collect();
        crate::text::escape_html(&kept, &mut o);
    } else {
        crate::text::escape_html(s, &mut o);
    }
    o
}

/// One band of the timeline page and the events in it, each with its card.
pub(crate) struct Group<'c> {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) start: Option<String>,
    pub(crate) end: Option<String>,
    /// The era's span as one text, the era named once ("431–404 BCE", "1950–1967").
    pub(crate) years_text: Option<String>,
    pub(crate) events: Vec<&'c Card<'c>>,
}

/// How many events one page of an era's list holds (`timeline/<era>/<n>/`).
pub(crate) const PER_PAGE: usize = 100;
/// How many events one file of the script's index holds (`timeline/<era>/<k>.json`): a
/// whole number of pages.
pub(crate) const PER_CHUNK: usize = 10 * PER_PAGE;
/// The id of the group of events outside every era.
pub(crate) const OTHER: &str = "other-dates";

/// The items of `items` (in date order) by era, in era order, each era with its id; the
/// items outside every era last, under [`OTHER`], when there are any. Eras without items
/// are kept (empty).
pub(crate) fn by_era<'c, 'i, T>(
    config: &'c Config,
    items: &'i [T],
    date: impl Fn(&T) -> &crate::date::Date,
) -> Vec<(&'c str, Vec<&'i T>)> {
    let mut groups: Vec<(&str, Vec<&T>)> = (config.eras.iter())
        .map(|e| (e.id.as_str(), Vec::new()))
        .collect();
    let mut other = Vec::new();
    for item in items {
        let at = config
            .era_of(date(item))
            .and_then(|era| config.eras.iter().position(|e| e.id == era.id));
        match at {
            Some(i) => groups[i].1.push(item),
            None => other.push(item),
        }
    }
    if !other.is_empty() {
        groups.push((OTHER, other));
    }
    groups
}

/// Where each event is on its era's pages, by event id: the era's id and the page's
/// number (from 1), as [`by_era`] and [`PER_PAGE`] place it.
pub(crate) type Places<'a> = HashMap<&'a str, (&'a str, usize)>;

/// The [`Places`] of `events` (in date order).
pub(crate) fn places<'a>(config: &'a Config, events: &'a [RenderedEvent<'a>]) -> Places<'a> {
    let mut at = HashMap::with_capacity(events.len());
    for (era, list) in by_era(config, events, |r| &r.event.date) {
        for (k, r) in list.into_iter().enumerate() {
            at.insert(r.event.id.as_str(), (era, k / PER_PAGE + 1));
        }
    }
    at
}

/// Groups the events of `cards` by era, in era order; an "other" group collects the rest.
/// An era's `start` and `end` are read as text ("1950", "490 BCE"; when some era starts
/// before year 1, years from 1 are marked "CE"), and its span as one (`years_text`).
pub(crate) fn group<'c>(
    config: &Config,
    cat: &crate::i18n::Catalog,
    cards: &'c [Card<'c>],
) -> Vec<Group<'c>> {
    let w = &cat.date;
    let ce = config.eras.iter().any(|e| e.start.year <= 0);
    by_era(config, cards, |c| &c.event.event.date)
        .into_iter()
        .map(
            |(id, events)| match config.eras.iter().find(|e| e.id == id) {
                Some(e) => Group {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    start: Some(e.start.human_in(w, ce)),
                    end: Some(e.end.human_in(w, ce)),
                    years_text: Some(crate::date::human_range_in(w, &e.start, Some(&e.end))),
                    events,
                },
                None => Group {
                    id: OTHER.into(),
                    name: cat.get("other-dates", &[]),
                    start: None,
                    end: None,
                    years_text: None,
                    events,
                },
            },
        )
        .collect()
}

/// A date as TimelineJS3 reads it: `year` in the historians' count with a sign (-490 is
/// 490 BCE; TimelineJS3 shows a negative year as its absolute value and "BCE").
#[derive(Serialize)]
struct TlDate {
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u8>,
    year: i32,
}

fn tl_date(d: &crate::date::Date) -> TlDate {
    TlDate {
        day: d.day,
        month: d.month,
        year: d.signed_year(),
    }
}

/// A `text` of TimelineJS3: a headline, and (but for an era's) a text.
#[derive(Serialize)]
struct TlText<'a> {
    headline: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<std::borrow::Cow<'a, str>>,
}

/// One event of `timeline.json`. The fields of this file's structs are in the order of
/// their names, as the file has always listed them.
#[derive(Serialize)]
struct TlEvent<'a> {
    display_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TlDate>,
    group: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    media: Option<TlMedia<'a>>,
    start_date: TlDate,
    text: TlText<'a>,
    unique_id: &'a str,
}

#[derive(Serialize)]
struct TlMedia<'a> {
    caption: &'a str,
    credit: &'a str,
    thumbnail: String,
    url: String,
}

#[derive(Serialize)]
struct TlEra {
    end_date: TlDate,
    start_date: TlDate,
    text: TlText<'static>,
}

/// `timeline.json`: serialized as it is made, one event at a time, so that no tree of
/// every event's values is held (at 100,000 events that tree was several times the file).
#[derive(Serialize)]
pub(crate) struct TimelineJs<'a> {
    eras: Vec<TlEra>,
    #[serde(serialize_with = "each_event")]
    events: TlEvents<'a>,
    /// The language of its texts, on a site of several languages (TimelineJS3's option
    /// of that name: its interface's language).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) language: Option<String>,
    title: TlTitle,
}

#[derive(Serialize)]
struct TlTitle {
    text: TlText<'static>,
}

/// What the events of `timeline.json` are made from: the events with the content they
/// come from (each event's chapter found by its position, [`RenderedContent::at`]), and
/// where the site is.
struct TlEvents<'a> {
    root_url: &'a str,
    content: &'a Content,
    rendered: &'a RenderedContent<'a>,
}

/// The events of `timeline.json`, each made when it is written.
fn each_event<S: serde::Serializer>(at: &TlEvents, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(at.rendered.events.iter().map(|r| tl_event(at, r)))
}

fn tl_event<'a>(at: &TlEvents, r: &'a RenderedEvent) -> TlEvent<'a> {
    let RenderedEvent {
        event: e,
        summary,
        media,
        ..
    } = r;
    let url = |rel: &str| crate::routes::rooted_url(at.root_url, rel);
    TlEvent {
        display_date: html(&e.display_date),
        end_date: e.end_date.as_ref().map(tl_date),
        group: html(
            (at.rendered.at.chapters.get(e.chapter.as_str()))
                .map_or(&e.chapter, |&i| &at.content.chapters[i].title),
        ),
        media: media.timeline.as_ref().map(|m| TlMedia {
            caption: &m.caption,
            credit: &m.credit,
            thumbnail: url(&m.thumbnail),
            url: url(&m.url),
        }),
        start_date: tl_date(&e.date),
        text: TlText {
            headline: html(&e.title),
            text: Some(summary.html.as_str().into()),
        },
        unique_id: &e.id,
    }
}

/// `timeline.json` in the TimelineJS3 format, each event's `text` its summary's HTML.
pub(crate) fn timelinejs<'a>(
    config: &'a Config,
    root_url: &'a str,
    content: &'a Content,
    rendered: &'a RenderedContent<'a>,
) -> TimelineJs<'a> {
    let eras = (config.eras.iter())
        .map(|e| TlEra {
            end_date: tl_date(&e.end),
            start_date: tl_date(&e.start),
            text: TlText {
                headline: html(&e.name),
                text: None,
            },
        })
        .collect();
    TimelineJs {
        eras,
        events: TlEvents {
            root_url,
            content,
            rendered,
        },
        language: None,
        title: TlTitle {
            text: TlText {
                headline: html(&config.title),
                text: Some(html(&config.description).into()),
            },
        },
    }
}
