//! Where a build's files go: one switch, disk or memory.
//!
//! `build` writes to disk through [`Output::Disk`]: every file goes into a temporary folder
//! beside the output folder, and only when the whole build succeeded is that folder
//! swapped in for the old one (an atomic `renameat2(RENAME_EXCHANGE)` where the file
//! system supports it, two renames otherwise). A failed build removes its temporary folder
//! and leaves the previous output exactly as it was; a successful one leaves no stale file.
//! `serve` and the tests use [`Output::Memory`], which keeps the files in a map.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
}

impl Output {
    pub fn memory() -> Output {
        Output::Memory(Mutex::new(BTreeMap::new()))
    }

    /// Prepares a temporary folder beside `dir`. Refuses output folders that would destroy
    /// the site's own files.
    pub fn disk(dir: &Path, site_root: &Path) -> Result<Output> {
        let dir = if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            std::env::current_dir()?.join(dir)
        };
        let root = site_root
            .canonicalize()
            .unwrap_or_else(|_| site_root.to_path_buf());
        let parent = dir
            .parent()
            .context("the output folder cannot be the file system root")?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let parent = parent.canonicalize()?;
        let name = dir.file_name().context("the output folder needs a name")?;
        let dir = parent.join(name);
        if root.starts_with(&dir) || dir.join("site.toml").exists() {
            bail!(
                "refusing to write the site into {}: it holds the site's own files",
                dir.display()
            );
        }
        for protected in ["content", "templates", "static"] {
            if dir == root.join(protected) {
                bail!(
                    "refusing to write the site into {}: it holds the site's own files",
                    dir.display()
                );
            }
        }
        let tmp = parent.join(format!(
            ".{}.tmp-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(Output::Disk(DiskOutput { dir, tmp }))
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
                if let Some(p) = path.parent() {
                    std::fs::create_dir_all(p)
                        .with_context(|| format!("cannot create {}", p.display()))?;
                }
                std::fs::write(&path, bytes)
                    .with_context(|| format!("cannot write {}", path.display()))
            }
        }
    }

    /// Writes one file at `rel` through `fill`, which streams into it (disk) or into a
    /// buffer (memory). An I/O error becomes a diagnostic naming the file.
    pub fn put_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> Result<(), crate::diagnostics::Diagnostic>,
    ) -> Result<(), crate::diagnostics::Diagnostic> {
        use std::io::Write;
        let io = |e: &dyn std::fmt::Display| {
            crate::diagnostics::Diagnostic::file(rel, format!("cannot write: {e}"))
        };
        match self {
            Output::Memory(_) => {
                let mut buf = Vec::new();
                fill(&mut buf)?;
                self.put(rel, buf).map_err(|e| io(&format!("{e:#}")))
            }
            Output::Disk(d) => {
                let path = d.tmp.join(rel);
                if let Some(p) = path.parent() {
                    std::fs::create_dir_all(p).map_err(|e| io(&e))?;
                }
                let file = std::fs::File::create(&path).map_err(|e| io(&e))?;
                let mut w = std::io::BufWriter::with_capacity(64 * 1024, file);
                fill(&mut w)?;
                w.flush().map_err(|e| io(&e))
            }
        }
    }

    /// Whether the site answers the path `rel` (inside the site, without base path): a file,
    /// or a folder with an `index.html`.
    pub fn serves(&self, rel: &str) -> bool {
        let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
        let rel = rel.trim_start_matches('/');
        let candidates = if rel.is_empty() || rel.ends_with('/') {
            vec![format!("{rel}index.html")]
        } else {
            vec![rel.to_string(), format!("{rel}/index.html")]
        };
        if candidates.iter().any(|c| c.split('/').any(|s| s == "..")) {
            return false;
        }
        match self {
            Output::Memory(m) => m
                .lock()
                .map(|m| candidates.iter().any(|c| m.contains_key(c)))
                .unwrap_or(false),
            Output::Disk(d) => candidates.iter().any(|c| d.tmp.join(c).is_file()),
        }
    }

    /// Swaps the finished build in (disk) and returns the files (memory).
    pub fn commit(self) -> Result<Option<BTreeMap<String, Vec<u8>>>> {
        match self {
            Output::Memory(m) => Ok(Some(
                m.into_inner()
                    .map_err(|_| anyhow::anyhow!("output lock poisoned"))?,
            )),
            Output::Disk(d) => {
                swap_in(&d.tmp, &d.dir)?;
                Ok(None)
            }
        }
    }

    /// Abandons a failed build: the temporary folder goes, the old output stays.
    pub fn discard(self) {
        if let Output::Disk(d) = self {
            let _ = std::fs::remove_dir_all(&d.tmp);
        }
    }
}

fn swap_in(tmp: &Path, dir: &Path) -> Result<()> {
    if !dir.exists() {
        std::fs::rename(tmp, dir)
            .with_context(|| format!("cannot move the new site into {}", dir.display()))?;
        return Ok(());
    }
    if exchange(tmp, dir).is_ok() {
        // `tmp` now holds the old site.
        std::fs::remove_dir_all(tmp)
            .with_context(|| format!("cannot remove the old site in {}", tmp.display()))?;
        return Ok(());
    }
    let old = tmp.with_extension("old");
    let _ = std::fs::remove_dir_all(&old);
    std::fs::rename(dir, &old)
        .with_context(|| format!("cannot move the old site out of {}", dir.display()))?;
    if let Err(e) = std::fs::rename(tmp, dir) {
        let _ = std::fs::rename(&old, dir);
        return Err(e).with_context(|| format!("cannot move the new site into {}", dir.display()));
    }
    let _ = std::fs::remove_dir_all(&old);
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
