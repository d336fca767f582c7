//! Embeds the built-in theme: every file under `templates/` and `static/` becomes an entry
//! of `FILES` (its path, as `templates/base.html`, and its bytes through `include_bytes!`)
//! in `$OUT_DIR/theme_files.rs`, which `src/theme.rs` includes. The folders are walked
//! whole, so a file added to either is embedded with no list to keep, and Cargo rebuilds
//! when anything under them changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const FOLDERS: [&str; 2] = ["templates", "static"];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let mut files = Vec::new();
    for folder in FOLDERS {
        println!("cargo:rerun-if-changed={folder}");
        walk(&manifest, &manifest.join(folder), &mut files);
    }
    println!("cargo:rerun-if-changed=build.rs");
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

/// Every regular file under `dir`, as (path relative to `root` with `/`, absolute path).
fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(root, &path, files);
        } else if kind.is_file() {
            let rel = path.strip_prefix(root).expect("under root");
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push((rel.join("/"), path.to_string_lossy().into_owned()));
        }
    }
}
