//! The two pages that list every event: the timeline (`timeline.html`, with its filter
//! menus and the data its script reads) and the print view (`print.html`, every text of
//! the documentary on one page). On a large site their contexts are tens of megabytes
//! each, so the scheduler renders them one after the other, never side by side.
//!
//! The print view stays one page while the documentary is small; past
//! [`PRINT_PAGE_BYTES`] of text it is split into numbered pages ([`print_pages`]), each
//! holding whole chapters, then the list of events, in order.

use super::data_files::Made;
use super::pages::Pages;
use super::templates::json_for_script;
use super::timeline::{Group, PER_CHUNK, PER_PAGE};
use super::views::{ListedEvent, Views};
use crate::config::Config;
use crate::content::Content;
use crate::output::Output;
use crate::routes::{self, Page, Paged};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use tera::Context;

/// An era (or "Other dates") as the templates name it, borrowed from its group.
#[derive(Serialize)]
struct EraHead<'a> {
    id: &'a str,
    name: &'a str,
    start: &'a Option<String>,
    end: &'a Option<String>,
    years_text: &'a Option<String>,
}

impl<'a> EraHead<'a> {
    fn of(g: &'a Group) -> Self {
        EraHead {
            id: &g.id,
            name: &g.name,
            start: &g.start,
            end: &g.end,
            years_text: &g.years_text,
        }
    }
}

/// One band of the timeline, serialized straight into the page's context from borrowed
/// cards: no copy in between.
#[derive(Serialize)]
struct GroupView<'a> {
    #[serde(flatten)]
    head: EraHead<'a>,
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
            head: EraHead::of(g),
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

/// The timeline page: each era with how many events it holds and a link to its list
/// (the page without scripts), the filter menus and the script's data (the eras and where
/// each run of events is: the events themselves load as the reader needs them). Its size
/// grows with the eras and the number of pages, never with the events' text.
pub(crate) fn timeline<'a>(p: &Pages<'a>, page: Page<'a>) -> Context {
    let v = p.views;
    let cat = &v.catalog;
    let description = match v.content.events.len() {
        0 => cat.get("timeline-description-none", &[]),
        n => cat.get("timeline-description", &[("count", n.into())]),
    };
    let mut c = p.context(page, &cat.get("timeline", &[]), &description);
    let base = v.base();
    let eras: Vec<EraView> = (p.groups.iter())
        .map(|g| EraView {
            head: EraHead::of(g),
            count: g.events.len(),
            url: Page::TimelinePart(&g.id, 1).url(base),
            pages: g.events.len().div_ceil(PER_PAGE).max(1),
        })
        .collect();
    c.insert("groups", &eras);
    c.insert("events_years", &events_years(v.content, &v.catalog.date));
    c.insert("by_era", &!v.config.eras.is_empty());
    c.insert("filters", &timeline_filters(v));
    c.insert("timeline_data", &timeline_data(p));
    c
}

/// An era on the timeline page: its list's first page (`url`) and how many it has.
#[derive(Serialize)]
struct EraView<'a> {
    #[serde(flatten)]
    head: EraHead<'a>,
    count: usize,
    url: String,
    pages: usize,
}

/// Writes every page of the eras' lists (`timeline_part.html`, [`PER_PAGE`] events each,
/// with their cards) through `write`, those `only` asks for, and every file of the
/// script's index ([`routes::TimelineChunk`]); returns what it wrote.
pub(crate) fn timeline_parts<W>(
    p: &Pages,
    out: &Output,
    write: &W,
    only: Option<super::Only>,
) -> anyhow::Result<Made>
where
    W: Fn(Paged, &Context) -> anyhow::Result<(String, Option<&'static str>)> + Sync,
{
    use rayon::prelude::*;
    let parts: Vec<(usize, usize)> = (p.groups.iter().enumerate())
        .flat_map(|(g, group)| {
            (0..group.events.len().div_ceil(PER_PAGE).max(1)).map(move |k| (g, k))
        })
        .collect();
    let pages = parts
        .into_par_iter()
        .filter(|&(g, k)| super::wanted(only, Page::TimelinePart(&p.groups[g].id, k + 1).into()))
        .map(|(g, k)| {
            let (page, ctx) = timeline_part(p, &p.groups[g], k);
            write(page.into(), &ctx)
        });
    let mut made = pages.collect::<anyhow::Result<Made>>()?;
    made.extend(index_chunks(p, out)?.into_iter().map(|file| (file, None)));
    Ok(made)
}

/// The `k`th page (from 0) of an era's list of events.
fn timeline_part<'a>(p: &Pages<'a>, g: &'a Group<'a>, k: usize) -> (Page<'a>, Context) {
    let base = p.views.base();
    let page = Page::TimelinePart(&g.id, k + 1);
    let pages = g.events.len().div_ceil(PER_PAGE).max(1);
    let from = (k * PER_PAGE).min(g.events.len());
    let to = ((k + 1) * PER_PAGE).min(g.events.len());
    let cat = &p.views.catalog;
    let title = cat.get("timeline-title-era", &[("era", g.name.as_str().into())]);
    let title = match pages {
        1 => title,
        _ => cat.get(
            "page-title",
            &[
                ("title", title.into()),
                ("number", (k + 1).into()),
                ("count", pages.into()),
            ],
        ),
    };
    let description = cat.get(
        "era-description",
        &[
            ("first", (from + 1).into()),
            ("last", to.into()),
            ("total", g.events.len().into()),
            ("era", g.name.as_str().into()),
        ],
    );
    let mut c = p.context(page, &title, &description);
    let events: Vec<ListedEvent> = (g.events[from..to].iter())
        .map(|card| ListedEvent {
            card_html: Some(&card.html[..]),
            ..p.views.listed(card.event)
        })
        .collect();
    // The pages around this one, and the first and the last: a bounded list at any size.
    let near: Vec<serde_json::Value> = (0..pages)
        .filter(|&n| n == 0 || n + 1 == pages || n.abs_diff(k) <= 2)
        .map(|n| serde_json::json!({"n": n + 1, "url": Page::TimelinePart(&g.id, n + 1).url(base), "current": n == k}))
        .collect();
    c.insert("era", &serde_json::json!({"id": g.id, "name": g.name, "years_text": g.years_text, "count": g.events.len()}));
    c.insert("events", &events);
    c.insert("first", &(from + 1));
    c.insert("last", &to);
    c.insert("page_number", &(k + 1));
    c.insert("page_count", &pages);
    c.insert("page_links", &near);
    let link = |n: usize| Page::TimelinePart(&g.id, n + 1).url(base);
    c.insert("prev_url", &k.checked_sub(1).map(link));
    c.insert("next_url", &(k + 1 < pages).then(|| link(k + 1)));
    c.insert("timeline_url", &Page::Timeline.url(base));
    (page, c)
}

/// The years the events cover, from the first one's start to the latest end ("1890–1967",
/// "490 BCE – 14 CE", "1957" for one year); None without events.
fn events_years(content: &Content, w: &crate::date::DateWords) -> Option<String> {
    let first = content.events.first()?.date.year;
    let last = (content.events.iter())
        .map(|e| e.end_date.as_ref().unwrap_or(&e.date).year)
        .max()?;
    Some(match first == last {
        true => crate::date::year_text_in(w, first, false),
        false => crate::date::year_range_text_in(w, first, last),
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
    events.sort_by_cached_key(|e| era(e.event).unwrap_or(usize::MAX));
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
    let parts = p.numbers.print_parts();
    let count = parts.len();
    let part = parts.get(at.number - 1).cloned().unwrap_or(PrintPage {
        chapters: 0..0,
        events: 0..0,
    });
    let title = &p.views.catalog.get("print-title", &[]);
    let (first, last) = (part.chapters.start + 1, part.chapters.end);
    let total = content.chapters.len();
    let pager = super::paginate::pager_of(at, count, (first, last), total, p.views.base());
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
                years_text: crate::date::year_range_text_in(
                    &p.views.catalog.date,
                    ch.years.0,
                    ch.years.1,
                ),
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
fn timeline_filters(v: Views) -> serde_json::Value {
    let (config, content) = (v.config, v.content);
    let mut menus = taxonomy_menus(config, content);
    let chapters = content.chapters.iter();
    menus.push(menu(
        "chapter",
        &v.catalog.get("chapter", &[]),
        chapters
            .map(|c| (c.slug.as_str(), c.title.as_str()))
            .collect(),
    ));
    let eras = config.eras.iter();
    menus.push(menu(
        "era",
        &v.catalog.get("era", &[]),
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

/// The data the timeline page carries for its script (JSON, embedded in the page): the
/// eras, the filter taxonomies' names (`filters`; the chapter and era filters are the
/// script's own), and each group of events (an era, or "Other dates") with its count, the
/// URLs of its list's pages (where each event's card is) and its runs of events (`chunks`,
/// each a file of [`index_chunks`] with its first and last date and its count). A few
/// hundred bytes per thousand events.
fn timeline_data(p: &Pages) -> String {
    let (config, base) = (p.views.config, p.views.base());
    let groups: Vec<serde_json::Value> = (p.groups.iter())
        .map(|g| {
            let pages: Vec<String> = (0..g.events.len().div_ceil(PER_PAGE).max(1))
                .map(|n| Page::TimelinePart(&g.id, n + 1).url(base))
                .collect();
            let chunks: Vec<serde_json::Value> = (g.events.chunks(PER_CHUNK).enumerate())
                .map(|(k, run)| {
                    let last = run.iter().map(|c| c.event.event.end_date.as_ref().unwrap_or(&c.event.event.date));
                    let last = last.max_by(|a, b| a.as_year_fraction().total_cmp(&b.as_year_fraction()));
                    serde_json::json!({
                        "url": routes::TimelineChunk(&g.id, k).url(base),
                        "a": run[0].event.event.date.iso(),
                        "b": last.map(|d| d.iso()),
                        "n": run.len(),
                    })
                })
                .collect();
            serde_json::json!({"id": g.id, "name": g.name, "n": g.events.len(), "pages": pages, "chunks": chunks})
        })
        .collect();
    let filters: Vec<&str> = (config.taxonomies.iter())
        .filter(|t| t.filter)
        .map(|t| t.name.as_str())
        .collect();
    json_for_script(&serde_json::json!({
        "eras": &config.eras,
        "filters": filters,
        "count": p.views.content.events.len(),
        "groups": groups,
    }))
}

/// Writes the files of the script's index to `out` and returns their names: each group's
/// events, [`PER_CHUNK`] at a time, a JSON array per file. An event is an array: `[id,
/// date, end or "", title, display date, chapter (its index among the chapters, as the
/// chapter menu lists them), disputed (0 or 1), its terms of each filter taxonomy (indexes
/// into that menu's options), the text the timeline's search reads (summary, and the names
/// of all its terms: people, places, …), the page of its era's list that holds its card
/// (from 0)]`.
fn index_chunks(p: &Pages, out: &Output) -> anyhow::Result<Vec<String>> {
    use rayon::prelude::*;
    let (config, content) = (p.views.config, p.views.content);
    // Each taxonomy's terms: the name by id, and, for a filter, the index of the term in
    // its menu (whose options are sorted by label, as `taxonomy_menus` sorts them).
    let terms: Vec<HashMap<&str, (usize, &str)>> = (content.terms.iter())
        .map(|terms| {
            let mut sorted: Vec<&crate::content::Term> = terms.iter().collect();
            sorted.sort_by(|a, b| a.name.cmp(&b.name));
            (sorted.iter().enumerate())
                .map(|(i, t)| (t.id.as_str(), (i, t.name.as_str())))
                .collect()
        })
        .collect();
    let index = Index {
        views: p.views,
        chapters: (content.chapters.iter().enumerate())
            .map(|(i, c)| (c.slug.as_str(), i))
            .collect(),
        filtered: (config.taxonomies.iter().enumerate())
            .filter(|(_, t)| t.filter)
            .map(|(i, _)| i)
            .collect(),
        terms,
    };
    let runs: Vec<(usize, usize)> = (p.groups.iter().enumerate())
        .flat_map(|(g, group)| (0..group.events.len().div_ceil(PER_CHUNK)).map(move |k| (g, k)))
        .collect();
    runs.into_par_iter()
        .map(|(g, k)| {
            let events = &p.groups[g].events;
            let run = &events[k * PER_CHUNK..((k + 1) * PER_CHUNK).min(events.len())];
            let rows: Vec<serde_json::Value> = (run.iter().enumerate())
                .map(|(j, card)| index.row(card.event, (k * PER_CHUNK + j) / PER_PAGE))
                .collect();
            let json = serde_json::to_vec(&rows).unwrap_or_else(|_| b"[]".to_vec());
            // Each file goes out as it is made: at 100,000 events, holding them all until
            // the last was made cost some 90 MiB at the build's peak.
            let file =
                super::in_folder(&p.views, &routes::TimelineChunk(&p.groups[g].id, k).file());
            out.put(&file, json)?;
            Ok(file)
        })
        .collect()
}

/// What an event's row of the script's index is made from.
struct Index<'a> {
    views: Views<'a>,
    /// Each chapter's index, by slug.
    chapters: HashMap<&'a str, usize>,
    /// The filter taxonomies' indexes.
    filtered: Vec<usize>,
    /// Each taxonomy's terms by id: their index in its menu and their name.
    terms: Vec<HashMap<&'a str, (usize, &'a str)>>,
}

impl Index<'_> {
    /// The row of `r`, whose card is on page `page` of its era's list (see [`index_chunks`]).
    fn row(&self, r: &crate::markdown::stage::RenderedEvent, page: usize) -> serde_json::Value {
        let e = r.event;
        let terms = |i: usize| {
            (e.terms[i].iter())
                .filter_map(move |x| self.terms[i].get(self.views.term_id(i, x).as_str()))
        };
        let mut words = r.summary.text.clone();
        for i in 0..self.terms.len().min(e.terms.len()) {
            for (_, name) in terms(i) {
                words.push(' ');
                words.push_str(name);
            }
        }
        let m: Vec<Vec<usize>> = (self.filtered.iter())
            .map(|&i| terms(i).map(|t| t.0).collect())
            .collect();
        serde_json::json!([
            e.id,
            e.date.iso(),
            e.end_date.map(|d| d.iso()).unwrap_or_default(),
            e.title,
            self.views.display_date(e),
            self.chapters.get(e.chapter.as_str()),
            e.disputed.is_some() as u8,
            m,
            words,
            page,
        ])
    }
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
