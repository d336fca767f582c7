//! The built-in theme: a site without `templates/` or `static/` builds and checks clean
//! with it; a site's own file overrides the built-in one of its path and nothing else;
//! `theme eject` writes the theme out without overwriting anything; errors name the
//! site's file, or the built-in one as such.

use crate::harness::{page, repo, SiteTest};
use std::path::Path;

/// Fixture `case` with only its own `templates/` and `static/` files: the copies of the
/// repository's that the harness puts in every site are removed, so everything else comes
/// from the built-in theme.
fn own_files_only(case: &str) -> SiteTest {
    let t = SiteTest::new(case);
    for folder in ["templates", "static"] {
        let own = t.case.join(folder);
        for entry in walkdir::WalkDir::new(t.path(folder)).contents_first(true) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(t.root()).unwrap();
            let theirs = rel.strip_prefix(folder).unwrap();
            if entry.file_type().is_file() && !own.join(theirs).exists() {
                std::fs::remove_file(entry.path()).unwrap();
            } else if entry.file_type().is_dir() {
                // Empty folders go too (a site without any has none).
                let _ = std::fs::remove_dir(entry.path());
            }
        }
    }
    t
}

/// The repository's `static/` and `templates/` files, by path (`static/style.css`).
fn built_in_files() -> Vec<String> {
    let mut all = Vec::new();
    for folder in ["templates", "static", "i18n"] {
        for e in walkdir::WalkDir::new(repo().join(folder)) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(repo()).unwrap();
                all.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    all.sort();
    all
}

fn stylesheets(html: &str) -> Vec<&str> {
    html.split("<link rel=\"stylesheet\" href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

#[test]
fn a_site_without_templates_or_static_builds_checks_clean_and_is_styled() {
    let t = own_files_only("build/minimal");
    assert!(!t.path("templates").exists() && !t.path("static").exists());
    // A link in the Markdown to a built-in static file is no broken link.
    let index = std::fs::read_to_string(t.path("content/index.md")).unwrap();
    t.write(
        "content/index.md",
        &format!("{index}\nThe [icon](/favicon.svg) and [script](/site.js).\n"),
    );
    t.run(&["check"]).success();
    let files = t.build_memory().unwrap();
    let home = page(&files, "index.html");
    let sheets = stylesheets(&home);
    assert!(!sheets.is_empty(), "no stylesheet linked:\n{home}");
    // The fixture's base URL has a path: /sub/style.css is the output's style.css.
    for href in sheets {
        let file = href.strip_prefix("/sub/").unwrap_or(href);
        assert!(files.contains_key(file), "{href} is not in the output");
    }
    let built_in_css = std::fs::read(repo().join("static/style.css")).unwrap();
    assert_eq!(files["style.css"], built_in_css);
    // Every file of the built-in static/ is published.
    for f in built_in_files() {
        if let Some(s) = f.strip_prefix("static/") {
            assert!(files.contains_key(s), "{s} missing from the output");
        }
    }
    let r = t.run(&["build"]);
    r.success();
    assert!(t.path("public/timeline/index.html").is_file());
}

#[test]
fn an_overriding_template_is_used_and_the_other_pages_keep_the_built_in_ones() {
    let t = own_files_only("theme/override-template");
    assert_eq!(std::fs::read_dir(t.path("templates")).unwrap().count(), 1);
    t.run(&["check"]).success();
    let files = t.build_memory().unwrap();
    let sources = page(&files, "sources/index.html");
    assert!(sources.contains("<h1>Our reading list</h1>"), "{sources}");
    // It extends the built-in base.html.
    assert!(sources.contains("class=\"site-footer\""), "{sources}");
    let timeline = page(&files, "timeline/index.html");
    assert!(!timeline.contains("Our reading list"));
    assert!(timeline.contains("class=\"tl-filters\""), "{timeline}");
    let home = page(&files, "index.html");
    assert!(home.contains("class=\"chapter-list\""), "{home}");
}

#[test]
fn an_overriding_static_file_replaces_that_file_alone_and_added_ones_are_published() {
    let t = own_files_only("theme/override-static");
    t.run(&["check"]).success();
    let files = t.build_memory().unwrap();
    let own = std::fs::read(t.case.join("static/style.css")).unwrap();
    assert_eq!(files["style.css"], own);
    assert!(files.contains_key("img/mark.svg"));
    let built_in_js = std::fs::read(repo().join("static/timeline.js")).unwrap();
    assert_eq!(files["timeline.js"], built_in_js);
}

#[test]
fn eject_into_a_site_without_a_theme_writes_every_file_and_builds_the_same() {
    let t = own_files_only("build/minimal");
    let before = t.build_memory().unwrap();
    let r = t.run(&["theme", "eject"]);
    r.success();
    let all = built_in_files();
    for f in &all {
        let written = std::fs::read(t.path(f)).unwrap();
        assert_eq!(written, std::fs::read(repo().join(f)).unwrap(), "{f}");
        assert!(r.stdout.contains(&format!("wrote {f}\n")), "{}", r.stdout);
    }
    assert!(!r.stdout.contains("kept your"), "{}", r.stdout);
    assert!(
        r.stdout.ends_with(&format!(
            "{} files of the built-in theme written, 0 kept as they were\n",
            all.len()
        )),
        "{}",
        r.stdout
    );
    assert_eq!(t.build_memory().unwrap(), before);
    // `theme list` now says every file is the site's own, the same as the built-in one.
    let list = t.run(&["theme", "list"]);
    list.success();
    assert_eq!(list.stdout.lines().count(), all.len(), "{}", list.stdout);
    assert!(list
        .stdout
        .lines()
        .all(|l| l.ends_with("yours (the same as the built-in file)")));
}

#[test]
fn eject_keeps_a_file_the_site_has_byte_for_byte() {
    let t = own_files_only("theme/override-template");
    let mine = t.path("templates/sources.html");
    let before = std::fs::read(&mine).unwrap();
    // Under another name, with --root from another folder.
    let elsewhere = tempfile::tempdir().unwrap();
    let root = t.root().to_string_lossy().into_owned();
    let r = crate::harness::run_in(elsewhere.path(), &["--root", &root, "theme", "eject"]);
    r.success();
    assert_eq!(std::fs::read(&mine).unwrap(), before);
    let kept = Path::new(&root).join("templates/sources.html");
    assert!(
        r.stdout
            .contains(&format!("kept your {}\n", kept.display())),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("written, 1 kept as it was\n"),
        "{}",
        r.stdout
    );
    assert!(t.path("templates/base.html").is_file());
    let files = t.build_memory().unwrap();
    assert!(page(&files, "sources/index.html").contains("Our reading list"));
    // Ejecting again writes nothing.
    let again = t.run(&["theme", "eject"]);
    again.success();
    assert!(!again.stdout.contains("wrote "), "{}", again.stdout);
}

#[test]
fn eject_needs_a_site_folder() {
    let empty = tempfile::tempdir().unwrap();
    let r = crate::harness::run_in(empty.path(), &["theme", "eject"]);
    r.failure();
    assert!(r.stderr.contains("no site.toml in ."), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

#[test]
fn an_error_in_an_overriding_template_points_at_the_sites_file() {
    let t = own_files_only("theme/template-error");
    t.fails_as_expected(&["build"]);
}

#[test]
fn an_error_in_a_built_in_template_names_it_as_built_in() {
    // The site's macros.html replaces the built-in one and lacks a macro the built-in
    // templates call: the error is placed at the call, in the built-in file.
    let t = own_files_only("theme/built-in-error");
    let r = t.run(&["build"]);
    r.failure();
    assert!(
        r.stderr.contains(" --> (built-in theme) templates/"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("has no macro"), "{}", r.stderr);
}

#[test]
fn theme_list_tells_built_in_overridden_and_added_files_apart() {
    let t = own_files_only("theme/override-static");
    let r = t.run(&["theme", "list"]);
    r.success();
    let line = |path: &str| {
        r.stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(path))
            .unwrap_or_else(|| panic!("no {path} in:\n{}", r.stdout))
            .to_string()
    };
    assert!(line("static/style.css").ends_with("yours (overrides the built-in file)"));
    assert!(line("static/img/mark.svg").ends_with("yours (added)"));
    assert!(line("templates/base.html").ends_with("built-in"));
}

#[test]
fn the_documentarys_own_wording_comes_from_its_site_toml() {
    let t = SiteTest::documentary();
    let files = t.build_memory().unwrap();
    let home = page(&files, "index.html");
    assert!(home.contains(". Every fact on this site cites its source.</p>"));
    let sources = page(&files, "sources/index.html");
    assert!(sources.contains("Works that source E itself cites are marked “cited in E”."));
    assert!(page(&files, "404.html")
        .contains("</a>, and <a href=\"/distant-comrades/chapters/\">the four chapters</a></li>"));
    // Without the keys, the theme's neutral words.
    let toml = std::fs::read_to_string(t.path("site.toml")).unwrap();
    let neutral: String = toml
        .lines()
        .filter(|l| !l.starts_with("footer =") && !l.starts_with("sources_intro ="))
        .map(|l| format!("{l}\n"))
        .collect();
    t.write("site.toml", &neutral);
    let files = t.build_memory().unwrap();
    assert!(!page(&files, "index.html").contains("Every fact"));
    let sources = page(&files, "sources/index.html");
    assert!(sources.contains("rests on these works.</p>"), "{sources}");
}

#[test]
fn a_theme_folder_that_is_a_file_is_an_error_not_skipped() {
    for folder in ["templates", "static"] {
        let t = own_files_only("build/minimal");
        let _ = std::fs::remove_dir_all(t.path(folder));
        t.write(folder, "not a folder");
        let out = t.run(&["check"]);
        out.failure();
        assert!(
            out.stderr.starts_with(&format!(
                "error: this is not a folder, so nothing in it is read\n --> {folder}\n"
            )),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn eject_writes_nothing_through_a_symlinked_folder_or_a_dangling_link() {
    let t = own_files_only("build/minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    let _ = std::fs::remove_dir_all(t.path("templates"));
    std::os::unix::fs::symlink(elsewhere.path(), t.path("templates")).unwrap();
    std::fs::create_dir_all(t.path("static")).unwrap();
    let target = elsewhere.path().join("made-through-a-link.css");
    std::os::unix::fs::symlink(&target, t.path("static/style.css")).unwrap();
    let r = t.run(&["theme", "eject"]);
    r.success();
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "written outside the site:\n{}",
        r.stdout
    );
    assert!(!target.exists());
    assert!(
        r.stdout
            .contains("kept  templates/base.html (a folder on its path is a symlink)\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("kept your static/style.css\n"),
        "{}",
        r.stdout
    );
    assert!(t.path("static/timeline.js").is_file(), "{}", r.stdout);
    assert!(std::fs::symlink_metadata(t.path("static/style.css"))
        .unwrap()
        .is_symlink());
}

#[test]
fn theme_list_needs_a_site_and_names_a_theme_folder_that_is_a_file() {
    let empty = tempfile::tempdir().unwrap();
    let r = crate::harness::run_in(empty.path(), &["theme", "list"]);
    r.failure();
    assert!(
        r.stderr
            .starts_with("error: no site.toml in .: `theme list`"),
        "{}",
        r.stderr
    );

    let t = own_files_only("build/minimal");
    let _ = std::fs::remove_dir_all(t.path("templates"));
    t.write("templates", "not a folder");
    let r = t.run(&["theme", "list"]);
    r.success();
    assert!(
        r.stdout
            .contains("error: this is not a folder, so nothing in it is read\n --> templates\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("templates/base.html"), "{}", r.stdout);
}
