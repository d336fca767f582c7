//! The built-in theme: the repository's `templates/` and `static/`, compiled into the
//! binary by `build.rs` (every file of both folders, walked whole, but for what
//! [`names`] leaves out: hidden files, editors' backups, non-templates). A site uses these files
//! wherever it has none of its own: its `templates/X.html` or `static/X` replaces the
//! built-in file of that path alone, and files it adds are used beside them. The render
//! stage merges the two (its template loader and its copy of `static/`); this module owns
//! the embedded files, how a built-in file is named in a diagnostic ([`shown`]), and the
//! `theme` commands: [`eject`] writes the built-in files into a site without overwriting
//! any (nor writing through a symlink: [`crate::files::write_new_file`]), [`list`] says
//! which the site overrides. Each returns a report whose `Display` is what the command
//! prints.

pub(crate) mod names;

use crate::files::{write_new_file, Written};
use anyhow::Result;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

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
    /// `None` when written now; else why the site's path was kept as it was (a file is
    /// there, or a folder on its way is a symlink or a file).
    pub kept: Option<&'static str>,
}

/// What `theme eject` did; its `Display` lists what was written, then what was kept, then
/// a count of each.
#[derive(Debug)]
pub struct Ejection {
    /// The site folder, as the author named it.
    pub root: PathBuf,
    /// Every built-in file, in path order.
    pub files: Vec<Ejected>,
}

/// Refuses a folder without `site.toml`: the `theme` commands work on a site.
fn needs_site(root: &Path, command: &str) -> Result<()> {
    if !root.join("site.toml").is_file() {
        anyhow::bail!(
            "no site.toml in {}: `theme {command}` works on a site's folder; run it there or \
             name it with --root",
            crate::clean(&root.display().to_string())
        );
    }
    Ok(())
}

/// `theme eject`: writes every built-in file into the site at `root`, making `templates/`
/// and `static/` as needed. A file that is already there (whatever it holds, even a folder
/// or a link) is kept as it is, and nothing is written through a symlinked folder:
/// nothing is ever overwritten, nor written outside the site.
pub fn eject(root: &Path) -> Result<Ejection> {
    needs_site(root, "eject")?;
    let mut files = Vec::with_capacity(FILES.len());
    for (path, bytes) in FILES {
        let kept = match write_new_file(root, Path::new(path), bytes)? {
            Written::New => None,
            Written::Kept(why) => Some(why),
        };
        files.push(Ejected {
            path: (*path).to_string(),
            kept,
        });
    }
    Ok(Ejection {
        root: root.to_path_buf(),
        files,
    })
}

impl fmt::Display for Ejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (written, kept): (Vec<_>, Vec<_>) = self.files.iter().partition(|e| e.kept.is_none());
        for e in &written {
            writeln!(f, "wrote {}", in_site(&self.root, &e.path))?;
        }
        for e in &kept {
            match e.kept {
                Some(why) if why != crate::files::EXISTS => {
                    writeln!(f, "kept  {} ({why})", in_site(&self.root, &e.path))?
                }
                _ => writeln!(f, "kept your {}", in_site(&self.root, &e.path))?,
            }
        }
        writeln!(
            f,
            "{} file{} of the built-in theme written, {} kept as {}",
            written.len(),
            if written.len() == 1 { "" } else { "s" },
            kept.len(),
            if kept.len() == 1 {
                "it was"
            } else {
                "they were"
            },
        )
    }
}

/// A path of the site at `root`, as the author named it: `templates/base.html` in the
/// current folder, `site/templates/base.html` under `--root site`.
fn in_site(root: &Path, path: &str) -> String {
    let path = if root == Path::new(".") {
        PathBuf::from(path)
    } else {
        root.join(path)
    };
    crate::clean(&path.display().to_string()).into_owned()
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

/// What `theme list` found; its `Display` is one line a file, then a note on each theme
/// folder the build cannot read (a file or a dangling link in its place).
#[derive(Debug)]
pub struct Listing {
    /// Every file the site builds with, by path (`templates/base.html`).
    pub files: BTreeMap<String, Origin>,
    /// The problems found walking `templates/` and `static/`, as the build reports them.
    pub problems: Vec<String>,
}

/// `theme list`: every file of `templates/` and `static/` the site at `root` builds with,
/// by path (`templates/base.html`), and where each comes from. A theme folder that is not
/// a folder, or a file that cannot be read, is named among the problems (the build
/// reports them too).
pub fn list(root: &Path) -> Result<Listing> {
    needs_site(root, "list")?;
    let built_in: BTreeMap<&str, &[u8]> = FILES.iter().map(|(p, b)| (*p, *b)).collect();
    let mut files: BTreeMap<String, Origin> = FILES
        .iter()
        .map(|(p, _)| ((*p).to_string(), Origin::BuiltIn))
        .collect();
    let mut diags = crate::diag::Diagnostics::default();
    for folder in ["templates", "static", "i18n"] {
        for path in crate::files::files_under(root, folder, &mut diags) {
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
    let problems = diags.0.iter().map(ToString::to_string).collect();
    Ok(Listing { files, problems })
}

impl fmt::Display for Listing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (path, origin) in &self.files {
            let from = match origin {
                Origin::BuiltIn => "built-in",
                Origin::Overridden => "yours (overrides the built-in file)",
                Origin::Same => "yours (the same as the built-in file)",
                Origin::Added => "yours (added)",
            };
            writeln!(f, "{:<28} {from}", crate::clean(path))?;
        }
        for problem in &self.problems {
            writeln!(f, "\n{problem}")?;
        }
        Ok(())
    }
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
        assert!(paths.iter().all(|p| ["templates/", "static/", "i18n/"]
            .iter()
            .any(|f| p.starts_with(f))));
        let count = FILES
            .iter()
            .filter(|(p, _)| p.starts_with("templates/"))
            .count();
        assert_eq!(templates().count(), count);
        for (path, bytes) in FILES {
            assert!(names::is_theme_file(path), "{path} embedded");
            if let Some(name) = path.strip_prefix("templates/") {
                assert!(names::is_template(name), "{path} is not a template");
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
