//! Bad input: each case under `tests/fixtures/errors/` overlays a good site with one
//! mistake and states in `expected.txt` exactly what `build` prints. Every case must exit
//! 1, print that message, and leave an existing `public/` as it was.

use crate::harness::SiteTest;

fn case(name: &str) {
    SiteTest::new(&format!("errors/{name}")).fails_as_expected(&["build"]);
}

macro_rules! cases {
    ($($name:ident => $dir:literal,)*) => {
        $(#[test] fn $name() { case($dir) })*
    };
}

cases! {
    bad_toml => "bad-toml",
    broken_chapter_no_cascade => "broken-chapter-no-cascade",
    unknown_key => "unknown-key",
    missing_field => "missing-field",
    wrong_type => "wrong-type",
    impossible_date => "impossible-date",
    unknown_chapter => "unknown-chapter",
    unknown_source => "unknown-source",
    unknown_citation => "unknown-citation",
    duplicate_event_id => "duplicate-event-id",
    broken_link => "broken-link",
    broken_anchor => "broken-anchor",
    not_utf8 => "not-utf8",
    template_syntax => "template-syntax",
    template_variable => "template-variable",
    site_toml_unknown_key => "site-toml-unknown-key",
    unclosed_front_matter => "unclosed-front-matter",
    empty_file => "empty-file",
    binary_garbage => "binary-garbage",
    many_problems => "many-problems",
}
