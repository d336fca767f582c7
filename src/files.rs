//! Reading the site's files safely: the [`Fence`] every file is read through, the walk of a
//! folder ([`files_under`]), and the size limits that keep hostile input from exhausting
//! memory or disk.
//!
//! Every stage that reads a user's file (content, config, templates, the static copy,
//! `new`) goes through here, so the rules are written once.

use crate::diag::{Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The most bytes a file read into memory may hold: a content file, a template, a registry,
/// `site.toml`, or a file of `static/` when the output is kept in memory (`serve`, `check`).
/// A larger file is an error naming it and its size; nothing is allocated from a length a
/// file claims.
pub(crate) const MAX_FILE_BYTES: u64 = 256 << 20;

/// The most bytes a file of `static/` may hold when the build writes to disk (it is copied
/// by streaming, never held whole in memory). GitHub Pages refuses files over 100 MB.
pub(crate) const MAX_STATIC_BYTES: u64 = 2 << 30;

/// The most bytes all the files of `static/` together may hold when the build writes to
/// disk: symlinks to one large file could otherwise fill the disk with copies of it.
pub(crate) const MAX_STATIC_TOTAL_BYTES: u64 = 16 << 30;

/// The most bytes all the files of `static/` together may hold when the output is kept in
/// memory (`serve`, `check`).
pub(crate) const MAX_MEMORY_TOTAL_BYTES: u64 = 2 << 30;

/// The most files one walk of a folder (`content/events`, `static`, …) may find.
pub(crate) const MAX_FILES: usize = 100_000;

/// A size in words: `256 MiB`, `1024 GiB`, `812 bytes`.
pub(crate) fn size_in_words(n: u64) -> String {
    if n >= 1 << 30 && n.is_multiple_of(1 << 30) {
        format!("{} GiB", n >> 30)
    } else if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// One of the site's folders (`content`, `templates`, `static`), or the site folder itself
/// (for `site.toml`), resolved once to its real path.
///
/// Every file read through it is decided on before anything is opened: its path is
/// resolved (all symlinks followed, which opens nothing) and refused, with a diagnostic
/// naming it, when it lies outside, so that a symlink cannot make the build read, publish,
/// quote in an error message, or even open, a file from elsewhere (`~/.ssh/…`, a
/// credentials file, a named pipe, `/dev/tty`), whether the link is the file itself, a
/// registry, `index.md` or a folder on the way. What lies inside must be a regular file
/// (checked before opening, so a named pipe or device is never opened, and again on the
/// open handle); it is opened without following a last symlink and without waiting, and
/// the real path of what was opened is checked again, so nothing can swap a link in
/// between. Files over [`MAX_FILE_BYTES`] are refused.
#[derive(Debug, Clone)]
pub(crate) struct Fence {
    root: PathBuf,
    dir: String,
    real: PathBuf,
    /// Every path (relative to the root) opened or asked to be opened through this fence
    /// or its clones: what the build reads, so that what it does not can be told apart.
    asked: Arc<std::sync::Mutex<std::collections::BTreeSet<PathBuf>>>,
}

impl Fence {
    /// The fence of `root/dir` (`dir` is one of the site's top folders).
    pub(crate) fn new(root: &Path, dir: &str) -> Fence {
        let base = root.join(dir);
        Fence {
            root: root.to_path_buf(),
            dir: dir.to_string(),
            real: base.canonicalize().unwrap_or(base),
            asked: Arc::default(),
        }
    }

    /// The fence of the site folder itself, for `site.toml`.
    pub(crate) fn site(root: &Path) -> Fence {
        Fence {
            root: root.to_path_buf(),
            dir: String::new(),
            real: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            asked: Arc::default(),
        }
    }

    /// Whether `rel` (relative to the root) was asked to be opened through this fence or
    /// one of its clones.
    pub(crate) fn was_asked(&self, rel: &Path) -> bool {
        (self.asked.lock().unwrap_or_else(|e| e.into_inner())).contains(rel)
    }

    /// Records `rel` (relative to the root) as read, without reading it: an incremental
    /// build's copy of an unchanged file stands in for it.
    pub(crate) fn note(&self, rel: &Path) {
        (self.asked.lock().unwrap_or_else(|e| e.into_inner())).insert(rel.to_path_buf());
    }

    /// The folder as the messages name it: `content/`, or `the site folder`.
    fn shown(&self) -> String {
        if self.dir.is_empty() {
            "the site folder".to_string()
        } else {
            format!("{}/", self.dir)
        }
    }

    /// The real path of `rel` (relative to the site root), if it lies inside the folder.
    /// Nothing is opened.
    pub(crate) fn resolve(&self, rel: &Path) -> Result<PathBuf, Diagnostic> {
        let real = self
            .root
            .join(rel)
            .canonicalize()
            .map_err(|e| Diagnostic::file(rel, format!("cannot read: {e}")))?;
        if real.starts_with(&self.real) {
            Ok(real)
        } else {
            Err(self.escape(rel, &real))
        }
    }

    /// Why `rel`, whose real path is `real`, is refused: names the symlink on its way that
    /// leads out (the file itself, or a folder above it).
    fn escape(&self, rel: &Path, real: &Path) -> Diagnostic {
        let dir = self.shown();
        let hint =
            format!("only files inside {dir} are read; copy the file in instead of linking to it");
        let inner = rel.strip_prefix(&self.dir).unwrap_or(rel);
        let mut at = PathBuf::from(&self.dir);
        for c in inner.components() {
            at.push(c);
            if at == rel {
                break;
            }
            let full = self.root.join(&at);
            let is_link = full
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink());
            if let (true, Ok(to)) = (is_link, full.canonicalize()) {
                if !to.starts_with(&self.real) {
                    return Diagnostic::file(
                        rel,
                        format!(
                            "this file is reached through the symlink {}, which leads out of {dir}, to {}",
                            at.display(),
                            to.display()
                        ),
                    )
                    .with_hint(hint);
                }
            }
        }
        Diagnostic::file(
            rel,
            format!("this symlink leads out of {dir}, to {}", real.display()),
        )
        .with_hint(hint)
    }

    /// Opens `rel` for reading once it is known to lie inside the folder and to be a
    /// regular file of at most `cap` bytes (see the type's doc); returns the handle and
    /// the file's size.
    pub(crate) fn open(&self, rel: &Path, cap: u64) -> Result<(std::fs::File, u64), Diagnostic> {
        use std::os::unix::fs::OpenOptionsExt;
        (self.asked.lock().unwrap_or_else(|e| e.into_inner())).insert(rel.to_path_buf());
        let real = self.resolve(rel)?;
        let cannot = |e: std::io::Error| Diagnostic::file(rel, format!("cannot read file: {e}"));
        // `stat` opens nothing: a named pipe or a device is refused unopened.
        let meta = std::fs::metadata(&real).map_err(cannot)?;
        if !meta.is_file() {
            return Err(Diagnostic::file(rel, "not a regular file"));
        }
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(&real)
            .map_err(|e| Diagnostic::file(rel, format!("cannot read: {e}")))?;
        // The path may have changed since it was resolved: check what was opened.
        let opened = real_path(&file, &real).map_err(cannot)?;
        if !opened.starts_with(&self.real) {
            return Err(self.escape(rel, &opened));
        }
        let meta = file.metadata().map_err(cannot)?;
        if !meta.is_file() {
            return Err(Diagnostic::file(rel, "not a regular file"));
        }
        if meta.len() > cap {
            return Err(too_large(rel, meta.len(), cap));
        }
        Ok((file, meta.len()))
    }

    /// Copies `rel` into `w` by streaming (see [`Fence::open`]); a file over `cap` bytes,
    /// or one that grows past it while being copied, is refused.
    pub(crate) fn copy_to(
        &self,
        rel: &Path,
        w: &mut dyn std::io::Write,
        cap: u64,
    ) -> Result<u64, Diagnostic> {
        use std::io::Read;
        let (file, _) = self.open(rel, cap)?;
        let n = std::io::copy(&mut file.take(cap + 1), w)
            .map_err(|e| Diagnostic::file(rel, format!("cannot copy file: {e}")))?;
        if n > cap {
            return Err(too_large(rel, n, cap));
        }
        Ok(n)
    }

    /// Reads `rel` whole (at most [`MAX_FILE_BYTES`]), once it is known to lie inside the
    /// folder and to be a regular file.
    pub(crate) fn read(&self, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
        use std::io::Read;
        let (file, len) = self.open(rel, MAX_FILE_BYTES)?;
        // `len` is at most the cap; a file that grows meanwhile is stopped just past it.
        let mut bytes = Vec::with_capacity(len as usize);
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Diagnostic::file(rel, format!("cannot read file: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(rel, bytes.len() as u64, MAX_FILE_BYTES));
        }
        Ok(bytes)
    }

    /// Reads `rel` as UTF-8 text (a leading BOM is dropped), once it is known to lie inside
    /// the folder.
    pub(crate) fn read_text(&self, rel: &Path) -> Result<Arc<str>, Diagnostic> {
        decode_text(rel, self.read(rel)?)
    }
}

/// Why a file over `cap` bytes is refused.
fn too_large(rel: &Path, len: u64, cap: u64) -> Diagnostic {
    Diagnostic::file(
        rel,
        format!(
            "file too large: {len} bytes, over the limit of {}",
            size_in_words(cap)
        ),
    )
    .with_hint(
        "no file of a site may be this large; remove it, or host it elsewhere and link to it",
    )
}

/// The real path of the open `file` (opened from `path`): where the system says it is,
/// else `path` resolved.
fn real_path(file: &std::fs::File, path: &Path) -> std::io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let fd = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
        if let Ok(p) = std::fs::read_link(fd) {
            if p.is_absolute() {
                return Ok(p);
            }
        }
    }
    let _ = file;
    path.canonicalize()
}

/// `bytes`, read from `rel`, as UTF-8 text (a leading BOM is dropped).
fn decode_text(rel: &Path, bytes: Vec<u8>) -> Result<Arc<str>, Diagnostic> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    match String::from_utf8(bytes) {
        Ok(t) => Ok(Arc::from(t)),
        Err(_) if utf16 => Err(
            Diagnostic::file(rel, "file is UTF-16, not UTF-8").with_hint(
                "save the file as UTF-8 (most editors offer it under \"Save with encoding\")",
            ),
        ),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let line = prefix.matches('\n').count() + 1;
            let col = prefix[prefix.rfind('\n').map_or(0, |i| i + 1)..]
                .chars()
                .count()
                + 1;
            let mut d = Diagnostic::file(rel, "file is not valid UTF-8")
                .with_hint("save the file as UTF-8");
            d.line = line;
            d.col = col;
            Err(d)
        }
    }
}

/// `path` relative to `root` when it lies inside it.
pub(crate) fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Every regular file under `dir` (relative to root: `content/events`, `static`), sorted,
/// following symlinks but none out of the top folder (`content/`, `static/`): a folder
/// symlink leading out is reported once and not entered, a file symlink leading out is
/// reported; loops, unreadable entries and what is neither a file nor a folder (a named
/// pipe, a socket, a device: never opened) are reported too, all in `diags`. Each real
/// folder is walked once: one reached a second time (through a symlink: two links to one
/// folder, or a link and the folder itself) is reported naming both paths and not entered
/// again, so that links cannot multiply the files (a grid of links doubling at each level
/// would otherwise list 2^depth copies). A walk stops with an error after [`MAX_FILES`]
/// files. The files returned are still to be read through a [`Fence`], which resolves each
/// again.
pub(crate) fn files_under(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        // Missing is fine (the theme or an empty section stands in); anything else in
        // its place (a file, a dangling symlink) would be skipped without a word.
        if std::fs::symlink_metadata(&base).is_ok() {
            diags.push(
                Diagnostic::file(dir, "this is not a folder, so nothing in it is read")
                    .with_hint(format!("make `{dir}` a folder, or remove it")),
            );
        }
        return Vec::new();
    }
    let top = dir.split('/').next().unwrap_or(dir);
    let fence = Fence::new(root, top);
    if dir != top {
        if let Err(d) = fence.resolve(Path::new(dir)) {
            diags.push(d);
            return Vec::new();
        }
    }
    let mut state = Walk {
        root,
        dir,
        fence: &fence,
        walked: HashMap::new(),
        out: Vec::new(),
    };
    let mut walk = walkdir::WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let step = match entry {
            Ok(e) => state.entry(e, diags),
            Err(e) => {
                diags.push(walk_error(root, dir, &e));
                Step::Next
            }
        };
        match step {
            Step::Next => {}
            Step::SkipFolder => walk.skip_current_dir(),
            Step::Stop => break,
        }
    }
    state.out
}

/// What the walk of [`files_under`] does after an entry.
enum Step {
    Next,
    /// Not into this folder.
    SkipFolder,
    /// No further: the walk found too many files.
    Stop,
}

/// The state of one [`files_under`] walk.
struct Walk<'a> {
    root: &'a Path,
    dir: &'a str,
    fence: &'a Fence,
    /// Each real folder walked, by device and inode, with the path it was first reached by.
    walked: HashMap<(u64, u64), PathBuf>,
    out: Vec<PathBuf>,
}

impl Walk<'_> {
    fn entry(&mut self, e: walkdir::DirEntry, diags: &mut Diagnostics) -> Step {
        // Only links need resolving (most sites have none, so no file pays for it); a file
        // inside a linked folder that stays inside is inside too.
        if e.path_is_symlink() {
            let rel = rel(self.root, e.path());
            if let Err(d) = self.fence.resolve(&rel) {
                diags.push(d);
                return if e.file_type().is_dir() {
                    Step::SkipFolder
                } else {
                    Step::Next
                };
            }
        }
        if e.file_type().is_dir() {
            return self.folder(&e, diags);
        }
        if !e.file_type().is_file() {
            // A named pipe, a socket or a device: never opened.
            let rel = rel(self.root, e.path());
            diags.push(Diagnostic::file(rel, "not a regular file").with_hint(
                "only regular files and folders may be in the site's folders; remove it",
            ));
            return Step::Next;
        }
        if self.out.len() == MAX_FILES {
            diags.push(
                Diagnostic::file(
                    self.dir,
                    format!("more than {MAX_FILES} files: the rest were not read"),
                )
                .with_hint("a site of this many files is likely a symlink or copying mistake"),
            );
            return Step::Stop;
        }
        self.out.push(e.into_path());
        Step::Next
    }

    /// A folder, entered only the first time its real folder is reached.
    fn folder(&mut self, e: &walkdir::DirEntry, diags: &mut Diagnostics) -> Step {
        use std::os::unix::fs::MetadataExt;
        // Follows the link, as the walk does: the folder it leads to.
        let Ok(m) = e.metadata() else {
            return Step::Next;
        };
        let rel = rel(self.root, e.path());
        if let Some(first) = self.walked.get(&(m.dev(), m.ino())) {
            diags.push(
                Diagnostic::file(
                    &rel,
                    format!(
                        "this folder was already read as {}: a symlink leads to it a second time",
                        first.display()
                    ),
                )
                .with_hint("each folder is read once; remove the extra symlink"),
            );
            return Step::SkipFolder;
        }
        self.walked.insert((m.dev(), m.ino()), rel);
        Step::Next
    }
}

/// An entry the walk could not read, or a symlink loop.
fn walk_error(root: &Path, dir: &str, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map(|p| rel(root, p))
        .unwrap_or_else(|| PathBuf::from(dir));
    let msg = if e.loop_ancestor().is_some() {
        "symlink loop: this folder links back to one of its parents".to_string()
    } else {
        format!(
            "cannot read: {}",
            e.io_error()
                .map_or_else(|| e.to_string(), |io| io.to_string())
        )
    };
    Diagnostic::file(path, msg)
}

/// What [`write_new_file`] did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// The file was made and written.
    New,
    /// Nothing was written, for the reason given: something is already at the path, or a
    /// folder on the way is a symlink or a file.
    Kept(&'static str),
}

pub(crate) const EXISTS: &str = "it exists";
const LINKED_FOLDER: &str = "a folder on its path is a symlink";
const FILE_AS_FOLDER: &str = "a file stands where its folder would";

/// Why [`write_new_file`] would keep `root/rel` as it is, if it would, looked at now
/// without writing anything (what it then finds still decides).
pub(crate) fn taken(root: &Path, rel: &Path) -> Option<&'static str> {
    let mut at = root.to_path_buf();
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        at.push(part);
        let last = parts.peek().is_none();
        match std::fs::symlink_metadata(&at) {
            Err(_) => return None,
            Ok(_) if last => return Some(EXISTS),
            Ok(m) if m.is_symlink() => return Some(LINKED_FOLDER),
            Ok(m) if !m.is_dir() => return Some(FILE_AS_FOLDER),
            Ok(_) => {}
        }
    }
    None
}

/// Writes `bytes` to a new file `root/rel`, making the folders on the way, the one routine
/// by which docsite adds a file to a site (`init`, `theme eject`, `new`). It never
/// overwrites: anything already at the path (a file, a folder, a symlink, even a dangling
/// one) is kept. It never follows a symlink below `root`: each folder of `rel` is opened
/// relative to the one before without following a link (`openat` with `O_NOFOLLOW`), so
/// that a `templates -> /elsewhere` link, or one swapped in while it runs, cannot lead it
/// out of the site. `rel` must be a plain relative path (no `..`). A system error is an
/// error; a path taken is `Kept`, with why.
pub(crate) fn write_new_file(root: &Path, rel: &Path, bytes: &[u8]) -> anyhow::Result<Written> {
    use anyhow::Context;
    use std::io::Write;
    use std::path::Component;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            _ => anyhow::bail!("{} is not a plain path inside the site", rel.display()),
        }
    }
    let Some((name, folders)) = parts.split_last() else {
        anyhow::bail!("no file name to write");
    };
    let shown = |at: &Path| crate::clean(&at.display().to_string()).into_owned();
    // The site folder itself is where the author pointed: it may be a link.
    let mut dir = open_folder(None, root.as_os_str(), true)
        .with_context(|| format!("cannot open the folder {}", shown(root)))?;
    let mut at = root.to_path_buf();
    for part in folders {
        at.push(part);
        let opened = match open_folder(Some(&dir), part, false) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match make_folder(&dir, part) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(e).with_context(|| format!("cannot create {}", shown(&at)))
                }
                _ => open_folder(Some(&dir), part, false),
            },
            other => other,
        };
        dir = match opened {
            Ok(fd) => fd,
            // ELOOP: a symlink (not followed); ENOTDIR: a file or something else.
            Err(e) if matches!(e.raw_os_error(), Some(libc::ELOOP | libc::ENOTDIR)) => {
                let link = std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_symlink());
                return Ok(Written::Kept(if link {
                    LINKED_FOLDER
                } else {
                    FILE_AS_FOLDER
                }));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot open {}", shown(&at))),
        };
    }
    at.push(name);
    let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    let mut file = match open_at(Some(&dir), name, flags, 0o666) {
        Ok(fd) => std::fs::File::from(fd),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Ok(Written::Kept(EXISTS))
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", shown(&at))),
    };
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", shown(&at)))?;
    Ok(Written::New)
}

/// Opens the folder `name` (inside `dir`, or as a path when `dir` is `None`), following a
/// last symlink only when `follow`.
fn open_folder(
    dir: Option<&std::os::fd::OwnedFd>,
    name: &std::ffi::OsStr,
    follow: bool,
) -> std::io::Result<std::os::fd::OwnedFd> {
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC | nofollow;
    open_at(dir, name, flags, 0)
}

/// `openat(2)`: `name` inside `dir` (or relative to the current folder).
fn open_at(
    dir: Option<&std::os::fd::OwnedFd>,
    name: &std::ffi::OsStr,
    flags: libc::c_int,
    mode: libc::c_uint,
) -> std::io::Result<std::os::fd::OwnedFd> {
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(name.as_bytes())?;
    let at = dir.map_or(libc::AT_FDCWD, AsRawFd::as_raw_fd);
    // SAFETY: `name` is a NUL-terminated string that outlives the call, and `at` is an
    // open folder (borrowed for the call) or AT_FDCWD.
    let fd = unsafe { libc::openat(at, name.as_ptr(), flags, mode) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and nothing else owns it.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
}

/// `mkdirat(2)`: the folder `name` inside `dir`.
fn make_folder(dir: &std::os::fd::OwnedFd, name: &std::ffi::OsStr) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(name.as_bytes())?;
    // SAFETY: as in `open_at`.
    if unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), 0o777) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}
