//! `init`: a starter site that builds, checks clean and is styled with no templates/ or
//! static/ of its own, carries no word of this documentary, and a folder that is refused
//! or added to without one file overwritten.

use crate::harness::{run_in, Run};
use std::path::Path;

/// Runs `docsite init ARGS` in `dir`.
#[track_caller]
fn init(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    run_in(dir, &all)
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Words of this repository's documentary that no starter or theme file may hold.
const DOCUMENTARY_WORDS: &[&str] = &[
    "Korea",
    "Vietnam",
    "Hanoi",
    "Pyongyang",
    "Kim ",
    "Ho Chi Minh",
    "Cold War",
    "Distant Comrades",
    "cited in E",
];

#[test]
fn a_started_site_builds_checks_clean_and_is_styled_with_the_built_in_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("harbour-history");
    let out = init(tmp.path(), &["harbour-history"]);
    out.success();
    assert!(
        out.stdout.contains("Started “Harbour history”"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("cd harbour-history"), "{}", out.stdout);
    assert!(!site.join("templates").exists() && !site.join("static").exists());

    run_in(&site, &["check"]).success();
    let built = run_in(&site, &["build"]);
    built.success();
    assert!(
        built.stderr.is_empty() || !built.stderr.contains("warning"),
        "{}",
        built.stderr
    );

    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("<title>Harbour history"), "{home}");
    // Styled: every page links the theme's style sheet, and it is in the output.
    let sheet = home
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the home page links a style sheet");
    let sheet = sheet
        .trim_start_matches("https://example.org/")
        .trim_start_matches('/');
    let sheet = sheet.split('?').next().unwrap();
    assert!(
        std::fs::metadata(site.join("public").join(sheet))
            .unwrap()
            .len()
            > 1000
    );
    // The about page is a page, in the navigation.
    assert!(site.join("public/about/index.html").is_file());
    assert!(
        home.contains("/about/\""),
        "the about page is in the navigation"
    );

    for (rel, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes);
        for word in DOCUMENTARY_WORDS {
            assert!(!text.contains(word), "{rel} holds “{word}”");
        }
    }
}

#[test]
fn title_and_base_url_are_written_escaped_and_checked_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "site",
        "--title",
        "The \"Harbour\" \\ Đổi",
        "--base-url",
        "https://u.github.io/repo",
    ];
    init(tmp.path(), &args).success();
    let site = tmp.path().join("site");
    let config = std::fs::read_to_string(site.join("site.toml")).unwrap();
    assert!(
        config.contains("base_url = \"https://u.github.io/repo/\""),
        "{config}"
    );
    run_in(&site, &["build"]).success();
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("The &quot;Harbour&quot; \\ Đổi"), "{home}");
    assert!(home.contains("href=\"/repo/"), "links under the base path");

    for (args, message) in [
        (
            ["bad", "--base-url", "ftp://x.org/"].as_slice(),
            "error: --base-url ftp://x.org/: ",
        ),
        (["bad", "--title", "a\nb"].as_slice(), "error: --title a"),
        (
            ["bad", "--title", "  "].as_slice(),
            "error: --title is empty",
        ),
    ] {
        let out = init(tmp.path(), args);
        out.failure();
        assert!(out.stderr.starts_with(message), "{args:?}: {}", out.stderr);
        assert!(!tmp.path().join("bad").exists(), "{args:?} wrote something");
    }
}

#[test]
fn a_folder_with_files_is_refused_and_force_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::write(site.join("README.md"), "mine").unwrap();
    std::fs::create_dir(site.join(".git")).unwrap();
    let before = tree(site);
    let out = init(site, &[]);
    out.failure();
    assert_eq!(
        out.stderr.trim_end(),
        format!(
            "error: . is not empty (it holds README.md): nothing was written. Start in a new \
             folder, or add the starter beside what is there with `docsite init --force`, which \
             never overwrites a file"
        )
    );
    assert_eq!(tree(site), before, "a refused init writes nothing");

    // --force adds the starter around the author's files, keeping each byte of them.
    std::fs::create_dir_all(site.join("content/pages")).unwrap();
    std::fs::write(site.join("content/pages/about.md"), "my about").unwrap();
    std::fs::write(site.join(".gitignore"), "target\n").unwrap();
    let out = init(site, &["--force"]);
    out.success();
    assert!(
        out.stdout
            .contains("kept  content/pages/about.md (it exists"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("wrote site.toml"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(site.join("README.md")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).unwrap(),
        "target\n"
    );
    assert_eq!(
        std::fs::read_to_string(site.join("content/pages/about.md")).unwrap(),
        "my about"
    );

    // A second run finds every file there and writes nothing.
    let before = tree(site);
    let out = init(site, &["--force"]);
    out.success();
    assert!(out.stdout.contains("Nothing was written"), "{}", out.stdout);
    assert_eq!(tree(site), before);
}

#[test]
fn force_writes_nothing_through_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join("content")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("missing"), site.join("site.toml")).unwrap();
    let out = init(&site, &["--force"]);
    out.success();
    assert!(
        out.stdout
            .contains("kept  content/index.md (a folder on its path is a symlink"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("kept  site.toml (it exists"),
        "{}",
        out.stdout
    );
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing written outside"
    );
    assert!(
        !tmp.path().join("missing").exists(),
        "no file made through a dangling link"
    );
}

#[test]
fn a_path_that_is_a_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("taken"), "x").unwrap();
    let out = init(tmp.path(), &["taken"]);
    out.failure();
    assert_eq!(
        out.stderr.trim_end(),
        "error: taken exists and is not a folder"
    );
}

#[test]
fn force_into_an_existing_site_adds_nothing_it_would_break() {
    let t = crate::harness::SiteTest::documentary();
    let before = tree(t.root());
    let out = init(t.root(), &["--force"]);
    out.success();
    assert!(
        out.stdout.contains(
            "This folder already has a site.toml, so it holds a site: the starter's content"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "left out content/events/1921-03-move.md (it needs the starter's site.toml, which \
             was not written)"
        ),
        "{}",
        out.stdout
    );
    let after = tree(t.root());
    let added: Vec<&String> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(added, [".gitignore"], "{}", out.stdout);
    assert!(!t.path("content/pages/about.md").exists());
    t.run(&["check"]).success();
}

#[test]
fn force_leaves_out_the_starter_files_that_need_a_kept_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::create_dir_all(site.join("content")).unwrap();
    // The author's own sources, without the starter's `handbook`.
    let mine = "[[source]]\nid = \"mine\"\ntitle = \"My source\"\n";
    std::fs::write(site.join("content/sources.toml"), mine).unwrap();
    let out = init(site, &["--force"]);
    out.success();
    assert!(out.stdout.contains("wrote site.toml\n"), "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "left out content/people.toml (it needs the starter's content/sources.toml, which \
             was not written)"
        ),
        "{}",
        out.stdout
    );
    assert!(!site.join("content/events").exists(), "{}", out.stdout);
    assert!(!site.join("content/index.md").exists(), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(site.join("content/sources.toml")).unwrap(),
        mine
    );
}

#[test]
fn a_title_is_written_as_given_in_one_pass_and_refused_as_the_config_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), &["a", "--title", "{{base_url}} and {{title}}"]).success();
    let site = tmp.path().join("a");
    let config = std::fs::read_to_string(site.join("site.toml")).unwrap();
    assert!(
        config.contains("title = \"{{base_url}} and {{title}}\"\n"),
        "{config}"
    );
    assert!(
        config.contains("base_url = \"https://example.org/\""),
        "{config}"
    );
    run_in(&site, &["check"]).success();

    for bad in ["A\u{FFFE}B", "A\u{85}B", "A\u{7}B"] {
        let out = init(tmp.path(), &["b", "--title", bad]);
        out.failure();
        assert!(
            out.stderr
                .starts_with("error: --title A\u{FFFD}B: a title cannot hold U+"),
            "{bad:?}: {}",
            out.stderr
        );
        assert!(!tmp.path().join("b").exists());
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::process::{Command, Stdio};
    let tmp = tempfile::tempdir().unwrap();
    let mut child = crate::harness::KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_docsite"))
            .args(["init", "site"])
            .current_dir(tmp.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // The reader goes away before the first line is written, as `| head -0` would.
    drop(child.0.stdout.take());
    let stderr = crate::harness::lines(child.0.stderr.take().unwrap());
    let deadline = std::time::Instant::now() + crate::harness::RUN_LIMIT;
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "init did not end");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let said: Vec<String> = stderr.try_iter().collect();
    assert_eq!(status.code(), Some(0), "{said:?}");
    assert!(said.is_empty(), "{said:?}");
    assert!(tmp.path().join("site/site.toml").is_file());
}

#[test]
fn a_new_author_is_pointed_to_init_and_told_where_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    for command in ["build", "check"] {
        let out = run_in(tmp.path(), &[command]);
        out.failure();
        assert!(
            out.stderr
                .contains("start a new site here with `docsite init`"),
            "{command}: {}",
            out.stderr
        );
    }
    let out = init(tmp.path(), &[]);
    out.success();
    assert!(out.stdout.contains("” here. Next:\n"), "{}", out.stdout);
    assert!(!out.stdout.contains("cd "), "{}", out.stdout);

    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir(other.path().join("my site")).unwrap();
    std::fs::write(other.path().join("my site/notes.txt"), "x").unwrap();
    let out = init(other.path(), &["my site"]);
    out.failure();
    assert!(
        out.stderr
            .contains("with `docsite init --force 'my site'`, which never overwrites"),
        "{}",
        out.stderr
    );
}
