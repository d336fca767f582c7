//! The first answer to an edit, for `serve` ([`Preview`]): when an event's or a chapter's
//! body changed and nothing else in its file did, the page that shows that body is made
//! again from the last good build's page at once, before the rebuild, so the reader's
//! page can show the edit in milliseconds rather than after the whole rebuild.
//!
//! The page is not rendered again: the body's HTML is. Its old HTML (the old text,
//! rendered now with the last good build's links, sources and places) must be found exactly
//! once in the last good build's page, and is replaced there by the new text's HTML. So
//! the page is what a clean build would make only when the rest of the page does not
//! depend on the body; every other effect of the body is required to be the same as
//! before (headings, ids, citations, links, media, highlighted code), and the new text
//! must render without a problem. Anything else (front matter changed, a file new or
//! gone, a byte-order mark, a body that renders with a problem) gives no preview, and the
//! rebuild that always follows makes every page as a clean build does
//! (`tests/it/incremental.rs` checks that each preview is the rebuild's own page).

use crate::config::Config;
use crate::content::{Content, Source, Text};
use crate::diag::Diagnostics;
use crate::markdown::stage::{page_urls, reserved_ids, source_pages, RenderedContent};
use crate::markdown::{render, RenderOptions, Rendered, Resolver};
use crate::routes::{Page, Paged};
use bytes::Bytes;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a build leaves for previews: what its texts linked against, and the body of each
/// event and chapter with the page that shows it, by file.
pub(crate) struct Preview {
    pages: BTreeMap<String, String>,
    sources: BTreeMap<String, usize>,
    reserved: HashSet<String>,
    places: crate::maps::Places,
    base_path: String,
    /// The default language's words.
    words: crate::markdown::Words,
    bodies: HashMap<PathBuf, Body>,
}

/// An event's or a chapter's body, with the page that shows it.
struct Body {
    source: Source,
    page: String,
    /// A chapter's page also shows its body's length (the reading time), which must stay
    /// the same.
    counted: bool,
}

/// How a body is rendered (not a front-matter string).
const BODY: RenderOptions = RenderOptions {
    front_matter: false,
};

impl Preview {
    /// The preview state of a build of `content`.
    pub(crate) fn of(
        (config, words): (&Config, &crate::markdown::Words),
        content: &Content,
        rendered: &RenderedContent,
    ) -> Preview {
        let events = (content.events.iter())
            .map(|e| (&e.body, Paged::from(Page::Event(&e.id)).file(), false));
        let chapters = (content.chapters.iter())
            .map(|c| (&c.body, Paged::new(Page::Chapter(&c.slug), 1).file(), true));
        let bodies = (events.chain(chapters))
            .map(|(body, page, counted)| {
                let source = body.clone();
                (
                    body.path.clone(),
                    Body {
                        source,
                        page,
                        counted,
                    },
                )
            })
            .collect();
        Preview {
            pages: page_urls(content, &config.base_path),
            sources: source_pages(config, content),
            reserved: reserved_ids(content),
            places: rendered.places.clone(),
            words: words.clone(),
            base_path: config.base_path.clone(),
            bodies,
        }
    }

    /// The pages of the bodies among `changed` (paths in the site) that can be shown at
    /// once, each made from its page in `files` (the build this preview is of).
    pub(crate) fn pages(
        &self,
        root: &Path,
        changed: &[PathBuf],
        files: &BTreeMap<String, Bytes>,
    ) -> Vec<(String, Bytes)> {
        let mut seen = HashSet::new();
        (changed.iter())
            .map(|p| p.strip_prefix(root).unwrap_or(p))
            .filter(|rel| seen.insert(rel.to_path_buf()))
            .filter_map(|rel| {
                let body = self.bodies.get(rel)?;
                // A symlink is left to the rebuild, which checks where it leads.
                let path = root.join(rel);
                if !std::fs::symlink_metadata(&path).ok()?.is_file() {
                    return None;
                }
                let text = std::fs::read_to_string(path).ok()?;
                let html = self.page(body, text, files.get(&body.page)?)?;
                Some((body.page.clone(), Bytes::from(html)))
            })
            .collect()
    }

    /// The page `was` with the body `old` replaced by the body of `text`, the file's new
    /// text; `None` when that cannot be done exactly (see the module's documentation).
    fn page(&self, body: &Body, text: String, was: &[u8]) -> Option<String> {
        let old = &body.source;
        let Text::InFile(file, range) = &old.markdown else {
            return None;
        };
        // The same front matter, and the body to the file's end, as before.
        let head = &file[..range.start];
        if text.as_str() == &**file || range.end != file.len() || !text.starts_with(head) {
            return None;
        }
        let new: Arc<str> = Arc::from(text);
        let source = Source {
            path: old.path.clone(),
            file: Arc::clone(&new),
            markdown: Text::InFile(Arc::clone(&new), range.start..new.len()),
            offset: old.offset,
            headings: old.headings.clone(),
        };
        let (before, after) = (self.render(old)?, self.render(&source)?);
        let words = |r: &Rendered| r.text.split_whitespace().count();
        if !same_effects(&before, &after) || (body.counted && words(&before) != words(&after)) {
            return None;
        }
        let was = std::str::from_utf8(was).ok()?;
        let at = was.find(&before.html)?;
        if before.html.is_empty() || was.matches(&before.html).nth(1).is_some() {
            return None;
        }
        let end = at + before.html.len();
        Some([&was[..at], &after.html, &was[end..]].concat())
    }

    /// A body rendered against the links of this build; `None` when it has a problem.
    fn render(&self, body: &Source) -> Option<Rendered> {
        let resolver = Resolver {
            pages: &self.pages,
            base_path: &self.base_path,
            // The default language's pages, which are at the site's root.
            pages_path: &self.base_path,
            sources: &self.sources,
            reserved: &self.reserved,
            places: &self.places,
            media: None,
            words: &self.words,
        };
        let mut diags = Diagnostics::default();
        let r = render(body, &resolver, BODY, &mut diags);
        diags.is_empty().then_some(r)
    }
}

/// Whether two renderings of a body differ in their HTML only: the same headings, ids,
/// citations, links, media and (for the page's head) highlighted code.
fn same_effects(a: &Rendered, b: &Rendered) -> bool {
    let links = |r: &Rendered| -> Vec<(String, String)> {
        (r.links.iter().chain(&r.rooted).chain(&r.external))
            .map(|l| (l.target.clone(), l.anchor.clone()))
            .collect()
    };
    // The page loads the highlighting's stylesheet when its body has highlighted code.
    let code = |r: &Rendered| r.html.contains("<span class=\"hl-");
    a.toc == b.toc
        && a.ids == b.ids
        && a.cited == b.cited
        && a.links_to == b.links_to
        && a.media == b.media
        && links(a) == links(b)
        && code(a) == code(b)
}
