//! The output folder: docsite replaces only a folder it wrote itself (or an empty or absent
//! one), refuses everything else before anything moves, and leaves no temporary folder
//! behind, not even after a killed run or Ctrl-C.

use crate::harness::{expect_file, fixtures, SiteTest};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file and folder under the site root, with file contents and link targets.
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).follow_links(false) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(root).unwrap().display().to_string();
        let what = if e.file_type().is_symlink() {
            format!("-> {}", std::fs::read_link(e.path()).unwrap().display())
        } else if e.file_type().is_dir() {
            "dir".to_string()
        } else {
            String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned()
        };
        m.insert(rel, what);
    }
    m
}

/// `docsite build -o <out>` in the site of `case` (a fixture under tests/fixtures/output/)
/// after `prepare`: exit 1 with exactly the case's expected.txt, and not one file of the
/// site's folder created, changed or removed.
#[track_caller]
fn refused(case: &str, out: &str, prepare: impl FnOnce(&SiteTest)) {
    let t = SiteTest::new(&format!("output/{case}"));
    prepare(&t);
    let before = snapshot(t.root());
    let r = t.run(&["build", "--output-dir", out]);
    assert_eq!(r.code, Some(1), "{case}: stderr:\n{}", r.stderr);
    expect_file(
        &fixtures().join("output").join(case),
        "expected.txt",
        &r.stderr,
    );
    pretty_assertions::assert_eq!(before, snapshot(t.root()), "{case}: files changed");
}

#[test]
fn a_folder_of_the_users_is_refused() {
    refused("users-folder", "notes", |_| {});
}

#[test]
fn a_file_is_refused_and_not_moved() {
    refused("file", "notes.txt", |_| {});
}

#[test]
fn the_git_repository_is_refused() {
    refused("git", ".git", |t| {
        t.write(".git/HEAD", "ref: refs/heads/main\n")
    });
}

#[test]
fn the_sites_own_folders_and_what_is_inside_them_are_refused() {
    refused("content", "content", |_| {});
    refused("content-chapters", "content/chapters", |_| {});
    refused("inside-static", "static/site", |_| {});
    refused("templates-link", "pages", |t| {
        std::os::unix::fs::symlink("templates", t.path("pages")).unwrap();
    });
}

#[test]
fn the_site_root_and_its_ancestors_are_refused() {
    refused("root", ".", |_| {});
    refused("ancestor", "..", |_| {});
}

#[test]
fn another_sites_folder_is_refused() {
    refused("other-site", "other", |t| {
        t.write("other/site.toml", "title = \"x\"\n")
    });
}

#[test]
fn a_symbolic_link_is_refused() {
    refused("symlink", "public", |t| {
        std::fs::create_dir(t.path("elsewhere")).unwrap();
        std::os::unix::fs::symlink("elsewhere", t.path("public")).unwrap();
    });
}

#[test]
fn an_empty_or_new_folder_is_used_and_marked() {
    let t = SiteTest::new("build/minimal");
    std::fs::create_dir(t.path("empty")).unwrap();
    t.run(&["build", "--output-dir", "empty"]).success();
    assert!(t.path("empty/index.html").is_file());
    assert!(t.path("empty/.docsite-output").is_file());
    t.run(&["build", "--output-dir", "new/deep/site"]).success();
    assert!(t.path("new/deep/site/.docsite-output").is_file());
    // What docsite wrote, it replaces, even when a file of static/ had the marker's name.
    t.write("static/.docsite-output", "mine");
    t.run(&["build", "--output-dir", "empty"]).success();
    let marker = std::fs::read_to_string(t.path("empty/.docsite-output")).unwrap();
    assert!(marker.contains("docsite build"), "{marker}");
    t.assert_no_temp_folders();
}

/// A process id that no running process has.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn temporary_folders_of_killed_runs_are_removed_and_nothing_else() {
    let t = SiteTest::new("build/minimal");
    let dead = dead_pid();
    let alive = std::process::id();
    let stale = format!(".public.docsite-tmp-{dead}");
    let stale_old = format!(".public.docsite-old-{dead}");
    let legacy = format!(".public.tmp-{dead}");
    let running = format!(".public.docsite-tmp-{alive}");
    let unmarked = format!(".public.docsite-tmp-{}", dead_pid());
    for d in [&stale, &stale_old, &running] {
        t.write(&format!("{d}/.docsite-output"), "");
        t.write(&format!("{d}/index.html"), "old");
    }
    t.write(&format!("{legacy}/index.html"), "old");
    t.write(&format!("{unmarked}/thesis.txt"), "mine");
    t.write(".public.tmp-notes/thesis.txt", "mine");
    // Unmarked folders of the old naming that do not look like a build, or whose number
    // cannot be a process id, are not docsite's to remove.
    let legacy_notes = format!(".public.tmp-{}", dead_pid());
    t.write(&format!("{legacy_notes}/notes.txt"), "mine");
    t.write(".public.tmp-4000000000.old/index.html", "mine");
    t.run(&["build"]).success();
    for gone in [&stale, &stale_old, &legacy] {
        assert!(!t.path(gone).exists(), "{gone} was left");
    }
    // A run still going, a folder without the mark, a name that is not ours: kept.
    for kept in [
        &running,
        &unmarked,
        &".public.tmp-notes".to_string(),
        &legacy_notes,
        &".public.tmp-4000000000.old".to_string(),
    ] {
        assert!(t.path(kept).exists(), "{kept} was removed");
    }
}

/// Waits for `child` at most `limit`, killing it then; its exit code, None if killed.
fn wait_bounded(child: &mut std::process::Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("docsite did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn ctrl_c_removes_the_runs_own_temporary_folder() {
    let t = SiteTest::new("build/minimal");
    // Enough work that the build is still writing when the signal comes.
    let body = "A paragraph of the chapter, long enough to take a while. ".repeat(40);
    for i in 0..3000 {
        t.write(
            &format!("content/events/1960-{i:04}.md"),
            &format!(
                "+++\ntitle = \"Event {i}\"\ndate = \"1960\"\nsummary = \"s [@E]\"\nchapter = \"alliance\"\nsources = [\"E\"]\n+++\n{body}\n"
            ),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_docsite"))
        .args(["build"])
        .current_dir(t.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let tmp = t.path(&format!(".public.docsite-tmp-{}", child.id()));
    let deadline = Instant::now() + Duration::from_secs(60);
    while !tmp.join("chapters").exists() && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let signalled = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success(), "the build ended before the signal");
    let code = wait_bounded(&mut child, Duration::from_secs(60));
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(code, Some(130), "stderr:\n{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(
        !t.path("public").exists(),
        "an interrupted build made public/"
    );
    t.assert_no_temp_folders();
}

#[test]
fn a_panic_between_preparing_and_committing_leaves_no_temporary_folder() {
    let t = SiteTest::new("build/minimal");
    let (dir, root) = (t.path("public"), t.root().to_path_buf());
    let joined = std::thread::spawn(move || {
        let out = docsite::Output::disk(&dir, &root).unwrap();
        out.put("index.html", b"half a build".to_vec()).unwrap();
        panic!("a bug in the middle of a build");
    })
    .join();
    assert!(joined.is_err(), "the thread was meant to panic");
    assert!(!t.path("public").exists());
    t.assert_no_temp_folders();
}

#[test]
fn an_ancestor_of_a_linked_content_folder_is_refused() {
    refused("ancestor-of-linked-content", "shared", |t| {
        t.write("shared/.docsite-output", "");
        std::fs::rename(t.path("content"), t.path("shared/content")).unwrap();
        std::os::unix::fs::symlink("shared/content", t.path("content")).unwrap();
    });
}

#[test]
fn another_sites_own_folders_and_any_git_folder_are_refused() {
    refused(
        "inside-other-sites-templates",
        "other/templates/generated",
        |t| {
            t.write("other/site.toml", "title = \"x\"\n");
            t.write("other/templates/base.html", "theirs");
        },
    );
    refused("inside-a-git-folder", "vendor/.git/site", |_| {});
}

#[test]
fn a_site_toml_of_static_does_not_lock_the_site_out_of_its_output() {
    let t = SiteTest::new("build/minimal");
    t.write("static/site.toml", "title = \"an example to download\"\n");
    t.run(&["build"]).success();
    assert!(t.path("public/site.toml").is_file());
    t.run(&["build"]).success();
}

#[test]
fn a_folder_made_while_the_site_was_built_is_not_replaced() {
    let t = SiteTest::new("build/minimal");
    let out = docsite::Output::disk(&t.path("public"), t.root()).unwrap();
    out.put("index.html", b"new".to_vec()).unwrap();
    t.write("public/thesis.txt", "my only copy");
    let err = out.commit().unwrap_err();
    assert!(format!("{err:#}").contains("did not write it"), "{err:#}");
    assert_eq!(
        std::fs::read_to_string(t.path("public/thesis.txt")).unwrap(),
        "my only copy"
    );
    t.assert_no_temp_folders();
}

#[test]
fn control_characters_in_the_output_name_never_reach_the_terminal() {
    let t = SiteTest::new("build/minimal");
    let r = t.run(&["build", "--output-dir", "out\u{1b}]0;pwned\u{7}\nfake"]);
    r.success();
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
        "{:?}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("into out\u{fffd}]0;pwned\u{fffd}\u{fffd}fake in"),
        "{:?}",
        r.stderr
    );
}

/// Unmounts every mount point under its folder when dropped, however the test ends (a
/// failed refusal would have moved the mount elsewhere in the site's folder).
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        for point in info.lines().filter_map(|l| l.split(' ').nth(4)) {
            if Path::new(point).starts_with(&self.0) {
                let _ = Command::new("umount").arg("-l").arg(point).status();
            }
        }
    }
}

#[test]
fn an_output_holding_a_mount_point_is_refused_and_the_mounted_files_kept() {
    let t = SiteTest::new("build/minimal");
    t.run(&["build"]).success();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("photo.jpg"), "precious").unwrap();
    std::fs::create_dir(t.path("public/media")).unwrap();
    let mounted = Command::new("mount")
        .arg("--bind")
        .arg(data.path())
        .arg(t.path("public/media"))
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        // Only root can mount: the refusal is still checked on /dev's own mounts below.
        eprintln!("mount --bind is not allowed here; the bind-mount case was not run");
        return;
    }
    let _guard = Mounted(t.root().canonicalize().unwrap());
    let r = t.run(&["build"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("public/media is a mount point"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(data.path().join("photo.jpg")).unwrap(),
        "precious"
    );
    t.assert_no_temp_folders();
}
