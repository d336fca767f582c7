//! The dependency map of one build: which of the pages made per item (each event's,
//! chapter's and term's page) read which content item, and a fingerprint of each item as
//! the pages see it (its file and its rendered Markdown). Comparing the maps of two builds
//! tells which of those pages the second must render again ([`Deps::stale`]).
//!
//! The map mirrors what the producers read (`render/pages.rs`, `render/views.rs`): an
//! event's page reads the event and its neighbours' titles, a chapter's first page its
//! events' places and each of its numbered pages its events' cards, and both which era
//! page of the timeline each of their events is on (an item of its own,
//! [`Item::OnEraPage`]: an event added earlier in the era moves later ones), each
//! numbered page of a term's its events' cards and which events it holds (an item of its
//! own, [`Item::Listing`], so that an event moving to another page, or a page added,
//! renders the pages it changes); everything else they read is site-wide (the
//! `site` view, hashed here) or comes from files whose change renders every page
//! (`site.toml`, templates, registries: a place's `lat` and `lon` among them, which the
//! maps of event, chapter and place pages read, and `map` blocks, whose kept Markdown
//! `texts.rs` drops when a place changes). A producer that starts reading more of other
//! items must be mirrored here; `tests/it/incremental.rs` compares every kind of edit with
//! a clean build to catch one that is not.

use crate::render::views::Views;
use crate::routes::{page_count, Page, Paged};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// A content item that pages read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Item {
    Event(String),
    Chapter(String),
    /// Which events a numbered page of a term's listing holds, and how many pages the
    /// listing has (its pager), by the page's output file.
    Listing(String),
    /// A page of an era's list on the timeline, by output file: it reads its events' cards
    /// and where they fall in the era.
    Part(String),
    /// Which era page an event is on (its link to the timeline leads there), by event id:
    /// an event earlier in its era can move it to another page.
    OnEraPage(String),
}

/// The map of one build.
#[derive(Debug, Default)]
pub(crate) struct Deps {
    /// A hash of the site-wide view every page receives (`site`: chapters, menu, event
    /// count, taxonomies, settings): when it changes, every page may.
    site: u64,
    /// Each item's fingerprint.
    prints: HashMap<Item, u64>,
    /// The per-item pages (by output file) that read each item.
    readers: HashMap<Item, Vec<String>>,
    /// Every per-item page of the build, by output file.
    pub(crate) pages: HashSet<String>,
}

impl Deps {
    /// The map of the build that `v` renders.
    pub(crate) fn of(v: Views) -> Deps {
        let content = v.content;
        let site = {
            let mut h = Fnv::default();
            serde_json::to_vec(&v.site())
                .unwrap_or_default()
                .hash(&mut h);
            h.finish()
        };
        let mut d = Deps {
            site,
            ..Deps::default()
        };
        let events = &v.rendered.events;
        let mut on_page = d.listings(v);
        let chapter_pages = d.chapter_listings(v, &mut on_page);
        for (i, r) in events.iter().enumerate() {
            let e = r.event;
            let mut h = Fnv::default();
            (&e.body.path, &*e.body.file).hash(&mut h);
            for t in [Some(&r.summary), r.disputed.as_deref(), Some(&r.body)] {
                t.map(|t| (&t.html, &t.text)).hash(&mut h);
            }
            let item = Item::Event(e.id.clone());
            d.prints.insert(item.clone(), h.finish());
            let neighbours = [i.checked_sub(1), Some(i), Some(i + 1)];
            let mut pages: Vec<String> = (neighbours.into_iter().flatten())
                .filter_map(|j| events.get(j))
                .map(|n| Page::Event(&n.event.id).file())
                .collect();
            pages.push(Page::Chapter(&e.chapter).file());
            pages.extend(on_page.get(&i).into_iter().flatten().cloned());
            d.readers.insert(item, pages);
            let item = Item::OnEraPage(e.id.clone());
            let mut h = Fnv::default();
            v.places.get(e.id.as_str()).hash(&mut h);
            d.prints.insert(item.clone(), h.finish());
            // The event's page and the chapter's numbered page that lists it.
            let mine = chapter_pages.get(&e.chapter).map_or(&[][..], Vec::as_slice);
            let listed = on_page.get(&i).into_iter().flatten();
            let mut readers = vec![Page::Event(&e.id).file()];
            readers.extend(listed.filter(|f| mine.contains(f)).cloned());
            d.readers.insert(item, readers);
        }
        for r in &v.rendered.chapters {
            let c = r.chapter;
            let mut h = Fnv::default();
            (&c.body.path, &*c.body.file).hash(&mut h);
            for t in [&r.summary, &r.body] {
                (&t.html, &t.text, format!("{:?}", t.toc)).hash(&mut h);
            }
            let item = Item::Chapter(c.slug.clone());
            d.prints.insert(item.clone(), h.finish());
            let files = chapter_pages.get(&c.slug).cloned();
            d.readers.insert(item, files.unwrap_or_default());
        }
        let events = content.events.iter().map(|e| Page::Event(&e.id).file());
        let chapters = content
            .chapters
            .iter()
            .map(|c| Page::Chapter(&c.slug).file());
        let terms = std::mem::take(&mut d.pages);
        d.pages = events.chain(chapters).chain(terms).collect();
        d.timeline_parts(v);
        d
    }

    /// Adds each numbered page of every term's listing to the map (into `pages`, with its
    /// [`Item::Listing`]); returns the pages each event is listed on, by the event's place.
    fn listings(&mut self, v: Views) -> HashMap<usize, Vec<String>> {
        let (config, content) = (v.config, v.content);
        let mut on_page: HashMap<usize, Vec<String>> = HashMap::new();
        for (k, (t, terms)) in config.taxonomies.iter().zip(&content.terms).enumerate() {
            let mut by_term: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, r) in v.rendered.events.iter().enumerate() {
                for x in r.event.terms.get(k).into_iter().flatten() {
                    let list = by_term.entry(v.term_id(k, x)).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            for term in terms {
                let listed = by_term.get(&term.id).map_or(&[][..], Vec::as_slice);
                let count = page_count(listed.len(), config.paginate);
                let chunks = listed.chunks(config.paginate.max(1)).map(Some);
                let chunks = chunks.chain(listed.is_empty().then_some(None));
                for (n, chunk) in (1..).zip(chunks) {
                    let file = Paged::new(Page::Term(&t.name, &term.id), n).file();
                    let mut h = Fnv::default();
                    (count, listed.len()).hash(&mut h);
                    for &i in chunk.unwrap_or_default() {
                        v.rendered.events[i].event.id.hash(&mut h);
                        on_page.entry(i).or_default().push(file.clone());
                    }
                    let item = Item::Listing(file.clone());
                    self.prints.insert(item.clone(), h.finish());
                    self.readers.insert(item, vec![file.clone()]);
                    self.pages.insert(file);
                }
            }
        }
        on_page
    }

    /// Adds each numbered page of every chapter (its events' cards, `paginate` a page) to
    /// the map, as [`Self::listings`] does a term's, and each event to the pages that list
    /// it (`on_page`); returns each chapter's pages, by slug. Page 1 also shows the map of
    /// all its events' places, which the events read already.
    fn chapter_listings(
        &mut self,
        v: Views,
        on_page: &mut HashMap<usize, Vec<String>>,
    ) -> HashMap<String, Vec<String>> {
        let per_page = v.config.paginate.max(1);
        let mut by_chapter: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in v.rendered.events.iter().enumerate() {
            by_chapter.entry(&r.event.chapter).or_default().push(i);
        }
        let mut files = HashMap::new();
        for c in &v.content.chapters {
            let listed = by_chapter
                .get(c.slug.as_str())
                .map_or(&[][..], Vec::as_slice);
            let count = page_count(listed.len(), per_page);
            let mut mine = Vec::new();
            for n in 1..=count {
                let file = Paged::new(Page::Chapter(&c.slug), n).file();
                let chunk = listed.chunks(per_page).nth(n - 1).unwrap_or_default();
                let mut h = Fnv::default();
                (count, listed.len()).hash(&mut h);
                for &i in chunk {
                    v.rendered.events[i].event.id.hash(&mut h);
                    on_page.entry(i).or_default().push(file.clone());
                }
                let item = Item::Listing(file.clone());
                self.prints.insert(item.clone(), h.finish());
                self.readers.insert(item, vec![file.clone()]);
                self.pages.insert(file.clone());
                mine.push(file);
            }
            files.insert(c.slug.clone(), mine);
        }
        files
    }

    /// The pages of the eras' lists (`render/listings.rs`): each is a print of the ids it
    /// lists, their prints, its place and its era's size, read by itself.
    fn timeline_parts(&mut self, v: Views) {
        use crate::render::timeline::{by_era, PER_PAGE};
        for (era, events) in by_era(v.config, &v.rendered.events, |r| &r.event.date) {
            let pages = events.len().div_ceil(PER_PAGE).max(1);
            for k in 0..pages {
                let file = Page::TimelinePart(era, k + 1).file();
                let mut h = Fnv::default();
                (era, k, pages, events.len()).hash(&mut h);
                for r in events.iter().skip(k * PER_PAGE).take(PER_PAGE) {
                    r.event.id.hash(&mut h);
                    self.event(&r.event.id).hash(&mut h);
                }
                let item = Item::Part(file.clone());
                self.prints.insert(item.clone(), h.finish());
                self.readers.insert(item, vec![file.clone()]);
                self.pages.insert(file);
            }
        }
    }

    /// The fingerprint of the event `id`.
    pub(crate) fn event(&self, id: &str) -> Option<u64> {
        self.prints.get(&Item::Event(id.to_string())).copied()
    }

    /// Whether every page receives the same site-wide view in both builds.
    pub(crate) fn same_site(&self, new: &Deps) -> bool {
        self.site == new.site
    }

    /// The per-item pages of `new` that must be rendered again after the build `self`
    /// (every one when the site-wide view changed): those that read an item that changed,
    /// came or went (as read in either build), and those `self` did not have.
    pub(crate) fn stale(&self, new: &Deps) -> HashSet<String> {
        if self.site != new.site {
            return new.pages.clone();
        }
        let mut stale: HashSet<String> = new.pages.difference(&self.pages).cloned().collect();
        let items = self.prints.keys().chain(new.prints.keys());
        for item in items {
            if self.prints.get(item) == new.prints.get(item) {
                continue;
            }
            for map in [&self.readers, &new.readers] {
                stale.extend(map.get(item).into_iter().flatten().cloned());
            }
        }
        stale.retain(|p| new.pages.contains(p));
        stale
    }
}

/// A 64-bit hasher in the manner of FNV-1a, taking eight bytes a step (stable within a
/// process, which is all a fingerprint here needs; it tells an edit from none, and is no
/// defence against a crafted collision, which could only make the preview show a stale
/// page).
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
            self.0 = (self.0 ^ w)
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(29);
        }
        for &b in words.remainder() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = (self.0 ^ bytes.len() as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
