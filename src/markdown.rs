//! The Markdown stage: turns a [`Source`] into HTML, its table of contents and the facts
//! later stages check (internal links with `#anchors`, citations).
//!
//! CommonMark plus tables, footnotes, strikethrough, heading attributes and smart
//! punctuation, with these additions, all resolved here:
//!
//! * **Headings** get stable ids from their text (`## The 1964 visit` → `the-1964-visit`),
//!   or the one given as `## Title {#custom}`; repeats get `-1`, `-2`.
//! * **Citations** `[@A]` and `[@A; @D]` become links to the sources page; an unknown id is
//!   an error at its line and column.
//! * **Internal links** `@/events/x.md#anchor` become the page's URL; a missing page is an
//!   error here, and the `#anchor` is returned in [`Rendered::links`] to be checked once
//!   every page is rendered. Links starting with `/` get the site's base path.
//! * **Figures**: a fenced block with the language `figure` is drawn as an SVG chart
//!   ([`crate::figure`]); other fenced code is highlighted by syntect with CSS classes.
//! * Raw HTML is kept in bodies and escaped in front-matter strings (`raw_html: false`).

use crate::content::{Source, Span};
use crate::diagnostics::{did_you_mean, Diagnostic};
use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write;
use std::ops::Range;

/// What links resolve against.
pub struct Resolver<'a> {
    /// Content path (`events/x.md`) → URL path.
    pub pages: &'a BTreeMap<String, String>,
    pub base_path: &'a str,
    /// Known source ids.
    pub sources: &'a BTreeSet<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub raw_html: bool,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link checked after rendering: an internal link's `#anchor`, a `/`-rooted link, or an
/// external address. Its place is kept, and a diagnostic made only if the check fails.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    /// The content path (`events/x.md`), the path under the site root, or the address.
    pub target: String,
    pub anchor: String,
    /// The destination as written.
    pub dest: String,
    pub at: Span,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// Every id the HTML defines (headings, footnotes).
    pub ids: HashSet<String>,
    pub links: Vec<AnchorLink>,
    /// Source ids cited, in order of first citation.
    pub cited: Vec<String>,
    /// Content paths this text links to.
    pub links_to: Vec<String>,
    /// `/`-rooted links and images (`/maps/route.svg`), without the base path; each must be
    /// a file the build writes (a page or a file of `static/`), checked after the build.
    pub rooted: Vec<AnchorLink>,
    /// External `http(s)://` links, checked only by `check --external`.
    pub external: Vec<AnchorLink>,
    /// Plain text, without citations (for descriptions, search and JSON).
    pub text: String,
}

/// Turns heading text into an id: lowercase ASCII letters and digits, hyphens between words.
/// Diacritics are dropped (`Trần` → `tran`).
pub fn slugify(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    let mut dash = false;
    for c in text.nfkd() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c == 'đ' || c == 'Đ' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push('d');
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '–' || c == '—' || c == '/'
        {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

/// Renders citations `ids` as a bracketed group of links.
pub fn citation_html(ids: &[String], base_path: &str) -> String {
    let mut s = String::from("<span class=\"cite\">[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let mut eid = String::new();
        escape_html(id, &mut eid);
        let _ = write!(
            s,
            "<a href=\"{base_path}sources/#source-{eid}\" title=\"Source {eid}\">{eid}</a>"
        );
    }
    s.push_str("]</span>");
    s
}

/// Renders one Markdown text. Problems are returned with it; the HTML is still usable.
pub fn render(src: &Source, r: &Resolver, opts: RenderOptions) -> (Rendered, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = Rendered::default();
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
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut next_suffix: std::collections::HashMap<String, usize> = Default::default();
    let mut iter = parser.into_offset_iter().peekable();

    while let Some((ev, range)) = iter.next() {
        match ev {
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                title,
                id,
            }) if dest_url.starts_with("cite:") => {
                let _ = (link_type, title, id);
                // Skip the link's own text: the citation replaces it.
                let mut depth = 1;
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::Start(Tag::Link { .. }) => depth += 1,
                        Event::End(TagEnd::Link) => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let ids = parse_citation(&dest_url["cite:".len()..]);
                let mut ok = Vec::new();
                for id in ids {
                    if r.sources.contains(&id) {
                        if !out.cited.contains(&id) {
                            out.cited.push(id.clone());
                        }
                        ok.push(id);
                    } else {
                        let d =
                            src.diag(range.clone(), format!("unknown source `{id}` in citation"));
                        diags.push(match did_you_mean(&id, r.sources.iter().map(|s| s.as_str())) {
                            Some(h) => d.with_hint(h),
                            None => d.with_hint("cite the [[source]] ids of content/sources.toml, as [@E] or [@A; @D]"),
                        });
                    }
                }
                // The plain text leaves citations out: "relations [E]." reads "relations.".
                while out.text.ends_with(' ') {
                    out.text.pop();
                }
                if !ok.is_empty() {
                    events.push(Event::InlineHtml(CowStr::from(citation_html(
                        &ok,
                        r.base_path,
                    ))));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve(&dest_url, &range, src, r, &mut out, &mut diags);
                let _ = link_type;
                events.push(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve(&dest_url, &range, src, r, &mut out, &mut diags);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for (e, _) in iter.by_ref() {
                    match &e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(e);
                }
                let base = id
                    .as_deref()
                    .map(str::to_string)
                    .unwrap_or_else(|| slugify(&text));
                // Repeats get -1, -2, …; the next free number for each base is remembered
                // so that thousands of "Notes" headings do not count up from 1 every time.
                let mut hid = base.clone();
                let n = next_suffix.entry(base.clone()).or_insert(1);
                while used_ids.contains(&hid) {
                    hid = format!("{base}-{n}");
                    *n += 1;
                }
                used_ids.insert(hid.clone());
                out.toc.push(Heading {
                    level: level_num(level),
                    id: hid.clone(),
                    title: text.clone(),
                });
                out.text.push_str(&text);
                out.text.push('\n');
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(hid)),
                    classes,
                    attrs,
                }));
                // Citations and links inside headings are resolved like elsewhere: rare
                // enough to handle by re-rendering the inner events as they are.
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split([' ', ',']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                let html = if lang == "figure" {
                    let code_offset = src.markdown[range.clone()]
                        .find('\n')
                        .map_or(range.start, |i| range.start + i + 1);
                    match crate::figure::render(&code, r) {
                        Ok((html, cited)) => {
                            for c in cited {
                                if !out.cited.contains(&c) {
                                    out.cited.push(c);
                                }
                            }
                            html
                        }
                        Err((msg, span)) => {
                            let s = code_offset + span.start..code_offset + span.end;
                            diags.push(src.diag(s, msg).with_hint(
                                "see the README's authoring section for the figure format",
                            ));
                            String::new()
                        }
                    }
                } else {
                    crate::highlight::highlight(&code, &lang)
                };
                events.push(Event::Html(CowStr::from(html)));
            }
            Event::FootnoteReference(name) => {
                events.push(Event::FootnoteReference(name));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.ids.insert(format!("{name}"));
                events.push(Event::Start(Tag::FootnoteDefinition(name)));
            }
            Event::Html(h) | Event::InlineHtml(h) if !opts.raw_html => {
                events.push(Event::Text(h));
            }
            Event::Text(t) => {
                out.text.push_str(&t);
                events.push(Event::Text(t));
            }
            Event::SoftBreak | Event::HardBreak => {
                out.text.push(' ');
                events.push(ev);
            }
            Event::End(TagEnd::Paragraph) => {
                out.text.push('\n');
                events.push(ev);
            }
            other => events.push(other),
        }
    }
    out.ids.extend(used_ids);
    out.html.reserve(src.markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out.text = out.text.trim().to_string();
    (out, diags)
}

fn parse_citation(refs: &str) -> Vec<String> {
    refs.split([';', ','])
        .map(|s| s.trim().trim_start_matches('@').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Resolves a link destination: `@/path.md#a` to its page, `/x` under the base path.
fn resolve<'a>(
    dest: &CowStr<'a>,
    range: &Range<usize>,
    src: &Source,
    r: &Resolver,
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    if let Some(rest) = dest.strip_prefix("@/") {
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (rest, None),
        };
        let Some(url) = r.pages.get(path) else {
            let d = src.diag(
                range.clone(),
                format!("broken internal link: `@/{path}` does not exist"),
            );
            diags.push(match did_you_mean(path, r.pages.keys().map(|s| s.as_str())) {
                Some(h) => d.with_hint(h),
                None => d.with_hint("internal links name a file under content/, as @/events/<id>.md or @/chapters/<slug>.md"),
            });
            return dest.clone();
        };
        if !out.links_to.iter().any(|p| p == path) {
            out.links_to.push(path.to_string());
        }
        match anchor {
            Some(a) => {
                out.links.push(AnchorLink {
                    target: path.to_string(),
                    anchor: a.to_string(),
                    dest: dest.to_string(),
                    at: src.span(range.clone()),
                });
                CowStr::from(format!("{url}#{a}"))
            }
            None => CowStr::from(url.clone()),
        }
    } else if dest.starts_with('/') && !dest.starts_with("//") {
        let (path, anchor) = dest[1..].split_once('#').unwrap_or((&dest[1..], ""));
        let path = path.split('?').next().unwrap_or_default();
        out.rooted.push(AnchorLink {
            target: path.to_string(),
            anchor: anchor.to_string(),
            dest: dest.to_string(),
            at: src.span(range.clone()),
        });
        CowStr::from(format!("{}{}", r.base_path, &dest[1..]))
    } else {
        if dest.starts_with("http://") || dest.starts_with("https://") {
            out.external.push(AnchorLink {
                target: dest.to_string(),
                anchor: String::new(),
                dest: dest.to_string(),
                at: src.span(range.clone()),
            });
        }
        dest.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn src(md: &str) -> Source {
        Source {
            path: PathBuf::from("content/chapters/a.md"),
            file: Arc::from(md),
            markdown: md.into(),
            offset: 0,
        }
    }

    fn run(md: &str) -> (Rendered, Vec<Diagnostic>) {
        let mut pages = BTreeMap::new();
        pages.insert("events/e1.md".to_string(), "/repo/events/e1/".to_string());
        let sources: BTreeSet<String> = ["A", "E"].iter().map(|s| s.to_string()).collect();
        let r = Resolver {
            pages: &pages,
            base_path: "/repo/",
            sources: &sources,
        };
        render(&src(md), &r, RenderOptions { raw_html: false })
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
    fn root_links_get_base_path_and_raw_html_is_escaped_when_asked() {
        let (r, _) = run("[t](/timeline/) <script>alert(1)</script>");
        assert!(r.html.contains("href=\"/repo/timeline/\""));
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
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
