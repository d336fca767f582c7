//! Files under `content/` that the build does not read (`content/about.md`,
//! `content/notes.txt`, `content/chapters/x.txt`): each is a warning at its path, which
//! does not fail the build, saying where pages go. What the build reads is what it asked
//! its [`Fence`] for; hidden files and folders (a name starting with `.`) are never warned
//! about. Symlinks are not followed here: the walks that read the content report where
//! they lead.

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::files::{rel, Fence, MAX_FILES};
use std::path::Path;

/// A warning for every file under `root/content` that `fence` was never asked for and that
/// no problem in `diags` names already (a dangling symlink, say).
pub(super) fn unread_files(root: &Path, fence: &Fence, diags: &mut Diagnostics) {
    let named: std::collections::HashSet<std::path::PathBuf> =
        diags.0.iter().map(|d| d.path.clone()).collect();
    let walk = walkdir::WalkDir::new(root.join("content"))
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            !hidden
        });
    for entry in walk.take(MAX_FILES).flatten() {
        let rel = rel(root, entry.path());
        let folder = entry.file_type().is_dir() || entry.path_is_symlink() && entry.path().is_dir();
        // The media stage tells of the files of content/media/ that nothing names.
        let media = rel.starts_with(crate::media::DIR);
        if folder || media || fence.was_asked(&rel) || named.contains(&rel) {
            continue;
        }
        diags.push(
            Diagnostic::file(&rel, "this file is not read by the build")
                .with_hint(hint(root, &rel))
                .with_severity(Severity::Warning),
        );
    }
}

/// Where the file might belong: a Markdown file at the top of `content/` is likely meant
/// as a page (unless `content/pages/` has one of its name already); anything else is told what the build reads (`content/media/` is the media stage's).
fn hint(root: &Path, rel: &Path) -> String {
    let name = rel.file_name().unwrap_or_default().to_string_lossy();
    let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
    if rel.parent() == Some(Path::new("content")) && rel.extension().is_some_and(|x| x == "md") {
        let target = Path::new(super::pages::PAGES_DIR).join(&*name);
        let url = crate::routes::Page::Free(&stem).path();
        if root.join(&target).exists() {
            return format!(
                "a page of its own goes in content/pages/, and {} is there already (it makes /{url}): merge the two or remove this one",
                target.display()
            );
        }
        return format!(
            "a page of its own goes in content/pages/: move it to {} to make /{url}",
            target.display()
        );
    }
    "docsite reads content/index.md, the registries, and the .md files under content/chapters/, \
     content/events/ and content/pages/ (content/pages/about.md becomes /about/)"
        .to_string()
}
