//! Routes: every URL and output path of the site, and the element ids its layout keeps.
//!
//! Nothing else formats a site URL: content keys (`events/x.md`), page URLs under the base
//! path, output files, and the ids the templates write all come from here.

use std::collections::{BTreeMap, HashSet};

/// Every literal `id="…"` the templates write, and the ids the scripts give elements. A
/// unit test reads `templates/`, `static/` and `src/serve/live.js` and fails when an id there is
/// missing from this list.
pub(crate) const LAYOUT_IDS: &[&str] = &[
    "main",
    "chapters",
    "chapters-h",
    "toc-h",
    "chapter-events",
    "chapter-events-h",
    "disputed-h",
    "sources-h",
    "print-toc-h",
    "print-timeline",
    "print-timeline-h",
    "q",
    "search-status",
    "search-results",
    // The labels of search.js and timeline.js, in the page's language (`t_json`).
    "search-text",
    "timeline-text",
    // The popover a citation opens (cite.js).
    "cite-pop",
    "timeline-app",
    "timeline-data",
    "tl-clear",
    "tl-list",
    "tl-q",
    "tl-zoom-in",
    "tl-zoom-out",
    "tl-pan-left",
    "tl-pan-right",
    "tl-zoom-reset",
    "tl-fold",
    "tl-filters",
    "tl-story",
    "tl-detail",
    // The timeline's filter menus are `tl-f-<name>`, one per filter taxonomy and `chapter`
    // and `era`: under the prefix `tl-f-` of LAYOUT_PREFIXES.
    // Written by the scripts: `serve`'s error overlay (src/serve/live.js).
    "docsite-error",
];

/// The literal prefixes of the ids the templates make from content (`h-<event id>`,
/// `chapter-<slug>`, `era-<era id>`, `tl-f-<filter>`, `search-f-<facet>`, `source-<id>`).
/// A unit test reads `templates/` and fails when a templated id has another form.
pub(crate) const LAYOUT_PREFIXES: &[&str] =
    &["h-", "chapter-", "era-", "tl-f-", "search-f-", "source-"];

/// The element id of the timeline's filter menu for `name` (a taxonomy, `chapter` or
/// `era`): `tl-f-<name>`.
pub(crate) fn filter_id(name: &str) -> String {
    format!("tl-f-{name}")
}

/// Why a content id that the templates write as an element id as it is (an event's on the
/// timeline) cannot be one: it is a layout id, or it starts with a prefix of the layout's templated ids. Kept
/// out by construction, so no page can have one id twice and `getElementById` always
/// finds the layout's element.
pub(crate) fn layout_id_clash(id: &str) -> Option<String> {
    if LAYOUT_IDS.contains(&id) {
        return Some("is an id the page layout uses".into());
    }
    LAYOUT_PREFIXES
        .iter()
        .find(|p| id.starts_with(**p))
        .map(|p| format!("starts with `{p}`, a prefix the page layout keeps for its own ids"))
}

/// One language of the site and where its pages live: the default language's at the
/// site's root, every other one's under its code (`/vi/`). The files every language
/// shares (`static/`, media, `highlight.css`, `robots.txt`, `CNAME`, the sitemap) stay
/// once at the root.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Language {
    /// Its code (`vi`): the pages' `lang` and `hreflang`.
    pub(crate) code: String,
    /// Its name in its own language (`Tiếng Việt`): the switcher's label.
    pub(crate) name: String,
    /// The base path of its pages (`/b/vi/`): every page URL under it.
    pub(crate) path: String,
    /// The base URL of its pages (`https://x.org/b/vi/`).
    pub(crate) url: String,
}

/// The folder of a language's pages under the output's root: none for the default
/// language (the first), `<code>/` for another.
pub(crate) fn language_folder(code: &str, default: bool) -> String {
    match default {
        true => String::new(),
        false => format!("{code}/"),
    }
}

/// Every language of the site, `(code, name)`, the default first, each with the base of
/// its pages under the site's `base_path` and `base_url`.
pub(crate) fn languages<'a>(
    base_path: &str,
    base_url: &str,
    all: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<Language> {
    (all.into_iter().enumerate())
        .map(|(i, (code, name))| {
            let folder = language_folder(code, i == 0);
            Language {
                code: code.to_string(),
                name: name.to_string(),
                path: format!("{base_path}{folder}"),
                url: format!("{base_url}{folder}"),
            }
        })
        .collect()
}

/// A page of the site. Content pages carry the checked id or slug they are made from;
/// everything about where the page lives (its URL, its output file, its template) is here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page<'a> {
    /// `index.html`, by `index.html`.
    Home,
    /// The chapters' index, numbered ([`Paged`]): `chapters/index.html`, by `chapters.html`.
    Chapters,
    /// A chapter, by slug: `chapters/<slug>/index.html`, by `chapter.html`; numbered
    /// ([`Paged`]) when its events' cards take more than one page (`chapters/<slug>/page/2/`).
    Chapter(&'a str),
    /// An event, by id: `events/<id>/index.html`, by `event.html`.
    Event(&'a str),
    /// `timeline/index.html`, by `timeline.html`.
    Timeline,
    /// `sources/index.html`, by `sources.html`; numbered ([`Paged`]), `paginate` sources a
    /// page.
    Sources,
    /// A taxonomy's index of its terms, by name: `<name>/index.html`, by `taxonomy.html`.
    Taxonomy(&'a str),
    /// A term of a taxonomy, by the taxonomy's name and the term's id:
    /// `<name>/<term>/index.html`, by `term.html`.
    Term(&'a str, &'a str),
    /// `search/index.html`, by `search.html`.
    Search,
    /// `print/index.html`, by `print.html`; numbered ([`Paged`]) on a large site.
    Print,
    /// `404.html`, by `404.html`.
    NotFound,
    /// A free page (`content/pages/<path>.md`), by its path without slashes at either end:
    /// `<path>/index.html`, by `page.html`.
    Free(&'a str),
    /// One page of an era's events on the timeline (the "Other dates" group's id is
    /// `other-dates`), by era id and page number from 1: `timeline/<era>/index.html`, then
    /// `timeline/<era>/<n>/index.html`, by `timeline_part.html`.
    TimelinePart(&'a str, usize),
}

impl<'a> Page<'a> {
    /// Every page rendered once per site (not per chapter or event), in the sitemap's
    /// order: what the scheduler renders (the render stage's `producer` gives each its
    /// producer) and what the sitemap lists (but the 404 page). Adding a page is adding
    /// it here.
    pub(crate) const SITE_WIDE: &'static [Page<'static>] = &[
        Page::Home,
        Page::Chapters,
        Page::Timeline,
        Page::Sources,
        Page::Search,
        Page::Print,
        Page::NotFound,
    ];

    /// Whether the sitemap lists the page (every page but the 404 page, which a server
    /// shows for a missing path).
    pub(crate) fn in_sitemap(self) -> bool {
        self != Page::NotFound
    }

    /// The page's path under the site's root (`""`, `chapters/<slug>/`, `404.html`).
    pub(crate) fn path(self) -> String {
        match self {
            Page::Home => String::new(),
            Page::Chapter(slug) => format!("chapters/{slug}/"),
            Page::Event(id) => format!("events/{id}/"),
            Page::Taxonomy(name) => format!("{name}/"),
            Page::Term(name, term) => format!("{name}/{term}/"),
            Page::NotFound => "404.html".into(),
            Page::Free(path) => format!("{path}/"),
            Page::TimelinePart(era, 1) => format!("timeline/{era}/"),
            Page::TimelinePart(era, n) => format!("timeline/{era}/{n}/"),
            other => format!("{}/", other.folder()),
        }
    }

    /// The folder of a site-wide page (`timeline`, `search`, …).
    fn folder(self) -> &'static str {
        match self {
            Page::Chapters => "chapters",
            Page::Timeline => "timeline",
            Page::Sources => "sources",
            Page::Search => "search",
            Page::Print => "print",
            Page::Home
            | Page::Chapter(_)
            | Page::Event(_)
            | Page::Taxonomy(_)
            | Page::Term(..)
            | Page::NotFound
            | Page::Free(_)
            | Page::TimelinePart(..) => "",
        }
    }

    /// The page's URL under `base`: the base path for links, the base URL for absolute ones.
    pub(crate) fn url(self, base: &str) -> String {
        format!("{base}{}", self.path())
    }

    /// The file the page is written to, under the output folder.
    pub(crate) fn file(self) -> String {
        match self {
            Page::NotFound => "404.html".into(),
            other => format!("{}index.html", other.path()),
        }
    }

    /// The template that renders the page.
    pub(crate) fn template(self) -> &'static str {
        match self {
            Page::Home => "index.html",
            Page::Chapters => "chapters.html",
            Page::Chapter(_) => "chapter.html",
            Page::Event(_) => "event.html",
            Page::Timeline => "timeline.html",
            Page::Sources => "sources.html",
            Page::Taxonomy(_) => "taxonomy.html",
            Page::Term(..) => "term.html",
            Page::Search => "search.html",
            Page::Print => "print.html",
            Page::NotFound => "404.html",
            Page::Free(_) => "page.html",
            Page::TimelinePart(..) => "timeline_part.html",
        }
    }

    /// The page's section, which the templates' navigation marks as current (a
    /// taxonomy's pages: its name).
    pub(crate) fn section(self) -> &'a str {
        match self {
            Page::Home => "home",
            Page::Chapter(_) | Page::Chapters => "chapters",
            Page::Event(_) => "events",
            Page::Taxonomy(name) | Page::Term(name, _) => name,
            Page::NotFound => "404",
            Page::Free(_) => "page",
            Page::TimelinePart(..) => "timeline",
            other => other.folder(),
        }
    }
}

/// The page that is not a taxonomy's whose section is `name` (`home`, `page` for the free
/// pages, `timeline`, …), if any: a taxonomy's pages have the taxonomy's name as their
/// section, which the navigation marks as current, so no taxonomy may take one of these.
pub(crate) fn own_section(name: &str) -> Option<Page<'static>> {
    let per_item = [Page::Chapter(""), Page::Event(""), Page::Free("")];
    (Page::SITE_WIDE.iter().chain(&per_item))
        .find(|p| p.section() == name)
        .copied()
}

/// What the build writes under the top-level folder `name` (a taxonomy's name must not be
/// one), if anything: the chapters', the events' or a site-wide page's folder.
pub(crate) fn taken_folder(name: &str) -> Option<&'static str> {
    match name {
        "chapters" => Some("the chapters' pages"),
        "events" => Some("the events' pages"),
        "media" => Some("the files of content/media/"),
        _ => (Page::SITE_WIDE.iter())
            .any(|p| !p.folder().is_empty() && p.folder() == name)
            .then_some("a page the site has"),
    }
}

/// What a free page at `path` (`about`, `guide/sources`, `` for `content/pages/index.md`)
/// would collide with, in words, if the build writes a page there itself: the exact path
/// of a site-wide page (the home page, `timeline`, …), or one inside the folders of the
/// chapters' and the events' pages (`chapters/…`, `events/…`). A page's path has no `.`,
/// so it never is a data file's; a taxonomy's folder is checked where the site's
/// taxonomies are known (content/load.rs).
pub(crate) fn taken_by(path: &str) -> Option<String> {
    let url = match path {
        "" => String::new(),
        _ => format!("{path}/"),
    };
    if let Some(page) = (Page::SITE_WIDE.iter()).find(|p| p.path() == url) {
        return Some(format!(
            "is the path of a page the build makes with {}",
            page.template()
        ));
    }
    let first = path.split('/').next().unwrap_or_default();
    let per_item = [
        (Page::Chapter("<slug>"), "each chapter's page"),
        (Page::Event("<id>"), "each event's page"),
        (Page::TimelinePart("<era>", 1), "each era's list of events"),
    ];
    let in_folder = (per_item.iter())
        .find(|(p, _)| p.path().split('/').next() == Some(first))
        .map(|(p, what)| {
            format!(
                "is in /{first}/, the folder where the build puts {what} (/{}, made with {})",
                p.path(),
                p.template()
            )
        });
    // The numbered pages of a site-wide listing (`print/page/2/`).
    in_folder.or_else(|| {
        (Page::SITE_WIDE.iter())
            .find(|p| !p.folder().is_empty() && url.starts_with(&format!("{}page/", p.path())))
            .map(|p| {
                format!(
                    "is in /{}page/, the folder where the build puts the numbered pages of /{} (made with {})",
                    p.path(),
                    p.path(),
                    p.template()
                )
            })
    })
}

/// One numbered page of a listing that is split into pages (a term's events, a
/// taxonomy's terms, the chapters' index, the print view). Page 1 is the listing's own
/// page (`tags/aid/`); page `n` after it is `<path>page/<n>/` (`tags/aid/page/2/`). No
/// page the build makes ends in `page/<n>/` otherwise, and a term or chapter named `page`
/// has its own folder (`tags/page/`), beside `tags/page/2/`, so no two pages share a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paged<'a> {
    pub(crate) page: Page<'a>,
    /// From 1.
    pub(crate) number: usize,
}

impl<'a> From<Page<'a>> for Paged<'a> {
    fn from(page: Page<'a>) -> Self {
        Paged { page, number: 1 }
    }
}

impl<'a> Paged<'a> {
    /// The `number`th page of `page`'s listing (numbers start at 1).
    pub(crate) fn new(page: Page<'a>, number: usize) -> Self {
        Paged {
            page,
            number: number.max(1),
        }
    }

    /// The page's path under the site's root (`tags/aid/`, `tags/aid/page/2/`).
    pub(crate) fn path(self) -> String {
        match self.number {
            1 => self.page.path(),
            n => format!("{}page/{n}/", self.page.path()),
        }
    }

    /// The page's URL under `base`.
    pub(crate) fn url(self, base: &str) -> String {
        format!("{base}{}", self.path())
    }

    /// The file the page is written to.
    pub(crate) fn file(self) -> String {
        match self.number {
            1 => self.page.file(),
            _ => format!("{}index.html", self.path()),
        }
    }
}

/// How many numbered pages a listing of `items` items takes at `per_page` a page: at
/// least one (an empty listing still has its page).
pub(crate) fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// Every page of the sitemap, in a stable order: the site-wide pages (the home page
/// first; the chapters' index and the print view with each of their `numbered` pages),
/// the free pages, then the chapters (by slug, each with its numbered pages) and the events (by id) in the order given,
/// then each taxonomy's index pages followed by its terms' pages, each with its numbered
/// pages (a listing's number of pages, from `numbered`, given its page).
pub(crate) fn sitemap_pages<'a>(
    free: impl IntoIterator<Item = &'a str>,
    chapters: impl IntoIterator<Item = &'a str>,
    events: impl IntoIterator<Item = &'a str>,
    taxonomies: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
    numbered: impl Fn(Page<'a>) -> usize,
) -> Vec<Paged<'a>> {
    let mut v: Vec<Paged> = Vec::new();
    let push = |v: &mut Vec<Paged<'a>>, page: Page<'a>| {
        v.extend((1..=numbered(page).max(1)).map(|n| Paged::new(page, n)));
    };
    for &page in Page::SITE_WIDE.iter().filter(|p| p.in_sitemap()) {
        push(&mut v, page);
    }
    v.extend(free.into_iter().map(|p| Paged::from(Page::Free(p))));
    for c in chapters {
        push(&mut v, Page::Chapter(c));
    }
    v.extend(events.into_iter().map(|e| Paged::from(Page::Event(e))));
    for (name, terms) in taxonomies {
        push(&mut v, Page::Taxonomy(name));
        for t in terms {
            push(&mut v, Page::Term(name, t));
        }
    }
    v
}

/// The most URLs one sitemap file may list (the sitemap protocol's limit): past it,
/// `sitemap.xml` is an index of numbered sitemap files ([`sitemap_part`]).
pub(crate) const SITEMAP_URLS: usize = 50_000;

/// The file of the `n`th sitemap (from 1) listed by `sitemap.xml` when it is an index:
/// `sitemap-<n>.xml`.
pub(crate) fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// A place on a page that lists many items, each under its own element id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fragment<'a> {
    /// A source on the numbered sources page that holds it (`sources/#source-<id>`,
    /// `sources/page/2/#source-<id>`): its id and the page's number ([`source_page`]).
    Source(&'a str, usize),
    /// An event on the timeline (`timeline/?event=<id>`): the page does not hold every
    /// event, so its script opens the one named (and shows `#<id>`, which it reads too).
    OnTimeline(&'a str),
    /// An event's card on its era's page (`timeline/<era>/<n>/#<id>`): where a link to
    /// the event on the timeline leads without JavaScript.
    InEra(&'a str, usize, &'a str),
    /// A chapter's story on the timeline (`timeline/?story=<slug>`).
    Story(&'a str),
}

impl Fragment<'_> {
    /// The fragment's URL under `base`.
    pub(crate) fn url(self, base: &str) -> String {
        match self {
            Fragment::Source(id, n) => {
                format!("{}#source-{id}", Paged::new(Page::Sources, n).url(base))
            }
            Fragment::OnTimeline(id) => format!("{}?event={id}", Page::Timeline.url(base)),
            Fragment::InEra(era, n, id) => anchor_url(Page::TimelinePart(era, n), base, id),
            Fragment::Story(slug) => format!("{}?story={slug}", Page::Timeline.url(base)),
        }
    }
}

impl Fragment<'_> {
    /// The fragment's link from the page that holds it (`#source-<id>`; the timeline
    /// opens an event from its query, `?event=<id>`).
    pub(crate) fn here(self) -> String {
        let url = self.url("");
        let at = url.find(['#', '?']).unwrap_or(0);
        url[at..].to_string()
    }
}

/// The number of the sources page (from 1) that holds the source at `position` (from 0,
/// in `sources.toml`'s order) when each holds `per_page`.
pub(crate) fn source_page(position: usize, per_page: usize) -> usize {
    position / per_page.max(1) + 1
}

/// A heading on a page (`chapters/<slug>/#<id>`).
pub(crate) fn anchor_url(page: Page, base: &str, id: &str) -> String {
    with_anchor(&page.url(base), id)
}

/// `url` with the fragment `#<anchor>`.
pub(crate) fn with_anchor(url: &str, anchor: &str) -> String {
    format!("{url}#{anchor}")
}

/// A `/`-rooted link of the Markdown (`/timeline/`, `/figures/map.svg`): `rest` is what
/// follows its `/`, and the URL is under the base path `base`.
pub(crate) fn rooted_url(base: &str, rest: &str) -> String {
    format!("{base}{rest}")
}

/// The output path of a file of `content/media/` published as it is (video, audio).
pub(crate) fn media_copy(name: &str) -> String {
    format!("media/{name}")
}

/// The output path of one size of a processed image: `key` names its content, `width`
/// its size.
pub(crate) fn media_image(key: &str, width: u32, ext: &str) -> String {
    format!("media/img/{key}-{width}.{ext}")
}

/// What answers a request for `rel`, a path inside the site (without the base path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Served {
    /// The file at this output path.
    File(String),
    /// A folder named without its final `/`: its `index.html`, at this output path (a
    /// server redirects to the folder's URL).
    Folder(String),
}

/// What the output file for `rel` is, among the files `exists` says the site has: a folder
/// URL (`""`, `x/`) serves its `index.html`; a file's path, the file; a folder's path
/// without its `/`, the folder's `index.html`. None when no file answers.
pub(crate) fn served(rel: &str, exists: impl Fn(&str) -> bool) -> Option<Served> {
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return exists(&index).then_some(Served::File(index));
    }
    if exists(rel) {
        return Some(Served::File(rel.to_string()));
    }
    let index = format!("{rel}/index.html");
    exists(&index).then_some(Served::Folder(index))
}

/// A part of the search index beside its head (`search.json`): `search/w3.json` (postings,
/// `kind` `w`) or `search/d3.json` (docs, `d`); the page finds them relative to the head.
pub(crate) fn search_part(kind: char, n: usize) -> String {
    format!("search/{kind}{n}.json")
}

/// A file the build makes besides the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataFile {
    /// The timeline in the TimelineJS3 format.
    TimelineJson,
    /// The code highlighting's stylesheet.
    HighlightCss,
    Sitemap,
    Robots,
    /// The Atom feed.
    Feed,
    /// Tells GitHub Pages not to run Jekyll over the output.
    NoJekyll,
    /// The search page's index.
    SearchIndex,
    /// GitHub Pages' custom domain.
    Cname,
    /// The popover data of the citations (static/cite.js): beside each numbered sources
    /// page, the sources it lists ([`popover_file`]); `file` names the first page's.
    Popovers,
}

impl DataFile {
    /// Every data file, in the order the build writes them.
    pub(crate) const ALL: &'static [DataFile] = &[
        DataFile::TimelineJson,
        DataFile::HighlightCss,
        DataFile::Sitemap,
        DataFile::Robots,
        DataFile::Feed,
        DataFile::NoJekyll,
        DataFile::SearchIndex,
        DataFile::Cname,
        DataFile::Popovers,
    ];

    /// The file's path under the output folder (and under the base URL).
    pub(crate) fn file(self) -> &'static str {
        match self {
            DataFile::TimelineJson => "timeline.json",
            DataFile::HighlightCss => "highlight.css",
            DataFile::Sitemap => "sitemap.xml",
            DataFile::Robots => "robots.txt",
            DataFile::Feed => "atom.xml",
            DataFile::NoJekyll => ".nojekyll",
            DataFile::SearchIndex => "search.json",
            DataFile::Cname => "CNAME",
            DataFile::Popovers => "sources/popovers.json",
        }
    }

    /// The file's URL under `base`.
    pub(crate) fn url(self, base: &str) -> String {
        format!("{base}{}", self.file())
    }

    /// Whether every language shares the file, written once at the site's root; the
    /// others (the timeline's data, the feed, the search index) are each language's, under
    /// its folder.
    pub(crate) fn shared(self) -> bool {
        !matches!(
            self,
            DataFile::TimelineJson | DataFile::Feed | DataFile::SearchIndex | DataFile::Popovers
        )
    }
}

/// The popover data of the `n`th sources page (from 1), in its folder:
/// `sources/popovers.json`, `sources/page/2/popovers.json`. static/cite.js finds it from a
/// citation's link, which names that page: `popovers.json` relative to it.
pub(crate) fn popover_file(n: usize) -> String {
    format!("{}popovers.json", Paged::new(Page::Sources, n).path())
}

/// A run of the timeline's events in the compact form its script reads, by era id and
/// number from 0: `timeline/<era>/<k>.json`, loaded as the reader needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimelineChunk<'a>(pub(crate) &'a str, pub(crate) usize);

impl TimelineChunk<'_> {
    /// The file's path under the output folder.
    pub(crate) fn file(self) -> String {
        format!("timeline/{}/{}.json", self.0, self.1)
    }

    /// The file's URL under `base`.
    pub(crate) fn url(self, base: &str) -> String {
        format!("{base}{}", self.file())
    }
}

/// The content key of the home page's Markdown file.
pub(crate) const HOME_KEY: &str = "index.md";

/// The content key (`events/x.md`) of a Markdown file at `path` (`content/events/x.md`):
/// how internal links (`@/events/x.md`) name it.
pub(crate) fn content_key(path: &std::path::Path) -> String {
    path.strip_prefix("content")
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The content key of the chapter `slug`.
pub(crate) fn chapter_key(slug: &str) -> String {
    format!("chapters/{slug}.md")
}

/// The path of the free page whose content key is `key` (`pages/guide/sources.md` →
/// `guide/sources`; a final `index.md` names its folder, `pages/guide/index.md` → `guide`
/// and `pages/index.md` → ``); None for a key outside `pages/`.
pub(crate) fn free_page_path(key: &str) -> Option<&str> {
    let inner = key.strip_prefix("pages/")?;
    let inner = inner.strip_suffix(".md").unwrap_or(inner);
    Some(match inner {
        "index" => "",
        _ => inner.strip_suffix("/index").unwrap_or(inner),
    })
}

/// The URL under `base` the page of a content file that did not load would have
/// (`<kind>/<stem>/`; a free page's, its path), so that links to it are not reported a
/// second time.
pub(crate) fn unloaded_url(key: &str, base: &str) -> String {
    match free_page_path(key) {
        Some("") => return Page::Home.url(base),
        Some(path) => return Page::Free(path).url(base),
        None => {}
    }
    let stem = key
        .rsplit('/')
        .next()
        .unwrap_or(key)
        .trim_end_matches(".md");
    let kind = key.split('/').next().unwrap_or_default();
    format!("{base}{kind}/{stem}/")
}

/// The element id of an event's card on the pages that list cards (`h-<id>`).
pub(crate) fn card_id(event: &str) -> String {
    format!("h-{event}")
}

/// The element ids of a chapter's section on the print page (`chapter-<slug>` and its
/// heading's `chapter-<slug>-h`).
fn print_chapter_ids(slug: &str) -> [String; 2] {
    [format!("chapter-{slug}"), format!("chapter-{slug}-h")]
}

/// The ids the print page holds before any body is fitted in: [`LAYOUT_IDS`] and each
/// chapter's section's (`chapter-<slug>`, `chapter-<slug>-h`), for the chapters' `slugs`.
pub(crate) fn print_layout_ids<'a>(slugs: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    let mut ids: HashSet<String> = LAYOUT_IDS.iter().map(|s| s.to_string()).collect();
    for slug in slugs {
        ids.extend(print_chapter_ids(slug));
    }
    ids
}

/// The ids a heading or footnote in a page's body must not take: [`LAYOUT_IDS`] and the
/// ids the templates make from the content on the pages that show bodies (event cards'
/// `h-<event id>` on chapter pages, for the `events`' ids; `chapter-<slug>` and
/// `chapter-<slug>-h` on the print page, for the `chapters`' slugs).
pub(crate) fn reserved_ids<'a>(
    events: impl IntoIterator<Item = &'a str>,
    chapters: impl IntoIterator<Item = &'a str>,
) -> HashSet<String> {
    let mut ids = print_layout_ids(chapters);
    ids.extend(events.into_iter().map(card_id));
    ids
}

/// Maps content keys (`events/x.md`, `chapters/y.md`, `pages/about.md`) to the URL path
/// under `base` each page gets: the home page, the `free` pages (by content key and path),
/// the `chapters` (by slug), the `events` (by content key and id), and, for the content
/// files that did not load (`unloaded`, by key), the URL they would have.
pub(crate) fn page_urls<'a>(
    free: impl IntoIterator<Item = (String, &'a str)>,
    chapters: impl IntoIterator<Item = &'a str>,
    events: impl IntoIterator<Item = (String, &'a str)>,
    unloaded: impl IntoIterator<Item = &'a str>,
    base: &str,
) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    m.insert(HOME_KEY.to_string(), Page::Home.url(base));
    for (key, path) in free {
        m.insert(key, Page::Free(path).url(base));
    }
    for slug in chapters {
        m.insert(chapter_key(slug), Page::Chapter(slug).url(base));
    }
    for (key, id) in events {
        m.insert(key, Page::Event(id).url(base));
    }
    for key in unloaded {
        m.entry(key.to_string())
            .or_insert_with(|| unloaded_url(key, base));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every literal `id=\"…\"` of the templates is reserved; every templated one is a
    /// content id written as it is (checked by [`layout_id_clash`] where it is loaded) or
    /// starts with a prefix of [`LAYOUT_PREFIXES`]; and every filter menu of the timeline
    /// (`tl-f-<name>`, found by static/timeline.js) is under the prefix `tl-f-`.
    #[test]
    fn every_template_id_is_reserved() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut seen = 0;
        let mut prefixes = BTreeSet::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices(" id=\"") {
                let rest = &text[i + 5..];
                let id = &rest[..rest.find('"').unwrap()];
                seen += 1;
                match id.find("{{") {
                    None => assert!(
                        LAYOUT_IDS.contains(&id),
                        "{path:?}: `{id}` is not in LAYOUT_IDS"
                    ),
                    // Event ids on the timeline.
                    Some(0) => assert!(
                        ["{{ e.id }}"].contains(&id),
                        "{path:?}: `{id}` is not handled"
                    ),
                    Some(at) => {
                        let prefix = &id[..at];
                        assert!(
                            LAYOUT_PREFIXES.contains(&prefix),
                            "{path:?}: `{id}`: `{prefix}` is not in LAYOUT_PREFIXES"
                        );
                        prefixes.insert(prefix.to_string());
                    }
                }
            }
        }
        // Every reserved prefix is still used (a stale one would refuse ids for nothing).
        let listed: BTreeSet<String> = LAYOUT_PREFIXES.iter().map(|p| p.to_string()).collect();
        assert_eq!(prefixes, listed);
        // The filter menus: `$('#tl-f-' + name)` in static/timeline.js, the prefix the
        // template writes them with.
        let root = env!("CARGO_MANIFEST_DIR");
        let js = std::fs::read_to_string(format!("{root}/static/timeline.js")).unwrap();
        assert!(
            js.contains("'#tl-f-' +"),
            "timeline.js finds no filter menu"
        );
        assert!(filter_id("people").starts_with("tl-f-"));
        assert!(prefixes.contains("tl-f-"));
        // Scripts: `x.id = '…'`.
        let mut scripts = vec![std::path::PathBuf::from(format!(
            "{root}/src/serve/live.js"
        ))];
        for e in std::fs::read_dir(format!("{root}/static")).unwrap() {
            scripts.push(e.unwrap().path());
        }
        for path in scripts
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "js"))
        {
            let text = std::fs::read_to_string(path).unwrap();
            for (i, _) in text.match_indices(".id = '") {
                let rest = &text[i + 7..];
                let id = &rest[..rest.find('\'').unwrap()];
                seen += 1;
                assert!(
                    LAYOUT_IDS.contains(&id),
                    "{path:?}: `{id}` is not in LAYOUT_IDS"
                );
            }
        }
        assert!(seen >= LAYOUT_IDS.len(), "only {seen} ids found");
    }

    #[test]
    fn content_ids_never_clash_with_layout_ids() {
        for id in [
            "main",
            "timeline-data",
            "tl-q",
            "q",
            "search-results",
            // The labels of search.js and timeline.js, in the page's language (`t_json`).
            "search-text",
            "timeline-text",
            "tl-list",
        ] {
            assert_eq!(
                layout_id_clash(id).as_deref(),
                Some("is an id the page layout uses"),
                "{id}"
            );
        }
        for (id, p) in [
            ("h-x", "h-"),
            ("era-alliance", "era-"),
            ("tl-f-x", "tl-f-"),
            ("source-a", "source-"),
            ("chapter-c", "chapter-"),
        ] {
            assert_eq!(
                layout_id_clash(id),
                Some(format!(
                    "starts with `{p}`, a prefix the page layout keeps for its own ids"
                )),
            );
        }
        for id in ["1958-b", "ho-chi-minh", "hanoi", "aid", "mainland", "tags"] {
            assert_eq!(layout_id_clash(id), None, "{id}");
        }
    }

    /// A free page may not take the place of a page or a data file the build makes (a
    /// taxonomy's folder is checked where the site's taxonomies are known: content/load.rs).
    #[test]
    fn free_page_paths_taken_by_the_build_are_named() {
        let taken = |p: &str| taken_by(p).unwrap_or_default();
        assert_eq!(
            taken("timeline"),
            "is the path of a page the build makes with timeline.html"
        );
        assert_eq!(
            taken(""),
            "is the path of a page the build makes with index.html"
        );
        assert_eq!(
            taken("events/x"),
            "is in /events/, the folder where the build puts each event's page (/events/<id>/, made with event.html)"
        );
        assert_eq!(
            taken("chapters"),
            "is the path of a page the build makes with chapters.html"
        );
        assert_eq!(
            taken("chapters/page/2"),
            "is in /chapters/, the folder where the build puts each chapter's page (/chapters/<slug>/, made with chapter.html)"
        );
        assert_eq!(
            taken("print/page/2"),
            "is in /print/page/, the folder where the build puts the numbered pages of /print/ (made with print.html)"
        );
        for free in [
            "print/pages",
            "about",
            "guide/sources",
            "timelines",
            "chapter",
            "search/help",
        ] {
            assert_eq!(taken_by(free), None, "{free}");
        }
        assert_eq!(free_page_path("pages/guide/index.md"), Some("guide"));
        assert_eq!(free_page_path("pages/index.md"), Some(""));
        assert_eq!(free_page_path("pages/a/b.md"), Some("a/b"));
        assert_eq!(free_page_path("chapters/a.md"), None);
        assert_eq!(unloaded_url("pages/guide/index.md", "/b/"), "/b/guide/");
        assert_eq!(unloaded_url("events/x.md", "/b/"), "/b/events/x/");
    }

    #[test]
    fn the_default_language_is_at_the_root_and_the_others_under_their_code() {
        let l = languages(
            "/b/",
            "https://x.org/b/",
            [("en", "English"), ("vi", "Tiếng Việt")],
        );
        assert_eq!(
            (l[0].path.as_str(), l[0].url.as_str()),
            ("/b/", "https://x.org/b/")
        );
        assert_eq!(
            (l[1].path.as_str(), l[1].url.as_str()),
            ("/b/vi/", "https://x.org/b/vi/")
        );
        assert_eq!(Page::Event("x").url(&l[1].path), "/b/vi/events/x/");
        assert_eq!(
            Paged::new(Page::Term("tags", "aid"), 2).url(&l[1].path),
            "/b/vi/tags/aid/page/2/"
        );
        assert_eq!(language_folder("ko", false), "ko/");
        assert_eq!(language_folder("en", true), "");
    }

    #[test]
    fn pages_have_their_paths_files_and_templates() {
        let cases = [
            (Page::Home, "", "index.html", "index.html"),
            (
                Page::Chapter("a"),
                "chapters/a/",
                "chapters/a/index.html",
                "chapter.html",
            ),
            (
                Page::Event("e"),
                "events/e/",
                "events/e/index.html",
                "event.html",
            ),
            (Page::NotFound, "404.html", "404.html", "404.html"),
        ];
        for (page, path, file, template) in cases {
            assert_eq!(page.path(), path);
            assert_eq!(page.file(), file);
            assert_eq!(page.template(), template);
        }
        let term = Page::Term("organisations", "un");
        assert_eq!(term.file(), "organisations/un/index.html");
        assert_eq!(term.template(), "term.html");
        assert_eq!(term.section(), "organisations");
        assert_eq!(Page::Taxonomy("tags").url("/b/"), "/b/tags/");
        assert_eq!(taken_folder("timeline"), Some("a page the site has"));
        assert_eq!(taken_folder("people"), None);
        let free = Page::Free("guide/sources");
        assert_eq!(free.path(), "guide/sources/");
        assert_eq!(free.file(), "guide/sources/index.html");
        assert_eq!(free.template(), "page.html");
        assert_eq!(
            Fragment::Source("s", 1).url("/b/"),
            "/b/sources/#source-s".to_string()
        );
        assert_eq!(
            Fragment::Source("s", source_page(120, 50)).url("/b/"),
            "/b/sources/page/3/#source-s".to_string()
        );
        assert_eq!(Fragment::Source("s", 3).here(), "#source-s");
        assert_eq!(popover_file(1), DataFile::Popovers.file());
        assert_eq!(popover_file(3), "sources/page/3/popovers.json");
        assert_eq!(
            Fragment::OnTimeline("e").url("/b/"),
            "/b/timeline/?event=e".to_string()
        );
        assert_eq!(Fragment::OnTimeline("e").here(), "?event=e");
        assert_eq!(
            content_key(std::path::Path::new("content/events/x.md")),
            "events/x.md"
        );
    }
}
