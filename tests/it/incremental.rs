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
         countries = [\"Vietnam\"]\ntags = [\"incremental-probe\"]\nchapter = \"doi-moi\"\nsources = [\"D\"]\n+++\n\
         A body that links to [the armistice](@/events/1953-korean-armistice.md).\n"
    )
}

#[test]
fn every_incremental_rebuild_is_a_clean_build() {
    let site = SiteTest::documentary();
    let session = Session::new(docsite::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    let (session, kept) = same_as_clean(&site, session, "the first build");
    assert_eq!(kept, 0, "the first build renders everything");

    edit(
        &site,
        EVENT,
        "The Korean War ended",
        "The Korean War, it is said, ended",
    );
    let (session, kept) = same_as_clean(&site, session, "an event's body");
    assert!(kept > 10, "an event's body: only {kept} pages kept");
    edit(
        &site,
        EVENT,
        "ends in an armistice",
        "ends in an armistice (edited)",
    );
    let (session, kept) = same_as_clean(&site, session, "an event's title");
    assert!(kept > 10, "an event's title: only {kept} pages kept");
    edit(&site, EVENT, "date = \"1953\"", "date = \"1991-05\"");
    let (session, _) = same_as_clean(&site, session, "an event's date (it moves)");

    // Touched, not changed: nothing is rendered.
    let text = std::fs::read_to_string(site.path(EVENT)).unwrap();
    site.write(EVENT, &text);
    let (session, _) = same_as_clean(&site, session, "a file touched");

    site.write(NEW, &probe("A probe"));
    let (session, _) = same_as_clean(&site, session, "an event added");
    assert!(site
        .build_memory()
        .unwrap()
        .contains_key("tags/incremental-probe/index.html"));
    std::fs::rename(site.path(NEW), site.path(RENAMED)).unwrap();
    let (session, _) = same_as_clean(&site, session, "an event renamed");
    edit(&site, RENAMED, "A probe", "A renamed probe");
    let (session, kept) = same_as_clean(&site, session, "the renamed event edited");
    assert!(
        kept > 10,
        "the renamed event edited: only {kept} pages kept"
    );
    std::fs::remove_file(site.path(RENAMED)).unwrap();
    let (session, _) = same_as_clean(&site, session, "an event deleted");

    edit(&site, CHAPTER, "began to move", "began, slowly, to move");
    let (session, kept) = same_as_clean(&site, session, "a chapter's body");
    assert!(kept > 10, "a chapter's body: only {kept} pages kept");
    edit(
        &site,
        CHAPTER,
        "title = \"Doi moi\"",
        "title = \"Doi moi (renovation)\"",
    );
    let (session, _) = same_as_clean(&site, session, "a chapter's title");

    let card = std::fs::read_to_string(site.path("templates/card.html")).unwrap();
    site.write("templates/card.html", &format!("{card}<!-- edited -->\n"));
    let (session, kept) = same_as_clean(&site, session, "a template");
    assert_eq!(kept, 0, "a template renders everything");
    edit(&site, "site.toml", "title = \"", "title = \"Edited: ");
    let (session, _) = same_as_clean(&site, session, "site.toml");

    // A broken edit fails and keeps nothing of itself; the fix is a clean build again.
    edit(&site, EVENT, "date = \"1991-05\"", "date = \"not a date\"");
    let (session, failed) = rebuild(session);
    assert!(failed.is_err(), "a broken date builds");
    edit(&site, EVENT, "date = \"not a date\"", "date = \"1992\"");
    let (session, kept) = same_as_clean(&site, session, "the fix of a broken edit");
    assert!(kept > 10, "the fix: only {kept} pages kept");
    drop(session);
}
