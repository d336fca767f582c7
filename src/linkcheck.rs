//! The link checker of `check`: reads the HTML a build produced (in memory) and finds every
//! internal `href`/`src` that names no file of the site, every `#anchor` that names no
//! id on its page, and every id given to more than one element of a page, including the
//! links and ids the templates write, which the Markdown stage never sees. With
//! `--external` it also asks each external `http(s)` address, in parallel, and reports
//! those that fail or answer with an error status.
//!
//! Links written in Markdown were already checked, with their line and column, by the
//! Markdown stage, but for the `/`-rooted ones (`/timeline/`, `/figures/map.svg`), which
//! [`rooted`] checks after every build against the files written; problems found in the
//! HTML are reported against the page and the template that made it.

use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::stage::RenderedContent;
use crate::output::Output;
use crate::routes::{served, Served};
use lol_html::{element, HtmlRewriter, Settings};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Duration;

/// What one page holds: the ids it defines, those it defines more than once (in order,
/// each once), and its links (attribute value, as written).
#[derive(Debug, Default)]
pub(crate) struct ScannedPage {
    ids: HashSet<String>,
    duplicate_ids: Vec<String>,
    links: Vec<String>,
}

fn scan(html: &[u8]) -> ScannedPage {
    let page = std::cell::RefCell::new(ScannedPage::default());
    let mut rewriter = HtmlRewriter::new(
        Settings {
            element_content_handlers: vec![
                element!("[id]", |el| {
                    if let Some(id) = el.get_attribute("id") {
                        let mut p = page.borrow_mut();
                        if p.ids.contains(&id) {
                            if !p.duplicate_ids.contains(&id) {
                                p.duplicate_ids.push(id);
                            }
                        } else {
                            p.ids.insert(id);
                        }
                    }
                    Ok(())
                }),
                element!("a[href], link[href]", |el| {
                    if let Some(h) = el.get_attribute("href") {
                        page.borrow_mut().links.push(h);
                    }
                    Ok(())
                }),
                element!("img[src], script[src], source[src]", |el| {
                    if let Some(h) = el.get_attribute("src") {
                        page.borrow_mut().links.push(h);
                    }
                    Ok(())
                }),
            ],
            ..Settings::new()
        },
        |_: &[u8]| {},
    );
    // The rewriter only fails on its own memory limits; a page it cannot read has no links.
    let _ = rewriter.write(html);
    let _ = rewriter.end();
    page.into_inner()
}

/// Reads every HTML page of the built `files` once, for both checks below.
pub(crate) fn scan_pages(files: &BTreeMap<String, Vec<u8>>) -> HashMap<&str, ScannedPage> {
    files
        .par_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), scan(b)))
        .collect()
}

/// Checks every internal link and anchor of the built site's pages. The hint names the
/// template that made the page (`site.made_by`), as diagnostics name templates.
pub(crate) fn internal(site: &Site) -> Diagnostics {
    let mut out: Vec<Diagnostic> = (site.pages.par_iter())
        .flat_map_iter(|(from, page)| {
            let mut seen = BTreeSet::new();
            let mut diags = Vec::new();
            let template = site.made_by.get(*from);
            let made_by = |d: Diagnostic| match template {
                Some(t) => d.with_hint(format!("the HTML is rendered by {t}")),
                None => d,
            };
            // An id must be unique in its page: a second one makes `#id` links and
            // scripts land on the first, silently.
            for id in &page.duplicate_ids {
                diags.push(made_by(Diagnostic::file(
                    format!("public/{from}"),
                    format!("duplicate id `{id}`: more than one element of the page has it"),
                )));
            }
            for link in &page.links {
                if !seen.insert(link.as_str()) {
                    continue;
                }
                let Some(problem) = site.problem(link, from, page) else {
                    continue;
                };
                let d = Diagnostic::file(format!("public/{from}"), problem);
                diags.push(match template {
                    Some(t) => d.with_hint(format!("the link is in the HTML rendered by {t}")),
                    None => d,
                });
            }
            diags
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
    });
    Diagnostics(out)
}

/// The built site a link is checked against.
pub(crate) struct Site<'s> {
    /// Every built file, by output path.
    pub(crate) files: &'s BTreeMap<String, Vec<u8>>,
    /// Every page, read.
    pub(crate) pages: &'s HashMap<&'s str, ScannedPage>,
    /// The template of each page the templates rendered, by output path, as diagnostics
    /// name it (`templates/page.html`, `(built-in theme) templates/term.html`).
    pub(crate) made_by: &'s HashMap<String, String>,
    /// The site's absolute address.
    pub(crate) base_url: &'s str,
    /// The site's path (`/` or `/repo/`).
    pub(crate) base_path: &'s str,
}

impl Site<'_> {
    /// Why `link` on the page `from` (read as `page`) is broken, if it is.
    fn problem(&self, link: &str, from: &str, page: &ScannedPage) -> Option<String> {
        let Site {
            files,
            pages,
            base_url,
            base_path,
            ..
        } = *self;
        let base = base_url.trim_end_matches('/');
        // An absolute address of the site itself is checked like a path inside it.
        let (local, inside) = match link.strip_prefix(base) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') || rest.starts_with('#') => {
                (rest.trim_start_matches('/').to_string(), true)
            }
            _ if link.contains("://") || link.starts_with("//") => return None,
            _ if link.starts_with("mailto:")
                || link.starts_with("tel:")
                || link.starts_with("data:") =>
            {
                return None
            }
            _ => (link.to_string(), false),
        };
        let (path, anchor) = local.split_once('#').unwrap_or((&local, ""));
        let path = path.split('?').next().unwrap_or_default();
        let target: String = if inside {
            path.to_string()
        } else if path.is_empty() {
            from.to_string()
        } else if let Some(p) = path.strip_prefix('/') {
            match ("/".to_string() + p).strip_prefix(base_path) {
                Some(inside) => inside.to_string(),
                None => {
                    return Some(format!(
                        "`{link}` points outside the site's base path {base_path}"
                    ))
                }
            }
        } else {
            join(from, path)
        };
        let decoded = percent_encoding::percent_decode_str(&target)
            .decode_utf8_lossy()
            .into_owned();
        let Some(Served::File(file) | Served::Folder(file)) =
            served(&decoded, |c| files.contains_key(c))
        else {
            return Some(format!(
                "broken link: `{link}` names no page or file of the site"
            ));
        };
        if anchor.is_empty() {
            return None;
        }
        let ids = if file == from {
            Some(&page.ids)
        } else {
            pages.get(file.as_str()).map(|p| &p.ids)
        };
        match ids {
            Some(ids) if !ids.contains(anchor) => Some(format!(
                "broken anchor: `{link}`: the page has no element with id `{anchor}`"
            )),
            _ => None,
        }
    }
}

/// Every `/`-rooted link of the Markdown (`/timeline/`, `/figures/map.svg`) must name a
/// page or a file the build wrote to `out`: the broken ones, sorted.
pub(crate) fn rooted(rendered: &RenderedContent, out: &Output) -> Diagnostics {
    let mut missing = Diagnostics::default();
    for l in rendered.all().flat_map(|r| &r.rooted) {
        if !out.serves(&l.target) {
            missing.push(
                l.at.diag(format!(
                    "broken link: `{}` is neither a page nor a file of static/",
                    l.dest
                ))
                .with_hint("links starting with / name a file of static/ or a page of the site, as /timeline/ or /figures/map.svg"),
            );
        }
    }
    missing.sort();
    missing
}

/// Resolves a relative `path` against the page `from` (both inside the site).
fn join(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if path.ends_with('/') && !s.is_empty() {
        s.push('/');
    }
    s
}

/// Every external address in the built HTML, with the first page it appears on.
pub(crate) fn external_links(
    pages: &HashMap<&str, ScannedPage>,
    base_url: &str,
) -> BTreeMap<String, String> {
    let mut names: Vec<&&str> = pages.keys().collect();
    names.sort();
    let mut out = BTreeMap::new();
    for path in names {
        for link in &pages[*path].links {
            let external = (link.starts_with("http://") || link.starts_with("https://"))
                && !link.starts_with(base_url.trim_end_matches('/'));
            if external {
                out.entry(link.clone()).or_insert_with(|| path.to_string());
            }
        }
    }
    out
}

/// Asks every address (HEAD, then GET when HEAD is refused) and returns those that fail.
/// `located` gives a Markdown position for an address when one wrote it.
pub(crate) fn external(
    links: &BTreeMap<String, String>,
    located: &HashMap<String, crate::diag::Span>,
) -> Diagnostics {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .http_status_as_error(false)
        .user_agent("docsite-check")
        .build()
        .into();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build();
    let run = || {
        links
            .par_iter()
            .filter_map(|(url, page)| {
                let status = ask(&agent, url);
                let why = match status {
                    Ok(s) if s < 400 => return None,
                    Ok(s) => format!("external link `{url}` answers HTTP {s}"),
                    Err(e) => format!("external link `{url}` cannot be reached: {e}"),
                };
                Some(match located.get(url) {
                    Some(at) => at.diag(why),
                    None => Diagnostic::file(format!("public/{page}"), why),
                })
            })
            .collect::<Vec<_>>()
    };
    let mut out = match pool {
        Ok(p) => p.install(run),
        Err(_) => run(),
    };
    out.sort_by(|a, b| {
        (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
    });
    Diagnostics(out)
}

fn ask(agent: &ureq::Agent, url: &str) -> Result<u16, String> {
    let head = agent.head(url).call().map_err(|e| e.to_string())?;
    let s = head.status().as_u16();
    if s == 405 || s == 501 {
        let get = agent.get(url).call().map_err(|e| e.to_string())?;
        return Ok(get.status().as_u16());
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The site of `files`, no page with a template.
    fn site<'s>(
        files: &'s BTreeMap<String, Vec<u8>>,
        pages: &'s HashMap<&'s str, ScannedPage>,
        base_url: &'s str,
        base_path: &'s str,
    ) -> Site<'s> {
        static NONE: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
        Site {
            files,
            pages,
            made_by: NONE.get_or_init(HashMap::new),
            base_url,
            base_path,
        }
    }

    #[test]
    fn relative_paths_resolve_against_the_page() {
        assert_eq!(join("chapters/a/index.html", "../b/"), "chapters/b/");
        assert_eq!(join("index.html", "timeline/"), "timeline/");
        assert_eq!(join("events/x/index.html", "../../style.css"), "style.css");
    }

    #[test]
    fn finds_ids_given_twice_once_each() {
        let mut files = BTreeMap::new();
        files.insert(
            "a/index.html".to_string(),
            br#"<main id="main"><h2 id="main">M</h2><p id="x"></p><p id="main"></p><p id="y"></p></main>"#.to_vec(),
        );
        let d = internal(&site(&files, &scan_pages(&files), "http://s.test/", "/"));
        let shown: Vec<String> =
            d.0.iter()
                .map(|d| format!("{}: {}", d.location(), d.message))
                .collect();
        assert_eq!(
            shown,
            ["public/a/index.html: duplicate id `main`: more than one element of the page has it"]
        );
    }

    #[test]
    fn finds_broken_links_and_anchors_and_ignores_good_ones() {
        let mut files = BTreeMap::new();
        files.insert(
            "index.html".to_string(),
            br##"<a href="/r/a/">a</a><a href="/r/a/#x">x</a><a href="/r/a/#nope">n</a><a href="/r/gone/">g</a><a href="#top">t</a><p id="top"></p><a href="https://example.org/">e</a><a href="http://site.test/r/a/">abs</a>"##.to_vec(),
        );
        files.insert("a/index.html".to_string(), br#"<h2 id="x">X</h2>"#.to_vec());
        let d = internal(&site(
            &files,
            &scan_pages(&files),
            "http://site.test/r/",
            "/r/",
        ));
        let msgs: Vec<String> = d.0.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            msgs,
            [
                "broken anchor: `/r/a/#nope`: the page has no element with id `nope`",
                "broken link: `/r/gone/` names no page or file of the site",
            ]
        );
    }
}
