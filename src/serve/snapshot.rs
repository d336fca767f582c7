//! The site as `serve` serves it: a [`Snapshot`] of the last good build, replaced after
//! every build attempt ([`rebuild`]). A build that fails, or panics, leaves the last good
//! files served and records its error; one that failed for want of file descriptors is
//! first tried again a few times. A build that made the very files of the last good one
//! wakes no page, and one that changed only stylesheets tells pages so (`"css"`), so they
//! swap their stylesheets instead of reloading. Each asset's ETag is made here, once per
//! build (and kept while the asset's bytes are the same). The builds are incremental
//! ([`crate::incremental::Session`]): the pages an edit does not reach are the last
//! build's own copies, so telling what changed costs little for them.

use super::live::{inject, LIVE_PATH, POLL_PATH};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::incremental::{Files, Rebuilt, Session};
use crate::site::BuildError;
use bytes::Bytes;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// The site as it is served: the last good build (or a preview of an edit made from it,
/// [`preview`]), and the error of the last attempt.
#[derive(Default)]
pub(super) struct Snapshot {
    /// The build's files as it made them (pages get the live-reload script as they are
    /// served, [`super::http`]).
    pub(super) files: Files,
    /// The ETag of every file but pages (a hash of its bytes), made once per build.
    pub(super) etags: Arc<HashMap<String, String>>,
    /// How many pages the last good build made.
    pub(super) pages: usize,
    pub(super) version: u64,
    pub(super) kind: &'static str,
    pub(super) error: Option<String>,
    /// The pages served so far, each with the live-reload script of this version: made at
    /// a page's first request, and shared by every later one.
    pub(super) served: Arc<Mutex<HashMap<String, Bytes>>>,
}

impl Snapshot {
    /// The page `name` (one of `files`) as served: with the live-reload script, made once
    /// per version.
    pub(super) fn page(&self, name: &str, bytes: &Bytes) -> Bytes {
        let mut served = crate::sync::lock(&self.served);
        let page = served.entry(name.to_string());
        page.or_insert_with(|| Bytes::from(inject(bytes, self.version)))
            .clone()
    }

    /// The next snapshot after a failed attempt: these files still, and `error`.
    fn failed(&self, error: String) -> Snapshot {
        Snapshot {
            files: Arc::clone(&self.files),
            etags: Arc::clone(&self.etags),
            pages: self.pages,
            version: self.version + 1,
            kind: "full",
            error: Some(error),
            served: Arc::default(),
        }
    }
}

/// The current snapshot; every request reads it, every build replaces it, and a poll
/// waits on it for the next version.
pub(super) type Shared = watch::Sender<Arc<Snapshot>>;

/// How many times a build that ran out of file descriptors is tried again, the first after
/// [`RETRY_FIRST`] and each next after twice as long, at most a second.
const RETRIES: u32 = 8;
const RETRY_FIRST: Duration = Duration::from_millis(50);

/// Builds into memory (incrementally, through `session`); on success swaps the new files
/// in (and logs its warnings), on failure (or a panic in the build) keeps the old ones and
/// records the error. Either way, open pages are woken (unless the build made the very files
/// of the last good one). A build that failed for want of file descriptors (many open
/// connections) is tried again a few times, after a short and growing wait, before its
/// error is shown. The log is written after the swap, so a long list of warnings never
/// holds the new build back; more than [`REPEATED`] warnings that are those of the last
/// good build (`warned`) are counted, not shown again.
pub(super) fn rebuild(session: &mut Session, shared: &Shared, warned: &mut Diagnostics) {
    let (attempt, elapsed, still_out) = attempt(session);
    // A good build's warnings go to the log only, never to the error overlay.
    let (mut warnings, kept) = match &attempt {
        Ok(Ok(built)) => (built.stats.warnings.clone(), built.kept),
        _ => (Diagnostics::default(), 0),
    };
    let old = shared.borrow().clone();
    let mut next = settle(&old, attempt);
    if still_out {
        if let Some(text) = &mut next.error {
            text.push_str(
                "\nnote: docsite ran out of file descriptors (each open connection takes one); \
                 close some tabs or raise the limit (`ulimit -n`), then save again",
            );
        }
    }
    let (pages, error) = (next.pages, next.error.clone());
    if error.is_none() {
        warnings.extend(shadowed(&next.files).0);
    }
    shared.send_replace(Arc::new(next));
    match &error {
        None => eprintln!(
            "built {pages} pages in {:.1} ms ({kept} kept from the last build)",
            elapsed.as_secs_f64() * 1000.0
        ),
        Some(text) => eprintln!("{text}\nthe build failed; still serving the last good build"),
    }
    if error.is_some() {
        return;
    }
    let n = warnings.len();
    if n > REPEATED && warnings == *warned {
        eprintln!("{n} warnings found, the same as the last build's");
    } else if n > 0 {
        eprintln!("{warnings}");
    }
    *warned = warnings;
}

/// Before the rebuild of an edit of `changed` (files of the site): swaps in at once the
/// pages that show an edited body, when the session can make them from the last good
/// build ([`Session::preview`]), so an open page follows the edit before the rebuild ends.
/// The rebuild then replaces the whole site as usual. Nothing is done while the last
/// attempt failed (its error is on screen).
pub(super) fn preview(session: &Session, shared: &Shared, changed: &[std::path::PathBuf]) {
    let started = Instant::now();
    let old = shared.borrow().clone();
    if old.version == 0 || old.error.is_some() {
        return;
    }
    // A preview that fails in any way is no preview: the rebuild follows.
    let pages = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.preview(changed)));
    let Some(pages) = pages.ok().filter(|p| !p.is_empty()) else {
        return;
    };
    let n = pages.len();
    let mut files = (*old.files).clone();
    files.extend(pages);
    shared.send_replace(Arc::new(Snapshot {
        files: Arc::new(files),
        etags: Arc::clone(&old.etags),
        pages: old.pages,
        version: old.version + 1,
        kind: "preview",
        error: None,
        served: Arc::default(),
    }));
    eprintln!(
        "showed {n} edited page{} first, in {:.1} ms; rebuilding",
        if n == 1 { "" } else { "s" },
        started.elapsed().as_secs_f64() * 1000.0
    );
}

/// How many warnings the log shows again after every build when they have not changed;
/// more are counted in one line (thousands on a large site would take longer to print
/// than the build).
const REPEATED: usize = 50;

/// Runs the build (a panic caught), and again, up to [`RETRIES`] times, while it fails for
/// want of file descriptors. Returns the last attempt, how long it took, and whether it
/// still ran out of them.
fn attempt(session: &mut Session) -> (Attempt, Duration, bool) {
    let mut wait = RETRY_FIRST;
    let mut retries = 0;
    loop {
        let started = Instant::now();
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.rebuild()));
        let elapsed = started.elapsed();
        let out = out_of_descriptors(&attempt);
        if retries == RETRIES || !out {
            return (attempt, elapsed, out);
        }
        if retries == 0 {
            eprintln!("the build ran out of file descriptors; trying again");
        }
        drop(attempt);
        std::thread::sleep(wait);
        wait = (wait * 2).min(Duration::from_secs(1));
        retries += 1;
    }
}

/// The files of a build that `serve` never serves, as warnings: a file of `static/` at
/// [`LIVE_PATH`] or [`POLL_PATH`], which `serve` answers itself.
fn shadowed(files: &BTreeMap<String, Bytes>) -> Diagnostics {
    let shadowed = [LIVE_PATH, POLL_PATH]
        .into_iter()
        .filter(|path| files.contains_key(&path[1..]))
        .map(|path| {
            Diagnostic::file(
                format!("static{path}"),
                format!(
                    "static{path} is published by `docsite build`, but `serve` answers {path} \
                     itself (its live reload) and never serves this file"
                ),
            )
            .with_hint("rename it")
            .with_severity(Severity::Warning)
        });
    Diagnostics(shadowed.collect())
}

/// Whether a build failed because the process had no file descriptor left (`EMFILE`) or
/// the system none (`ENFILE`): the io error's text, as it reaches a diagnostic or an
/// error chain.
fn out_of_descriptors(attempt: &Attempt) -> bool {
    let text = match attempt {
        Ok(Err(BuildError::Site(d))) => d.to_string(),
        Ok(Err(BuildError::System(e))) => format!("{e:#}"),
        _ => return false,
    };
    [libc::EMFILE, libc::ENFILE]
        .into_iter()
        .any(|code| text.contains(&std::io::Error::from_raw_os_error(code).to_string()))
}

pub(super) type Attempt = std::thread::Result<Result<Rebuilt, BuildError>>;

/// The snapshot after a build attempt: its files when it succeeded (with `old`'s version
/// if they are `old`'s files, byte for byte), else `old`'s files and the error (a panic's
/// message included).
pub(super) fn settle(old: &Snapshot, attempt: Attempt) -> Snapshot {
    let Rebuilt { stats, files, .. } = match attempt {
        Ok(Ok(built)) => built,
        Ok(Err(BuildError::Site(d))) => return old.failed(d.to_string()),
        Ok(Err(BuildError::System(e))) => return old.failed(format!("error: {e:#}")),
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return old.failed(format!(
                "error: the build crashed ({why}); this is a bug in docsite, please report it"
            ));
        }
    };
    let last_good = old.version > 0 && old.error.is_none();
    let changed = if last_good {
        change(&old.files, &files)
    } else {
        Change::Other
    };
    // After a preview ([`preview`]) the rebuild is always told, even when it made the very
    // files shown, so that every edit ends with a version that is not a preview.
    if changed == Change::Nothing && old.kind != "preview" {
        // The same site: open pages are not woken (the version stays).
        return Snapshot {
            files: Arc::clone(&old.files),
            etags: Arc::clone(&old.etags),
            pages: stats.pages,
            version: old.version,
            kind: old.kind,
            error: None,
            served: Arc::clone(&old.served),
        };
    }
    // An asset's tag is kept while its bytes are the same.
    let etags = files
        .iter()
        .filter(|(name, _)| !name.ends_with(".html"))
        .map(|(name, bytes)| {
            let same = old.files.get(name).is_some_and(|was| same(was, bytes));
            let tag = old.etags.get(name).filter(|_| same).cloned();
            let tag = tag.unwrap_or_else(|| format!("\"{:016x}\"", fnv1a(bytes)));
            (name.clone(), tag)
        })
        .collect();
    Snapshot {
        files,
        etags: Arc::new(etags),
        pages: stats.pages,
        version: old.version + 1,
        kind: if changed == Change::Css {
            "css"
        } else {
            "full"
        },
        error: None,
        served: Arc::default(),
    }
}

/// Whether two files are the same bytes: at once when they are one copy (a page the
/// incremental build kept).
fn same(a: &Bytes, b: &Bytes) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// How a build differs from the last good one.
#[derive(Debug, PartialEq)]
enum Change {
    /// Not at all (a save that changed nothing, an editor's swap file).
    Nothing,
    /// In stylesheets only.
    Css,
    /// Otherwise.
    Other,
}

/// How the build `new` differs from `old`.
fn change(old: &BTreeMap<String, Bytes>, new: &BTreeMap<String, Bytes>) -> Change {
    if old.len() != new.len() {
        return Change::Other;
    }
    let mut css = false;
    for ((ka, va), (kb, vb)) in old.iter().zip(new) {
        if ka != kb {
            return Change::Other;
        }
        if !same(va, vb) {
            if !ka.ends_with(".css") {
                return Change::Other;
            }
            css = true;
        }
    }
    if css {
        Change::Css
    } else {
        Change::Nothing
    }
}

/// A 64-bit FNV-1a hash: the entity tag of an asset.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::tests::site;
    use crate::site::BuildStats;

    /// A map of files as a build makes them.
    fn files(m: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Bytes> {
        m.into_iter().map(|(k, v)| (k, Bytes::from(v))).collect()
    }

    /// A successful build of `files`.
    fn built(stats: BuildStats, m: BTreeMap<String, Vec<u8>>) -> Attempt {
        Ok(Ok(Rebuilt {
            stats,
            files: Arc::new(files(m)),
            kept: 0,
        }))
    }

    #[test]
    fn css_changes_and_no_changes_are_told_apart() {
        let old = files(site());
        assert_eq!(change(&old, &files(site())), Change::Nothing);
        assert_eq!(
            change(&old, &old.clone()),
            Change::Nothing,
            "the same copies"
        );
        let mut b = site();
        b.insert("style.css".into(), b"new".to_vec());
        assert_eq!(change(&old, &files(b.clone())), Change::Css);
        b.insert("index.html".into(), b"new".to_vec());
        assert_eq!(change(&old, &files(b)), Change::Other);
        let mut c = site();
        c.insert("new.css".into(), b"new".to_vec());
        assert_eq!(change(&old, &files(c)), Change::Other, "a file more");
    }

    #[test]
    fn only_a_build_out_of_descriptors_is_tried_again() {
        let io = |code| std::io::Error::from_raw_os_error(code);
        let site = |code| -> Attempt {
            let d =
                crate::diag::Diagnostic::file("site.toml", format!("cannot read: {}", io(code)));
            Ok(Err(BuildError::Site(crate::diag::Diagnostics(vec![d]))))
        };
        assert!(out_of_descriptors(&site(libc::EMFILE)));
        assert!(out_of_descriptors(&site(libc::ENFILE)));
        assert!(!out_of_descriptors(&site(libc::ENOENT)));
        let system = |code| -> Attempt {
            Ok(Err(BuildError::System(
                anyhow::Error::new(io(code)).context("cannot read the folder static"),
            )))
        };
        assert!(out_of_descriptors(&system(libc::EMFILE)));
        assert!(!out_of_descriptors(&system(libc::EACCES)));
        let stats = BuildStats {
            pages: 0,
            files: 0,
            events: 0,
            chapters: 0,
            warnings: Default::default(),
        };
        assert!(!out_of_descriptors(&built(stats, BTreeMap::new())));
    }

    #[test]
    fn a_failed_or_panicking_build_keeps_the_last_good_files() {
        let stats = || BuildStats {
            pages: 2,
            files: 4,
            events: 0,
            chapters: 0,
            warnings: Default::default(),
        };
        let good = settle(&Snapshot::default(), built(stats(), site()));
        assert_eq!((good.version, good.error.as_deref()), (1, None));
        assert_eq!(good.files.len(), 4);
        assert!(good.etags.contains_key("style.css") && !good.etags.contains_key("index.html"));
        assert_eq!(&good.files["index.html"][..], b"index.html");
        let mut css = site();
        css.insert("style.css".into(), b"new".to_vec());
        let restyled = settle(&good, built(stats(), css.clone()));
        assert_eq!(restyled.kind, "css", "only the stylesheet changed");
        assert_ne!(restyled.etags["style.css"], good.etags["style.css"]);
        let good = settle(&restyled, built(stats(), site()));
        assert_eq!(good.kind, "css");
        // The same files again: the same version, so no page is woken.
        let same = settle(&good, built(stats(), site()));
        assert_eq!((same.version, same.error.as_deref()), (good.version, None));
        assert!(Arc::ptr_eq(&same.files, &good.files));

        let crash = std::panic::catch_unwind(|| -> Result<_, BuildError> {
            panic!("a template included itself")
        });
        let after = settle(&good, crash);
        assert_eq!(after.version, good.version + 1);
        assert_eq!(
            after.error.as_deref(),
            Some("error: the build crashed (a template included itself); this is a bug in docsite, please report it")
        );
        assert!(
            Arc::ptr_eq(&after.files, &good.files),
            "the last good files are served"
        );

        let failed = settle(
            &after,
            Ok(Err(BuildError::System(anyhow::anyhow!("disk gone")))),
        );
        assert_eq!(failed.error.as_deref(), Some("error: disk gone"));
        assert!(Arc::ptr_eq(&failed.files, &good.files));

        // The rebuild after a preview is told even when it made the files shown.
        let shown = Snapshot {
            kind: "preview",
            ..settle(&failed, built(stats(), site()))
        };
        let rebuilt = settle(&shown, built(stats(), site()));
        assert_eq!((rebuilt.version, rebuilt.kind), (shown.version + 1, "full"));

        let fixed = settle(&failed, built(stats(), css));
        assert_eq!(
            (fixed.error, fixed.kind),
            (None, "full"),
            "after an error, reload"
        );
    }

    #[test]
    fn files_serve_never_serves_are_warned_of() {
        let files: BTreeMap<String, Bytes> = ["__docsite/poll", "__docsite/other.txt"]
            .into_iter()
            .map(|k| (k.to_string(), Bytes::new()))
            .collect();
        let shown = shadowed(&files).to_string();
        assert!(
            shown.starts_with("warning: static/__docsite/poll is published by `docsite build`"),
            "{shown}"
        );
        assert!(shown.ends_with("\n1 warning found"), "{shown}");
        assert!(!shown.contains("live.js"), "{shown}");
    }
}
