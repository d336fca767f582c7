//! The built-in theme: the repository's `templates/` and `static/`, compiled into the
//! binary by `build.rs` (every file of both folders, walked whole). A site uses these files
//! wherever it has none of its own: its `templates/X.html` or `static/X` replaces the
//! built-in file of that path alone, and files it adds are used beside them. The render
//! stage merges the two (its template loader and its copy of `static/`); this module owns
//! the embedded files, how a built-in file is named in a diagnostic ([`shown`]), and the
//! `theme` commands: [`eject`] writes the built-in files into a site without overwriting
//! any, [`list`] says which the site overrides.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

/// How a diagnostic names a built-in file: `(built-in theme) templates/event.html`.
pub(crate) fn shown(path: &str) -> String {
    format!("(built-in theme) {path}")
}

/// The built-in files under `folder/` (`templates` or `static`), by their path inside it.
fn under(folder: &str) -> impl Iterator<Item = (&'static str, &'static [u8])> + '_ {
    FILES.iter().filter_map(move |(path, bytes)| {
        let rest = path.strip_prefix(folder)?.strip_prefix('/')?;
        Some((rest, *bytes))
    })
}

/// The built-in templates: name (as Tera knows it, `base.html`) and text.
pub(crate) fn templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    // Every built-in template is UTF-8 (a unit test checks it).
    under("templates").filter_map(|(name, bytes)| Some((name, std::str::from_utf8(bytes).ok()?)))
}

/// The built-in files of `static/`: path inside it (`style.css`) and bytes.
pub(crate) fn static_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    under("static")
}

/// One built-in file as `eject` left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ejected {
    /// Its path in the site: `templates/base.html`.
    pub path: String,
    /// Written now; `false` when the site had a file there already, which was kept.
    pub written: bool,
}

/// `theme eject`: writes every built-in file into the site at `root`, making `templates/`
/// and `static/` as needed. A file that is already there (whatever it holds, even a folder
/// or a link) is kept as it is: nothing is ever overwritten. Returns every built-in file
/// in path order, and whether it was written.
pub fn eject(root: &Path) -> Result<Vec<Ejected>> {
    let mut done = Vec::with_capacity(FILES.len());
    for (path, bytes) in FILES {
        let dest = root.join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot make the folder {}", parent.display()))?;
        }
        // `create_new` refuses any existing entry, a dangling link included, atomically.
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&dest);
        let written = match opened {
            Ok(mut f) => {
                f.write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .with_context(|| format!("cannot write {}", dest.display()))?;
                true
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(e) => return Err(e).with_context(|| format!("cannot write {}", dest.display())),
        };
        done.push(Ejected {
            path: (*path).to_string(),
            written,
        });
    }
    Ok(done)
}

/// Where a file of the theme a site builds with comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The built-in theme: the site has no file of that path.
    BuiltIn,
    /// The site's own file, in place of the built-in one of the same path.
    Overridden,
    /// The site's own file, byte for byte the built-in one (as `eject` wrote it).
    Same,
    /// The site's own file, with no built-in one of that path.
    Added,
}

/// `theme list`: every file of `templates/` and `static/` the site at `root` builds with,
/// by path (`templates/base.html`), and where each comes from. Files the site's folders
/// hold that cannot be read are left out (the build reports them).
pub fn list(root: &Path) -> BTreeMap<String, Origin> {
    let built_in: BTreeMap<&str, &[u8]> = FILES.iter().map(|(p, b)| (*p, *b)).collect();
    let mut files: BTreeMap<String, Origin> = FILES
        .iter()
        .map(|(p, _)| ((*p).to_string(), Origin::BuiltIn))
        .collect();
    let mut ignored = crate::diag::Diagnostics::default();
    for folder in ["templates", "static"] {
        for path in crate::files::files_under(root, folder, &mut ignored) {
            let rel = crate::files::rel(root, &path)
                .to_string_lossy()
                .replace('\\', "/");
            let origin = match built_in.get(rel.as_str()) {
                // Read only when it has the built-in file's length (a few kilobytes).
                Some(b) if same_len(&path, b) && std::fs::read(&path).is_ok_and(|t| t == *b) => {
                    Origin::Same
                }
                Some(_) => Origin::Overridden,
                None => Origin::Added,
            };
            files.insert(rel, origin);
        }
    }
    files
}

fn same_len(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_holds_the_repository_folders_and_its_templates_are_text() {
        let paths: Vec<&str> = FILES.iter().map(|(p, _)| *p).collect();
        for needed in [
            "templates/base.html",
            "templates/event.html",
            "static/style.css",
        ] {
            assert!(paths.contains(&needed), "{needed} not embedded: {paths:?}");
        }
        assert!(paths
            .iter()
            .all(|p| p.starts_with("templates/") || p.starts_with("static/")));
        let count = FILES
            .iter()
            .filter(|(p, _)| p.starts_with("templates/"))
            .count();
        assert_eq!(templates().count(), count);
        for (path, bytes) in FILES {
            if path.starts_with("templates/") {
                assert!(std::str::from_utf8(bytes).is_ok(), "{path} is not UTF-8");
            }
        }
        let on_disk =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/style.css")).unwrap();
        assert_eq!(
            static_files().find(|(p, _)| *p == "style.css").unwrap().1,
            on_disk
        );
    }

    /// The theme serves any documentary: the words of the one in this repository live in
    /// its site.toml and content/, never here.
    #[test]
    fn the_theme_carries_no_word_of_the_repositorys_documentary() {
        let words = [
            "korea",
            "vietnam",
            "hanoi",
            "pyongyang",
            "comrade",
            "kim il",
            "ho chi",
            "trần",
            "four chapters",
            "cited in e",
            "every fact",
        ];
        for (path, bytes) in FILES {
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            for w in words {
                assert!(!text.contains(w), "{path} says {w:?}");
            }
        }
    }
}
