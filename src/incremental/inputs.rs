//! What a build reads, as fingerprints: every file of `site.toml`, `content/`,
//! `templates/`, `static/` and `i18n/`, by path, with its size, modification time and a
//! hash of its bytes. A file whose size and time are unchanged is not read again; one
//! that was only touched (same bytes) is no change.

use super::deps::Fnv;
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The folders a build reads, besides `site.toml`.
const FOLDERS: [&str; 4] = ["content", "templates", "static", "i18n"];

/// One file's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Print {
    len: u64,
    modified: Option<SystemTime>,
    /// `None` for what is not a plain file read the usual way (a symbolic link, a file that
    /// cannot be read): never equal to anything, so it always counts as changed.
    hash: Option<u64>,
}

impl Print {
    const UNKNOWN: Print = Print {
        len: 0,
        modified: None,
        hash: None,
    };
}

/// The fingerprints of a site's inputs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inputs(BTreeMap<PathBuf, Print>);

impl Inputs {
    /// Fingerprints the inputs under `root`, reusing `last`'s hash of each file whose size
    /// and time are the same.
    pub(crate) fn scan(root: &Path, last: &Inputs) -> Inputs {
        // A time this recent may be shared by a later write (a coarse clock): such a file is
        // read again, as Git does with its racily clean entries.
        let recent = SystemTime::now() - std::time::Duration::from_secs(2);
        let mut files: BTreeMap<PathBuf, Print> = BTreeMap::new();
        let add = |files: &mut BTreeMap<PathBuf, Print>, path: &Path, meta: std::fs::Metadata| {
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let (len, modified) = (meta.len(), meta.modified().ok());
            let hash = match last.0.get(&rel) {
                Some(p)
                    if p.len == len
                        && p.modified == modified
                        && modified.is_some_and(|m| m < recent)
                        && p.hash.is_some() =>
                {
                    p.hash
                }
                _ if meta.file_type().is_file() => std::fs::read(path).ok().map(|b| {
                    let mut h = Fnv::default();
                    h.write(&b);
                    h.finish()
                }),
                _ => None,
            };
            files.insert(
                rel,
                Print {
                    len,
                    modified,
                    hash,
                },
            );
        };
        let toml = root.join("site.toml");
        if let Ok(meta) = std::fs::symlink_metadata(&toml) {
            add(&mut files, &toml, meta);
        }
        for dir in FOLDERS {
            for entry in walkdir::WalkDir::new(root.join(dir)).follow_links(false) {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) if e.depth() == 0 && !root.join(dir).exists() => continue,
                    Err(e) => {
                        // A folder that cannot be read: a change every time.
                        let at = e.path().unwrap_or(Path::new(dir));
                        let rel = at.strip_prefix(root).unwrap_or(at).to_path_buf();
                        files.insert(rel, Print::UNKNOWN);
                        continue;
                    }
                };
                if entry.file_type().is_dir() {
                    continue;
                }
                if let Ok(meta) = entry.metadata() {
                    add(&mut files, entry.path(), meta);
                }
            }
        }
        Inputs(files)
    }

    /// The hash of each file's bytes, by path relative to the site.
    pub(crate) fn hashes(&self) -> std::collections::HashMap<PathBuf, u64> {
        (self.0.iter())
            .filter_map(|(p, print)| Some((p.clone(), print.hash?)))
            .collect()
    }

    /// The files (relative to the site) that differ between `self` and `new`: changed,
    /// added or removed.
    pub(crate) fn changed<'n>(&'n self, new: &'n Inputs) -> Vec<&'n Path> {
        let gone = (self.0.keys()).filter(|p| !new.0.contains_key(*p));
        let differ = (new.0.iter())
            .filter(|(p, print)| {
                let before = self.0.get(*p).and_then(|b| b.hash);
                print.hash.is_none() || before != print.hash
            })
            .map(|(p, _)| p);
        gone.chain(differ).map(PathBuf::as_path).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_saved_unchanged_is_no_change_and_an_edit_is_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/events")).unwrap();
        std::fs::write(root.join("site.toml"), "title = \"x\"").unwrap();
        std::fs::write(root.join("content/events/a.md"), "a").unwrap();
        std::fs::write(root.join("notes.txt"), "not read by the build").unwrap();
        let first = Inputs::scan(root, &Inputs::default());
        assert_eq!(
            Inputs::default().changed(&first),
            [Path::new("content/events/a.md"), Path::new("site.toml")]
        );
        std::fs::write(root.join("content/events/a.md"), "a").unwrap();
        std::fs::write(root.join("notes.txt"), "edited").unwrap();
        let touched = Inputs::scan(root, &first);
        assert!(first.changed(&touched).is_empty());
        std::fs::write(root.join("content/events/a.md"), "b").unwrap();
        std::fs::write(root.join("static.md"), "b").unwrap();
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/s.css"), "b").unwrap();
        let edited = Inputs::scan(root, &touched);
        assert_eq!(
            touched.changed(&edited),
            [Path::new("content/events/a.md"), Path::new("static/s.css")]
        );
        std::fs::remove_file(root.join("content/events/a.md")).unwrap();
        let gone = Inputs::scan(root, &edited);
        assert_eq!(edited.changed(&gone), [Path::new("content/events/a.md")]);
    }
}
