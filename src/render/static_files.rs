//! The copy of `static/` into the output, which may not replace any file the build made,
//! and of every file of the built-in theme's `static/` ([`crate::theme`]) that the site's
//! `static/` has no file of the same path for.

use super::data_files::Made;
use crate::diag::{BuildError, Diagnostic, Diagnostics, Sink};
use crate::output::Output;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Copies `static/`, then the built-in theme's static files the site does not override,
/// into the output; returns how many files. A file whose path is one the
/// build made (`made`; `made_by` names the template of each page) is refused. Problems
/// with a file go to `sink`; a failed write is a system error, the first one returned. Each file
/// is streamed from its fenced handle, never read whole from a length it claims: one over
/// [`crate::files::MAX_STATIC_BYTES`] (disk) or [`crate::files::MAX_FILE_BYTES`]
/// (memory, for `serve` and `check`) is an error naming it, and all of them together over
/// [`crate::files::MAX_STATIC_TOTAL_BYTES`] (disk) or
/// [`crate::files::MAX_MEMORY_TOTAL_BYTES`] (memory) an error before any is copied.
pub(crate) fn copy_static(
    root: &Path,
    out: &Output,
    made: &Made,
    made_by: &HashMap<String, String>,
    sink: &Sink,
) -> Result<usize, BuildError> {
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
    sink.extend(diags.0);
    let own: HashSet<String> = files.iter().map(|p| in_static(&dir, p)).collect();
    let mut built_in = 0;
    for (rel, bytes) in crate::theme::static_files() {
        // A path the build makes is never one of the theme's (its files are checked by the
        // theme's own tests); the generated file stays.
        if !own.contains(rel) && !made.contains_key(rel) {
            out.put(rel, bytes.to_vec())?;
            built_in += 1;
        }
    }
    files.par_iter().try_for_each(|p| {
        let rel = in_static(&dir, p);
        if made.contains_key(&rel) {
            sink.push(clash(root, p, &rel, made_by));
            return Ok(());
        }
        let src = crate::files::rel(root, p);
        sink.record(out.put_with(&rel, |w| fence.copy_to(&src, w, cap).map(drop))?);
        anyhow::Ok(())
    })?;
    Ok(files.len() + built_in)
}

/// The error of `p`, a file of `static/` at `rel`, a path the build made (`made_by` names
/// the template of each page).
fn clash(root: &Path, p: &Path, rel: &str, made_by: &HashMap<String, String>) -> Diagnostic {
    let by = (made_by.get(rel)).map_or_else(String::new, |t| format!(", rendered by {t}"));
    Diagnostic::file(
        crate::files::rel(root, p),
        format!("this file would replace the generated `{rel}`{by}"),
    )
    .with_hint(
        "a file of static/ may not have the path of a page or file the build makes; rename or move it",
    )
}

/// For the pass of a language other than the default (whose pass copies `static/`): each
/// file of `static/` at a path this pass made (`made`, `made_by`) is the same error as one
/// at a path of the default language's, `static/vi/index.html` as `static/index.html`.
pub(crate) fn refuse_clashes(
    root: &Path,
    made: &Made,
    made_by: &HashMap<String, String>,
    sink: &Sink,
) {
    let dir = root.join("static");
    // The listing's own problems were reported by the default language's pass.
    let files = crate::files::files_under(root, "static", &mut Diagnostics::default());
    for p in &files {
        let rel = in_static(&dir, p);
        if made.contains_key(&rel) {
            sink.push(clash(root, p, &rel, made_by));
        }
    }
}

/// The path of `p` inside `dir` (the site's `static/`), with `/` between folders.
fn in_static(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}
