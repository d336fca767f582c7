//! The Markdown stage: turns a [`Source`] into HTML, its table of contents and the facts
//! later stages check (internal links with `#anchors`, citations).
//!
//! CommonMark plus tables, footnotes, strikethrough, heading ids and smart punctuation,
//! with these additions, all resolved here:
//!
//! * **Headings** in a page's body get stable ids from their text (`## The 1964 visit` →
//!   `the-1964-visit`), or the one given as `## Title {#custom}`; repeats get `-1`, `-2`.
//!   An id the page layout uses ([`LAYOUT_IDS`], and those made from the content such as
//!   `h-<event>` and `chapter-<slug>`: see [`reserved_ids`]) is never taken: `## Main`
//!   gets `main-1`, and an explicit `{#main}` is an error. Footnote labels and figures'
//!   ids (`fig-<title>`) share the same ids, so no id is written twice on a page.
//!   Headings in front-matter strings (summaries, `disputed`) get no id, since they are
//!   shown on many pages at once and nothing can link to them; footnotes and figures there
//!   are errors ("footnotes belong in the body"), since their ids would be written once
//!   per summary shown, and could take an event's deep link (`timeline/#1958-b`). Content
//!   ids written as element ids as they are (events, people, places, tag slugs) are
//!   checked where they are loaded with [`layout_id_clash`]: never a layout id, never
//!   starting with a prefix of the templated ids ([`LAYOUT_PREFIXES`]). What sits inside a heading
//!   (citations, links) is resolved and checked like anywhere else.
//! * **Heading attributes** other than `{#id}` (`.class`, `key=value`) are errors at their
//!   line and column: the HTML carries only the attributes docsite writes.
//! * **Citations** `[@A]` and `[@A; @D]` become links to the sources page; an unknown id is
//!   an error at its line and column.
//! * **Internal links** `@/events/x.md#anchor` become the page's URL; a missing page is an
//!   error here, and the `#anchor` is returned in [`Rendered::links`] to be checked once
//!   every page is rendered. Links starting with `/` get the site's base path.
//! * **Figures**: a fenced block with the language `figure` is drawn as an SVG chart
//!   ([`crate::markdown::figure`]); other fenced code is highlighted by syntect with CSS classes.
//!   Control characters written as TOML escapes in a figure's strings are errors at the
//!   escape.
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

pub mod figure;
pub mod highlight;
pub mod stage;

use crate::content::Source;
use crate::diag::Span;
use crate::diag::{did_you_mean, Diagnostic};
use crate::text::{
    escape_html, escape_span, is_protocol_relative, is_refused_char, slugify,
    toml_control_characters, url_scheme, ALLOWED_SCHEMES,
};
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
    /// Ids the page layout writes, which headings and footnotes must not take
    /// ([`reserved_ids`]).
    pub reserved: &'a HashSet<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// The text is a front-matter string (a summary, `disputed`): its headings get no id.
    pub front_matter: bool,
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

fn options() -> Options {
    // Heading attributes are parsed so that `{#id}` works and anything else is reported.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Where in `src.markdown` the `nth` refused character (`c`, at byte `at` of the text)
/// was written. A body is the file's text itself; a TOML string's characters come from
/// escapes (`\u0001`, `\b`, …), found in the file from the string's start.
fn refused_char_span(src: &Source, at: usize, c: char, nth: usize) -> Range<usize> {
    if src.file.get(src.offset..src.offset + src.markdown.len()) == Some(&*src.markdown) {
        return at..at + c.len_utf8();
    }
    let from = src.offset.min(src.file.len());
    escape_span(&src.file[from..], nth).unwrap_or(0..0)
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
            "<a href=\"{}\" title=\"Source {eid}\">{eid}</a>",
            crate::routes::Fragment::Source(&eid).url(base_path)
        );
    }
    s.push_str("]</span>");
    s
}

/// Renders one Markdown text. Problems are returned with it; the HTML is still usable.
pub fn render(src: &Source, r: &Resolver, opts: RenderOptions) -> (Rendered, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = Rendered::default();
    let refused = src
        .markdown
        .char_indices()
        .filter(|(_, c)| is_refused_char(*c));
    for (nth, (at, c)) in refused.enumerate() {
        let span = refused_char_span(src, at, c, nth);
        diags.push(
            src.diag(
                span,
                format!("control character U+{:04X} is not allowed", c as u32),
            )
            .with_hint(
                "remove it: it cannot be shown, and it would make the Atom feed invalid XML",
            ),
        );
    }
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
    // A free id for `base`: itself, or with -1, -2, …; never a layout id. The next free
    // number for each base is remembered so that thousands of "Notes" headings do not
    // count up from 1 every time.
    let mut take_id = |base: &str, used: &mut HashSet<String>| -> String {
        let mut id = base.to_string();
        let n = next_suffix.entry(base.to_string()).or_insert(1);
        while used.contains(&id) || r.reserved.contains(&id) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        used.insert(id.clone());
        id
    };
    // The heading being read: where its start is in `events`, the id it was given, its text.
    let mut open_heading: Option<(usize, Option<CowStr>, String)> = None;
    // Footnote label → its id (labels share the ids of headings).
    let mut footnote_ids: std::collections::HashMap<String, String> = Default::default();
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
                let dest = if scheme_allowed(&dest_url, "link", &range, src, &mut diags) {
                    resolve(&dest_url, &range, src, r, &mut out, &mut diags)
                } else {
                    CowStr::from("#")
                };
                // An email autolink `<a@b.c>` keeps its type, which writes `mailto:`;
                // every other kind is written as an inline link to its resolved address.
                let link_type = match link_type {
                    LinkType::Email => LinkType::Email,
                    _ => LinkType::Inline,
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
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
                let dest = if scheme_allowed(&dest_url, "image", &range, src, &mut diags) {
                    resolve(&dest_url, &range, src, r, &mut out, &mut diags)
                } else {
                    CowStr::from("#")
                };
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
                heading_attributes(src, &range, &classes, &attrs, &mut diags);
                if let Some(given) = &id {
                    if opts.front_matter {
                        diags.push(
                            src.diag(
                                attribute_span(src, &range, &format!("#{given}")),
                                format!("heading id `{given}` in a front-matter string"),
                            )
                            .with_hint("only headings in a page's body get ids; remove the {#…}"),
                        );
                    } else if r.reserved.contains(given.as_ref()) {
                        diags.push(
                            src.diag(
                                attribute_span(src, &range, &format!("#{given}")),
                                format!("heading id `{given}` is an id the page layout uses"),
                            )
                            .with_hint("choose another id: the templates already write this one"),
                        );
                    }
                }
                // The id comes from the heading's text, known at its end; what is inside
                // (citations, links, raw HTML) goes through this loop like anywhere else.
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                open_heading = Some((events.len() - 1, id, String::new()));
            }
            Event::End(TagEnd::Heading(level)) => {
                let (at, given, text) = open_heading.take().unwrap_or_default();
                if !opts.front_matter {
                    let base = given
                        .as_deref()
                        .map(str::to_string)
                        .unwrap_or_else(|| slugify(&text));
                    let hid = take_id(&base, &mut used_ids);
                    out.toc.push(Heading {
                        level: level_num(level),
                        id: hid.clone(),
                        title: text,
                    });
                    if let Some(Event::Start(Tag::Heading { id, .. })) = events.get_mut(at) {
                        *id = Some(CowStr::from(hid));
                    }
                }
                out.text.push('\n');
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Code(t) if open_heading.is_some() => {
                if let Some((_, _, text)) = &mut open_heading {
                    text.push_str(&t);
                }
                out.text.push_str(&t);
                events.push(Event::Code(t));
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
                let html = if lang == "figure" && opts.front_matter {
                    diags.push(
                        src.diag(range.start..(range.start + 3).min(range.end), "a figure in a front-matter string")
                            .with_hint("figures belong in the body: a summary is shown on many pages at once, and the figure's ids would be written on each"),
                    );
                    String::new()
                } else if lang == "figure" {
                    let code_offset = src.markdown[range.clone()]
                        .find('\n')
                        .map_or(range.start, |i| range.start + i + 1);
                    diags.extend(figure_control_characters(src, &code, code_offset, &range));
                    match crate::markdown::figure::render(&code, r) {
                        Ok((html, cited)) => {
                            for c in cited {
                                if !out.cited.contains(&c) {
                                    out.cited.push(c);
                                }
                            }
                            if opts.front_matter {
                                html
                            } else {
                                // The figure's ids (`fig-<title>`, `fig-<title>-cap`) share
                                // the ids of headings: two figures with one title, or a
                                // heading "Fig …", get -1, -2.
                                figure_ids(html, |base| {
                                    let id = take_id(base, &mut used_ids);
                                    used_ids.insert(format!("{id}-cap"));
                                    id
                                })
                            }
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
                    crate::markdown::highlight::highlight(&code, &lang)
                };
                events.push(Event::Html(CowStr::from(html)));
            }
            Event::FootnoteReference(name) => {
                if opts.front_matter {
                    diags.push(front_matter_footnote(src, &range, &name));
                }
                let fid = footnote_ids
                    .entry(name.to_string())
                    .or_insert_with(|| take_id(&name, &mut used_ids))
                    .clone();
                events.push(Event::FootnoteReference(CowStr::from(fid)));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                if opts.front_matter {
                    diags.push(front_matter_footnote(src, &range, &name));
                }
                let fid = footnote_ids
                    .entry(name.to_string())
                    .or_insert_with(|| take_id(&name, &mut used_ids))
                    .clone();
                events.push(Event::Start(Tag::FootnoteDefinition(CowStr::from(fid))));
            }
            // Raw HTML is shown as text, never passed through.
            Event::Html(h) | Event::InlineHtml(h) => {
                events.push(Event::Text(h));
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = &mut open_heading {
                    text.push_str(&t);
                }
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

/// A footnote (reference or definition) in a front-matter string: refused, since a summary
/// is shown on many pages at once (its note's id would be written on each, and could take
/// over an event's deep link such as `timeline/#1958-b`).
fn front_matter_footnote(src: &Source, range: &Range<usize>, name: &str) -> Diagnostic {
    src.diag(
        range.start..(range.start + name.len() + 3).min(range.end),
        format!("footnote `[^{name}]` in a front-matter string"),
    )
    .with_hint("footnotes belong in the body: a summary is shown on many pages at once, and its notes' ids would be written on each")
}

/// Control characters written as TOML escapes in a figure's block (`title`, `unit`, bar
/// labels, `note`), each an error at its escape, as in front matter (raw ones are found
/// with the rest of the body). The block's text is found in the file where it was
/// written; a block whose lines carry a prefix (inside a quote or a list) is reported at
/// its fence.
fn figure_control_characters(
    src: &Source,
    code: &str,
    code_offset: usize,
    range: &Range<usize>,
) -> Vec<Diagnostic> {
    if !code.contains('\\') {
        return Vec::new();
    }
    let abs = src.offset + code_offset;
    if src.file.get(abs..abs + code.len()) == Some(code) {
        return toml_control_characters(&src.path, &src.file, abs..abs + code.len(), &[]);
    }
    let found = toml_control_characters(&src.path, code, 0..code.len(), &[]);
    found
        .first()
        .map(|d| {
            src.diag(range.start..(range.start + 3).min(range.end), d.message.clone())
                .with_hint("remove it from the figure: it cannot be shown, and it would make the Atom feed invalid XML")
        })
        .into_iter()
        .collect()
}

/// Gives a figure's HTML the id `take` returns for the one it was made with.
fn figure_ids(html: String, mut take: impl FnMut(&str) -> String) -> String {
    let Some(start) = html.find("<title id=\"").map(|i| i + 11) else {
        return html;
    };
    let Some(len) = html[start..].find('"') else {
        return html;
    };
    let old = html[start..start + len].to_string();
    let new = take(&old);
    if new == old {
        return html;
    }
    html.replace(&format!("\"{old}\""), &format!("\"{new}\""))
        .replace(&format!("\"{old}-cap\""), &format!("\"{new}-cap\""))
}

/// Reports every heading attribute but `{#id}`: classes and `key=value` pairs.
fn heading_attributes(
    src: &Source,
    range: &Range<usize>,
    classes: &[CowStr],
    attrs: &[(CowStr, Option<CowStr>)],
    diags: &mut Vec<Diagnostic>,
) {
    let hint = "docsite writes a heading's attributes itself; only an id may be given, as `## Title {#id}`";
    for c in classes {
        diags.push(
            src.diag(
                attribute_span(src, range, &format!(".{c}")),
                format!("heading class `.{c}` is not allowed"),
            )
            .with_hint(hint),
        );
    }
    for (k, _) in attrs {
        diags.push(
            src.diag(
                attribute_span(src, range, k),
                format!("heading attribute `{k}` is not allowed"),
            )
            .with_hint(hint),
        );
    }
}

/// Where `needle` is written in the `{…}` block of the heading at `range` (the heading's
/// start if it cannot be found).
fn attribute_span(src: &Source, range: &Range<usize>, needle: &str) -> Range<usize> {
    let text = &src.markdown[range.clone()];
    let brace = text.rfind('{').unwrap_or(0);
    match text[brace..].find(needle) {
        Some(i) => range.start + brace + i..range.start + brace + i + needle.len(),
        None => range.start..range.start,
    }
}

/// Refuses a link or image address with a scheme other than http, https and mailto.
fn scheme_allowed(
    dest: &str,
    what: &str,
    range: &Range<usize>,
    src: &Source,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if is_protocol_relative(dest) {
        diags.push(
            src.diag(
                range.clone(),
                format!(
                    "{what} address `{}` is protocol-relative: it names another host",
                    dest.escape_debug()
                ),
            )
            .with_hint("write the scheme: https://…; links within the site start with a single /"),
        );
        return false;
    }
    let Some(scheme) = url_scheme(dest) else {
        return true;
    };
    if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
        return true;
    }
    diags.push(
        src.diag(
            range.clone(),
            format!(
                "{what} address `{}` uses the scheme `{scheme}:`, which is not allowed",
                dest.escape_debug()
            ),
        )
        .with_hint("use https://, http:// or mailto: addresses, paths, #anchors or @/ links"),
    );
    false
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
    #[allow(unused_imports)]
    use crate::routes::*;
    #[allow(unused_imports)]
    use crate::text::*;
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
        let sources: BTreeSet<String> = ["A", "E"].iter().map(|s| s.to_string()).collect();
        let r = Resolver {
            pages: &pages,
            base_path: "/repo/",
            sources: &sources,
            reserved: &reserved,
        };
        render(&src(md), &r, RenderOptions { front_matter })
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
        };
        let sources = BTreeSet::new();
        let pages = BTreeMap::new();
        let reserved = HashSet::new();
        let r = Resolver {
            pages: &pages,
            base_path: "/",
            sources: &sources,
            reserved: &reserved,
        };
        let (_, d) = render(&s, &r, RenderOptions { front_matter: true });
        let at: Vec<_> = d.iter().map(|d| (d.line, d.col)).collect();
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
