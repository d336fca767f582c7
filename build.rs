//! Embeds the built-in theme: every file under `templates/` and `static/` becomes an entry
//! of `FILES` (its path, as `templates/base.html`, and its bytes through `include_bytes!`)
//! in `$OUT_DIR/theme_files.rs`, which `src/theme/mod.rs` includes. The folders are walked
//! whole, so a file added to either is embedded with no list to keep, and Cargo rebuilds
//! when anything under them changes. What is left out is decided by `src/theme/names.rs`,
//! the rule the crate loads a site's own templates by: hidden files and folders, editors'
//! backups and swap files, and files of `templates/` that are not templates.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/theme/names.rs"]
mod names;

const FOLDERS: [&str; 3] = ["templates", "static", "i18n"];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let mut files = Vec::new();
    for folder in FOLDERS {
        println!("cargo:rerun-if-changed={folder}");
        walk(&manifest, &manifest.join(folder), &mut files);
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/theme/names.rs");
    files.sort();
    let mut out = String::from(
        "/// Every file of the built-in theme: its path in a site (`templates/…` or `static/…`) and its bytes.\n\
         pub(crate) static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        let _ = writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),");
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("set by Cargo")).join("theme_files.rs");
    std::fs::write(&dest, out).expect("cannot write theme_files.rs");
}

/// Every regular file under `dir` that belongs to the theme, as (path relative to `root`
/// with `/`, absolute path).
fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if names::is_left_out(&entry.file_name().to_string_lossy()) {
            continue;
        }
        if kind.is_dir() {
            walk(root, &path, files);
        } else if kind.is_file() {
            let rel = path.strip_prefix(root).expect("under root");
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = rel.join("/");
            if let Some(name) = rel.strip_prefix("templates/") {
                if !names::is_template(name) {
                    continue;
                }
            }
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}
