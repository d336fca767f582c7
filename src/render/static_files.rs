//! The render stage's files besides the pages: the data files (`timeline.json`,
//! `highlight.css`, and [`super::publish`]'s sitemap, feed, search index, …) and the copy
//! of `static/`, which may not replace any file the build made.

use super::publish;
use super::timeline;
use crate::config::Config;
use crate::content::Content;
use crate::diag::{BuildError, Diagnostic, Diagnostics};
use crate::markdown::stage::RenderedContent;
use crate::output::Output;
use crate::routes::DataFile;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

/// Every file the build made, by output path, with the template that rendered it (none
/// for a data file): a file of `static/` with one of these paths is an error, never a
/// silent replacement.
pub(crate) type Made = HashMap<String, Option<&'static str>>;

/// Writes the data files, each as soon as it is made so that only one is in memory at a
/// time, and adds them to `made`. All are written even when one fails; the first failure
/// is returned.
pub(crate) fn write_data(
    config: &Config,
    content: &Content,
    rendered: &RenderedContent,
    out: &Output,
    made: &mut Made,
) -> anyhow::Result<()> {
    let made = RefCell::new(made);
    let failed = RefCell::new(None);
    let put = |path: &str, bytes: Vec<u8>| {
        made.borrow_mut().insert(path.to_string(), None);
        if let Err(e) = out.put(path, bytes) {
            failed.borrow_mut().get_or_insert(e);
        }
    };
    let tl = timeline::timelinejs(config, content, &rendered.events);
    put(
        DataFile::TimelineJson.file(),
        serde_json::to_vec_pretty(&tl).unwrap_or_default(),
    );
    drop(tl);
    put(
        DataFile::HighlightCss.file(),
        crate::markdown::highlight::stylesheet().into_bytes(),
    );
    publish::write_files(config, content, rendered, put);
    failed.into_inner().map_or(Ok(()), Err)
}

/// Copies `static/` into the output; returns how many files. A file whose path is one the
/// build made (`made`: path → the template that rendered it, if any) is refused. Each file
/// is streamed from its fenced handle, never read whole from a length it claims: one over
/// [`crate::files::MAX_STATIC_BYTES`] (disk) or [`crate::files::MAX_FILE_BYTES`]
/// (memory, for `serve` and `check`) is an error naming it, and all of them together over
/// [`crate::files::MAX_STATIC_TOTAL_BYTES`] (disk) or
/// [`crate::files::MAX_MEMORY_TOTAL_BYTES`] (memory) an error before any is copied.
pub(crate) fn copy_static(root: &Path, out: &Output, made: &Made) -> Result<usize, BuildError> {
    let dir = root.join("static");
    let mut diags = Diagnostics::default();
    let files = crate::files::files_under(root, "static", &mut diags);
    let fence = crate::files::Fence::new(root, "static");
    // Streamed from the fenced handle: to disk up to MAX_STATIC_BYTES a file, into memory
    // (serve, check) up to MAX_FILE_BYTES; and a bound on all of them together, checked
    // before anything is copied (sizes from `stat`, which opens nothing).
    let (cap, total_cap) = match out {
        Output::Memory(_) => (
            crate::files::MAX_FILE_BYTES,
            crate::files::MAX_MEMORY_TOTAL_BYTES,
        ),
        Output::Disk(_) => (
            crate::files::MAX_STATIC_BYTES,
            crate::files::MAX_STATIC_TOTAL_BYTES,
        ),
    };
    let total = files
        .iter()
        .filter_map(|p| p.metadata().ok())
        // A file over its own limit is reported by itself, below.
        .filter(|m| m.len() <= cap)
        .fold(0u64, |sum, m| sum.saturating_add(m.len()));
    if total > total_cap {
        diags.push(
            Diagnostic::file(
                "static",
                format!(
                    "the files of static/ hold {total} bytes together, over the limit of {}",
                    crate::files::size_in_words(total_cap)
                ),
            )
            .with_hint(
                "a file linked many times counts each time; remove what the site does not need",
            ),
        );
        return Err(BuildError::Site(diags));
    }
    let results: Vec<Result<(), BuildError>> = files
        .par_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&dir)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/");
            if let Some(template) = made.get(&rel) {
                let by = template.map_or_else(String::new, |t| format!(", rendered by templates/{t}"));
                return Err(BuildError::Site(Diagnostics(vec![Diagnostic::file(
                    crate::files::rel(root, p),
                    format!("this file would replace the generated `{rel}`{by}"),
                )
                .with_hint(
                    "a file of static/ may not have the path of a page or file the build makes; rename or move it",
                )])));
            }
            let src = crate::files::rel(root, p);
            out.put_with(&rel, |w| fence.copy_to(&src, w, cap).map(drop))
                .map_err(|d| BuildError::Site(Diagnostics(vec![d])))
        })
        .collect();
    for r in results {
        match r {
            Ok(()) => {}
            Err(BuildError::Site(d)) => diags.extend(d.0),
            Err(e) => return Err(e),
        }
    }
    if !diags.is_empty() {
        return Err(BuildError::Site(diags));
    }
    Ok(files.len())
}
