//! Where a build's files go: one switch, disk or memory, and the rules that keep a build
//! from ever destroying what docsite did not make.
//!
//! `build` writes to disk through [`Output::Disk`]: every file goes into a temporary folder
//! beside the output folder (`.public.docsite-tmp-<pid>`), and only when the whole build
//! succeeded is that folder swapped in for the old one (an atomic
//! `renameat2(RENAME_EXCHANGE)` where the file system supports it, two renames otherwise).
//! A failed build removes its temporary folder and leaves the previous output exactly as
//! it was; a successful one leaves no stale file.
//!
//! [`build_on_disk`] runs that protocol whole (prepare, build, commit on success; drop on
//! failure or panic), for `docsite build` and the tests alike.
//!
//! Before anything is created or moved, [`Output::disk`] decides whether the output folder
//! may be replaced at all. It may if it is absent, empty, or holds the [`MARKER`] file that
//! every output docsite writes carries. Anything else is refused with a message that names
//! the folder, says why and says how to proceed: a folder of the user's, a file, a symbolic
//! link, the site root or one of its ancestors, another site, `.git`, `content/`,
//! `templates/`, `static/` or anything inside them. Temporary folders that an earlier,
//! killed run left behind (its process is gone) are removed, and [`clean_up_on_interrupt`]
//! makes Ctrl-C and termination signals remove this run's own.
//!
//! `serve` and the tests use [`Output::Memory`], which keeps the files in a map.

use crate::diag::BuildError;
use crate::sync::lock;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The file every output folder docsite writes carries at its top. A folder holding it may
/// be replaced whole by the next build; no other non-empty folder ever is.
pub(crate) const MARKER: &str = ".docsite-output";

const MARKER_TEXT: &str = "This folder was written by `docsite build`, which replaces it whole at every build.\nKeep no files of your own in it: put them in static/ instead.\n";

/// The destination of a build.
pub enum Output {
    Disk(DiskOutput),
    Memory(Mutex<BTreeMap<String, Vec<u8>>>),
}

pub struct DiskOutput {
    /// The final folder (`public/`).
    pub dir: PathBuf,
    /// The temporary folder being written.
    pub tmp: PathBuf,
    /// The output folder as the user named it, for messages.
    shown: String,
}

/// However a build ends (committed, discarded, failed, or unwinding from a panic), its
/// temporary folder goes: after a swap it holds the old site, otherwise the unused build.
impl Drop for DiskOutput {
    fn drop(&mut self) {
        remove_temporary(&self.tmp);
    }
}

/// The temporary folders of this process that a signal must remove. [`Output::commit`]
/// holds the lock while it swaps, so a signal never removes a folder mid-swap.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set by a signal: from then on no file is written, so the temporary folders can go.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Creates the folders `path` needs, unless a signal has come.
fn make_parent(path: &Path) -> std::io::Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted",
        ));
    }
    match path.parent() {
        Some(p) => std::fs::create_dir_all(p),
        None => Ok(()),
    }
}

impl Output {
    pub fn memory() -> Output {
        Output::Memory(Mutex::new(BTreeMap::new()))
    }

    /// Checks that `dir` may receive the site of `site_root` (see the module doc), removes
    /// temporary folders that killed runs left beside it, and prepares this run's own.
    /// Nothing is created, moved or removed when `dir` is refused.
    pub fn disk(dir: &Path, site_root: &Path) -> Result<Output> {
        let shown = crate::diag::clean(&dir.display().to_string()).into_owned();
        let dir =
            resolve(dir).with_context(|| format!("cannot use {shown} as the output folder"))?;
        refuse_site_folders(&dir, site_root, &shown)?;
        refuse_what_docsite_did_not_make(&dir, &shown)?;
        let (parent, name) = match (dir.parent(), dir.file_name()) {
            (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
            _ => bail!("refusing to write the site into {shown}: it is the file system root"),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        remove_stale_temporaries(&parent, &name);
        let tmp = parent.join(temporary_name(&name, "tmp", std::process::id()));
        if tmp.symlink_metadata().is_ok() {
            // A run with this process id, now gone, made it, or someone else did.
            if !tmp.join(MARKER).is_file() {
                bail!(
                    "refusing to write the site: {} is in the way and docsite did not make it; nothing was changed\n  hint: move it away",
                    tmp.display()
                );
            }
            remove_tree(&tmp)
                .with_context(|| format!("cannot remove the stale {}", tmp.display()))?;
        }
        std::fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        register(&tmp);
        if let Err(e) = std::fs::write(tmp.join(MARKER), MARKER_TEXT) {
            remove_temporary(&tmp);
            return Err(e).with_context(|| format!("cannot write in {}", tmp.display()));
        }
        Ok(Output::Disk(DiskOutput { dir, tmp, shown }))
    }

    /// Writes one file at `rel` (a `/`-separated path inside the site).
    pub fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        match self {
            Output::Memory(m) => {
                m.lock()
                    .map_err(|_| anyhow::anyhow!("output lock poisoned"))?
                    .insert(rel.to_string(), bytes);
                Ok(())
            }
            Output::Disk(d) => {
                let path = d.tmp.join(rel);
                make_parent(&path).with_context(|| format!("cannot create {}", path.display()))?;
                std::fs::write(&path, bytes)
                    .with_context(|| format!("cannot write {}", path.display()))
            }
        }
    }

    /// Writes one file at `rel` through `fill`, which streams into it (disk) or into a
    /// buffer (memory). A failed write is a system error, as in [`Output::put`]; a problem
    /// `fill` reports (a template's, a static file's) is the inner diagnostic.
    pub(crate) fn put_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> Result<(), crate::diag::Diagnostic>,
    ) -> Result<Result<(), crate::diag::Diagnostic>> {
        use std::io::Write;
        match self {
            Output::Memory(_) => {
                let mut buf = Vec::new();
                if let Err(d) = fill(&mut buf) {
                    return Ok(Err(d));
                }
                self.put(rel, buf).map(Ok)
            }
            Output::Disk(d) => {
                let path = d.tmp.join(rel);
                let io = || format!("cannot write {}", path.display());
                make_parent(&path).with_context(io)?;
                let file = std::fs::File::create(&path).with_context(io)?;
                let mut w = std::io::BufWriter::with_capacity(64 * 1024, file);
                let mut tracked = Tracked {
                    w: &mut w,
                    failed: None,
                };
                let filled = fill(&mut tracked);
                if let Some(e) = tracked.failed {
                    return Err(e).with_context(io);
                }
                if let Err(d) = filled {
                    return Ok(Err(d));
                }
                w.flush().with_context(io).map(Ok)
            }
        }
    }

    /// Whether the site answers the path `rel` (inside the site, without base path): a file,
    /// or a folder with an `index.html`.
    pub(crate) fn serves(&self, rel: &str) -> bool {
        let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
        let rel = rel.trim_start_matches('/');
        if rel.split('/').any(|s| s == "..") {
            return false;
        }
        match self {
            Output::Memory(m) => m
                .lock()
                .map(|m| crate::routes::served(rel, |c| m.contains_key(c)).is_some())
                .unwrap_or(false),
            Output::Disk(d) => crate::routes::served(rel, |c| d.tmp.join(c).is_file()).is_some(),
        }
    }

    /// Swaps the finished build in (disk) and returns the files (memory). When the swap
    /// fails, the previous output is left as it was and the new build is removed.
    pub fn commit(self) -> Result<Option<BTreeMap<String, Vec<u8>>>> {
        match self {
            Output::Memory(m) => Ok(Some(
                m.into_inner()
                    .map_err(|_| anyhow::anyhow!("output lock poisoned"))?,
            )),
            Output::Disk(d) => {
                // Written last, so that no file of static/ can take its place.
                std::fs::write(d.tmp.join(MARKER), MARKER_TEXT)
                    .with_context(|| format!("cannot write in {}", d.tmp.display()))?;
                let guard = lock(&TEMPORARIES);
                // The folder may have changed while the site was built: the same rules again.
                refuse_what_docsite_did_not_make(&d.dir, &d.shown)?;
                let swapped = swap_in(&d.tmp, &d.dir);
                drop(guard);
                // Dropping `d` removes what is left at `tmp`: the old site or the failed new one.
                swapped.map(|()| None)
            }
        }
    }
}

/// The one way a build reaches the disk: prepares `dir` for the site of `site_root`
/// ([`Output::disk`]), runs `build` into it, and swaps the result in ([`Output::commit`])
/// only when `build` succeeded. When it fails, or panics, the output is dropped on the way
/// out, which removes its temporary folder and leaves `dir` as it was. A refused folder or
/// a failed swap is a [`BuildError::System`].
pub fn build_on_disk<T>(
    dir: &Path,
    site_root: &Path,
    build: impl FnOnce(&Output) -> Result<T, BuildError>,
) -> Result<T, BuildError> {
    let out = Output::disk(dir, site_root)?;
    let made = build(&out)?;
    out.commit()?;
    Ok(made)
}

/// `path` made absolute with every existing folder resolved through the file system, so
/// that `..` and symbolic links in it name the real place. The last component is kept as
/// written (a symbolic link there is refused later, not followed).
fn resolve(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let abs = match abs.components().next_back() {
        Some(Component::Normal(_)) => abs,
        // Ends in `..` (or is `/`): only an existing folder can be meant.
        _ => abs
            .canonicalize()
            .with_context(|| format!("{} does not exist", abs.display()))?,
    };
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Ok(abs);
    };
    // The deepest existing ancestor, resolved; the rest appended as written.
    let mut existing = parent.to_path_buf();
    let mut missing = Vec::new();
    while existing.symlink_metadata().is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(p)) => {
                missing.push(n.to_owned());
                existing = p.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", existing.display()))?;
    for n in missing.iter().rev() {
        resolved.push(n);
    }
    if resolved.components().any(|c| c == Component::ParentDir) {
        bail!("`..` follows a folder that does not exist");
    }
    Ok(resolved.join(name))
}

/// Refuses the site root and its ancestors, an ancestor of the real `content/`,
/// `templates/`, `static/` or `.git` (they may be symbolic links), another site's root,
/// and `.git`, `content/`, `templates/`, `static/` or anything inside them, of this site or
/// of any site above the folder. Any `.git` folder on the way is refused too.
fn refuse_site_folders(dir: &Path, site_root: &Path, shown: &str) -> Result<()> {
    let root = site_root
        .canonicalize()
        .with_context(|| format!("cannot find the site folder {}", site_root.display()))?;
    // A symbolic link is judged by where it leads as well as by where it is.
    let real = dir.canonicalize().ok();
    let places: Vec<&Path> = std::iter::once(dir).chain(real.as_deref()).collect();
    let refuse = |why: String| -> Result<()> {
        bail!(
            "refusing to write the site into {shown}: {why}; nothing was changed\n  hint: choose a folder of its own, such as the default `public`"
        )
    };
    const OWN: [&str; 4] = [".git", "content", "templates", "static"];
    let folder = |own: &str| {
        if own == ".git" {
            ".git".to_string()
        } else {
            format!("{own}/")
        }
    };
    for d in &places {
        if root.starts_with(d) {
            return refuse("it holds the site itself".into());
        }
        if d.components().any(|c| c.as_os_str() == ".git") {
            return refuse("it is inside a .git folder, which docsite never writes".into());
        }
        for own in OWN {
            let own_real = root.join(own).canonicalize().ok();
            if own_real
                .as_ref()
                .is_some_and(|r| r.starts_with(d) && r != *d)
            {
                return refuse(format!(
                    "it holds the site's {} folder (through a symbolic link)",
                    folder(own)
                ));
            }
        }
        // This site's folders, and those of any site above `d`.
        for site in d.ancestors() {
            let is_this = site == root;
            if !is_this && !site.join("site.toml").is_file() {
                continue;
            }
            for own in OWN {
                let own_dir = site.join(own);
                let own_real = own_dir.canonicalize().unwrap_or_else(|_| own_dir.clone());
                if d.starts_with(&own_dir) || d.starts_with(&own_real) {
                    let inside = if *d == own_dir || *d == own_real {
                        ""
                    } else {
                        "inside "
                    };
                    let whose = if is_this {
                        "the site's"
                    } else {
                        "another site's"
                    };
                    return refuse(format!(
                        "it is {inside}{whose} {} folder, which docsite never writes",
                        folder(own)
                    ));
                }
            }
        }
        // Another site's own folder; this site's earlier output may hold a copied site.toml.
        if d.join("site.toml").exists() && !is_marked(d) {
            return refuse("it holds a site.toml, so it is a site's own folder".into());
        }
    }
    Ok(())
}

/// Whether `dir` holds the [`MARKER`] of an output docsite wrote.
fn is_marked(dir: &Path) -> bool {
    dir.join(MARKER)
        .symlink_metadata()
        .is_ok_and(|m| m.is_file())
}

/// Refuses anything at `dir` but nothing, an empty folder, or a folder docsite wrote.
fn refuse_what_docsite_did_not_make(dir: &Path, shown: &str) -> Result<()> {
    let meta = match dir.symlink_metadata() {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {shown}")),
    };
    let how = "give --output-dir a new or empty folder";
    if meta.file_type().is_symlink() {
        bail!(
            "refusing to replace {shown}: it is a symbolic link, and docsite replaces only a folder it wrote itself; nothing was changed\n  hint: {how}, or remove the link yourself"
        );
    }
    if !meta.is_dir() {
        bail!(
            "refusing to replace {shown}: it is a file, not a folder; nothing was changed\n  hint: {how}"
        );
    }
    let mut entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read the folder {shown}"))?;
    if entries.next().is_none() {
        return Ok(());
    }
    if is_marked(dir) {
        return refuse_mount_points(dir, shown);
    }
    bail!(
        "refusing to replace {shown}: it is not empty and docsite did not write it (it has no {MARKER} file), so its files may be yours; nothing was changed\n  hint: {how}; if {shown} is an older docsite output, delete it yourself once"
    )
}

/// Refuses an output that holds another file system (a mount point) anywhere inside:
/// replacing the folder would remove files that docsite did not write.
fn refuse_mount_points(dir: &Path, shown: &str) -> Result<()> {
    if let Some(mount) = first_mount_point(dir) {
        let inner = mount
            .strip_prefix(dir)
            .unwrap_or(&mount)
            .display()
            .to_string();
        let inner = crate::diag::clean(&inner);
        bail!(
            "refusing to replace {shown}: {shown}/{inner} is a mount point, whose files docsite did not write; nothing was changed\n  hint: unmount it, or give --output-dir another folder"
        );
    }
    Ok(())
}

/// The first folder under `dir` that is a mount point, if any: one listed in
/// `/proc/self/mountinfo` (which also finds bind mounts of the same file system), or,
/// where the system has no such list, one on another device than `dir` (which takes a
/// walk of the whole folder).
fn first_mount_point(dir: &Path) -> Option<PathBuf> {
    match mount_points_under(dir) {
        Some(listed) => listed.into_iter().next(),
        None => other_device_under(dir),
    }
}

/// The mount points strictly inside `dir`, from `/proc/self/mountinfo`; `None` where that
/// list cannot be read (outside Linux).
fn mount_points_under(dir: &Path) -> Option<Vec<PathBuf>> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut found: Vec<PathBuf> = info
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(|p| PathBuf::from(unescape_mountinfo(p)))
        .filter(|p| p.starts_with(dir) && p != dir)
        .collect();
    found.sort();
    Some(found)
}

/// mountinfo writes space, tab, newline and backslash in paths as `\ooo` (octal).
fn unescape_mountinfo(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b
            .get(i + 1..i + 4)
            .filter(|o| o.iter().all(|c| (b'0'..=b'7').contains(c)));
        match (b[i], octal) {
            (b'\\', Some(o)) => {
                out.push((o[0] - b'0') * 64 + (o[1] - b'0') * 8 + (o[2] - b'0'));
                i += 4;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(unix)]
fn other_device_under(dir: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let dev = dir.symlink_metadata().ok()?.dev();
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .find(|e| e.metadata().is_ok_and(|m| m.dev() != dev))
        .map(|e| e.into_path())
}

#[cfg(not(unix))]
fn other_device_under(_dir: &Path) -> Option<PathBuf> {
    None
}

/// Removes `dir` and what is inside it without following a symbolic link or entering a
/// mount point (another file system, or a bind mount): those stay, with their files.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    if dir.symlink_metadata()?.file_type().is_symlink() {
        return std::fs::remove_file(dir);
    }
    let mounts = mount_points_under(dir).unwrap_or_default();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .same_file_system(true)
        .contents_first(true)
        .into_iter()
        .filter_entry(|e| !mounts.iter().any(|m| m == e.path()));
    let mut last = Ok(());
    for e in walk {
        let r = match e {
            Ok(e) if e.file_type().is_dir() => std::fs::remove_dir(e.path()),
            Ok(e) => std::fs::remove_file(e.path()),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = r {
            last = Err(e);
        }
    }
    last
}

/// `.public.docsite-tmp-123` for the output folder `public`.
fn temporary_name(output_name: &str, kind: &str, pid: u32) -> String {
    format!(".{output_name}.docsite-{kind}-{pid}")
}

/// The process id in the name of a temporary folder of `output_name`, if it is one: this
/// version's `.public.docsite-tmp-123` and `.public.docsite-old-123`, and the
/// `.public.tmp-123` (and `.public.tmp-123.old`) of earlier versions.
fn temporary_pid(file_name: &str, output_name: &str) -> Option<(u32, bool)> {
    let rest = file_name.strip_prefix(&format!(".{output_name}."))?;
    if let Some(pid) = rest
        .strip_prefix("docsite-tmp-")
        .or_else(|| rest.strip_prefix("docsite-old-"))
    {
        return digits(pid).map(|p| (p, true));
    }
    let pid = rest.strip_prefix("tmp-")?;
    digits(pid.strip_suffix(".old").unwrap_or(pid)).map(|p| (p, false))
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Removes the temporary folders of `output_name` in `parent` whose process is gone. A
/// folder of this version must also carry the [`MARKER`]; a symbolic link is never
/// followed or removed.
fn remove_stale_temporaries(parent: &Path, output_name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((pid, marked)) = temporary_pid(&name, output_name) else {
            continue;
        };
        let path = e.path();
        let is_dir = path.symlink_metadata().is_ok_and(|m| m.is_dir());
        // Older versions left no mark: their folders must at least look like a build.
        let ours = if marked {
            is_marked(&path)
        } else {
            pid <= pid_max() && LEGACY_SIGNS.iter().any(|f| path.join(f).exists())
        };
        if !is_dir || !ours || process_alive(pid) {
            continue;
        }
        let _ = remove_tree(&path);
    }
}

/// A writer that keeps the first error of the one it wraps, so that a failed write (a
/// system error) is told apart from a problem of what was being written, whatever the
/// writing code made of the error.
struct Tracked<'w> {
    w: &'w mut dyn std::io::Write,
    failed: Option<std::io::Error>,
}

impl Tracked<'_> {
    /// Keeps `e` (unless it only asks to try again) and hands a copy on.
    fn keep(&mut self, e: std::io::Error) -> std::io::Error {
        if e.kind() == std::io::ErrorKind::Interrupted {
            return e;
        }
        let copy = std::io::Error::new(e.kind(), e.to_string());
        self.failed.get_or_insert(e);
        copy
    }
}

impl std::io::Write for Tracked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.w.write(buf).map_err(|e| self.keep(e))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush().map_err(|e| self.keep(e))
    }
}

/// Files that every build of older versions wrote first or early.
/// They name past versions' files, kept as they were, not this version's routes.
const LEGACY_SIGNS: [&str; 4] = [".nojekyll", "index.html", "404.html", "chapters"];

/// The largest process id this system gives (4,194,304 at most on Linux).
fn pid_max() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(4_194_304)
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

fn register(tmp: &Path) {
    lock(&TEMPORARIES).push(tmp.to_path_buf());
}

fn remove_temporary(tmp: &Path) {
    let _ = remove_tree(tmp);
    lock(&TEMPORARIES).retain(|t| t != tmp);
}

/// Makes Ctrl-C (and SIGTERM, SIGHUP) remove this process's temporary folders before it
/// exits with status 130. A swap under way is finished first.
pub fn clean_up_on_interrupt() -> Result<()> {
    ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let temporaries = lock(&TEMPORARIES);
        for tmp in temporaries.iter() {
            // Threads of the build may still be finishing the file each was writing,
            // which can bring a folder back: remove until it stays gone.
            let mut gone_for = 0;
            for _ in 0..200 {
                let _ = remove_tree(tmp);
                std::thread::sleep(std::time::Duration::from_millis(5));
                gone_for = if tmp.symlink_metadata().is_err() {
                    gone_for + 1
                } else {
                    0
                };
                if gone_for == 4 {
                    break;
                }
            }
        }
        eprintln!("interrupted; the output folder was left as it was");
        std::process::exit(130);
    })
    .context("cannot install the Ctrl-C handler")
}

fn swap_in(tmp: &Path, dir: &Path) -> Result<()> {
    if dir.symlink_metadata().is_err() {
        std::fs::rename(tmp, dir)
            .with_context(|| format!("cannot move the new site into {}", dir.display()))?;
        return Ok(());
    }
    if exchange(tmp, dir).is_ok() {
        // `tmp` now holds the old site; the caller removes it.
        return Ok(());
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = dir.with_file_name(temporary_name(&name, "old", std::process::id()));
    let _ = remove_tree(&old);
    std::fs::rename(dir, &old)
        .with_context(|| format!("cannot move the old site out of {}", dir.display()))?;
    if let Err(e) = std::fs::rename(tmp, dir) {
        let _ = std::fs::rename(&old, dir);
        return Err(e).with_context(|| format!("cannot move the new site into {}", dir.display()));
    }
    let _ = remove_tree(&old);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that fails is kept, whatever the writing code makes of its error.
    #[test]
    fn a_failed_write_is_kept_apart() {
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut tracked = Tracked {
            w: &mut Full,
            failed: None,
        };
        let _ = std::io::Write::write_all(&mut tracked, b"page");
        assert_eq!(
            tracked.failed.map(|e| e.kind()),
            Some(std::io::ErrorKind::StorageFull)
        );
    }

    #[test]
    fn temporary_names_are_recognised_and_nothing_else() {
        assert_eq!(
            temporary_pid(".public.docsite-tmp-12", "public"),
            Some((12, true))
        );
        assert_eq!(
            temporary_pid(".public.docsite-old-12", "public"),
            Some((12, true))
        );
        assert_eq!(temporary_pid(".public.tmp-12", "public"), Some((12, false)));
        assert_eq!(
            temporary_pid(".public.tmp-12.old", "public"),
            Some((12, false))
        );
        for other in [
            ".public.tmp-",
            ".public.tmp-12x",
            ".public.docsite-tmp-",
            ".site.docsite-tmp-12",
            "public.docsite-tmp-12",
            ".public.docsite-tmp-99999999999",
        ] {
            assert_eq!(temporary_pid(other, "public"), None, "{other}");
        }
    }

    #[test]
    fn build_on_disk_commits_only_a_build_that_succeeded() {
        let d = tempfile::tempdir().unwrap();
        let (site, public) = (d.path().join("site"), d.path().join("public"));
        std::fs::create_dir(&site).unwrap();
        let names = || {
            let mut n: Vec<_> = std::fs::read_dir(d.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            n.sort();
            n
        };
        let failed = build_on_disk(&public, &site, |out| {
            out.put("index.html", b"half".to_vec())?;
            Err::<(), _>(BuildError::Site(crate::diag::Diagnostics::default()))
        });
        assert!(matches!(failed, Err(BuildError::Site(_))));
        let panicked = std::panic::catch_unwind(|| {
            build_on_disk(&public, &site, |out| -> Result<(), BuildError> {
                out.put("index.html", b"half".to_vec())?;
                panic!("a bug in the middle of a build")
            })
        });
        assert!(panicked.is_err());
        assert_eq!(names(), ["site"], "a temporary folder was left behind");
        build_on_disk(&public, &site, |out| {
            Ok(out.put("index.html", b"new".to_vec())?)
        })
        .unwrap();
        assert_eq!(std::fs::read(public.join("index.html")).unwrap(), b"new");
        assert_eq!(names(), ["public", "site"]);
    }

    #[test]
    fn a_failed_swap_puts_the_old_output_back() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("public");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "old").unwrap();
        // The new build vanished: both the exchange and the second rename fail.
        let err = swap_in(&d.path().join(".public.docsite-tmp-1"), &dir).unwrap_err();
        assert!(format!("{err:#}").contains("cannot move the new site into"));
        assert_eq!(
            std::fs::read_to_string(dir.join("index.html")).unwrap(),
            "old"
        );
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["public"], "a folder was left beside the output");
    }

    #[test]
    fn mount_points_are_found_where_the_device_changes() {
        use std::os::unix::fs::MetadataExt;
        // /dev holds mounts of its own (pts, shm) on Linux; checked against stat itself.
        let dev = std::fs::metadata("/dev").unwrap().dev();
        let expected = std::fs::read_dir("/dev")
            .unwrap()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .any(|e| e.metadata().is_ok_and(|m| m.dev() != dev));
        assert_eq!(other_device_under(Path::new("/dev")).is_some(), expected);
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("a/b")).unwrap();
        assert_eq!(first_mount_point(d.path()), None);
        assert_eq!(unescape_mountinfo("/a\\040b\\134c"), "/a b\\c");
    }
}
