//! Builds fixture sites in temporary folders, in the manner of mdBook's `BookTest`.
//!
//! A fixture is a folder `tests/fixtures/<feature>/<case>/` holding a site (`site.toml`,
//! `content/`, optionally `templates/` and `static/`; the repository's own are used when a
//! fixture has none). A case may instead be an *overlay*: a file `base` naming another
//! fixture, whose files are copied first and then overwritten by the case's own. Files named
//! `expected*` and `base` belong to the test, not the site.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

pub struct SiteTest {
    pub dir: tempfile::TempDir,
    pub case: PathBuf,
}

fn copy_tree(from: &Path, to: &Path, skip_test_files: bool) {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let name = rel.to_string_lossy();
        if skip_test_files
            && (name.starts_with("expected") || name == "base" || name.starts_with("public"))
        {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_symlink() {
            let target = std::fs::read_link(entry.path()).unwrap();
            let _ = std::fs::remove_file(&dest);
            std::os::unix::fs::symlink(target, &dest).unwrap();
        } else {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl SiteTest {
    /// Copies fixture `feature/case` (and its base, if an overlay) into a temp folder.
    pub fn new(case: &str) -> SiteTest {
        let src = fixtures().join(case);
        assert!(src.is_dir(), "no fixture {}", src.display());
        let dir = tempfile::tempdir().unwrap();
        // The repository's templates and static files first: a fixture's own override them.
        for shared in ["templates", "static"] {
            copy_tree(&repo().join(shared), &dir.path().join(shared), false);
        }
        if let Ok(base) = std::fs::read_to_string(src.join("base")) {
            copy_tree(&fixtures().join(base.trim()), dir.path(), true);
        }
        copy_tree(&src, dir.path(), true);
        SiteTest { dir, case: src }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Builds in memory through the library; returns the files or the rendered problems.
    pub fn build_memory(&self) -> Result<BTreeMap<String, Vec<u8>>, String> {
        let out = docsite::output::Output::memory();
        let opts = docsite::site::BuildOptions {
            root: self.root().to_path_buf(),
            ..Default::default()
        };
        match docsite::site::build(&opts, &out) {
            Ok(_) => Ok(out.commit().unwrap().unwrap()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Runs the `docsite` binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// Runs `docsite args` and requires the failure `expected.txt` states: exit code 1, no
    /// panic, exactly that message on stderr, and no `public/` written.
    #[track_caller]
    pub fn fails_as_expected(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        let case = self.case.display();
        assert_eq!(
            r.code,
            Some(1),
            "{case}: expected exit code 1, stderr:\n{}",
            r.stderr
        );
        assert!(
            !r.stderr.contains("panicked"),
            "{case} panicked:\n{}",
            r.stderr
        );
        expect_file(&self.case, "expected.txt", &r.stderr);
        assert!(
            !self.path("public").exists(),
            "{case}: a failed run wrote public/"
        );
        r
    }

    /// No temporary build folder was left beside the output.
    #[track_caller]
    pub fn assert_no_temp_folders(&self) {
        let leftovers: Vec<String> = std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-") || n.contains(".docsite-"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "temporary folders left: {leftovers:?}"
        );
    }

    /// Every file under `rel` (relative paths → bytes).
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        let base = self.path(rel);
        let mut m = BTreeMap::new();
        if !base.exists() {
            return m;
        }
        for e in walkdir::WalkDir::new(&base) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let r = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                m.insert(r, std::fs::read(e.path()).unwrap());
            }
        }
        m
    }
}

/// Runs the `docsite` binary in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_docsite"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run docsite");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "expected success; stderr:\n{}",
            self.stderr
        );
        self
    }
    #[track_caller]
    pub fn failure(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit code 1; stderr:\n{}",
            self.stderr
        );
        self
    }
}

/// The text of `files[path]`.
#[track_caller]
pub fn page(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    let bytes = files.get(path).unwrap_or_else(|| {
        panic!(
            "no {path} in the build; have: {:?}",
            files.keys().collect::<Vec<_>>()
        )
    });
    String::from_utf8(bytes.clone()).unwrap()
}

/// The part of `html` from the first `start` through the end of the first `end` after it:
/// snapshots cover only the interesting region of a page.
#[track_caller]
pub fn region<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let s = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in:\n{html}"));
    let e = html[s..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?}"))
        + s
        + end.len();
    &html[s..e]
}

/// Compares `actual` with the file `expected_name` in the case folder. With
/// `UPDATE_EXPECT=1` the file is rewritten instead.
#[track_caller]
pub fn expect_file(case: &Path, expected_name: &str, actual: &str) {
    let path = case.join(expected_name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {}", path.display()));
    pretty_assertions::assert_eq!(expected, actual, "{}", path.display());
}
