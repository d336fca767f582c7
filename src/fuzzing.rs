//! Entry points for fuzzing, shared by the `cargo fuzz` targets in `fuzz/` and by the
//! integration test `tests/it/robust.rs`, which replays the saved corpus on stable Rust.
//!
//! Each function takes arbitrary bytes, drives one stage of the build with them and
//! returns nothing. None of them may panic, whatever the input: a panic is a bug in the
//! stage, not in the fuzzer. Beyond "no panic", they assert a few properties the stages
//! promise, such as "a file that fails to load is named by a diagnostic" and "a date
//! prints back as it was written".
//!
//! * [`front_matter`]: the bytes become, at once, an event file
//!   (`content/events/fuzz.md`), a chapter file (`content/chapters/fuzz.md`) and the home
//!   page (`content/index.md`) of a small scratch site on disk, loaded by
//!   [`Content::load`] and then rendered by [`crate::markdown::stage::render_markdown`], whose HTML
//!   is audited as in [`markdown`] (see [`audit_html`]). The
//!   front-matter splitter and schemas are private to `content`, so the bytes go
//!   through the same files-on-disk path `build` uses; the scratch site lives in the
//!   system's temporary folder, one per thread, and is removed when the thread ends.
//! * [`date`]: the bytes (lossily decoded as UTF-8) go to `Date::parse`; a `/` splits
//!   them into the two ends of a range for `date::human_range`.
//! * [`markdown`]: the bytes (lossily decoded) are rendered by `markdown::render`
//!   as a chapter body and as a front-matter string embedded in a larger file, against a
//!   resolver that knows the pages `index.md`, `events/a.md` and `chapters/b.md` and the
//!   sources `A`, `E` and `szalontai-2012`, so that `@/` internal links, `#anchors` and
//!   `[@A; @E]` citations resolve. Whatever the input, and whether or not it was
//!   reported, the HTML has no `<script>` (or other active) element, no `on*` attribute,
//!   no link or source with a scheme but http(s) and mailto, and no reserved id.

use crate::config::Config;
use crate::content::{Content, LoadOptions, Source};
use crate::date::{human_range, Date};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{render, RenderOptions, Resolver};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The `site.toml` of the scratch site (parsed in memory: [`Config::parse`] is public).
const SITE_TOML: &str = r#"title = "Fuzz"
description = "A scratch site for fuzzing"
base_url = "https://example.org/sub/"

[[eras]]
id = "alliance"
name = "Alliance"
start = "1950"
end = "1967"
"#;

/// Fixed, valid files of the scratch site: what the fuzzed files may refer to.
const SCRATCH_FILES: &[(&str, &str)] = &[
    (
        "content/sources.toml",
        "[[source]]\nid = \"A\"\ntitle = \"Source A\"\ndate = \"2019-02-28\"\n\n\
         [[source]]\nid = \"E\"\ntitle = \"North Korea–Vietnam relations\"\npublisher = \"Wikipedia\"\ndate = \"2019\"\n\n\
         [[source]]\nid = \"szalontai-2012\"\ntitle = \"In the Shadow of Vietnam\"\nauthor = \"Balázs Szalontai\"\n\
         date = \"2012\"\nurl = \"https://doi.org/10.1162/JCWS_a_00278\"\ncited_in = \"E\"\n",
    ),
    (
        "content/people.toml",
        "[[person]]\nid = \"ho-chi-minh\"\nname = \"Ho Chi Minh\"\nrole = \"President of North Vietnam\"\n\
         summary = \"Visited North Korea in 1957 [@E].\"\nsources = [\"E\"]\n",
    ),
    (
        "content/places.toml",
        "[[place]]\nid = \"pyongyang\"\nname = \"Pyongyang\"\ncountry = \"North Korea\"\n\
         summary = \"Capital of North Korea [@E].\"\nsources = [\"E\"]\n",
    ),
    (
        "content/chapters/b.md",
        "+++\ntitle = \"The alliance\"\norder = 1\nsummary = \"How it began [@E].\"\nyears = [1950, 1967]\n+++\n\
         ## Aid\n\nSee [the event](@/events/a.md#visit) [@A; @E].\n",
    ),
    (
        "content/events/a.md",
        "+++\ntitle = \"Ho Chi Minh visits North Korea\"\ndate = \"1957-07\"\nsummary = \"A visit [@E].\"\n\
         places = [\"pyongyang\"]\npeople = [\"ho-chi-minh\"]\ncountries = [\"North Korea\"]\n\
         chapter = \"b\"\nsources = [\"E\", { id = \"szalontai-2012\", note = \"background\" }]\n+++\n\
         ## Visit\n\nBack to [the chapter](@/chapters/b.md#aid).\n",
    ),
];

/// The files the fuzzed bytes are written to, relative to the scratch site's root.
const FUZZED_EVENT: &str = "content/events/fuzz.md";
const FUZZED_CHAPTER: &str = "content/chapters/fuzz.md";
const FUZZED_HOME: &str = "content/index.md";

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let mut diags = Diagnostics::default();
        Config::parse(Path::new("site.toml"), SITE_TOML, None, &mut diags)
            .expect("the fuzzing site.toml is valid")
    })
}

/// A scratch site in the temporary folder, removed on drop.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "docsite-fuzz-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        for (rel, text) in SCRATCH_FILES {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().expect("a relative path with a folder"))
                .expect("create the scratch site");
            std::fs::write(&p, text).expect("write the scratch site");
        }
        Scratch { root }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// Renders every diagnostic (the caret and window arithmetic is code too) and checks that
/// each names a file.
fn show(diags: &Diagnostics) -> String {
    for d in &diags.0 {
        assert!(
            !d.path.as_os_str().is_empty(),
            "a diagnostic names no file: {d:?}"
        );
    }
    diags.to_string()
}

/// Front matter and body of an event file, a chapter file and the home page, through
/// [`Content::load`] and [`crate::markdown::stage::render_markdown`].
pub fn front_matter(data: &[u8]) {
    SCRATCH.with(|cell| {
        let mut cell = cell.borrow_mut();
        let root = cell.get_or_insert_with(Scratch::new).root.clone();
        for rel in [FUZZED_EVENT, FUZZED_CHAPTER, FUZZED_HOME] {
            std::fs::write(root.join(rel), data).expect("write a fuzzed file");
        }
        let config = config();
        let mut diags = Diagnostics::default();
        let content = Content::load(&root, config, LoadOptions { drafts: true }, &mut diags);

        // A fuzzed file that did not load must be named by at least one diagnostic.
        let named = |rel: &str| diags.0.iter().any(|d| d.path == Path::new(rel));
        if !content.events.iter().any(|e| e.id == "fuzz") {
            assert!(
                named(FUZZED_EVENT),
                "the event was dropped without a diagnostic:\n{}",
                show(&diags)
            );
        }
        if content.chapter("fuzz").is_none() {
            assert!(
                named(FUZZED_CHAPTER),
                "the chapter was dropped without a diagnostic:\n{}",
                show(&diags)
            );
        }
        if content.home.is_none() {
            assert!(
                named(FUZZED_HOME),
                "the home page was dropped without a diagnostic:\n{}",
                show(&diags)
            );
        }

        let rendered = crate::markdown::stage::render_markdown(config, &content, &mut diags);
        let reserved = crate::markdown::stage::reserved_ids(&content);
        for r in rendered.all() {
            let unsafe_parts = audit_html(&r.html, &reserved);
            assert!(unsafe_parts.is_empty(), "{unsafe_parts:?} in {}", r.html);
        }
        diags.sort();
        let _ = show(&diags);
        let _ = crate::markdown::stage::page_urls(&content, &config.base_path);
    });
}

/// One date, or a `start/end` range.
pub fn date(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let one = |s: &str| -> Option<Date> {
        match Date::parse(s) {
            Ok(d) => {
                // The ISO spelling of a date from 0000 on is unique; every date prints
                // back to an ISO spelling that reads as the same date.
                if !s.contains(' ') && !s.starts_with('-') {
                    assert_eq!(d.iso(), s, "a date does not print back as written");
                }
                assert_eq!(Date::parse(&d.iso()), Ok(d));
                assert!(!d.human().is_empty());
                assert_eq!(d.datetime().is_some(), d.year >= 1);
                assert_ne!(d.signed_year(), 0);
                let _ = d.precision();
                assert!(d.as_year_fraction() < d.end_as_year_fraction());
                let _ = human_range(&d, None);
                let _ = human_range(&d, Some(&d));
                Some(d)
            }
            Err(e) => {
                assert!(
                    e.span.start <= e.span.end && e.span.end <= s.len(),
                    "error span {:?} outside {s:?}",
                    e.span
                );
                assert!(!e.message.is_empty());
                let d = Diagnostic::at("content/events/fuzz.md", s, e.span, e.message);
                let _ = d.to_string();
                None
            }
        }
    };
    let _ = one(&text);
    if let Some((a, b)) = text.split_once('/') {
        if let (Some(a), Some(b)) = (one(a), one(b)) {
            let _ = human_range(&a, Some(&b));
            let _ = human_range(&b, Some(&a));
        }
    }
}

/// Markdown as a chapter body and as a front-matter string.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let pages: BTreeMap<String, String> = [
        ("index.md", "/sub/"),
        ("events/a.md", "/sub/events/a/"),
        ("chapters/b.md", "/sub/chapters/b/"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let sources: BTreeMap<String, usize> = ["A", "E", "szalontai-2012"]
        .into_iter()
        .map(|s| (String::from(s), 1))
        .collect();
    let resolver = Resolver {
        pages: &pages,
        base_path: "/sub/",
        pages_path: "/sub/",
        sources: &sources,
        reserved: &["main", "h-a"].into_iter().map(String::from).collect(),
        places: &Default::default(),
        media: None,
        words: &crate::markdown::Words::english(),
    };
    let path = PathBuf::from("content/chapters/b.md");

    // A body: the whole file is Markdown after an (empty) front matter.
    let body = Source {
        path: path.clone(),
        file: Arc::from(text.as_str()),
        markdown: text.clone().into(),
        offset: 0,
        headings: None,
    };
    // A front-matter string: the Markdown sits inside a larger file.
    let prefix = "+++\ntitle = \"b\"\nsummary = \"\"\"";
    let file = format!("{prefix}{text}\"\"\"\n+++\n");
    let summary = Source {
        path: path.clone(),
        file: Arc::from(file),
        markdown: text.into(),
        offset: prefix.len(),
        headings: None,
    };

    for (src, front_matter) in [(&body, false), (&summary, true)] {
        let mut diags = Diagnostics::default();
        let r = render(src, &resolver, RenderOptions { front_matter }, &mut diags);
        for id in &r.cited {
            assert!(sources.contains_key(id), "cited an unknown source `{id}`");
        }
        for p in &r.links_to {
            assert!(pages.contains_key(p), "linked to an unknown page `{p}`");
        }
        for l in &r.links {
            assert!(pages.contains_key(&l.target));
            let _ = l.at.diag("fuzz").to_string();
        }
        for l in r.rooted.iter().chain(&r.external) {
            let _ = l.at.diag("fuzz").to_string();
        }
        for d in &diags.0 {
            assert_eq!(d.path, path);
        }
        let _ = show(&diags);
        let unsafe_parts = audit_html(&r.html, resolver.reserved);
        assert!(unsafe_parts.is_empty(), "{unsafe_parts:?} in {}", r.html);
    }
}

/// What in rendered Markdown could run a script or take a layout id: active elements,
/// `on*` attributes, links and sources with a scheme but http(s) and mailto, reserved ids.
pub fn audit_html(html: &str, reserved: &std::collections::HashSet<String>) -> Vec<String> {
    const ACTIVE: &[&str] = &[
        "script", "iframe", "object", "embed", "style", "form", "base", "meta", "link", "frame",
        "frameset", "applet",
    ];
    let found = RefCell::new(Vec::new());
    let mut rewriter = lol_html::HtmlRewriter::new(
        lol_html::Settings {
            element_content_handlers: vec![lol_html::element!("*", |el| {
                let tag = el.tag_name();
                if ACTIVE.contains(&tag.as_str()) {
                    found.borrow_mut().push(format!("<{tag}>"));
                }
                for a in el.attributes() {
                    let (name, value) = (a.name(), a.value());
                    let bad = name.starts_with("on")
                        || (name == "id" && reserved.contains(&value))
                        || (["href", "src", "xlink:href", "action", "formaction"]
                            .contains(&name.as_str())
                            && crate::text::url_scheme(&value).is_some_and(|s| {
                                !crate::text::ALLOWED_SCHEMES.contains(&s.as_str())
                            }));
                    if bad {
                        found
                            .borrow_mut()
                            .push(format!("<{tag} {name}=\"{value}\">"));
                    }
                }
                Ok(())
            })],
            ..lol_html::Settings::new()
        },
        |_: &[u8]| {},
    );
    if rewriter.write(html.as_bytes()).is_err() || rewriter.end().is_err() {
        return vec!["HTML the rewriter cannot read".into()];
    }
    found.into_inner()
}
