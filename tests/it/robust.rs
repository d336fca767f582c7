//! Robustness: input nobody means to write. The fuzz corpus (replayed here on stable, without
//! cargo-fuzz), a symlink loop in `content/`, symlinks leading out of `content/`,
//! `templates/` and `static/` (files, registries, folders) and out of the site folder
//! (`site.toml`), named pipes (`index.md`, `site.toml`, what `new` reads), a grid of symlinks
//! that would multiply the files walked, sparse files of a terabyte, a missing or dangling
//! `content/`, a 50 MB chapter, and files that are not text or are empty. Every case must
//! end in a build result or a message naming the file: never a panic, never an abort,
//! never a hang, and never a changed output folder after a failed build.

use crate::harness::{expect_file, fixtures, repo, SiteTest};
use docsite::build_on_disk;
use docsite::{build, BuildOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- the fuzz corpus

/// Files directly inside `dir`, sorted (none when it does not exist).
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Replays `fuzz/corpus/<target>/*` and `tests/fixtures/robust/fuzz-crashes/<target>-*.bin`
/// through `f`, reporting every input that panics.
fn replay(target: &str, f: fn(&[u8])) {
    let corpus = files_in(&repo().join("fuzz/corpus").join(target));
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target}/ is empty or missing"
    );
    let crashes: Vec<PathBuf> = files_in(&fixtures().join("robust/fuzz-crashes"))
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.strip_prefix(target)
                .is_some_and(|rest| rest.starts_with('-') && rest.ends_with(".bin"))
        })
        .collect();
    let started = Instant::now();
    let mut panicked = Vec::new();
    for p in corpus.iter().chain(&crashes) {
        // A running fuzzer may replace corpus files while this reads them.
        let Ok(data) = std::fs::read(p) else { continue };
        if std::panic::catch_unwind(|| f(&data)).is_err() {
            panicked.push(p.strip_prefix(repo()).unwrap_or(p).display().to_string());
        }
    }
    eprintln!(
        "replayed {} corpus and {} crash inputs of {target} in {:?}",
        corpus.len(),
        crashes.len(),
        started.elapsed()
    );
    assert!(
        panicked.is_empty(),
        "{target}: these inputs panic (messages above):\n{}",
        panicked.join("\n")
    );
}

#[test]
fn fuzz_corpus_front_matter_replays_without_panic() {
    replay("front_matter", docsite::fuzzing::front_matter);
}

#[test]
fn fuzz_corpus_date_replays_without_panic() {
    replay("date", docsite::fuzzing::date);
}

#[test]
fn fuzz_corpus_markdown_replays_without_panic() {
    replay("markdown", docsite::fuzzing::markdown);
}

#[test]
fn crash_files_name_a_fuzz_target() {
    for p in files_in(&fixtures().join("robust/fuzz-crashes")) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            ["front_matter-", "date-", "markdown-"]
                .iter()
                .any(|t| name.starts_with(t))
                && name.ends_with(".bin"),
            "{name}: crash inputs are named <target>-<n>.bin so that a replay test picks them up"
        );
    }
}

// ---------------------------------------------------------------- builds to disk

const SENTINEL: &str = "public/sentinel.txt";

/// Builds `t` through the library into `public/` on disk, which already holds a sentinel
/// file, as `docsite build` does ([`build_on_disk`]: committed on success, discarded on
/// failure). Fails the test if the build takes longer than `limit` (it runs on its own
/// thread so that a hang is reported).
fn build_to_disk(t: &SiteTest, limit: Duration) -> (Result<(), String>, Duration) {
    t.write(SENTINEL, "the previous build\n");
    // The mark of a folder docsite wrote, without which it would refuse to replace it.
    t.write("public/.docsite-output", "");
    let opts = BuildOptions {
        root: t.root().to_path_buf(),
        ..Default::default()
    };
    let dir = t.path("public");
    let (tx, rx) = std::sync::mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let r = build_on_disk(&dir, &opts.root, |out| build(&opts, out))
            .map(|_| ())
            .map_err(|e| e.to_string());
        let _ = tx.send(r);
    });
    let r = rx
        .recv_timeout(limit)
        .unwrap_or_else(|e| panic!("the build did not finish within {limit:?} ({e})"));
    (r, started.elapsed())
}

/// The failed build left `public/` as it was and no temporary folder behind.
#[track_caller]
fn assert_output_untouched(t: &SiteTest) {
    let tree = t.tree("public");
    assert_eq!(
        tree.keys().collect::<Vec<_>>(),
        [".docsite-output", "sentinel.txt"],
        "a failed build changed public/"
    );
    assert_eq!(tree["sentinel.txt"], b"the previous build\n");
    t.assert_no_temp_folders();
}

// ---------------------------------------------------------------- symlinks

/// Builds `build/minimal` to disk with a symlink at `link` (under the site) pointing to
/// `target`; requires the build to fail within a minute and to leave `public/` untouched,
/// and returns the site and the message.
fn fails_with_symlink(target: &str, link: &str) -> (SiteTest, String) {
    let t = SiteTest::new("build/minimal");
    std::os::unix::fs::symlink(target, t.path(link)).unwrap();
    let (r, took) = build_to_disk(&t, Duration::from_secs(60));
    let Err(msg) = r else {
        panic!("a build with {link} -> {target} succeeded")
    };
    eprintln!("{link} -> {target}: failed in {took:?}:\n{msg}");
    assert_output_untouched(&t);
    (t, msg)
}

#[test]
fn symlink_loop_in_content_fails_naming_the_link() {
    let (t, msg) = fails_with_symlink("..", "content/events/loop");
    let msg = msg.replace(
        &t.root().canonicalize().unwrap().display().to_string(),
        "<site>",
    );
    expect_file(
        &fixtures().join("robust/symlink-loop"),
        "expected.txt",
        &msg,
    );
}

#[test]
fn symlink_to_itself_fails_naming_the_link() {
    let (_, msg) = fails_with_symlink(".", "content/chapters/self");
    assert_eq!(
        msg,
        "error: symlink loop: this folder links back to one of its parents\n \
         --> content/chapters/self\n\n1 problem found"
    );
}

#[test]
fn dangling_symlink_event_fails_naming_the_link() {
    let (_, msg) = fails_with_symlink("nowhere.md", "content/events/1999-gone.md");
    expect_file(
        &fixtures().join("robust/dangling-symlink"),
        "expected.txt",
        &msg,
    );
}

// ---------------------------------------------------------------- a 50 MB chapter

/// About `size` bytes of chapter body: paragraphs with emphasis, code spans, citations,
/// internal and root links, and every tenth section a list and a table. With `headings`,
/// each section (about 3 KB) starts with a `##` heading and each paragraph links to an
/// `#anchor`; without, there is one heading at the top and links name pages only.
fn big_body(size: usize, headings: bool) -> String {
    let mut s = String::with_capacity(size + 4096);
    let mut i = 0;
    while s.len() < size {
        i += 1;
        if headings || i == 1 {
            s.push_str(&format!(
                "## Section {i}: the talks of {}\n\n",
                1950 + i % 70
            ));
        }
        for p in 0..8 {
            let link = if headings {
                "[aid](@/chapters/alliance.md#aid) and the [timeline](/timeline/)"
            } else {
                "[the visit](@/events/1957-07-ho-visit.md) and [the split](@/chapters/split.md)"
            };
            s.push_str(&format!(
                "Paragraph {p} of section {i}. North Korea and North Vietnam *exchanged* \
                 delegations, signed **agreements** and quarrelled over `aid` [@E]. See \
                 {link} [@E; @szalontai-2012]. \"Quoted\" -- and smart.\n\n"
            ));
        }
        if i % 10 == 0 {
            s.push_str(
                "- one\n- two [@E]\n  - nested\n\n| year | aid |\n|---|---|\n| 1966 | 12 |\n\n",
            );
        }
    }
    s
}

/// Writes a 50 MB chapter `content/chapters/long.md`, builds to disk within `limit` and
/// returns the built page.
fn build_fifty_megabytes(headings: bool, limit: Duration) -> String {
    let t = SiteTest::new("build/minimal");
    let text = format!(
        "+++\ntitle = \"A very long chapter\"\norder = 3\nsummary = \"Long [@E].\"\n\
         years = [1968, 1991]\n+++\n{}",
        big_body(50 << 20, headings)
    );
    t.write("content/chapters/long.md", &text);
    let (r, took) = build_to_disk(&t, limit);
    eprintln!(
        "50 MB chapter ({} bytes, headings and anchors: {headings}): build {} in {took:?}",
        text.len(),
        if r.is_ok() { "succeeded" } else { "failed" }
    );
    r.unwrap();
    assert!(
        !t.path(SENTINEL).exists(),
        "the old output was not replaced"
    );
    let html = std::fs::read_to_string(t.path("public/chapters/long/index.html")).unwrap();
    assert!(
        html.len() > text.len(),
        "the page is shorter than its Markdown"
    );
    assert!(html.contains("<h2 id=\"section-1-the-talks-of-1951\">"));
    html
}

#[test]
fn fifty_megabyte_chapter_builds() {
    let html = build_fifty_megabytes(false, Duration::from_secs(300));
    assert!(html.contains("<a href=\"/sub/events/1957-07-ho-visit/\">the visit</a>"));
}

/// The realistic 50 MB chapter: a heading every 3 KB and an `#anchor` link in every
/// paragraph. It once took over 10 minutes in debug (the search index re-scanned the rest
/// of the page at each heading, and every link computed its diagnostic position up front);
/// now about 17 s in debug and 4 s in release.
#[test]
fn fifty_megabyte_chapter_with_a_heading_every_3_kb_builds() {
    let html = build_fifty_megabytes(true, Duration::from_secs(300));
    assert!(html.contains("<a href=\"/sub/chapters/alliance/#aid\">aid</a>"));
}

// ---------------------------------------------------------------- files that are not text

/// A case under `tests/fixtures/robust/`: `docsite build` exits 1 without panicking,
/// prints exactly `expected.txt`, names `file` in it, and writes no `public/`.
fn bad_file(name: &str, file: &str) {
    let r = SiteTest::new(&format!("robust/{name}")).fails_as_expected(&["build"]);
    assert!(
        r.stderr.contains(&format!("--> {file}")),
        "{name}: the message does not name {file}:\n{}",
        r.stderr
    );
}

#[test]
fn event_not_utf8_in_front_matter() {
    bad_file("not-utf8-event", "content/events/1999-latin1.md");
}

#[test]
fn event_saved_as_utf16() {
    bad_file("utf16-event", "content/events/1999-utf16.md");
}

#[test]
fn event_of_nul_and_control_bytes() {
    bad_file("control-bytes-event", "content/events/1999-nul.md");
}

#[test]
fn event_of_whitespace_only() {
    bad_file("whitespace-event", "content/events/1999-blank.md");
}

#[test]
fn event_of_a_byte_order_mark_only() {
    bad_file("bom-only-event", "content/events/1999-bom.md");
}

#[test]
fn empty_chapter() {
    bad_file("empty-chapter", "content/chapters/split.md");
}

// ---------------------------------------------------------------- the fences

/// A folder outside the site: a "credentials" file that is not valid for any of the site's
/// formats (so reading it would quote a line of it in an error), a Markdown file, and a
/// folder of chapters.
fn outside_folder() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("credentials"),
        "[default]\napi_token = \"s3cr3t-token-do-not-print\"\n",
    )
    .unwrap();
    let chapter = "+++\ntitle = \"Elsewhere\"\norder = 9\nsummary = \"Out [@E].\"\n\
                   years = [1990, 1991]\n+++\nOut of the site, api_token s3cr3t-token-do-not-print.\n";
    std::fs::write(d.path().join("page.md"), chapter).unwrap();
    std::fs::create_dir(d.path().join("chapters")).unwrap();
    std::fs::write(d.path().join("chapters/elsewhere.md"), chapter).unwrap();
    std::fs::write(d.path().join("chapters/style.css"), "body{}").unwrap();
    d
}

/// Builds `build/minimal` with `link` (replacing what was there) pointing to `target` in
/// a folder outside the site; the build must fail within a minute, leave `public/` as it
/// was, never quote the outside file, and give exactly `expected` (the outside folder
/// shown as `<outside>`).
#[track_caller]
fn fenced(link: &str, target: &str, expected: &str) {
    let outside = outside_folder();
    let t = SiteTest::new("build/minimal");
    let at = t.path(link);
    if at.is_dir() {
        std::fs::remove_dir_all(&at).unwrap();
    } else if at.symlink_metadata().is_ok() {
        std::fs::remove_file(&at).unwrap();
    }
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(outside.path().join(target), &at).unwrap();
    let (r, _) = build_to_disk(&t, Duration::from_secs(60));
    let Err(msg) = r else {
        panic!("a build with {link} -> <outside>/{target} succeeded")
    };
    assert!(
        !msg.contains("s3cr3t") && !msg.contains("api_token"),
        "the outside file was quoted:\n{msg}"
    );
    assert_output_untouched(&t);
    let real = outside.path().canonicalize().unwrap();
    let msg = msg.replace(&real.display().to_string(), "<outside>");
    pretty_assertions::assert_eq!(msg, expected);
}

const READ_HINT: &str = "are read; copy the file in instead of linking to it";

#[test]
fn home_page_linked_out_of_content_is_refused() {
    fenced(
        "content/index.md",
        "page.md",
        &format!(
            "error: this symlink leads out of content/, to <outside>/page.md\n \
             --> content/index.md\n  = hint: only files inside content/ {READ_HINT}\n\n1 problem found"
        ),
    );
}

#[test]
fn each_registry_linked_out_of_content_is_refused_without_quoting_it() {
    for registry in ["sources.toml", "people.toml", "places.toml"] {
        let outside = outside_folder();
        let t = SiteTest::new("build/minimal");
        let at = t.path(&format!("content/{registry}"));
        std::fs::remove_file(&at).unwrap();
        std::os::unix::fs::symlink(outside.path().join("credentials"), &at).unwrap();
        let (r, _) = build_to_disk(&t, Duration::from_secs(60));
        let msg = r.expect_err("a build with a registry linked out succeeded");
        assert!(
            !msg.contains("s3cr3t") && !msg.contains("api_token"),
            "{registry}: the outside file was quoted:\n{msg}"
        );
        let real = outside.path().canonicalize().unwrap();
        let msg = msg.replace(&real.display().to_string(), "<outside>");
        let first = format!(
            "error: this symlink leads out of content/, to <outside>/credentials\n \
             --> content/{registry}\n  = hint: only files inside content/ {READ_HINT}\n"
        );
        assert!(msg.contains(&first), "{registry}:\n{msg}");
        assert_output_untouched(&t);
    }
}

#[test]
fn a_folder_of_content_linked_out_is_refused() {
    // The chapters folder itself: its files were checked against the link's own target.
    // (Its chapters are then missing, so the events naming them fail too.)
    let outside = outside_folder();
    let t = SiteTest::new("build/minimal");
    std::fs::remove_dir_all(t.path("content/chapters")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("chapters"), t.path("content/chapters"))
        .unwrap();
    let (r, _) = build_to_disk(&t, Duration::from_secs(60));
    let msg = r.expect_err("a build with content/chapters linked out succeeded");
    assert!(!msg.contains("s3cr3t"), "{msg}");
    let real = outside.path().canonicalize().unwrap();
    let msg = msg.replace(&real.display().to_string(), "<outside>");
    assert!(
        msg.starts_with(&format!(
            "error: this symlink leads out of content/, to <outside>/chapters\n \
             --> content/chapters\n  = hint: only files inside content/ {READ_HINT}\n"
        )),
        "{msg}"
    );
    assert!(!msg.contains("elsewhere"), "{msg}");
    assert_output_untouched(&t);
}

#[test]
fn a_folder_link_deeper_in_content_is_refused_once() {
    fenced(
        "content/events/more",
        "chapters",
        &format!(
            "error: this symlink leads out of content/, to <outside>/chapters\n \
             --> content/events/more\n  = hint: only files inside content/ {READ_HINT}\n\n1 problem found"
        ),
    );
}

#[test]
fn a_template_linked_out_of_templates_is_refused() {
    fenced(
        "templates/footer.html",
        "page.md",
        &format!(
            "error: this symlink leads out of templates/, to <outside>/page.md\n \
             --> templates/footer.html\n  = hint: only files inside templates/ {READ_HINT}\n\n1 problem found"
        ),
    );
}

#[test]
fn a_static_folder_linked_out_is_refused() {
    fenced(
        "static/vendor",
        "chapters",
        &format!(
            "error: this symlink leads out of static/, to <outside>/chapters\n \
             --> static/vendor\n  = hint: only files inside static/ {READ_HINT}\n\n1 problem found"
        ),
    );
}

#[test]
fn a_static_file_linked_out_is_refused() {
    fenced(
        "static/secret.txt",
        "credentials",
        &format!(
            "error: this symlink leads out of static/, to <outside>/credentials\n \
             --> static/secret.txt\n  = hint: only files inside static/ {READ_HINT}\n\n1 problem found"
        ),
    );
}

/// Links that stay inside the site are followed as before.
#[test]
fn links_inside_the_site_still_work() {
    let t = SiteTest::new("build/minimal");
    std::fs::create_dir_all(t.path("content/shared")).unwrap();
    std::fs::rename(
        t.path("content/events/1968-peace-talks.md"),
        t.path("content/shared/1968-peace-talks.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../shared", t.path("content/events/linked")).unwrap();
    std::os::unix::fs::symlink("people.toml", t.path("content/people-link.toml")).unwrap();
    let files = t.build_memory().unwrap();
    assert!(files.contains_key("events/1968-peace-talks/index.html"));
}

/// A named pipe where the home page should be: reading it would wait for a writer forever.
/// The build must refuse it at once (the binary runs under a kill timeout).
#[test]
fn a_named_pipe_as_the_home_page_is_refused_without_waiting() {
    let t = SiteTest::new("build/minimal");
    std::fs::remove_file(t.path("content/index.md")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(t.path("content/index.md"))
        .status()
        .unwrap();
    assert!(made.success());
    let r = crate::errors::run_bounded(t.root(), &["build"], Duration::from_secs(60));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: not a regular file\n --> content/index.md\n"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------- site.toml, `new`, sizes, walks

/// Makes a named pipe at `path`.
fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Runs the binary in `t` under a one-minute kill timeout; requires exit code 1 (not a
/// kill, not a panic) and returns stderr.
#[track_caller]
fn fails_bounded(t: &SiteTest, args: &[&str]) -> String {
    let r = crate::errors::run_bounded(t.root(), args, Duration::from_secs(60));
    assert_eq!(r.code, Some(1), "{args:?}: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.stderr
}

#[test]
fn site_toml_linked_out_of_the_site_is_refused_without_quoting_it() {
    let outside = outside_folder();
    let t = SiteTest::new("build/minimal");
    std::fs::remove_file(t.path("site.toml")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("credentials"), t.path("site.toml")).unwrap();
    for command in ["check", "build"] {
        let err = fails_bounded(&t, &[command]);
        assert!(
            !err.contains("s3cr3t") && !err.contains("api_token"),
            "{command}: the outside file was quoted:\n{err}"
        );
        let real = outside.path().canonicalize().unwrap();
        let err = err.replace(&real.display().to_string(), "<outside>");
        assert!(
            err.starts_with(
                "error: this symlink leads out of the site folder, to <outside>/credentials\n \
                 --> site.toml\n  = hint: only files inside the site folder are read"
            ),
            "{command}: {err}"
        );
    }
    assert!(!t.path("public").exists());
}

#[test]
fn site_toml_as_a_named_pipe_is_refused_without_waiting() {
    let t = SiteTest::new("build/minimal");
    std::fs::remove_file(t.path("site.toml")).unwrap();
    mkfifo(&t.path("site.toml"));
    for command in ["check", "build"] {
        let err = fails_bounded(&t, &[command]);
        assert!(
            err.starts_with("error: not a regular file\n --> site.toml\n"),
            "{command}: {err}"
        );
    }
}

#[test]
fn new_chapter_refuses_a_named_pipe_among_the_chapters_without_waiting() {
    let t = SiteTest::new("build/minimal");
    mkfifo(&t.path("content/chapters/zz.md"));
    let err = fails_bounded(&t, &["new", "chapter", "later"]);
    assert!(
        err.starts_with("error: not a regular file\n --> content/chapters/zz.md\n"),
        "{err}"
    );
    assert!(!t.path("content/chapters/later.md").exists());
}

#[test]
fn new_refuses_a_chapter_linked_out_of_content() {
    // The outside chapter says `order = 9`: it must neither be read nor count.
    let outside = outside_folder();
    let t = SiteTest::new("build/minimal");
    std::os::unix::fs::symlink(
        outside.path().join("page.md"),
        t.path("content/chapters/linked.md"),
    )
    .unwrap();
    let real = outside.path().canonicalize().unwrap();
    for args in [
        &["new", "chapter", "later"][..],
        &["new", "event", "x-y", "--date", "1999"],
    ] {
        let err = fails_bounded(&t, args);
        let err = err.replace(&real.display().to_string(), "<outside>");
        assert!(
            err.starts_with(
                "error: this symlink leads out of content/, to <outside>/page.md\n \
                 --> content/chapters/linked.md\n"
            ),
            "{args:?}: {err}"
        );
        assert!(!err.contains("s3cr3t"), "{err}");
    }
    assert!(!t.path("content/chapters/later.md").exists());
    assert!(!t.path("content/events/x-y.md").exists());
}

#[test]
fn new_event_refuses_a_named_pipe_as_the_sources_without_waiting() {
    let t = SiteTest::new("build/minimal");
    std::fs::remove_file(t.path("content/sources.toml")).unwrap();
    mkfifo(&t.path("content/sources.toml"));
    let err = fails_bounded(&t, &["new", "event", "x-y", "--date", "1999"]);
    assert!(
        err.starts_with("error: not a regular file\n --> content/sources.toml\n"),
        "{err}"
    );
    assert!(!t.path("content/events/x-y.md").exists());
}

/// `static/d0` … `static/d<n>`, each `d<i>` holding two links `a` and `b` to `d<i+1>`, and
/// `d<n>` a file: walked naively, 2^n copies of the file.
fn symlink_grid(t: &SiteTest, top: &str, n: usize) {
    for i in 0..=n {
        std::fs::create_dir_all(t.path(&format!("{top}/d{i}"))).unwrap();
    }
    std::fs::write(t.path(&format!("{top}/d{n}/f.txt")), "leaf\n").unwrap();
    for i in 0..n {
        for l in ["a", "b"] {
            std::os::unix::fs::symlink(
                format!("../d{}", i + 1),
                t.path(&format!("{top}/d{i}/{l}")),
            )
            .unwrap();
        }
    }
}

#[test]
fn a_symlink_grid_in_static_fails_naming_both_paths() {
    let t = SiteTest::new("build/minimal");
    // 2^40 copies if each link were followed: the build only ends if each folder is read once.
    symlink_grid(&t, "static", 40);
    let (r, _) = build_to_disk(&t, Duration::from_secs(120));
    let msg = r.expect_err("a build with a symlink grid in static/ succeeded");
    assert!(
        msg.contains(
            "error: this folder was already read as static/d0/a: a symlink leads to it a second time\n \
             --> static/d0/b\n"
        ),
        "{}",
        &msg[..msg.len().min(3000)]
    );
    assert_output_untouched(&t);
}

#[test]
fn a_symlink_grid_in_content_fails_naming_both_paths() {
    let t = SiteTest::new("build/minimal");
    symlink_grid(&t, "content/events/grid", 40);
    let (r, _) = build_to_disk(&t, Duration::from_secs(120));
    let msg = r.expect_err("a build with a symlink grid in content/ succeeded");
    assert!(
        msg.contains(
            "error: this folder was already read as content/events/grid/d0/a: a symlink leads to it a second time\n \
             --> content/events/grid/d0/b\n"
        ),
        "{}",
        &msg[..msg.len().min(3000)]
    );
    assert_output_untouched(&t);
}

/// A sparse file of `len` bytes at `rel` (no disk space used).
fn sparse(t: &SiteTest, rel: &str, len: u64) {
    let f = std::fs::File::create(t.path(rel)).unwrap();
    f.set_len(len).unwrap();
}

const TERABYTE: u64 = 1 << 40;

#[test]
fn a_huge_sparse_file_in_content_is_refused_naming_it() {
    let t = SiteTest::new("build/minimal");
    sparse(&t, "content/events/1999-huge.md", TERABYTE);
    let (r, _) = build_to_disk(&t, Duration::from_secs(60));
    let msg = r.expect_err("a build with a 1 TiB event succeeded");
    assert!(
        msg.starts_with(
            "error: file too large: 1099511627776 bytes, over the limit of 256 MiB\n \
             --> content/events/1999-huge.md\n"
        ),
        "{msg}"
    );
    assert_output_untouched(&t);
}

#[test]
fn a_huge_sparse_file_in_static_is_refused_naming_it() {
    let t = SiteTest::new("build/minimal");
    sparse(&t, "static/video.bin", TERABYTE);
    let (r, _) = build_to_disk(&t, Duration::from_secs(60));
    let msg = r.expect_err("a build with a 1 TiB static file succeeded");
    assert_eq!(
        msg,
        "error: file too large: 1099511627776 bytes, over the limit of 2 GiB\n \
         --> static/video.bin\n  = hint: no file of a site may be this large; remove it, \
         or host it elsewhere and link to it\n\n1 problem found"
    );
    assert_output_untouched(&t);
    // Through the binary: exit 1, no abort.
    let err = fails_bounded(&t, &["build"]);
    assert!(err.contains(" --> static/video.bin\n"), "{err}");
}

#[test]
fn a_static_file_over_the_memory_cap_is_refused_when_serving_from_memory() {
    let t = SiteTest::new("build/minimal");
    sparse(&t, "static/big.bin", (256 << 20) + 1);
    let msg = t
        .build_memory()
        .expect_err("a 256 MiB + 1 static file was kept in memory");
    assert!(
        msg.starts_with(
            "error: file too large: 268435457 bytes, over the limit of 256 MiB\n \
             --> static/big.bin\n"
        ),
        "{msg}"
    );
}

/// A home page linked to a named pipe outside the site: the pipe must never be opened (a
/// writer blocked on it would be let through by any reader's open).
#[test]
fn a_home_page_linked_to_an_outside_named_pipe_never_opens_it() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let outside = tempfile::tempdir().unwrap();
    let fifo = outside.path().join("pipe");
    mkfifo(&fifo);
    let t = SiteTest::new("build/minimal");
    std::fs::remove_file(t.path("content/index.md")).unwrap();
    std::os::unix::fs::symlink(&fifo, t.path("content/index.md")).unwrap();

    // A writer that waits in open() until some reader opens the pipe.
    let test_opened = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let writer = {
        let fifo = fifo.clone();
        let test_opened = Arc::clone(&test_opened);
        std::thread::spawn(move || {
            ready_tx.send(()).unwrap();
            let opened = std::fs::OpenOptions::new().write(true).open(&fifo);
            // Whether the reader that let it through was this test's own, below.
            (opened.is_ok(), test_opened.load(Ordering::SeqCst))
        })
    };
    ready_rx.recv().unwrap();
    // Let the writer reach open(); if it is late, the check below only gets weaker.
    std::thread::sleep(Duration::from_millis(200));
    let (r, _) = build_to_disk(&t, Duration::from_secs(60));
    let msg = r.expect_err("a build with index.md linked to a pipe succeeded");
    assert!(
        msg.contains("this symlink leads out of content/") && msg.contains(" --> content/index.md"),
        "{msg}"
    );
    assert_output_untouched(&t);
    // With no reader ever, a non-blocking writer is refused with ENXIO.
    use std::os::unix::fs::OpenOptionsExt;
    let probe = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo);
    assert_eq!(
        probe.err().and_then(|e| e.raw_os_error()),
        Some(libc::ENXIO),
        "the pipe has a reader"
    );
    // Now let the waiting writer through with this test's own reader.
    test_opened.store(true, Ordering::SeqCst);
    let reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let (opened, after_test) = writer.join().unwrap();
    drop(reader);
    assert!(opened);
    assert!(after_test, "the build opened the pipe outside content/");
}

/// Builds with the binary over a previous output; requires exit 1, the message, and the
/// output as it was.
#[track_caller]
fn no_content_folder(t: &SiteTest, why: &str) {
    t.write(SENTINEL, "the previous build\n");
    t.write("public/.docsite-output", "");
    for command in ["build", "check"] {
        let err = fails_bounded(t, &[command]);
        assert!(
            err.starts_with(&format!("error: no content/ folder: {why}\n --> content\n")),
            "{command}: {err}"
        );
    }
    assert_output_untouched(t);
}

#[test]
fn a_missing_content_folder_fails_and_keeps_the_output() {
    let t = SiteTest::new("build/minimal");
    std::fs::remove_dir_all(t.path("content")).unwrap();
    no_content_folder(&t, "it does not exist");
}

#[test]
fn a_dangling_content_link_fails_and_keeps_the_output() {
    let t = SiteTest::new("build/minimal");
    std::fs::remove_dir_all(t.path("content")).unwrap();
    std::os::unix::fs::symlink("/nonexistent-docsite-content", t.path("content")).unwrap();
    no_content_folder(
        &t,
        "content is a symlink to /nonexistent-docsite-content, which cannot be read (No such file or directory (os error 2))",
    );
}

#[test]
fn a_content_file_instead_of_a_folder_fails_and_keeps_the_output() {
    let t = SiteTest::new("build/minimal");
    std::fs::remove_dir_all(t.path("content")).unwrap();
    std::fs::write(t.path("content"), "not a folder\n").unwrap();
    no_content_folder(&t, "content is not a folder");
}

/// Links to one large file (each under the limit of a file) would fill the disk with
/// copies: all of static/ together is bounded too, before anything is copied.
#[test]
fn static_files_over_the_total_limit_are_refused_before_copying() {
    let t = SiteTest::new("build/minimal");
    sparse(&t, "static/big.bin", 2 << 30);
    for i in 0..8 {
        std::os::unix::fs::symlink("big.bin", t.path(&format!("static/copy{i}.bin"))).unwrap();
    }
    let (r, _) = build_to_disk(&t, Duration::from_secs(60));
    let msg = r.expect_err("18 GiB of static files were copied");
    // 9 × 2 GiB, and the few KiB of the site's own static files.
    let head = msg.lines().take(2).collect::<Vec<_>>().join("\n");
    let total: u64 = head
        .strip_prefix("error: the files of static/ hold ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{msg}"));
    assert!((18 << 30..(18 << 30) + (1 << 20)).contains(&total), "{msg}");
    assert!(
        head.ends_with(" bytes together, over the limit of 16 GiB\n --> static"),
        "{msg}"
    );
    assert_output_untouched(&t);
    // In memory (serve, check) the bound is 2 GiB: 9 files of 256 MiB.
    let t = SiteTest::new("build/minimal");
    sparse(&t, "static/big.bin", 256 << 20);
    for i in 0..8 {
        std::os::unix::fs::symlink("big.bin", t.path(&format!("static/copy{i}.bin"))).unwrap();
    }
    let msg = t
        .build_memory()
        .expect_err("2.25 GiB of static files were kept in memory");
    // 9 × 256 MiB and the theme's own static files (under 1 MiB, growing with features).
    let held: u64 = (msg.strip_prefix("error: the files of static/ hold "))
        .and_then(|m| m.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        (9 << 28..(9 << 28) + (1 << 20)).contains(&held)
            && msg.contains(" bytes together, over the limit of 2 GiB\n --> static\n"),
        "{msg}"
    );
}
