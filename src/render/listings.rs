//! The two pages that list every event: the timeline (`timeline.html`, with its filter
//! menus and the data its script reads) and the print view (`print.html`, every text of
//! the documentary on one page). On a large site their contexts are tens of megabytes
//! each, so the scheduler renders them one after the other, never side by side.
//!
//! The print view stays one page while the documentary is small; past
//! [`PRINT_PAGE_BYTES`] of text it is split into numbered pages ([`print_pages`]), each
//! holding whole chapters, then the list of events, in order.

use super::pages::Pages;
use super::templates::json_for_script;
use super::views::{ListedEvent, Views};
use crate::config::Config;
use crate::content::Content;
use crate::routes::{self, Page, Paged};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use tera::Context;

/// One band of the timeline, serialized straight into the page's context from borrowed
/// cards: no copy in between.
#[derive(Serialize)]
struct GroupView<'a> {
    id: &'a str,
    name: &'a str,
    start: &'a Option<String>,
    end: &'a Option<String>,
    years_text: &'a Option<String>,
    events: Vec<ListedEvent<'a>>,
}

/// The timeline's bands, with each event's card when `with_cards` (the print view lists
/// events without them, so its groups leave `card_html` out): every band with all its
/// events, or, given `only`, the events at those places in the bands' order, each band
/// that keeps none left out (a page of a split print view).
fn groups<'p>(p: &'p Pages, with_cards: bool, only: Option<Range<usize>>) -> Vec<GroupView<'p>> {
    let mut at = 0;
    p.groups
        .iter()
        .filter_map(|g| {
            let here = at..at + g.events.len();
            at = here.end;
            let Some(only) = &only else {
                return Some((g, 0..g.events.len()));
            };
            let (from, to) = (only.start.max(here.start), only.end.min(here.end));
            (from < to).then(|| (g, from - here.start..to - here.start))
        })
        .map(|(g, range)| GroupView {
            id: &g.id,
            name: &g.name,
            start: &g.start,
            end: &g.end,
            years_text: &g.years_text,
            events: g.events[range]
                .iter()
                .map(|card| ListedEvent {
                    card_html: with_cards.then_some(&card.html[..]),
                    ..p.views.listed(card.event)
                })
                .collect(),
        })
        .collect()
}

/// The timeline page: every event by era, the filter menus and the script's data.
pub(crate) fn timeline<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    let v = p.views;
    let description = format!(
        "All {} events of the documentary, by era and date.",
        v.content.events.len()
    );
    let mut c = p.context(page, "Timeline", &description);
    c.insert("groups", &groups(p, true, None));
    c.insert("events_years", &events_years(v.content));
    c.insert("by_era", &!v.config.eras.is_empty());
    c.insert("filters", &timeline_filters(v.config, v.content));
    c.insert("timeline_data", &timeline_data(&v));
    c
}

/// The years the events cover, from the first one's start to the latest end ("1890–1967",
/// "490 BCE – 14 CE", "1957" for one year); None without events.
fn events_years(content: &Content) -> Option<String> {
    let first = content.events.first()?.date.year;
    let last = (content.events.iter())
        .map(|e| e.end_date.as_ref().unwrap_or(&e.date).year)
        .max()?;
    Some(match first == last {
        true => crate::date::year_text(first, false),
        false => crate::date::year_range_text(first, last),
    })
}

/// A chapter in the print view, its body's ids fitted into the one page.
#[derive(Serialize)]
struct PrintChapter<'a> {
    slug: &'a str,
    title: &'a str,
    order: i64,
    years: (i32, i32),
    years_text: String,
    summary_html: &'a str,
    body_html: String,
}

/// The most text one page of the print view holds, in bytes of HTML (a rough measure:
/// each chapter's and each listed event's text, with a little for its markup). A chapter
/// longer than this has a page of its own.
pub(crate) const PRINT_PAGE_BYTES: usize = 512 * 1024;

/// One page of the print view: the chapters it holds (by place in the documentary) and
/// the events it lists (by place in the timeline's bands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintPage {
    pub(crate) chapters: Range<usize>,
    pub(crate) events: Range<usize>,
}

/// The pages of the print view: one while the whole documentary is under
/// [`PRINT_PAGE_BYTES`], else as many as it takes, each of whole chapters and then of
/// events in the timeline's order.
pub(crate) fn print_pages(v: Views) -> Vec<PrintPage> {
    let r = v.rendered;
    let intro = r.home.as_ref().map_or(0, |h| h.html.len());
    let chapters = (r.chapters.iter())
        .map(|c| c.body.html.len() + c.summary.html.len() + c.chapter.title.len() + 300);
    // The events in the timeline's order: by era, then the events outside every era.
    let era = |e: &crate::content::Event| {
        let found = v.config.era_of(&e.date);
        found.and_then(|x| v.config.eras.iter().position(|y| y.id == x.id))
    };
    let mut events: Vec<_> = r.events.iter().collect();
    events.sort_by_key(|e| era(e.event).unwrap_or(usize::MAX));
    let events = (events.iter())
        .map(|e| 2 * (e.event.title.len() + e.event.id.len()) + e.summary.text.len() + 200);
    split_print(intro, chapters, events, PRINT_PAGE_BYTES)
}

/// Splits the print view into pages of about `budget` bytes: the chapters of the sizes
/// given, then the events, each page starting with what did not fit on the one before
/// (the first page holds the introduction, of `intro` bytes, too).
fn split_print(
    intro: usize,
    chapters: impl Iterator<Item = usize>,
    events: impl Iterator<Item = usize>,
    budget: usize,
) -> Vec<PrintPage> {
    let mut pages = vec![PrintPage {
        chapters: 0..0,
        events: 0..0,
    }];
    let mut size = intro;
    let kinds = (chapters.map(|s| (true, s))).chain(events.map(|s| (false, s)));
    let (mut c, mut e) = (0, 0);
    for (chapter, item) in kinds {
        let last = pages.len() - 1;
        let held = !pages[last].chapters.is_empty() || !pages[last].events.is_empty();
        if held && size + item > budget {
            pages.push(PrintPage {
                chapters: c..c,
                events: e..e,
            });
            size = 0;
        }
        size += item;
        let page = pages.last_mut().expect("a page");
        if chapter {
            c += 1;
            page.chapters.end = c;
            page.events = e..e;
        } else {
            e += 1;
            page.events.end = e;
        }
    }
    pages
}

/// A page of the print view: on the first, the home page's text; the chapters of the page,
/// then its events listed. While the view is one page, every chapter and every event.
pub(crate) fn print<'a>(p: &Pages<'a>, at: Paged<'a>) -> Context {
    let (config, content, rendered) = (p.views.config, p.views.content, p.views.rendered);
    let parts = print_pages(p.views);
    let count = parts.len();
    let part = parts.get(at.number - 1).cloned().unwrap_or(PrintPage {
        chapters: 0..0,
        events: 0..0,
    });
    let title = "The whole documentary";
    let (first, last) = (part.chapters.start + 1, part.chapters.end);
    let total = content.chapters.len();
    let pager = super::paginate::pager_of(at, count, (first, last), total, &config.base_path);
    let mut c = p.paged_context(at, &pager, title, &config.description);
    let events = serde_json::json!({"count": part.events.len(), "total": content.events.len()});
    c.insert("print_events", &events);
    c.insert("print_timeline", &(count == 1 || !part.events.is_empty()));
    // Every body shares one page: the layout's ids and the chapters' own are taken
    // first, then each body's ids, in page order, get their prefix (and -1, -2 if
    // that is taken too).
    let mut used = routes::print_layout_ids(content.chapters.iter().map(|c| c.slug.as_str()));
    if let (Some(h), 1) = (&rendered.home, at.number) {
        c.insert("home_html", &prefix_ids(&h.html, "intro", &mut used));
    }
    let print_chapters: Vec<_> = (rendered.chapters[part.chapters.clone()].iter())
        .map(|r| {
            let ch = r.chapter;
            PrintChapter {
                slug: &ch.slug,
                title: &ch.title,
                order: ch.order,
                years: ch.years,
                years_text: crate::date::year_range_text(ch.years.0, ch.years.1),
                summary_html: &r.summary.html,
                body_html: prefix_ids(&r.body.html, &ch.slug, &mut used),
            }
        })
        .collect();
    c.insert("chapters", &print_chapters);
    let only = (count > 1).then_some(part.events);
    c.insert("groups", &groups(p, false, only));
    c
}

/// Fits a page into the print view, where every chapter shares one document: ids get a
/// prefix, and `-1`, `-2` when that id is in `used` already (chapter `a`'s `b-c` and
/// chapter `a-b`'s `c` would both be `a-b-c`), so they stay unique; the body's
/// `href="#…"` and `aria-labelledby` follow. Headings go one level down under the
/// chapter's `<h2>`.
fn prefix_ids(html: &str, prefix: &str, used: &mut HashSet<String>) -> String {
    const ID: &str = " id=\"";
    let mut map: HashMap<&str, String> = HashMap::new();
    for (i, _) in html.match_indices(ID) {
        let rest = &html[i + ID.len()..];
        let Some(end) = rest.find('"') else { continue };
        let old = &rest[..end];
        if map.contains_key(old) {
            continue;
        }
        let base = format!("{prefix}-{old}");
        let mut new = base.clone();
        let mut n = 1;
        while used.contains(&new) {
            new = format!("{base}-{n}");
            n += 1;
        }
        used.insert(new.clone());
        map.insert(old, new);
    }
    // One pass, so that a new id is never rewritten again. Each attribute's next place is
    // looked for again only once the pass is beyond it: linear in the body's length.
    let mut s = String::with_capacity(html.len() + html.len() / 8);
    let attrs = [ID, " href=\"#", " aria-labelledby=\""];
    let find = |a: &str, from: usize| html[from..].find(a).map(|i| from + i);
    let mut next: Vec<Option<usize>> = attrs.iter().map(|a| find(a, 0)).collect();
    let mut done = 0;
    while let Some((k, at)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, p)| p.map(|p| (k, p)))
        .min_by_key(|(_, p)| *p)
    {
        let value = at + attrs[k].len();
        s.push_str(&html[done..value]);
        let end = html[value..].find('"').map_or(html.len(), |i| value + i);
        let old = &html[value..end];
        match map.get(old) {
            Some(new) => s.push_str(new),
            None => {
                s.push_str(prefix);
                s.push('-');
                s.push_str(old);
            }
        }
        done = end;
        for (j, p) in next.iter_mut().enumerate() {
            if p.is_some_and(|p| p < done) {
                *p = find(attrs[j], done);
            }
        }
    }
    let rest = &html[done..];
    s.push_str(rest);
    for level in (2..=5).rev() {
        s = s
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    s
}

/// The timeline's filter menus, rendered into the page so that it is laid out before the
/// script runs (nothing moves when it does): one per taxonomy with `filter = true`, then
/// the chapters and the eras, each `{name, id, label, options: [{value, label}]}`, a
/// taxonomy's options (its terms) sorted by label.
fn timeline_filters(config: &Config, content: &Content) -> serde_json::Value {
    let mut menus = taxonomy_menus(config, content);
    let chapters = content.chapters.iter();
    menus.push(menu(
        "chapter",
        "Chapter",
        chapters
            .map(|c| (c.slug.as_str(), c.title.as_str()))
            .collect(),
    ));
    let eras = config.eras.iter();
    menus.push(menu(
        "era",
        "Era",
        eras.map(|r| (r.id.as_str(), r.name.as_str())).collect(),
    ));
    serde_json::Value::Array(menus)
}

/// A filter menu per taxonomy with `filter = true` (the timeline's, the search page's
/// facets): `{name, id, label, options: [{value, label}]}`, its options (the terms) sorted
/// by label.
pub(crate) fn taxonomy_menus(config: &Config, content: &Content) -> Vec<serde_json::Value> {
    (config.taxonomies.iter().zip(&content.terms))
        .filter(|(t, _)| t.filter)
        .map(|(t, terms)| {
            let mut options: Vec<(&str, &str)> = terms
                .iter()
                .map(|x| (x.id.as_str(), x.name.as_str()))
                .collect();
            options.sort_by(|a, b| a.1.cmp(b.1));
            menu(&t.name, &t.singular, options)
        })
        .collect()
}

/// One filter menu: `{name, id, label, options: [{value, label}]}`.
fn menu(name: &str, label: &str, options: Vec<(&str, &str)>) -> serde_json::Value {
    serde_json::json!({
        "name": name, "id": routes::filter_id(name), "label": label,
        "options": options.into_iter().map(|(value, label)| serde_json::json!({"value": value, "label": label})).collect::<Vec<_>>(),
    })
}

/// The compact data the timeline's script reads (embedded as JSON in the page), written
/// straight from borrowed content: the eras, the names of the filter taxonomies
/// (`filters`; the chapter and era filters are the script's own), and each event with its
/// terms of those taxonomies by name (`m`, the ids the menus' options hold).
fn timeline_data(views: &Views) -> String {
    let config = views.config;
    use std::collections::BTreeMap;
    #[derive(Serialize)]
    struct Ev<'a> {
        id: &'a str,
        t: &'a str,
        d: String,
        e: Option<String>,
        dd: &'a str,
        a: bool,
        x: bool,
        s: &'a str,
        m: BTreeMap<&'a str, Vec<String>>,
        ch: &'a str,
        er: &'a str,
    }
    #[derive(Serialize)]
    struct Data<'a> {
        eras: &'a [crate::config::Era],
        filters: Vec<&'a str>,
        events: Vec<Ev<'a>>,
    }
    let filters: Vec<(usize, &str)> = (config.taxonomies.iter().enumerate())
        .filter(|(_, t)| t.filter)
        .map(|(i, t)| (i, t.name.as_str()))
        .collect();
    let data = Data {
        eras: &config.eras,
        filters: filters.iter().map(|f| f.1).collect(),
        events: (views.rendered.events.iter())
            .map(|r| {
                let (e, l) = (r.event, views.listed(r));
                let terms = filters.iter().filter(|(i, _)| !e.terms[*i].is_empty());
                Ev {
                    id: l.id,
                    t: l.title,
                    d: l.date,
                    e: l.end_date,
                    dd: l.display_date,
                    a: l.approximate,
                    x: l.disputed,
                    s: l.summary_text,
                    m: terms
                        .map(|&(i, name)| {
                            (
                                name,
                                e.terms[i].iter().map(|v| views.term_id(i, v)).collect(),
                            )
                        })
                        .collect(),
                    ch: &e.chapter,
                    er: l.era,
                }
            })
            .collect(),
    };
    json_for_script(&data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_print_view_splits_by_whole_chapters_then_events() {
        let page = |c: Range<usize>, e: Range<usize>| PrintPage {
            chapters: c,
            events: e,
        };
        let small = split_print(10, [20, 30].into_iter(), [5, 5].into_iter(), 100);
        assert_eq!(small, [page(0..2, 0..2)]);
        // A page closes before the item that would take it past the budget; a chapter
        // over the budget has a page of its own; events follow on the last chapter's page.
        let split = split_print(50, [40, 300, 30].into_iter(), [40, 40, 40].into_iter(), 100);
        assert_eq!(
            split,
            [
                page(0..1, 0..0),
                page(1..2, 0..0),
                page(2..3, 0..1),
                page(3..3, 1..3),
            ]
        );
        let empty = split_print(0, std::iter::empty(), std::iter::empty(), 100);
        assert_eq!(empty, [page(0..0, 0..0)]);
    }
}
