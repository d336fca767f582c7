//! Listings split into numbered pages: which items each page of a listing holds, and the
//! pager every numbered page shows (`pager` in the templates). A listing of a term's
//! events, a taxonomy's terms or the chapters holds `paginate` items a page (`site.toml`);
//! the print view is split by size ([`super::listings::print_pages`]). The URLs are
//! [`Paged`]'s, in [`crate::routes`].
//!
//! The pager links the first and the last page and the pages around the current one, with
//! a gap between (`1 … 4 5 6 … 200`), so that it stays a few links long however long the
//! listing.

use super::views::Views;
use crate::routes::{page_count, Page, Paged};
use serde::Serialize;
use std::collections::HashMap;

/// How many pages on each side of the current one the pager links.
const AROUND: usize = 2;

/// The pager of one numbered page: where it is, the pages before and after it, and the
/// links of its navigation.
#[derive(Debug, Serialize)]
pub(crate) struct Pager {
    /// This page's number, from 1.
    pub(crate) number: usize,
    /// How many pages the listing has.
    pub(crate) count: usize,
    /// The URL of the page before and after this one (`rel="prev"`, `rel="next"`).
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
    /// The navigation's entries, in order: a page (`number`, `url`, `current`) or a gap
    /// (`gap` true) where pages are left out.
    pub(crate) links: Vec<PagerLink>,
    /// The position of this page's first and last item in the listing, from 1, and how
    /// many items the listing has ("51–100 of 230"; 0–0 of 0 for an empty listing).
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) total: usize,
}

/// An entry of a pager's navigation.
#[derive(Debug, Serialize)]
pub(crate) struct PagerLink {
    pub(crate) number: usize,
    pub(crate) url: String,
    pub(crate) current: bool,
    pub(crate) gap: bool,
}

/// The pager of `at` (a numbered page of a listing of `total` items, `per_page` a page),
/// its URLs under `base`.
pub(crate) fn pager(at: Paged, total: usize, per_page: usize, base: &str) -> Pager {
    let range = items(at.number, total, per_page);
    let count = page_count(total, per_page);
    pager_of(at, count, (range.start + 1, range.end), total, base)
}

/// The pager of `at`, one of `count` pages whose items run `first..=last` of `total`.
pub(crate) fn pager_of(
    at: Paged,
    count: usize,
    (first, last): (usize, usize),
    total: usize,
    base: &str,
) -> Pager {
    let n = at.number;
    let url = |k: usize| Paged::new(at.page, k).url(base);
    let mut links = Vec::new();
    for k in shown(n, count) {
        match k {
            Some(k) => links.push(PagerLink {
                number: k,
                url: url(k),
                current: k == n,
                gap: false,
            }),
            None => links.push(PagerLink {
                number: 0,
                url: String::new(),
                current: false,
                gap: true,
            }),
        }
    }
    Pager {
        number: n,
        count,
        prev: (n > 1).then(|| url(n - 1)),
        next: (n < count).then(|| url(n + 1)),
        links,
        first: first.min(last),
        last,
        total,
    }
}

/// The page numbers a pager shows for page `n` of `count`: the first, the last and
/// [`AROUND`] on each side of `n`, with `None` for each run of pages left out (a run of
/// one page is shown instead of its gap).
fn shown(n: usize, count: usize) -> Vec<Option<usize>> {
    let (lo, hi) = (n.saturating_sub(AROUND).max(1), (n + AROUND).min(count));
    let mut v = Vec::new();
    let push = |k: usize, v: &mut Vec<Option<usize>>| {
        let last = v.iter().rev().find_map(|x: &Option<usize>| *x).unwrap_or(0);
        match k.saturating_sub(last) {
            0 => {}
            1 => v.push(Some(k)),
            2 => v.extend([Some(k - 1), Some(k)]),
            _ => v.extend([None, Some(k)]),
        }
    };
    push(1, &mut v);
    for k in lo..=hi {
        push(k, &mut v);
    }
    push(count, &mut v);
    v
}

/// The indices of the items on page `number` (from 1) of a listing of `total` items,
/// `per_page` a page (empty past the end).
pub(crate) fn items(number: usize, total: usize, per_page: usize) -> std::ops::Range<usize> {
    let per_page = per_page.max(1);
    let start = (number.max(1) - 1).saturating_mul(per_page).min(total);
    start..(start.saturating_add(per_page)).min(total)
}

/// How many numbered pages each listing of a build has: what the scheduler renders and
/// what the sitemap lists.
pub(crate) struct Numbers {
    per_page: usize,
    chapters: usize,
    sources: usize,
    /// Each chapter's number of events, by slug.
    events_by_chapter: HashMap<String, usize>,
    /// The print view's pages, split once per pass (each print page reads its part).
    print: Vec<super::listings::PrintPage>,
    /// Each taxonomy's terms' numbers of events, by term id.
    events_by_term: Vec<HashMap<String, usize>>,
    terms: Vec<usize>,
}

impl Numbers {
    pub(crate) fn of(v: Views) -> Numbers {
        let (config, content) = (v.config, v.content);
        let events_by_term = (0..config.taxonomies.len())
            .map(|i| {
                let mut counts: HashMap<String, usize> = HashMap::new();
                for e in &content.events {
                    let mut ids: Vec<String> = e.terms[i].iter().map(|x| v.term_id(i, x)).collect();
                    ids.sort();
                    ids.dedup();
                    for id in ids {
                        *counts.entry(id).or_default() += 1;
                    }
                }
                counts
            })
            .collect();
        Numbers {
            per_page: config.paginate,
            chapters: content.chapters.len(),
            sources: content.sources.len(),
            events_by_chapter: (content.events.iter()).fold(HashMap::new(), |mut m, e| {
                *m.entry(e.chapter.clone()).or_default() += 1;
                m
            }),
            print: super::listings::print_pages(v),
            events_by_term,
            terms: content.terms.iter().map(Vec::len).collect(),
        }
    }

    /// The print view's pages ([`super::listings::print_pages`]).
    pub(crate) fn print_parts(&self) -> &[super::listings::PrintPage] {
        &self.print
    }

    /// How many numbered pages `page` has (1 for a page that is not split).
    pub(crate) fn of_page(&self, v: Views, page: Page) -> usize {
        let taxonomy = |name: &str| v.config.taxonomies.iter().position(|t| t.name == name);
        let items = match page {
            Page::Chapters => self.chapters,
            Page::Sources => self.sources,
            Page::Chapter(slug) => self.events_by_chapter.get(slug).copied().unwrap_or(0),
            Page::Print => return self.print.len().max(1),
            Page::Taxonomy(name) => taxonomy(name).map_or(0, |i| self.terms[i]),
            Page::Term(name, id) => taxonomy(name)
                .and_then(|i| self.events_by_term[i].get(id).copied())
                .unwrap_or(0),
            _ => return 1,
        };
        page_count(items, self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_split_into_pages() {
        assert_eq!(items(1, 0, 10), 0..0);
        assert_eq!(items(1, 7, 10), 0..7);
        assert_eq!(items(1, 25, 10), 0..10);
        assert_eq!(items(3, 25, 10), 20..25);
        assert_eq!(items(4, 25, 10), 25..25);
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(20, 10), 2);
        assert_eq!(page_count(21, 10), 3);
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_pages_around_the_current_one() {
        let shown = |n, count| -> String {
            (super::shown(n, count).iter())
                .map(|k| k.map_or("…".to_string(), |k| k.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(1, 3), "1 2 3");
        assert_eq!(shown(1, 200), "1 2 3 … 200");
        assert_eq!(shown(5, 200), "1 2 3 4 5 6 7 … 200");
        assert_eq!(shown(100, 200), "1 … 98 99 100 101 102 … 200");
        assert_eq!(shown(200, 200), "1 … 198 199 200");
        assert_eq!(shown(4, 7), "1 2 3 4 5 6 7");
    }

    #[test]
    fn a_pager_links_its_neighbours_under_the_base() {
        let page = Page::Term("tags", "aid");
        let p = pager(Paged::new(page, 2), 25, 10, "/b/");
        assert_eq!(p.prev.as_deref(), Some("/b/tags/aid/"));
        assert_eq!(p.next.as_deref(), Some("/b/tags/aid/page/3/"));
        assert_eq!((p.first, p.last, p.total, p.count), (11, 20, 25, 3));
        assert!(p.links[1].current && p.links[1].url == "/b/tags/aid/page/2/");
        let p = pager(Paged::new(page, 1), 0, 10, "/");
        assert_eq!((p.prev, p.next, p.count), (None, None, 1));
        assert_eq!(Paged::new(page, 2).file(), "tags/aid/page/2/index.html");
        assert_eq!(Paged::new(Page::Chapters, 1).file(), "chapters/index.html");
    }
}
