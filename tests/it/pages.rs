//! Free pages (`content/pages/**/*.md`) and the warnings for files under `content/` the
//! build does not read: fixtures under `tests/fixtures/pages/`.

use crate::harness::{expect_file, SiteTest};

/// The `<nav class="site-nav">` of a built page.
fn site_nav(t: &SiteTest, page: &str) -> String {
    let html = std::fs::read_to_string(t.path(&format!("public/{page}"))).unwrap();
    let start = html.find("<nav class=\"site-nav\"").expect("a site nav");
    let end = start + html[start..].find("</nav>").unwrap();
    html[start..end].to_string()
}

#[test]
fn free_pages_are_built_at_their_paths_and_listed_in_the_menu_in_order() {
    let t = SiteTest::new("pages/site");
    let r = t.run(&["build"]);
    r.success();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    for page in ["about", "guide", "guide/sources"] {
        assert!(
            t.path(&format!("public/{page}/index.html")).is_file(),
            "{page}"
        );
    }
    let about = std::fs::read_to_string(t.path("public/about/index.html")).unwrap();
    assert!(about.contains("<h1>About this site</h1>"));
    assert!(about.contains("Who made it, and why."));
    assert!(about.contains("href=\"#thanks\""), "a table of contents");
    // The menu pages follow the built-in entries, by `menu`: Guide (1), then About (2);
    // the page shown is marked current. A page without `menu` is not listed.
    let nav = site_nav(&t, "about/index.html");
    let (guide, about_at) = (
        nav.find(">Guide</a>").unwrap(),
        nav.find(">About this site</a>").unwrap(),
    );
    assert!(
        nav.find(">Search</a>").unwrap() < guide && guide < about_at,
        "{nav}"
    );
    assert!(
        nav.contains("href=\"/sub/about/\" aria-current=\"page\">About this site<"),
        "{nav}"
    );
    assert!(!nav.contains("Sources, explained"));
    let home_nav = site_nav(&t, "index.html");
    assert!(
        home_nav.contains("<li><a href=\"/sub/guide/\">Guide</a></li>"),
        "{home_nav}"
    );
    // The sitemap and the search index list them.
    let sitemap = std::fs::read_to_string(t.path("public/sitemap.xml")).unwrap();
    assert!(sitemap.contains("/guide/sources/</loc>"));
    let docs =
        crate::reading::search_docs(|p| std::fs::read(t.path(&format!("public/{p}"))).unwrap());
    assert!(
        docs.iter().any(|d| d["k"] == "Page"
            && d["t"] == "Sources, explained › Citing"
            && d["u"] == "/sub/guide/sources/#citing"),
        "{docs:?}"
    );
    // Links to and from them pass the link check.
    t.run(&["check"]).success();
}

#[test]
fn a_draft_page_is_left_out_unless_drafts_are_asked_for() {
    let t = SiteTest::new("pages/site");
    t.run(&["build"]).success();
    assert!(!t.path("public/unfinished").exists());
    assert!(!site_nav(&t, "index.html").contains("Unfinished"));
    assert!(!std::fs::read_to_string(t.path("public/sitemap.xml"))
        .unwrap()
        .contains("unfinished"));
    t.run(&["build", "--drafts"]).success();
    assert!(t.path("public/unfinished/index.html").is_file());
    assert!(site_nav(&t, "index.html").contains(">Unfinished notes</a>"));
}

#[test]
fn a_page_colliding_with_a_generated_page_names_both() {
    SiteTest::new("pages/collides").fails_as_expected(&["build"]);
}

#[test]
fn a_page_path_that_is_not_a_slug_is_an_error_at_the_file() {
    SiteTest::new("pages/bad-name").fails_as_expected(&["build"]);
}

#[test]
fn every_unknown_key_of_a_page_is_reported_in_one_run() {
    SiteTest::new("pages/unknown-keys").fails_as_expected(&["build"]);
}

/// Files the build does not read are warnings: `build` and `check` print them and succeed.
/// Hidden files are not named; a file in `content/media/` is, and a Markdown file whose
/// place in `content/pages/` is taken is told so.
#[test]
fn files_the_build_ignores_are_warned_about_and_the_build_succeeds() {
    let t = SiteTest::new("pages/ignored");
    let r = t.run(&["build"]);
    r.success();
    let (warnings, built) = r.stderr.split_once("built ").unwrap();
    assert!(built.starts_with("26 pages"), "{built}");
    expect_file(&t.case, "expected.txt", warnings);
    let r = t.run(&["check"]);
    r.success();
    expect_file(&t.case, "expected-check.txt", &r.stderr);
}

/// Two files at one path are an error whether or not one is a draft: `build` (drafts left
/// out) and `check --drafts` find the same problem.
#[test]
fn a_draft_and_a_page_at_one_path_are_a_duplicate_with_or_without_drafts() {
    let t = SiteTest::new("pages/site");
    t.write(
        "content/pages/notes/index.md",
        "+++\ntitle = \"Notes\"\ndraft = true\n+++\nText.\n",
    );
    t.write(
        "content/pages/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nText.\n",
    );
    for args in [&["build"][..], &["check", "--drafts"]] {
        let r = t.run(args);
        r.failure();
        assert!(
            r.stderr.contains("duplicate page: this page and content/pages/notes.md both build to /notes/\n --> content/pages/notes/index.md")
                || r.stderr.contains("duplicate page: this page and content/pages/notes/index.md both build to /notes/\n --> content/pages/notes.md"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

/// Only what the build writes is reserved: a page under a site-wide page's folder builds.
#[test]
fn a_page_inside_a_site_wide_page_s_folder_builds() {
    let t = SiteTest::new("pages/site");
    t.write(
        "content/pages/search/help.md",
        "+++\ntitle = \"Search help\"\n+++\nText.\n",
    );
    t.run(&["build"]).success();
    assert!(t.path("public/search/help/index.html").is_file());
    assert!(t.path("public/search/index.html").is_file());
}

/// A file of `static/` at a free page's output path is refused, naming the page's template.
#[test]
fn a_static_file_at_a_free_page_s_path_is_refused() {
    let t = SiteTest::new("pages/site");
    t.write("static/about/index.html", "<p>mine</p>");
    let r = t.run(&["build"]);
    r.failure();
    assert!(
        r.stderr.contains(
            "error: this file would replace the generated `about/index.html`, rendered by templates/page.html\n --> static/about/index.html"
        ),
        "{}",
        r.stderr
    );
}
