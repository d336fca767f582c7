//! A multilingual site's model (issue 18): `[languages.<code>]` in site.toml and
//! translations beside their originals (`x.vi.md`, `people.vi.toml`). The default
//! language's site has the files it has without translations; `check` warns, once per
//! language and kind, of what is not translated.

use crate::harness::{expect_file, SiteTest};

/// The two-language fixture builds the same English site as the one-language site it
/// overlays, and `check` lists what Vietnamese lacks, one warning per kind.
#[test]
fn translations_leave_the_default_site_as_it_was_and_check_warns_of_what_is_missing() {
    let t = SiteTest::new("build/languages");
    let with = t.build_memory().unwrap();
    let plain = SiteTest::new("build/minimal").build_memory().unwrap();
    // The default language's files are the one-language site's (its pages now with the
    // language switcher and alternates: tests/it/multilingual.rs), the Vietnamese pages
    // under vi/.
    let root: Vec<&String> = with.keys().filter(|k| !k.starts_with("vi/")).collect();
    assert_eq!(root, plain.keys().collect::<Vec<_>>());
    for path in plain.keys().filter(|k| k.ends_with("index.html")) {
        assert!(with.contains_key(&format!("vi/{path}")), "no vi/{path}");
    }
    let r = t.run(&["build"]);
    r.success();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let r = t.run(&["check"]);
    r.success();
    expect_file(&t.case, "expected-check.txt", &r.stderr);
}

/// A file named like a translation into a language site.toml does not declare is read
/// as an original, and its name is refused with a hint naming the language.
#[test]
fn a_translation_into_an_undeclared_language_is_named_as_such() {
    let t = SiteTest::new("build/minimal");
    t.write(
        "content/chapters/alliance.fr.md",
        "+++\ntitle = \"L'alliance\"\n+++\nTexte.\n",
    );
    let r = t.run(&["build"]);
    r.failure();
    assert!(
        r.stderr.contains(
            "alliance.fr.md looks like a translation into `fr`, which site.toml does not declare"
        ),
        "{}",
        r.stderr
    );
}

/// A translation may link to a section of any page by the original's heading id: the
/// translated chapter's headings take the original's ids by position.
#[test]
fn a_link_to_a_section_uses_the_original_heading_id_in_every_language() {
    let t = SiteTest::new("build/languages");
    t.write(
        "content/events/1957-07-ho-visit.vi.md",
        "+++\ntitle = \"Hồ Chí Minh thăm Triều Tiên\"\nsummary = \"Hồ Chí Minh đến Bình Nhưỡng [@E].\"\n+++\nXem [viện trợ](@/chapters/alliance.md#aid) [@E; @szalontai-2012].\n",
    );
    t.run(&["check"]).success();
    t.write(
        "content/events/1957-07-ho-visit.vi.md",
        "+++\ntitle = \"Hồ Chí Minh thăm Triều Tiên\"\nsummary = \"Hồ Chí Minh đến Bình Nhưỡng [@E].\"\n+++\nXem [viện trợ](@/chapters/alliance.md#vien-tro) [@E; @szalontai-2012].\n",
    );
    let r = t.run(&["check"]);
    r.failure();
    assert!(
        r.stderr
            .contains("`@/chapters/alliance.md` has no heading `#vien-tro`"),
        "{}",
        r.stderr
    );
}
