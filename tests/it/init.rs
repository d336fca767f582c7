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
