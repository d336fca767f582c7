//! Watching: the site's files are followed, and every change rebuilt ([`Watch::follow`]).
//!
//! The site's root is watched on its own (not recursively), and `content/`, `templates/`
//! and `static/` recursively; when one of those folders appears, vanishes or is moved back,
//! its watch is armed again, so deleting and restoring `content/`, or making it after
//! `serve` started, is followed like any edit. Every file the build reads counts, whatever
//! its name (dotfiles too: the build skips none). The root is the path the user gave, made
//! absolute once at start (from the path of the folder `serve` started in, not its inode),
//! and the site is always built from that path. When an event says the folder itself went
//! (deleted or moved away), or its identity (device, inode, birth time; checked after every
//! burst and at least once a second) changes, every watch is armed again on whatever is at
//! the path and the site rebuilt. The event matters on its own: a folder deleted and made
//! again at once often gets the same inode back (ext4 reuses it), and birth times are not
//! kept by every file system.

use super::snapshot::{preview, rebuild, Shared};
use super::warn;
use crate::diag::Diagnostics;
use crate::incremental::Session;
use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Saves that arrive within this long of each other are built once.
const QUIET: Duration = Duration::from_millis(3);

/// The source folders, watched recursively and re-armed when they come and go.
const SOURCES: [&str; 4] = ["content", "templates", "static", "i18n"];

/// How often the site folder's identity is checked when no event arrives: a folder deleted
/// and restored, or replaced, is followed again within this long.
const ROOT_CHECK: Duration = Duration::from_secs(1);

/// The watches on a site, and the events they send.
pub(super) struct Watch {
    watcher: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Event>,
    /// The site folder, absolute.
    root: PathBuf,
}

/// What a burst of events asks for: a build, and watches of source folders armed again;
/// with the files it names.
#[derive(Default)]
struct Burst {
    relevant: bool,
    /// An event named the site folder itself as removed or moved away.
    root_gone: bool,
    folders: Vec<&'static str>,
    paths: Vec<PathBuf>,
}

impl Watch {
    /// Watches `root` (not recursively) and each of its source folders that is there.
    pub(super) fn start(root: &Path) -> Result<Watch> {
        let (tx, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(ev) = res {
                let _ = tx.send(ev);
            }
        })
        .context("cannot watch the site's files")?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
        for dir in SOURCES {
            arm(&mut watcher, root, dir);
        }
        Ok(Watch {
            watcher,
            events,
            root: root.to_path_buf(),
        })
    }

    /// Rebuilds the site into `shared` after every burst of events that concerns what the
    /// build reads, and whenever the site folder itself is replaced; returns when the
    /// watcher stops. `warned` holds the warnings of the last good build.
    pub(super) fn follow(
        mut self,
        session: &mut Session,
        shared: &Shared,
        warned: &mut Diagnostics,
    ) {
        let root = self.root.clone();
        let mut id = identity(&root);
        while let Some(mut burst) = self.next_burst() {
            // The site folder itself deleted, restored, or replaced by another folder at the
            // same path: the watches followed the old folder (or went with it), so all are
            // armed again on whatever is at the path now, and the site is built from it.
            let now = identity(&root);
            if burst.root_gone || now != id {
                id = now;
                arm_all(&mut self.watcher, &root);
                burst.relevant = true;
            } else {
                burst.folders.sort_unstable();
                burst.folders.dedup();
                for dir in burst.folders {
                    arm(&mut self.watcher, &root, dir);
                }
            }
            if burst.relevant {
                preview(session, shared, &burst.paths);
                rebuild(session, shared, warned);
            }
        }
    }

    /// The next burst of events (saves that follow each other within [`QUIET`]), or an
    /// empty one after [`ROOT_CHECK`] without any; `None` once the watcher is gone.
    fn next_burst(&self) -> Option<Burst> {
        let root = &self.root;
        let first = match self.events.recv_timeout(ROOT_CHECK) {
            Ok(first) => first,
            Err(mpsc::RecvTimeoutError::Timeout) => return Some(Burst::default()),
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
        };
        let mut burst = Burst::default();
        let mut next = Some(first);
        // Coalesce a burst of saves (editors write, rename and touch in quick succession).
        while let Some(ev) = next {
            burst.relevant |= matters(root, &ev);
            burst.root_gone |= names_root_gone(root, &ev);
            burst.folders.extend(source_folders(root, &ev));
            if !matches!(ev.kind, notify::EventKind::Access(_)) {
                burst.paths.extend(ev.paths);
            }
            next = self.events.recv_timeout(QUIET).ok();
        }
        Some(burst)
    }
}

/// The site folder's identity (device, inode and, where the file system keeps one, birth
/// time), or `None` while nothing is there.
fn identity(root: &Path) -> Option<(u64, u64, Option<std::time::SystemTime>)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(root)
        .ok()
        .map(|m| (m.dev(), m.ino(), m.created().ok()))
}

/// Whether an event says the site folder itself was removed or moved away: its watch, and
/// every watch under it, went with it.
fn names_root_gone(root: &Path, ev: &notify::Event) -> bool {
    use notify::event::{EventKind, ModifyKind};
    matches!(
        ev.kind,
        EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
    ) && ev.paths.iter().any(|p| p == root)
}

/// Arms every watch again: the root (not recursively) and each source folder.
fn arm_all(watcher: &mut impl Watcher, root: &Path) {
    let _ = watcher.unwatch(root);
    if root.is_dir() {
        if let Err(e) = watcher.watch(root, RecursiveMode::NonRecursive) {
            warn(format!(
                "cannot watch {}: {e}; edits there are not seen",
                root.display()
            ));
        }
    }
    for dir in SOURCES {
        arm(watcher, root, dir);
    }
}

/// (Re)starts the recursive watch of a source folder, if it is there. Called at start and
/// whenever an event names the folder itself: a deleted folder's watch is gone with it, and
/// a folder made, restored or moved back needs a new one.
fn arm(watcher: &mut impl Watcher, root: &Path, dir: &str) {
    let path = root.join(dir);
    let _ = watcher.unwatch(&path);
    if path.is_dir() {
        if let Err(e) = watcher.watch(&path, RecursiveMode::Recursive) {
            warn(format!(
                "cannot watch {}: {e}; edits there are not seen",
                path.display()
            ));
        }
    }
}

/// The source folders an event names themselves (not a file inside them).
fn source_folders(root: &Path, ev: &notify::Event) -> Vec<&'static str> {
    if matches!(ev.kind, notify::EventKind::Access(_)) {
        return Vec::new();
    }
    SOURCES
        .into_iter()
        .filter(|dir| ev.paths.iter().any(|p| *p == root.join(dir)))
        .collect()
}

/// Whether a file event concerns what the build reads: `site.toml` and every file under
/// `content/`, `templates/` and `static/`, whatever its name. The build ignores no file
/// there ([`crate::files::files_under`] walks them all, dotfiles included: a broken
/// `content/events/.bad.md` fails it, `static/.well-known/` is published), so neither does
/// this. An editor's swap or backup file costs at most a rebuild (saves are coalesced),
/// and a build that makes the same files as the last one wakes no page
/// ([`super::snapshot::settle`]).
fn matters(root: &Path, ev: &notify::Event) -> bool {
    if matches!(ev.kind, notify::EventKind::Access(_)) {
        return false;
    }
    ev.paths.iter().any(|p| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default();
        SOURCES.contains(&first) || rel == Path::new("site.toml")
    })
}
