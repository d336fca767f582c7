//! Builds fixture sites in temporary folders, in the manner of mdBook's `BookTest`.
//!
//! A fixture is a folder `tests/fixtures/<feature>/<case>/` holding a site (`site.toml`,
//! `content/`, optionally `templates/` and `static/`; the repository's own are used when a
//! fixture has none). A case may instead be an *overlay*: a file `base` naming another
//! fixture, whose files are copied first and then overwritten by the case's own. Files named
//! `expected*` and `base` belong to the test, not the site.
//!
//! No test may hang. [`run_in`] and [`run_command`] (every run of the binary should go
//! through them) kill a child that overruns its deadline, which is generous: it guards
//! against hangs and measures nothing; the test then fails saying so.
//! [`SiteTest::build_memory`] runs the library's build on a thread under the same deadline.
//! [`KillOnDrop`] stops a long-running child (`serve`) when the test ends, passing or
//! failing, and [`lines`] reads a child's output on a thread so that every wait for a line
//! can have a deadline (`recv_timeout`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long one run of the `docsite` binary may take before it is killed as hung. Runs on
/// fixture sites take well under a second; this is a bound for a loaded machine, not a
/// figure anything is compared against.
pub const RUN_LIMIT: Duration = Duration::from_secs(300);

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

    /// A copy of the repository's own documentary (`site.toml`, `content/`, `templates/`,
    /// `static/`) in a temp folder; its `case` is the repository.
    pub fn documentary() -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
        for part in ["content", "templates", "static"] {
            copy_tree(&repo().join(part), &dir.path().join(part), false);
        }
        SiteTest { dir, case: repo() }
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
    /// The build runs on a thread of its own and must end within [`RUN_LIMIT`]: one that
    /// does not (a loop on some input) fails the test instead of hanging it.
    #[track_caller]
    pub fn build_memory(&self) -> Result<BTreeMap<String, Vec<u8>>, String> {
        let opts = docsite::BuildOptions {
            root: self.root().to_path_buf(),
            ..Default::default()
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let out = docsite::Output::memory();
            let r = match docsite::build(&opts, &out) {
                Ok(_) => Ok(out.commit().unwrap().unwrap()),
                Err(e) => Err(e.to_string()),
            };
            let _ = tx.send(r);
        });
        match rx.recv_timeout(RUN_LIMIT) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => {
                panic!("the build did not end within {RUN_LIMIT:?}")
            }
            Err(RecvTimeoutError::Disconnected) => panic!("the build panicked (message above)"),
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

/// Runs the `docsite` binary in `dir`, within [`RUN_LIMIT`].
#[track_caller]
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docsite"));
    cmd.args(args).current_dir(dir);
    run_command(&mut cmd, RUN_LIMIT)
}

/// Runs `cmd` to its end as `Command::output` does (stdin empty, stdout and stderr
/// captured), but kills it and fails the test, with what it printed so far, when it has not
/// ended within `limit`.
#[track_caller]
pub fn run_command(cmd: &mut Command, limit: Duration) -> Run {
    let mut child = KillOnDrop(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}")),
    );
    // Both pipes are drained on threads, so a child filling one cannot block on it; what
    // they read is awaited with a deadline too (a grandchild could hold a pipe open).
    let stdout = read_all(child.0.stdout.take());
    let stderr = read_all(child.0.stderr.take());
    let deadline = Instant::now() + limit;
    let output = |rx: Receiver<String>| {
        let wait = deadline.saturating_duration_since(Instant::now()) + Duration::from_secs(5);
        rx.recv_timeout(wait)
            .unwrap_or_else(|_| "<the output was not closed>".to_string())
    };
    let status = loop {
        match child.0.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.0.kill();
                let _ = child.0.wait();
                let stderr = output(stderr);
                panic!(
                    "{cmd:?} did not end within {limit:?} and was killed; its stderr:\n{stderr}"
                );
            }
            Err(e) => panic!("waiting for {cmd:?}: {e}"),
        }
    };
    Run {
        code: status.code(),
        stdout: output(stdout),
        stderr: output(stderr),
    }
}

/// Everything `pipe` gives until it closes, read on a thread; sent as (lossy) text.
fn read_all(pipe: Option<impl Read + Send + 'static>) -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut bytes);
        }
        let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    rx
}

/// A child process that is killed (and reaped) when this is dropped: at the end of the
/// test, or while a failing test unwinds.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The lines of a child's output (`child.stderr.take()`, say), read on a thread of their
/// own: wait for each with `recv_timeout`, so that a child that stays silent cannot hang the
/// test. The channel closes when the pipe does.
pub fn lines(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
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

#[test]
fn run_command_returns_what_the_child_printed_and_its_exit_code() {
    let r = run_command(
        Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
        RUN_LIMIT,
    );
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (Some(3), "out\n", "err\n")
    );
}

#[test]
fn run_command_kills_a_child_that_overruns_and_fails_saying_so() {
    // `sleep 600` cannot end within a second, however busy the machine: the run must end
    // as a failure naming the limit (with whatever the child printed by then).
    let hung = std::panic::catch_unwind(|| {
        run_command(
            Command::new("sh").args(["-c", "echo started >&2; exec sleep 600"]),
            Duration::from_secs(1),
        )
    });
    let Err(panic) = hung else {
        panic!("a hung child passed")
    };
    let message = panic.downcast::<String>().unwrap();
    assert!(
        message.contains("did not end within 1s and was killed; its stderr:\n"),
        "{message}"
    );
}
