//! The sources as pages show them: the sources page's entries, each with every place that
//! rests on it (chapters, events grouped by chapter, registry entries), and the few
//! sources one page cites, which the page embeds for its citations' popovers.
//!
//! The sources page is split into numbered pages of `paginate` sources (`sources/page/2/`),
//! and each source's entry stays bounded however large the site: a source cited by ten thousand
//! events shows at most [`EVENTS_SHOWN`] of them per chapter and [`GROUPS_SHOWN`]
//! chapters, each cut with a count of the rest ("and 940 more events in …", linked to the
//! chapter's list of events), and at most [`ENTRIES_SHOWN`] people or places.

use super::views::{Link, Views};
use crate::content::Work;
use crate::markdown::stage::RenderedEvent;
use crate::routes::{source_page, Fragment, Page};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// Events shown per chapter under a source.
pub(crate) const EVENTS_SHOWN: usize = 10;
/// Chapters (with their events) shown under a source.
pub(crate) const GROUPS_SHOWN: usize = 20;
/// Registry entries (people, places) shown under a source.
pub(crate) const ENTRIES_SHOWN: usize = 20;

/// One source on the sources page.
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
    /// The entry of `cited_in`, which may be on another numbered page.
    pub cited_in_url: Option<String>,
    /// The sources that name it as `cited_in`: `{id, url}`.
    pub cites: Vec<SourceRef>,
    /// The chapters whose text cites it, and those of the events resting on it, in the
    /// chapters' order: at most [`GROUPS_SHOWN`].
    pub groups: Vec<SourceGroup>,
    /// The chapters left out of `groups`, and how many events they hold.
    pub more_groups: usize,
    pub more_groups_events: usize,
    /// How many events rest on it in all, and in how many chapters.
    pub event_count: usize,
    pub chapter_count: usize,
    /// The registry entries (people, places) whose summary cites it: at most
    /// [`ENTRIES_SHOWN`], then how many more.
    pub entries: Vec<Link>,
    pub more_entries: usize,
}

/// A source named by id, with its entry's URL on the sources pages.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceRef {
    pub id: String,
    pub url: String,
}

/// A chapter under a source: whether its own text cites the source, and the first of its
/// events that rest on it, with how many more (`more_url` lists them all).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceGroup {
    pub chapter: Link,
    pub cites: bool,
    pub events: Vec<Link>,
    pub more: usize,
    pub more_url: String,
}

/// A source as a citation's popover shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CitedSource {
    pub id: String,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    /// Its date, or the text standing for one.
    pub date: Option<String>,
    pub url: Option<String>,
    /// Its entry on the sources page.
    pub entry: String,
}

/// The ids an event's texts cite or its `sources` list names.
pub(crate) fn event_ids<'e>(r: &'e RenderedEvent) -> impl Iterator<Item = &'e str> {
    let listed = r.event.sources.iter().map(|s| s.id.as_str());
    let texts = [Some(&r.summary), r.disputed.as_deref(), Some(&r.body)];
    listed.chain(
        texts
            .into_iter()
            .flatten()
            .flat_map(|t| t.cited.iter().map(String::as_str)),
    )
}

/// The sources an event's brief card (`card_brief.html`) cites: its summary's.
pub(crate) fn brief_ids<'e>(r: &'e RenderedEvent) -> impl Iterator<Item = &'e str> {
    r.summary.cited.iter().map(String::as_str)
}

impl Views<'_> {
    /// The URL of the source `id`'s entry, on the numbered sources page that holds it
    /// (the first for an unknown id).
    pub(crate) fn source_url(&self, id: &str) -> String {
        let at = self.rendered.at.sources.get(id).copied();
        let n = source_page(at.unwrap_or(0), self.config.paginate);
        Fragment::Source(id, n).url(self.base())
    }

    /// The sources `ids` name (each once, unknown ids skipped), for a page's popovers.
    pub(crate) fn cited<'i>(&self, ids: impl IntoIterator<Item = &'i str>) -> Vec<CitedSource> {
        // A listing page cites some hundred ids, most of them more than once.
        let mut seen: HashSet<&str> = HashSet::new();
        let mut out = Vec::new();
        for id in ids {
            if !seen.insert(id) {
                continue;
            }
            let Some(&at) = self.rendered.at.sources.get(id) else {
                continue;
            };
            let w = &self.content.sources[at];
            let page = source_page(at, self.config.paginate);
            out.push(CitedSource {
                id: w.id.clone(),
                title: w.title.clone(),
                author: w.author.clone(),
                publisher: w.publisher.clone(),
                date: w
                    .date
                    .map(|d| d.human_in(&self.catalog.date, false))
                    .or_else(|| w.date_text.clone()),
                url: w.url.clone(),
                entry: Fragment::Source(&w.id, page).url(self.base()),
            });
        }
        out
    }

    /// The sources at `range` (positions in `sources.toml`) with what rests on each
    /// (read from `by`, grouped once per pass), bounded (see the module's notes).
    pub(crate) fn sources(&self, range: Range<usize>, by: &BySource) -> Vec<SourceView> {
        let works = &self.content.sources[range.start.min(range.end)..range.end];
        let shown: HashSet<&str> = works.iter().map(|w| w.id.as_str()).collect();
        (works.iter())
            .map(|w| {
                let mut view = self.source_view(w, &shown, by);
                let all = by.groups.get(w.id.as_str()).map_or(&[][..], Vec::as_slice);
                view.event_count = all.iter().map(|g| g.events.len()).sum();
                view.chapter_count = all.len();
                view.more_groups = all.len().saturating_sub(GROUPS_SHOWN);
                view.more_groups_events = (all.iter().skip(GROUPS_SHOWN))
                    .map(|g| g.events.len())
                    .sum();
                view.groups = (all.iter().take(GROUPS_SHOWN))
                    .map(|g| self.group(g))
                    .collect();
                let mine = by.entries.get(w.id.as_str()).map_or(&[][..], Vec::as_slice);
                view.more_entries = mine.len().saturating_sub(ENTRIES_SHOWN);
                view.entries = (mine.iter().take(ENTRIES_SHOWN))
                    .map(|&(t, k)| self.entry_link(t, k))
                    .collect();
                view
            })
            .collect()
    }

    /// A source's fields, with nothing resting on it yet; the sources `shown` beside it
    /// are linked on its page.
    fn source_view(&self, w: &Work, shown: &HashSet<&str>, by: &BySource) -> SourceView {
        let url = |id: &str| match shown.contains(id) {
            true => Fragment::Source(id, 1).here(),
            false => self.source_url(id),
        };
        SourceView {
            id: w.id.clone(),
            title: w.title.clone(),
            publisher: w.publisher.clone(),
            author: w.author.clone(),
            date: w.date.map(|d| d.human_in(&self.catalog.date, false)),
            date_text: w.date_text.clone(),
            url: w.url.clone(),
            note: w.note.clone(),
            cited_in: w.cited_in.clone(),
            cited_in_url: w.cited_in.as_deref().map(url),
            cites: (by.cited_by.get(w.id.as_str()).into_iter().flatten())
                .map(|&k| &self.content.sources[k])
                .map(|x| SourceRef {
                    id: x.id.clone(),
                    url: url(&x.id),
                })
                .collect(),
            groups: Vec::new(),
            more_groups: 0,
            more_groups_events: 0,
            event_count: 0,
            chapter_count: 0,
            entries: Vec::new(),
            more_entries: 0,
        }
    }

    /// A chapter under a source, with the first of its events resting on the source.
    fn group(&self, g: &ChapterGroup) -> SourceGroup {
        let base = self.base();
        let c = &self.rendered.chapters[g.chapter];
        let ch = Page::Chapter(&c.chapter.slug);
        SourceGroup {
            chapter: Link {
                title: c.chapter.title.clone(),
                url: ch.url(base),
            },
            cites: g.cites,
            events: (g.events.iter().take(EVENTS_SHOWN))
                .map(|e| self.event_link(e.event))
                .collect(),
            more: g.events.len().saturating_sub(EVENTS_SHOWN),
            more_url: crate::routes::anchor_url(ch, base, "chapter-events"),
        }
    }

    /// The link to the `k`th entry of the `t`th taxonomy's registry.
    fn entry_link(&self, t: usize, k: usize) -> Link {
        let p = &self.rendered.registries[t][k];
        Link {
            title: p.entry.name.clone(),
            url: Page::Term(&self.config.taxonomies[t].name, &p.entry.id).url(self.base()),
        }
    }
}

/// One chapter under a source in [`BySource`]: the chapter (by index), whether its own text
/// cites the source, and its events resting on it, in the events' order.
struct ChapterGroup<'a> {
    chapter: usize,
    cites: bool,
    events: Vec<&'a RenderedEvent<'a>>,
}

/// What rests on each source, by id, grouped once per pass so that each numbered sources
/// page reads its own sources' groups instead of walking every event and chapter.
pub(crate) struct BySource<'a> {
    /// The chapters citing each source or holding events resting on it, in order.
    groups: HashMap<&'a str, Vec<ChapterGroup<'a>>>,
    /// The registry entries whose summary cites, or whose `sources` names, each source:
    /// (taxonomy, position in its registry), in the registries' order.
    entries: HashMap<&'a str, Vec<(usize, usize)>>,
    /// The sources naming each as `cited_in`, by position in `sources.toml`.
    cited_by: HashMap<&'a str, Vec<usize>>,
}

impl<'a> BySource<'a> {
    pub(crate) fn of(v: Views<'a>) -> BySource<'a> {
        let r = v.rendered;
        let chapter_at: HashMap<&str, usize> = (r.chapters.iter().enumerate())
            .map(|(i, c)| (c.chapter.slug.as_str(), i))
            .collect();
        // Per source, by chapter index: whether the chapter's text cites it, its events.
        let mut at: HashMap<&str, BTreeMap<usize, (bool, Vec<&RenderedEvent>)>> = HashMap::new();
        for (i, c) in r.chapters.iter().enumerate() {
            for id in dedup(
                c.body
                    .cited
                    .iter()
                    .chain(&c.summary.cited)
                    .map(String::as_str),
            ) {
                at.entry(id).or_default().entry(i).or_default().0 = true;
            }
        }
        for e in &r.events {
            let Some(&ci) = chapter_at.get(e.event.chapter.as_str()) else {
                continue;
            };
            for id in dedup(event_ids(e)) {
                at.entry(id).or_default().entry(ci).or_default().1.push(e);
            }
        }
        let groups = (at.into_iter())
            .map(|(id, per)| {
                let list = (per.into_iter())
                    .map(|(chapter, (cites, events))| ChapterGroup {
                        chapter,
                        cites,
                        events,
                    })
                    .collect();
                (id, list)
            })
            .collect();
        let mut entries: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        let taxonomies = v.config.taxonomies.len();
        for (t, list) in r.registries.iter().take(taxonomies).enumerate() {
            for (k, p) in list.iter().enumerate() {
                let ids = p.entry.sources.iter().chain(&p.summary.cited);
                for id in dedup(ids.map(String::as_str)) {
                    entries.entry(id).or_default().push((t, k));
                }
            }
        }
        let mut cited_by: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, x) in v.content.sources.iter().enumerate() {
            if let Some(id) = x.cited_in.as_deref() {
                cited_by.entry(id).or_default().push(k);
            }
        }
        BySource {
            groups,
            entries,
            cited_by,
        }
    }
}

/// The ids of `ids`, each once, sorted.
fn dedup<'i>(ids: impl Iterator<Item = &'i str>) -> Vec<&'i str> {
    let mut out: Vec<&str> = ids.collect();
    out.sort_unstable();
    out.dedup();
    out
}
