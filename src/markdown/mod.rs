//! The Markdown stage: turns a [`Source`] into HTML, its table of contents and the facts
//! later stages check (internal links with `#anchors`, citations).
//!
//! CommonMark plus tables, footnotes, strikethrough, heading ids and smart punctuation,
//! with these additions, all resolved here:
//!
//! * **Headings** in a page's body get stable ids from their text (`## The 1964 visit` →
//!   `the-1964-visit`), or the one given as `## Title {#custom}`; repeats get `-1`, `-2`.
//!   An id the page layout uses ([`crate::routes::LAYOUT_IDS`], and those made from the
//!   content such as `h-<event>` and `chapter-<slug>`: see `reserved_ids`) is never
//!   taken: `## Main` gets `main-1`, and an explicit `{#main}` is an error. Footnote
//!   labels and figures' ids (`fig-<title>`) share the same ids, so no id is written
//!   twice on a page.
//!   Headings in front-matter strings (summaries, `disputed`) get no id, since they are
//!   shown on many pages at once and nothing can link to them; footnotes and figures there
//!   are errors ("footnotes belong in the body"), since their ids would be written once
//!   per summary shown, and could take an event's deep link (`timeline/#1958-b`). Content
//!   ids written as element ids as they are (event ids, on the timeline) are
//!   checked where they are loaded with [`crate::routes::layout_id_clash`]: never a layout
//!   id, never starting with a prefix of the templated ids
//!   ([`crate::routes::LAYOUT_PREFIXES`]). What sits inside a heading (citations, links)
//!   is resolved and checked like anywhere else.
//! * **Heading attributes** other than `{#id}` (`.class`, `key=value`) are errors at their
//!   line and column: the HTML carries only the attributes docsite writes.
//! * **Citations** `[@A]` and `[@A; @D]` become links to the sources page; an unknown id is
//!   an error at its line and column. Where each source is first cited is kept, for the
//!   check that an event's or an entry's `sources` list is in step with its text
//!   (`cite_lists.rs`, run once all is rendered).
//! * **Internal links** `@/events/x.md#anchor` become the page's URL; a missing page is an
//!   error here, and the `#anchor` is returned in [`Rendered::links`] to be checked once
//!   every page is rendered. Links starting with `/` get the site's base path.
//! * **Figures**: a fenced block with the language `figure` is drawn as an SVG chart
//!   (`figure.rs`); other fenced code is highlighted by syntect with CSS classes.
//!   Control characters written as TOML escapes in a figure's strings are errors at the
//!   escape.
//! * **Maps**: a fenced block with the language `map` names places and a title, and is
//!   drawn as an inline SVG map (`map.rs`, drawn by [`crate::maps`]); an unknown place or
//!   one without a point is an error at its line and column.
//! * **Link and image addresses** may be `http:`, `https:` or `mailto:` URLs, relative
//!   paths, `/`-rooted paths, `#anchors` and `@/` links. Any other scheme (`javascript:`,
//!   `data:`, `vbscript:`, …) is an error at its line and column. The scheme is read the
//!   way browsers read it (WHATWG URL): after entities are decoded (pulldown-cmark does
//!   that), leading and trailing spaces and C0 controls trimmed, tabs and newlines
//!   removed, and case folded, so `JaVaScRiPt:` and `&#106;avascript:` are caught too.
//!   A protocol-relative address (`//evil.com`, `/\evil.com`) is an error too: it names
//!   another host without saying so, and would skip the base path and the link checks.
//!   Email autolinks (`<a@b.c>`) are written as `mailto:` links.
//! * **Raw HTML** (`<div>`, `<script>`, `<img onerror=…>`) is never passed through: it is
//!   escaped and shows as text, in bodies and front-matter strings alike, and there is no
//!   switch to let it through. The documentary needs none, and what docsite writes itself
//!   (heading ids, highlighted code, figure SVG, citations, footnotes, tables) is made
//!   here, not by the author; passing HTML through a sanitiser would let an author's ids
//!   collide with the layout's and drop bad URLs silently instead of naming their line.
//! * **Control characters** (C0 other than tab, newline and carriage return, DEL, C1, and
//!   U+FFFE/U+FFFF) are errors at their line and column: they cannot be shown, and they
//!   make the Atom feed invalid XML.
//!
//! One `Renderer` reads the text's events and keeps what is being built; each extension
//! is its methods, in a file of this folder: `citations.rs`, `links.rs` (schemes, `@/`
//! links, base path), `headings.rs` (ids, `{#id}`, toc, footnotes' and figures' ids),
//! `code.rs` (code blocks and figures, drawn by `figure.rs` and `highlight.rs`),
//! `refused.rs` (control characters, raw HTML) and `plain.rs` (the plain text and a
//! body's search sections).

mod citations;
pub(crate) mod cite_lists;
mod code;
mod figure;
mod headings;
pub(crate) mod highlight;
mod links;
mod map;
pub(crate) mod media;
mod plain;
mod refused;
pub(crate) mod shared;
pub(crate) mod stage;
pub(crate) mod translated;
mod words;

pub(crate) use words::Words;

use crate::content::Source;
use crate::diag::Diagnostics;
use crate::diag::Span;
use pulldown_cmark::{BrokenLink, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use thin_vec::ThinVec;

/// What links resolve against.
pub(crate) struct Resolver<'a> {
    /// Content path (`events/x.md`) → URL path.
    pub pages: &'a BTreeMap<String, String>,
    /// The site's root: `/`-rooted links and the media are under it.
    pub base_path: &'a str,
    /// The base of the pages the text is shown among (a language's: `/vi/`), which links
    /// to the sources page start with.
    pub pages_path: &'a str,
    /// Known source ids, each with the number of the sources page that holds it.
    pub sources: &'a BTreeMap<String, usize>,
    /// Ids the page layout writes, which headings and footnotes must not take
    /// (`reserved_ids`).
    pub reserved: &'a HashSet<String>,
    /// The places `map` blocks may show.
    pub places: &'a crate::maps::Places,
    /// The files of `content/media/`, made (none: images are linked as they are).
    pub media: Option<&'a crate::media::Media>,
    /// The words the text's language writes for citations and maps.
    pub words: &'a Words,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RenderOptions {
    /// The text is a front-matter string (a summary, `disputed`): its headings get no id.
    pub front_matter: bool,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A part of a page's body for the search index: the text before its first `<h2>` or
/// `<h3>` (with an empty `id` and `title`), or one such heading and the text up to the
/// next. Title and text are the plain text of their HTML, citations left out, spaces
/// collapsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Section {
    /// The heading's id as the HTML writes it (escaped).
    pub id: String,
    pub title: String,
    pub text: String,
}

/// A link checked after rendering: an internal link's `#anchor`, a `/`-rooted link, or an
/// external address. Its place is kept, and a diagnostic made only if the check fails.
#[derive(Debug, Clone)]
pub struct CheckedLink {
    /// The content path (`events/x.md`), the path under the site root, or the address.
    pub target: String,
    pub anchor: String,
    /// The destination as written.
    pub dest: String,
    pub at: Span,
}

/// A text rendered. Every text's is held until its pages are written (three per event), and
/// most of its lists are empty (a summary has no headings, marks or media): they are
/// `ThinVec`s, one word each and no allocation while empty, not `Vec`s of three.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: ThinVec<Heading>,
    /// Every id the HTML defines (headings, footnotes).
    pub ids: HashSet<String>,
    pub links: ThinVec<CheckedLink>,
    /// Source ids cited, in order of first citation.
    pub cited: ThinVec<String>,
    /// Where each of `cited` is first cited: a byte range of the Markdown (a citation, or
    /// the figure that cites it).
    pub(crate) cited_at: ThinVec<Range<usize>>,
    /// Content paths this text links to.
    pub links_to: ThinVec<String>,
    /// `/`-rooted links and images (`/maps/route.svg`), without the base path; each must be
    /// a file the build writes (a page or a file of `static/`), checked after the build.
    pub rooted: ThinVec<CheckedLink>,
    /// External `http(s)://` links, checked only by `check --external`.
    pub external: ThinVec<CheckedLink>,
    /// Plain text, without citations (for descriptions, search and JSON).
    pub text: String,
    /// Where a body's HTML has its `<h2>`/`<h3>` headings and its citations, for its
    /// search sections ([`Rendered::sections`]); empty for front-matter strings.
    pub(crate) marks: ThinVec<plain::Mark>,
    /// The files of `content/media/` the text shows (`@/media/…`).
    pub media: ThinVec<String>,
}

impl Rendered {
    /// Gives back the room its buffers grew into: every text's result is held until its
    /// pages are written, and the HTML's reserve alone is half its size again
    /// ([`crate::mem`]: `shrink_to_fit` would leave it where it is).
    fn shrink(&mut self) {
        use crate::mem::{exact, exact_thin};
        use std::mem::take;
        self.html = exact(take(&mut self.html));
        self.text = exact(take(&mut self.text));
        self.toc = exact_thin(take(&mut self.toc));
        self.links = exact_thin(take(&mut self.links));
        self.cited = exact_thin(take(&mut self.cited));
        self.cited_at = exact_thin(take(&mut self.cited_at));
        self.links_to = exact_thin(take(&mut self.links_to));
        self.rooted = exact_thin(take(&mut self.rooted));
        self.external = exact_thin(take(&mut self.external));
        self.marks = exact_thin(take(&mut self.marks));
        self.media = exact_thin(take(&mut self.media));
    }
}

fn options() -> Options {
    // Heading attributes are parsed so that `{#id}` works and anything else is reported.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one Markdown text. Problems go to `diags`; the HTML is still usable.
pub(crate) fn render(
    src: &Source,
    r: &Resolver,
    opts: RenderOptions,
    diags: &mut Diagnostics,
) -> Rendered {
    let mut callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        let reference = link.reference.trim();
        if reference.starts_with('@') && !reference.starts_with("@/") {
            Some((CowStr::from(format!("cite:{reference}")), CowStr::from("")))
        } else {
            None
        }
    };
    let parser =
        Parser::new_with_broken_link_callback(&src.markdown, options(), Some(&mut callback));
    let mut renderer = Renderer::new(src, r, opts);
    renderer.control_characters();
    let mut iter = parser.into_offset_iter();
    while let Some((ev, range)) = iter.next() {
        renderer.event(ev, range, &mut iter);
    }
    renderer.finish(diags)
}

/// The events of the text, with their byte ranges in `src.markdown`.
trait Events<'s>: Iterator<Item = (Event<'s>, Range<usize>)> {}
impl<'s, I: Iterator<Item = (Event<'s>, Range<usize>)>> Events<'s> for I {}

/// A heading being read: where its start is in the events, the id it was given, its text.
#[derive(Default)]
struct OpenHeading<'s> {
    at: usize,
    given: Option<CowStr<'s>>,
    text: String,
}

/// One text being rendered: it reads pulldown-cmark's events, one method per extension
/// (in the files of this folder), and builds the events to write as HTML, the facts
/// later stages check, and the problems found.
struct Renderer<'s, 'r> {
    src: &'s Source,
    r: &'r Resolver<'r>,
    opts: RenderOptions,
    out: Rendered,
    diags: Diagnostics,
    /// The events to write as HTML.
    events: Vec<Event<'s>>,
    /// Where in `events` the citations are (a body's search sections leave them out).
    cites: Vec<usize>,
    /// Ids taken on the page (headings, footnotes, figures).
    used_ids: HashSet<String>,
    /// The next free number for each id's base (see [`Renderer::take_id`]).
    next_suffix: HashMap<String, usize>,
    open_heading: Option<OpenHeading<'s>>,
    /// Footnote label → its id (labels share the ids of headings).
    footnote_ids: HashMap<String, String>,
    /// Where in `events` the paragraph being read starts.
    para: Option<usize>,
    /// The figure being written (`media.rs`).
    figure: Option<media::OpenFigure>,
}

impl<'s, 'r> Renderer<'s, 'r> {
    fn new(src: &'s Source, r: &'r Resolver<'r>, opts: RenderOptions) -> Self {
        Renderer {
            src,
            r,
            opts,
            out: Rendered::default(),
            diags: Diagnostics::default(),
            events: Vec::new(),
            cites: Vec::new(),
            used_ids: HashSet::new(),
            next_suffix: HashMap::new(),
            open_heading: None,
            footnote_ids: HashMap::new(),
            para: None,
            figure: None,
        }
    }

    /// Hands one event to the method of its extension; the others are written as they are.
    fn event(&mut self, ev: Event<'s>, range: Range<usize>, iter: &mut impl Events<'s>) {
        match ev {
            Event::Start(Tag::Link { ref dest_url, .. }) if dest_url.starts_with("cite:") => {
                self.citation(&dest_url["cite:".len()..], range, iter);
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if dest_url.starts_with(media::PREFIX) => {
                self.media_image(dest_url, title, range, iter)
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => self.link(tag, range),
            Event::Start(Tag::Paragraph) => {
                self.para = Some(self.events.len());
                self.events.push(ev);
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.heading_start(level, id, &classes, &attrs, range),
            Event::End(TagEnd::Heading(level)) => self.heading_end(level),
            Event::Code(t) if self.open_heading.is_some() => self.heading_code(t),
            Event::Start(Tag::CodeBlock(kind)) => self.code_block(kind, range, iter),
            Event::FootnoteReference(name) => {
                let fid = self.footnote_id(&name, &range);
                self.events.push(Event::FootnoteReference(fid));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let fid = self.footnote_id(&name, &range);
                self.events.push(Event::Start(Tag::FootnoteDefinition(fid)));
            }
            Event::Html(h) | Event::InlineHtml(h) => self.raw_html(h),
            Event::Text(t) => self.text(t),
            Event::SoftBreak | Event::HardBreak if self.figure_break() => {}
            Event::SoftBreak | Event::HardBreak => self.line_break(ev),
            Event::End(TagEnd::Paragraph) if self.figure_end() => {}
            Event::End(TagEnd::Paragraph) => self.paragraph_end(ev),
            other => self.events.push(other),
        }
    }

    /// Writes the HTML (and, for a body, marks its sections), moves the problems found to
    /// `diags` and hands back what was built.
    fn finish(mut self, diags: &mut Diagnostics) -> Rendered {
        self.out.ids.extend(self.used_ids);
        self.out.html.reserve(self.src.markdown.len() * 3 / 2);
        if self.opts.front_matter {
            pulldown_cmark::html::push_html(&mut self.out.html, self.events.into_iter());
        } else {
            self.out.marks = plain::write_html(&mut self.out.html, self.events, &self.cites).into();
        }
        self.out.text = self.out.text.trim().to_string();
        diags.extend(self.diags.0);
        self.out.shrink();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;
    use crate::text::{is_protocol_relative, slugify, url_scheme};
    use std::path::PathBuf;
    use std::sync::Arc;

    fn src(md: &str) -> Source {
        Source {
            path: PathBuf::from("content/chapters/a.md"),
            file: Arc::from(md),
            markdown: md.into(),
            offset: 0,
            headings: None,
        }
    }

    pub(super) fn run(md: &str) -> (Rendered, Vec<Diagnostic>) {
        run_as(md, false)
    }

    /// Each problem's message, line and column.
    fn places(d: &[Diagnostic]) -> Vec<(&str, usize, usize)> {
        d.iter()
            .map(|d| (d.message.as_str(), d.line, d.col))
            .collect()
    }

    fn run_as(md: &str, front_matter: bool) -> (Rendered, Vec<Diagnostic>) {
        let reserved: HashSet<String> = ["main", "h-e1"].iter().map(|s| s.to_string()).collect();
        let mut pages = BTreeMap::new();
        pages.insert("events/e1.md".to_string(), "/repo/events/e1/".to_string());
        let sources: BTreeMap<String, usize> = [("A", 1), ("E", 1)]
            .iter()
            .map(|&(s, n)| (s.to_string(), n))
            .collect();
        let r = Resolver {
            pages: &pages,
            base_path: "/repo/",
            pages_path: "/repo/",
            sources: &sources,
            reserved: &reserved,
            places: &crate::maps::Places::default(),
            media: None,
            words: &Words::english(),
        };
        let mut d = Diagnostics::default();
        let rendered = render(&src(md), &r, RenderOptions { front_matter }, &mut d);
        (rendered, d.0)
    }

    #[test]
    fn slugs_are_stable_and_ascii() {
        assert_eq!(slugify("The 1964 visit"), "the-1964-visit");
        assert_eq!(
            slugify("Trần Đại Quang's statement!"),
            "tran-dai-quangs-statement"
        );
        assert_eq!(slugify("??"), "section");
    }

    #[test]
    fn headings_get_unique_ids_and_toc() {
        let (r, d) = run("## Aid\n\n## Aid\n\n### Pilots {#pilots}\n");
        assert!(d.is_empty());
        assert!(r.html.contains("<h2 id=\"aid\">Aid</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"aid-1\">"));
        assert_eq!(
            r.toc.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["aid", "aid-1", "pilots"]
        );
    }

    #[test]
    fn citations_link_to_sources_and_unknown_ids_are_errors() {
        let (r, d) = run("Fact [@A; @E].\n\nOther [@Q].\n");
        assert!(
            r.html.contains("<a href=\"/repo/sources/#source-A\""),
            "{}",
            r.html
        );
        assert_eq!(r.cited, ["A", "E"]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "unknown source `Q` in citation");
        assert_eq!((d[0].line, d[0].col), (3, 7));
    }

    #[test]
    fn internal_links_resolve_or_fail_with_position() {
        let (r, d) = run("See [x](@/events/e1.md#top) and\n[y](@/events/e2.md).\n");
        assert!(r.html.contains("href=\"/repo/events/e1/#top\""));
        assert_eq!(r.links[0].anchor, "top");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "broken internal link: `@/events/e2.md` does not exist"
        );
        assert_eq!((d[0].line, d[0].col), (2, 1));
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `events/e1.md`?"));
    }

    #[test]
    fn root_links_get_base_path_and_raw_html_is_escaped() {
        let (r, _) = run("[t](/timeline/) <script>alert(1)</script>");
        assert!(r.html.contains("href=\"/repo/timeline/\""));
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
    }

    #[test]
    fn headings_never_take_a_layout_id() {
        let (r, d) = run("## Main\n\n## Main\n\n## H e1\n\nx[^main]\n\n[^main]: n\n");
        assert!(d.is_empty(), "{d:?}");
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "main-2", "h-e1-1"]);
        assert!(!r.html.contains("id=\"main\""), "{}", r.html);
        assert!(r.html.contains("id=\"main-3\""), "{}", r.html);
        let (_, d) = run("## Top {#main}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "heading id `main` is an id the page layout uses"
        );
        assert_eq!((d[0].line, d[0].col), (1, 9));
    }

    /// What sits inside a heading goes through the same checks as anywhere else (it was
    /// once copied as it was: a `javascript:` link and raw `cite:` links got through).
    #[test]
    fn links_and_citations_inside_headings_are_resolved_and_checked() {
        let (r, d) =
            run("## Aid [@E] to [x](@/events/e1.md) `code`\n\n## [y](javascript:alert(1))\n");
        assert!(r.html.contains("<h2 id=\"aid-to-x-code\">"), "{}", r.html);
        assert!(
            r.html.contains("href=\"/repo/sources/#source-E\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/repo/events/e1/\""), "{}", r.html);
        assert!(
            !r.html.contains("cite:") && !r.html.contains("javascript:"),
            "{}",
            r.html
        );
        assert_eq!(r.cited, ["E"]);
        assert_eq!(r.toc[0].title, "Aid  to x code");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (3, 4));
    }

    #[test]
    fn figures_share_the_ids_of_headings() {
        let fig = "```figure\ntitle = \"Aid\"\nunit = \"u\"\nsources = [\"E\"]\nbars = [[\"1966\", 1.0]]\n```\n";
        let (r, d) = run(&format!("## Fig aid\n\n{fig}\n{fig}"));
        assert!(d.is_empty(), "{d:?}");
        for id in [
            "fig-aid",
            "fig-aid-1",
            "fig-aid-2",
            "fig-aid-1-cap",
            "fig-aid-2-cap",
        ] {
            assert_eq!(
                r.html.matches(&format!("id=\"{id}\"")).count(),
                1,
                "{id}: {}",
                r.html
            );
        }
        assert!(
            r.html.contains("aria-labelledby=\"fig-aid-2\""),
            "{}",
            r.html
        );
        assert!(!r.html.contains("id=\"fig-aid-cap\""), "{}", r.html);
    }

    #[test]
    fn only_the_id_heading_attribute_is_kept() {
        let (r, d) = run("# x {autofocus tabindex=0 onfocus=alert(1)}\n\n## y {.big #yy}\n");
        let msgs = places(&d);
        assert_eq!(
            msgs,
            [
                ("heading attribute `autofocus` is not allowed", 1, 6),
                ("heading attribute `tabindex` is not allowed", 1, 16),
                ("heading attribute `onfocus` is not allowed", 1, 27),
                ("heading class `.big` is not allowed", 3, 7),
            ]
        );
        assert!(!r.html.contains("onfocus"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"yy\">y</h2>"), "{}", r.html);
    }

    #[test]
    fn front_matter_headings_get_no_id() {
        let (r, d) = run_as("# Main\n\ntext", true);
        assert!(d.is_empty());
        assert!(r.html.contains("<h1>Main</h1>"), "{}", r.html);
        assert!(r.toc.is_empty());
        let (_, d) = run_as("# A {#a}", true);
        assert_eq!(d[0].message, "heading id `a` in a front-matter string");
    }

    #[test]
    fn script_urls_are_errors_however_written() {
        for (md, shown) in [
            ("[x](javascript:alert(1))", "javascript:alert(1)"),
            ("<javascript:alert(1)>", "javascript:alert(1)"),
            ("[x](JaVaScRiPt:alert(1))", "JaVaScRiPt:alert(1)"),
            ("[x](&#106;avascript:alert(1))", "javascript:alert(1)"),
            ("[x](<java\tscript:alert(1)>)", "java\\tscript:alert(1)"),
            ("[x](&#x20;data:text/html,x)", " data:text/html,x"),
            ("![x](vbscript:x)", "vbscript:x"),
        ] {
            let (r, d) = run(md);
            assert_eq!(d.len(), 1, "{md}: {d:?}");
            assert!(
                d[0].message
                    .contains(&format!("address `{shown}` uses the scheme")),
                "{md}: {}",
                d[0].message
            );
            assert_eq!((d[0].line, d[0].col), (1, 1), "{md}");
            for attr in ["href=\"", "src=\""] {
                for (i, _) in r.html.match_indices(attr) {
                    assert!(
                        r.html[i + attr.len()..].starts_with("#\""),
                        "{md}: {}",
                        r.html
                    );
                }
            }
        }
        let (_, d) = run("[a](https://x.org) [b](mailto:a@b.c) [c](#top) [d](x/y.svg) <a@b.c>");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            url_scheme(" \u{1}JAVA\nscript:x"),
            Some("javascript".into())
        );
        assert_eq!(url_scheme("/a:b"), None);
        assert_eq!(url_scheme("1a:b"), None);
    }

    #[test]
    fn email_autolinks_keep_mailto() {
        let (r, d) = run("Write to <a@b.c> or [me](mailto:m@b.c).");
        assert!(d.is_empty(), "{d:?}");
        assert!(
            r.html.contains("<a href=\"mailto:a@b.c\">a@b.c</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"mailto:m@b.c\""), "{}", r.html);
        let (r, _) = run("<https://x.org/a>");
        assert!(
            r.html.contains("<a href=\"https://x.org/a\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn protocol_relative_addresses_are_errors() {
        for md in [
            "[a](//evil.com)",
            "![a](//evil.com/x.png)",
            "[a](/\\evil.com)",
            "[a](\\\\/evil.com)",
            "[a](&#x20;//evil.com)",
            "[a](<\t//evil.com>)",
        ] {
            let (r, d) = run(md);
            assert_eq!(d.len(), 1, "{md}: {d:?}");
            assert!(
                d[0].message.contains("is protocol-relative"),
                "{md}: {}",
                d[0].message
            );
            assert_eq!((d[0].line, d[0].col), (1, 1), "{md}");
            assert!(!r.html.contains("evil"), "{md}: {}", r.html);
        }
        let (_, d) = run("x\n\nsee [b](//evil.com).");
        assert_eq!((d[0].line, d[0].col), (3, 5));
        assert_eq!(
            d[0].hint.as_deref(),
            Some("write the scheme: https://…; links within the site start with a single /")
        );
        assert!(!is_protocol_relative("/a//b"));
        assert!(!is_protocol_relative("a//b"));
        assert!(!is_protocol_relative("https://x.org"));
    }

    #[test]
    fn raw_html_is_text_in_bodies_too() {
        let (r, _) = run_as(
            "<img src=x onerror=alert(1)>\n\n<div onclick=x>y</div>\n",
            false,
        );
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(!r.html.contains("<div"), "{}", r.html);
    }

    #[test]
    fn control_characters_are_errors_where_written() {
        let (_, d) = run("a\u{1}b\n\nc\u{7f}\u{fffe}");
        let at = places(&d);
        assert_eq!(
            at,
            [
                ("control character U+0001 is not allowed", 1, 2),
                ("control character U+007F is not allowed", 3, 2),
                ("control character U+FFFE is not allowed", 3, 3),
            ]
        );
        // In a TOML string the character comes from an escape, which is what is shown.
        let file = "+++\nsummary = \"x \\u0001 y \\b\"\n+++\n";
        let s = Source {
            path: PathBuf::from("content/chapters/a.md"),
            file: Arc::from(file),
            markdown: "x \u{1} y \u{8}".into(),
            offset: file.find("x ").unwrap(),
            headings: None,
        };
        let sources = BTreeMap::new();
        let pages = BTreeMap::new();
        let reserved = HashSet::new();
        let r = Resolver {
            pages: &pages,
            base_path: "/",
            pages_path: "/",
            sources: &sources,
            reserved: &reserved,
            places: &crate::maps::Places::default(),
            media: None,
            words: &Words::english(),
        };
        let mut d = Diagnostics::default();
        render(&s, &r, RenderOptions { front_matter: true }, &mut d);
        let at: Vec<_> = d.0.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(at, [(2, 14), (2, 23)]);
    }

    #[test]
    fn footnotes_and_figures_are_refused_in_front_matter() {
        let (_, d) = run_as("x[^1958-b]\n\n[^1958-b]: taken", true);
        let got = places(&d);
        assert_eq!(
            got,
            [
                ("footnote `[^1958-b]` in a front-matter string", 1, 2),
                ("footnote `[^1958-b]` in a front-matter string", 3, 1),
            ]
        );
        assert!(d[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("footnotes belong in the body"));
        let fig = "a\n\n```figure\ntitle = \"Aid\"\nunit = \"u\"\nsources = [\"E\"]\nbars = [[\"1966\", 1.0]]\n```\n";
        let (r, d) = run_as(fig, true);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "a figure in a front-matter string");
        assert_eq!((d[0].line, d[0].col), (3, 1));
        assert!(!r.html.contains("id="), "{}", r.html);
        // In a body both are fine.
        let (_, d) = run_as(&format!("x[^1]\n\n[^1]: n\n\n{fig}"), false);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn control_character_escapes_in_figures_are_errors_where_written() {
        let fig = "a\n\n```figure\ntitle = \"Aid\\u0001\"\nunit = \"u\\b\"\nsources = [\"E\"]\nbars = [[\"19\\u007f66\", 1.0]]\nnote = \"\\u001B\"\n```\n";
        let (_, d) = run(fig);
        let got = places(&d);
        assert_eq!(
            got,
            [
                ("control character U+0001 is not allowed", 4, 13),
                ("control character U+0008 is not allowed", 5, 10),
                ("control character U+007F is not allowed", 7, 13),
                ("control character U+001B is not allowed", 8, 9),
            ]
        );
        // Inside a quote the block's lines carry `> `: reported at its fence.
        let quoted = "> ```figure\n> title = \"A\\u0001\"\n> unit = \"u\"\n> sources = [\"E\"]\n> bars = [[\"1\", 1.0]]\n> ```\n";
        let (_, d) = run(quoted);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].message.as_str(), d[0].line, d[0].col),
            ("control character U+0001 is not allowed", 1, 3)
        );
    }

    #[test]
    fn extensions_are_on() {
        let (r, _) = run("| a |\n|---|\n| b |\n\n~~x~~ \"q\" x[^1]\n\n[^1]: note\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("“q”"));
        assert!(r.html.contains("footnote-definition"));
    }
}
