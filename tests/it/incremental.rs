//! `serve`'s incremental rebuild ([`docsite::Session`]): after every edit, of any kind and in
//! any order, its files are byte for byte those of a clean build of the same files, and an
//! edit of one event leaves most per-item pages unrendered.

use crate::harness::SiteTest;
use docsite::{Rebuilt, Session};
use std::collections::BTreeMap;
use std::sync::mpsc::RecvTimeoutError;

const EVENT: &str = "content/events/1953-korean-armistice.md";
const CHAPTER: &str = "content/chapters/doi-moi.md";
const NEW: &str = "content/events/1999-incremental-probe.md";
/// An event no page links to.
const UNLINKED: &str = "content/events/2010-high-level-delegations.md";
/// Where an event is put aside, outside what the build reads.
const STASH: &str = "stashed-event.md";
const RENAMED: &str = "content/events/1999-incremental-probe-renamed.md";

/// Runs `session.rebuild()` on a thread under the harness's deadline, and returns the
/// session with the result (its error rendered).
fn rebuild(mut session: Session) -> (Session, Result<Rebuilt, String>) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let r = session.rebuild().map_err(|e| e.to_string());
        let _ = tx.send((session, r));
    });
    match rx.recv_timeout(crate::harness::RUN_LIMIT) {
        Ok(done) => done,
        Err(RecvTimeoutError::Timeout) => panic!("the rebuild did not end in time"),
        Err(RecvTimeoutError::Disconnected) => panic!("the rebuild panicked (message above)"),
    }
}

/// Rebuilds, and requires the files of a clean build of the site as it now is; returns how
/// many per-item pages were kept.
#[track_caller]
fn same_as_clean(site: &SiteTest, session: Session, step: &str) -> (Session, usize) {
    let (session, built) = rebuild(session);
    let built = built.unwrap_or_else(|e| panic!("{step}: the rebuild failed:\n{e}"));
    let clean = site
        .build_memory()
        .unwrap_or_else(|e| panic!("{step}: the clean build failed:\n{e}"));
    let ours: BTreeMap<&str, &[u8]> = built
        .files
        .iter()
        .map(|(k, v)| (k.as_str(), &v[..]))
        .collect();
    let theirs: BTreeMap<&str, &[u8]> = clean.iter().map(|(k, v)| (k.as_str(), &v[..])).collect();
    let only_ours: Vec<_> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    let only_clean: Vec<_> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
    assert!(
        only_ours.is_empty() && only_clean.is_empty(),
        "{step}: files only in the rebuild {only_ours:?}, only in the clean build {only_clean:?}"
    );
    let differ: Vec<_> = ours.keys().filter(|k| ours[*k] != theirs[*k]).collect();
    assert!(differ.is_empty(), "{step}: these files differ: {differ:?}");
    assert_eq!(built.stats.pages, pages(&clean), "{step}: pages counted");
    (session, built.kept)
}

/// The pages of a build.
fn pages(files: &BTreeMap<String, Vec<u8>>) -> usize {
    files.keys().filter(|k| k.ends_with(".html")).count()
}

fn edit(site: &SiteTest, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

fn probe(title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = \"1999-03\"\nsummary = \"A probe of incremental rebuilds [@D].\"\n\
         countries = [\"Vietnam\", \"North Korea\"]\ntags = [\"incremental-probe\"]\nchapter = \"doi-moi\"\nsources = [\"D\"]\n+++\n\
         A body that links to [the armistice](@/events/1953-korean-armistice.md).\n"
    )
}

/// How many per-item pages a step keeps from the last build.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kept {
    /// None: everything is rendered.
    Nothing,
    /// More than a few: the step is incremental.
    Most,
    /// Whatever the step needs.
    Any,
}

type Step = (&'static str, Box<dyn Fn(&SiteTest)>, Kept);

/// Replaces `from` with `to` in `rel`, as a step.
fn replace(rel: &'static str, from: &'static str, to: &'static str) -> Box<dyn Fn(&SiteTest)> {
    Box::new(move |site| edit(site, rel, from, to))
}

/// Appends a paragraph to `rel`'s body, as a step (independent of the prose there).
fn append(rel: &'static str, paragraph: &'static str) -> Box<dyn Fn(&SiteTest)> {
    Box::new(move |site| {
        let text = std::fs::read_to_string(site.path(rel)).unwrap();
        site.write(rel, &format!("{}\n\n{paragraph}\n", text.trim_end()));
    })
}

/// Moves the Markdown file `from` to `to`, and its translations (`x.vi.md` beside `x.md`)
/// with it: a translation left without its original is an error.
fn move_with_translations(site: &SiteTest, from: &str, to: &str) {
    std::fs::rename(site.path(from), site.path(to)).unwrap();
    for code in ["vi", "ko"] {
        let (f, t) = (
            from.replace(".md", &format!(".{code}.md")),
            to.replace(".md", &format!(".{code}.md")),
        );
        if site.path(&f).exists() {
            std::fs::rename(site.path(&f), site.path(&t)).unwrap();
        }
    }
}

/// Every kind of edit, in an order that moves, adds, renames and removes pages.
fn steps() -> Vec<Step> {
    use Kept::{Any, Most, Nothing};
    let body = append(EVENT, "An added paragraph [@D].");
    let plain = append(EVENT, "A plain sentence, added.");
    let chapter_plain = append(CHAPTER, "A plain sentence, added to the chapter.");
    let chapter_word = replace(CHAPTER, "began to move from", "started to move from");
    let title = replace(EVENT, "title = \"", "title = \"Edited: ");
    let touch: Box<dyn Fn(&SiteTest)> =
        Box::new(|site| site.write(EVENT, &std::fs::read_to_string(site.path(EVENT)).unwrap()));
    let rename: Box<dyn Fn(&SiteTest)> =
        Box::new(|site| std::fs::rename(site.path(NEW), site.path(RENAMED)).unwrap());
    let delete: Box<dyn Fn(&SiteTest)> =
        Box::new(|site| std::fs::remove_file(site.path(RENAMED)).unwrap());
    let template: Box<dyn Fn(&SiteTest)> = Box::new(|site| {
        let card = std::fs::read_to_string(site.path("templates/card.html")).unwrap();
        site.write("templates/card.html", &format!("{card}<!-- edited -->\n"));
    });
    let date = replace(EVENT, "date = \"1953\"", "date = \"1991-05\"");
    let add: Box<dyn Fn(&SiteTest)> = Box::new(|site| site.write(NEW, &probe("A probe")));
    let retitle = replace(RENAMED, "A probe", "A renamed probe");
    let chapter = append(CHAPTER, "An added paragraph [@D].");
    let heading = replace(CHAPTER, "title = \"", "title = \"Edited: ");
    let settings = replace("site.toml", "title = \"", "title = \"Edited: ");
    let registry = replace(
        "content/people.toml",
        "name = \"Ho Chi Minh\"",
        "name = \"Ho Chi Minh (edited)\"",
    );
    // Saved in one burst, before one rebuild: an event comes and another goes.
    // The removed event goes with its translations (one left alone is an error).
    let swap: Box<dyn Fn(&SiteTest)> = Box::new(|site| {
        site.write(NEW, &probe("A probe in a batch"));
        move_with_translations(site, UNLINKED, STASH);
    });
    let restore: Box<dyn Fn(&SiteTest)> = Box::new(|site| {
        std::fs::remove_file(site.path(NEW)).unwrap();
        move_with_translations(site, STASH, UNLINKED);
    });
    // Pyongyang is on event, chapter and place pages' maps, and in a chapter's `map` block.
    let point = replace("content/places.toml", "lat = 39.0339", "lat = 39.5");
    let era_page = replace(
        "templates/timeline_part.html",
        "<ol class=\"tl-events\">",
        "<ol class=\"tl-events\" data-edited=\"\">",
    );
    let image: Box<dyn Fn(&SiteTest)> = Box::new(|site| {
        write_png(site, [200, 90, 40]);
        let event = std::fs::read_to_string(site.path(EVENT)).unwrap();
        let end = event[3..].find("+++").unwrap() + 3;
        let media = "[[media]]\nsrc = \"probe.png\"\nalt = \"A probe\"\n";
        site.write(EVENT, &format!("{}{media}{}", &event[..end], &event[end..]));
        let chapter = std::fs::read_to_string(site.path(CHAPTER)).unwrap();
        let figure = "![A probe](@/media/probe.png \"Credit\")\nIts caption.";
        site.write(CHAPTER, &format!("{chapter}\n\n{figure}\n"));
    });
    let replaced: Box<dyn Fn(&SiteTest)> = Box::new(|site| write_png(site, [20, 90, 200]));
    vec![
        ("an event's body", body, Most),
        ("an event's body, a plain sentence", plain, Most),
        ("an event's title", title, Most),
        ("an event's date (it moves)", date, Any),
        ("a file saved unchanged", touch, Most),
        ("an event added", add, Any),
        ("an event renamed", rename, Any),
        ("the renamed event edited", retitle, Most),
        ("an event deleted", delete, Any),
        ("a chapter's body", chapter, Most),
        ("a chapter's body, a plain sentence", chapter_plain, Most),
        ("a chapter's body, a word for a word", chapter_word, Most),
        ("a chapter's title", heading, Any),
        ("a place's point (maps)", point, Any),
        ("a template", template, Nothing),
        ("the timeline's era pages' template", era_page, Nothing),
        ("site.toml", settings, Any),
        ("a registry", registry, Any),
        ("an event added and another removed at once", swap, Any),
        ("both undone at once", restore, Any),
        ("an image added to an event and a chapter", image, Any),
        ("the image replaced", replaced, Any),
    ]
}

/// Every Markdown file under `dir` of the site, by its path.
fn markdown_files(site: &SiteTest, dir: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(site.path(dir)).unwrap() {
        let path = entry.unwrap().path();
        let rel = path
            .strip_prefix(site.root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            found.extend(markdown_files(site, &rel));
        } else if rel.ends_with(".md") {
            found.push(path);
        }
    }
    found
}

/// Writes `content/media/probe.png`, 600×400 pixels of `rgb`.
fn write_png(site: &SiteTest, rgb: [u8; 3]) {
    let img = image::RgbImage::from_pixel(600, 400, image::Rgb(rgb));
    std::fs::create_dir_all(site.path("content/media")).unwrap();
    img.save(site.path("content/media/probe.png")).unwrap();
}

#[test]
fn every_incremental_rebuild_is_a_clean_build() {
    let site = SiteTest::documentary();
    let mut session = Session::new(docsite::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    let kept;
    (session, kept) = same_as_clean(&site, session, "the first build");
    assert_eq!(kept, 0, "the first build renders everything");
    for (step, act, expected) in steps() {
        act(&site);
        let previewed = session.preview(&markdown_files(&site, "content"));
        let kept;
        (session, kept) = same_as_clean(&site, session, step);
        match expected {
            Kept::Nothing => assert_eq!(kept, 0, "{step}: pages kept"),
            Kept::Most => assert!(kept > 10, "{step}: only {kept} pages kept"),
            Kept::Any => {}
        }
        // The listings are split into pages of 50 (the default `paginate`): North Korea's
        // 50 events take one page; the probe adds a second, and its deletion takes it away;
        // the probe and the moved armistice shift Vietnam's second page.
        let clean = site.build_memory().unwrap();
        // A page shown first, before the rebuild, is the clean build's page.
        for (page, bytes) in &previewed {
            assert!(
                clean.get(page) == Some(&bytes.to_vec()),
                "{step}: the preview of {page}"
            );
        }
        // (A chapter's page shows its reading time: a longer body is not previewed.)
        if [
            "an event's body, a plain sentence",
            "a chapter's body, a word for a word",
        ]
        .contains(&step)
        {
            assert_eq!(previewed.len(), 1, "{step}: one page previewed");
        }
        let paged = clean.contains_key("countries/north-korea/page/2/index.html");
        match step {
            "an event added" => {
                assert!(clean.contains_key("tags/incremental-probe/index.html"));
                assert!(paged, "{step}: North Korea has a second page");
            }
            "an event renamed" | "the renamed event edited" => assert!(paged, "{step}"),
            _ => assert!(!paged, "{step}: North Korea has a second page"),
        }
        assert!(clean.contains_key("countries/vietnam/page/2/index.html"));
        if step == "an event's title" {
            let era = String::from_utf8_lossy(&clean["timeline/alliance/index.html"]);
            assert!(
                era.contains("Edited: "),
                "the era's page lists the new title"
            );
        }
    }

    // Edits that break the site as a whole (a second event of one id, an event citing a
    // source that is gone, a chapter that is gone): the rebuild, which keeps every other
    // item, reports what a clean build reports; undone, it builds as a clean build again.
    for (step, broken) in broken_steps() {
        let text: Vec<(String, Option<String>)> = (broken.iter())
            .map(|(rel, _)| {
                (
                    rel.to_string(),
                    std::fs::read_to_string(site.path(rel)).ok(),
                )
            })
            .collect();
        for (rel, act) in &broken {
            act(&site, rel);
        }
        let failed;
        (session, failed) = rebuild(session);
        let clean = site.build_memory();
        let (Err(ours), Err(theirs)) = (&failed, &clean) else {
            let ok = (failed.is_ok(), clean.is_ok());
            panic!("{step}: the rebuild and the clean build should fail (succeeded: {ok:?})");
        };
        assert_eq!(ours, theirs, "{step}: the rebuild reports otherwise");
        for (rel, was) in text {
            match was {
                Some(t) => site.write(&rel, &t),
                None => std::fs::remove_file(site.path(&rel)).unwrap(),
            }
        }
        (session, _) = same_as_clean(&site, session, &format!("{step}, undone"));
    }

    // A broken edit fails and keeps nothing of itself; the fix is a clean build again.
    edit(&site, EVENT, "date = \"1991-05\"", "date = \"not a date\"");
    let failed;
    (session, failed) = rebuild(session);
    assert!(failed.is_err(), "a broken date builds");
    edit(&site, EVENT, "date = \"not a date\"", "date = \"1992\"");
    let (_, kept) = same_as_clean(&site, session, "the fix of a broken edit");
    assert!(kept > 10, "the fix: only {kept} pages kept");
}

/// With `paginate = 4` a chapter's events take several numbered pages
/// (`chapters/doi-moi/page/5/`), and so do the sources: every edit, moving an event from
/// one page to another or adding a page, rebuilds to a clean build's files.
#[test]
fn numbered_chapter_pages_rebuild_as_a_clean_build() {
    let site = SiteTest::documentary();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    let toml = toml.replacen("\n[[taxonomies]]", "\npaginate = 4\n\n[[taxonomies]]", 1);
    site.write("site.toml", &toml);
    let mut session = Session::new(docsite::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    (session, _) = same_as_clean(&site, session, "the first build");
    let clean = site.build_memory().unwrap();
    assert!(clean.contains_key("chapters/doi-moi/page/5/index.html"));
    assert!(clean.contains_key("sources/page/5/index.html"));
    for (step, act, _) in steps().into_iter().filter(|(s, ..)| *s != "site.toml") {
        act(&site);
        (session, _) = same_as_clean(&site, session, step);
    }
}

/// What a step does to one file.
type Act = Box<dyn Fn(&SiteTest, &str)>;

/// A change of one file in a step that breaks the site (`rel`, and what is done to it).
type Change = (&'static str, Act);

/// Edits that break the site through another file than the one edited.
fn broken_steps() -> Vec<(&'static str, Vec<Change>)> {
    let copy_of = |from: &'static str| -> Act {
        Box::new(move |site, rel| {
            site.write(rel, &std::fs::read_to_string(site.path(from)).unwrap())
        })
    };
    let replace = |from: &'static str, to: &'static str| -> Act {
        Box::new(move |site, rel| edit(site, rel, from, to))
    };
    let remove: Act = Box::new(|site, rel| std::fs::remove_file(site.path(rel)).unwrap());
    vec![
        (
            "a second event of one id",
            vec![(
                "content/events/more/1953-korean-armistice.md",
                copy_of(EVENT),
            )],
        ),
        (
            "a source taken out of sources.toml",
            vec![(
                "content/sources.toml",
                replace("id = \"D\"", "id = \"D-renamed\""),
            )],
        ),
        ("a chapter removed", vec![(CHAPTER, remove)]),
    ]
}

/// The era pages of the timeline (`timeline/<era>/<n>/`) each event page links to, by page.
fn era_links(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    (files.iter())
        .filter(|(k, _)| k.starts_with("events/") && k.ends_with("index.html"))
        .filter_map(|(k, v)| {
            let html = String::from_utf8_lossy(v);
            let at = html.find("class=\"button\" href=\"")? + 21;
            let href = &html[at..at + html[at..].find('#')?];
            Some((k.clone(), href.to_string()))
        })
        .collect()
}

/// An event moved early into an era of more than one page moves the era's later events to
/// the next page: their pages and their chapters' pages link there after the rebuild, as
/// a clean build's do, though nothing of theirs changed.
#[test]
fn an_event_moved_early_in_an_era_moves_later_links_to_the_next_era_page() {
    let site = SiteTest::documentary();
    for i in 0..110 {
        site.write(
            &crate::scale::scale_event(i),
            &crate::scale::event(i, "1951"),
        );
    }
    let later = crate::scale::event(999, "1990").replace("doi-moi", "cold-war-alliance");
    site.write(NEW, &later);
    let session = Session::new(docsite::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    let (session, _) = same_as_clean(&site, session, "the first build");
    let before = era_links(&site.build_memory().unwrap());
    edit(&site, NEW, "date = \"1990\"", "date = \"1950-01-01\"");
    let (_, kept) = same_as_clean(&site, session, "an event moved first in its era");
    assert!(kept > 10, "only {kept} pages kept");
    let after = era_links(&site.build_memory().unwrap());
    let moved: Vec<_> = (before.iter())
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
        .filter(|(k, _)| !k.starts_with("events/1999-incremental-probe/"))
        .collect();
    assert_eq!(
        moved.len(),
        1,
        "one other event moves to the era's second page: {moved:?}"
    );
    assert_eq!(after[moved[0].0], "/distant-comrades/timeline/alliance/2/");
}
