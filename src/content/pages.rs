//! Free pages: every `content/pages/**/*.md` is a page at its path
//! (`content/pages/about.md` → `/about/`, `content/pages/guide/sources.md` →
//! `/guide/sources/`, and a folder's `index.md`, `content/pages/guide/index.md`, →
//! `/guide/`; [`crate::routes::free_page_path`]). Each segment of the path must be a slug
//! ([`crate::text::is_slug`]); a path where the build writes a page of its own
//! ([`crate::routes::taken_by`]), or one two files claim, is an error naming both. Front
//! matter: `title`, optional `summary`, `draft` and `menu` (the page's place in the main
//! navigation). Drafts are left out unless drafts are asked for, like chapters, after the
//! check for two files at one path (so `check --drafts` finds what `build` finds).

use super::doc::{load_each, markdown_files, parse_fm, read_doc};
use super::schema::PageMeta;
use super::{FreePage, LoadOptions};
use crate::diag::{Diagnostic, Diagnostics};
use crate::files::Fence;
use crate::text::is_slug;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The folder of the free pages.
pub(super) const PAGES_DIR: &str = "content/pages";

/// Loads every free page (drafts only with `--drafts`), by path; one that fails to load is
/// recorded in `unloaded` by its content key.
pub(super) fn load_pages(
    root: &Path,
    fence: &Fence,
    opts: LoadOptions,
    unloaded: &mut BTreeSet<String>,
    codes: &[String],
    diags: &mut Diagnostics,
) -> Vec<FreePage> {
    let files = markdown_files(root, PAGES_DIR, codes, diags);
    let results = load_each(&files, diags, |rel, ds| load_page(fence, rel, ds));
    let mut by_path: BTreeMap<String, FreePage> = BTreeMap::new();
    for (page, rel) in results.into_iter().zip(&files) {
        let Some(page) = page else {
            unloaded.insert(crate::routes::content_key(rel));
            continue;
        };
        if let Some(first) = by_path.get(&page.path) {
            diags.push(
                Diagnostic::file(
                    rel,
                    format!(
                        "duplicate page: this page and {} both build to /{}",
                        first.body.path.display(),
                        crate::routes::Page::Free(&page.path).path()
                    ),
                )
                .with_hint("`x.md` and `x/index.md` are the same page; keep one"),
            );
            continue;
        }
        by_path.insert(page.path.clone(), page);
    }
    (by_path.into_values())
        .filter(|p| !p.draft || opts.drafts)
        .collect()
}

/// Reads and checks one free page: `None` (with its problems in `diags`) when it has any.
fn load_page(fence: &Fence, rel: &Path, diags: &mut Diagnostics) -> Option<FreePage> {
    let path = page_path(rel).map_err(|d| diags.push(d)).ok();
    let doc = read_doc(fence, rel).map_err(|d| diags.push(d)).ok()?;
    let meta: PageMeta = parse_fm(&doc, diags)?;
    Some(FreePage {
        lang: String::new(),
        path: path?,
        title: meta.title,
        summary: meta.summary,
        draft: meta.draft,
        menu: meta.menu,
        body: doc.body_source(),
    })
}

/// The page path of the file `rel` (`content/pages/guide/sources.md` → `guide/sources`;
/// a final `index.md` names its folder), each segment checked, and not one the build takes.
pub(super) fn page_path(rel: &Path) -> Result<String, Diagnostic> {
    let key = crate::routes::content_key(rel);
    let path = crate::routes::free_page_path(&key).unwrap_or(&key);
    for s in path.split('/').filter(|_| !path.is_empty()) {
        if !is_slug(s) {
            return Err(Diagnostic::file(
                rel,
                format!("`{s}` in a page's path is not a valid slug"),
            )
            .with_hint(
                "each folder and file name under content/pages/ becomes part of the page's URL: use lowercase letters, digits, hyphens and underscores",
            ));
        }
    }
    if let Some(taken) = crate::routes::taken_by(path) {
        let url = crate::routes::Page::Free(path).path();
        return Err(Diagnostic::file(
            rel,
            format!(
                "this page would build to /{}, which {taken}",
                url.trim_start_matches('/')
            ),
        )
        .with_hint("the build makes the pages there itself; give this page another path"));
    }
    Ok(path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn page_paths_follow_files() {
        let p = |s: &str| page_path(&PathBuf::from(s)).map_err(|d| d.message);
        assert_eq!(p("content/pages/about.md").unwrap(), "about");
        assert_eq!(
            p("content/pages/guide/sources.md").unwrap(),
            "guide/sources"
        );
        assert_eq!(p("content/pages/guide/index.md").unwrap(), "guide");
        assert!(p("content/pages/About.md").unwrap_err().contains("`About`"));
        assert!(p("content/pages/my page.md").is_err());
        assert!(p("content/pages/a.b.md").is_err());
        assert!(p("content/pages/timeline.md")
            .unwrap_err()
            .contains("which is the path of a page the build makes"));
        assert_eq!(p("content/pages/search/help.md").unwrap(), "search/help");
        assert!(p("content/pages/chapters/x.md").is_err());
        assert!(p("content/pages/index.md").is_err());
    }
}
