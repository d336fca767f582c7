//! The Markdown stage's driver: renders every text of the content, in parallel, and checks
//! what can only be checked once all are rendered (internal `#anchors`), plus the control
//! characters of the plain front-matter strings.

use crate::config::Config;
use crate::content::{Content, Source};
use crate::diag::Diagnostic;
use crate::markdown::{render, RenderOptions, Rendered, Resolver};
use crate::routes::LAYOUT_IDS;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Renders every Markdown text of the site and checks internal `#anchors`.
pub fn render_markdown(config: &Config, content: &Content) -> (RenderedContent, Vec<Diagnostic>) {
    let pages = page_urls(content, &config.base_path);
    let sources: BTreeSet<String> = content.sources.iter().map(|s| s.id.clone()).collect();
    let resolver = Resolver {
        pages: &pages,
        base_path: &config.base_path,
        sources: &sources,
        reserved: &crate::markdown::stage::reserved_ids(content),
    };
    let body = RenderOptions {
        front_matter: false,
    };
    let front = RenderOptions { front_matter: true };
    let diags = std::sync::Mutex::new(Vec::new());
    let run = |src: &Source, o: RenderOptions| -> Rendered {
        let (r, d) = render(src, &resolver, o);
        if !d.is_empty() {
            diags.lock().unwrap_or_else(|p| p.into_inner()).extend(d);
        }
        r
    };
    let home = content.home.as_ref().map(|h| run(&h.body, body));
    let (chapter_summaries, chapter_bodies): (Vec<_>, Vec<_>) = content
        .chapters
        .par_iter()
        .map(|c| (run(&c.summary, front), run(&c.body, body)))
        .unzip();
    let events: Vec<(Rendered, Option<Rendered>, Rendered)> = content
        .events
        .par_iter()
        .map(|e| {
            (
                run(&e.summary, front),
                e.disputed.as_ref().map(|d| run(d, front)),
                {
                    // Nothing reads an event body's plain text (search and descriptions use
                    // the summary): dropping it at once keeps large sites smaller.
                    let mut b = run(&e.body, body);
                    b.text = String::new();
                    b
                },
            )
        })
        .collect();
    let mut event_summaries = Vec::with_capacity(events.len());
    let mut event_disputes = Vec::with_capacity(events.len());
    let mut event_bodies = Vec::with_capacity(events.len());
    for (s, d, b) in events {
        event_summaries.push(s);
        event_disputes.push(d);
        event_bodies.push(b);
    }
    let people = content
        .people
        .par_iter()
        .map(|p| run(&p.summary, front))
        .collect();
    let places = content
        .places
        .par_iter()
        .map(|p| run(&p.summary, front))
        .collect();
    let rendered = RenderedContent {
        home,
        chapter_summaries,
        chapter_bodies,
        event_summaries,
        event_disputes,
        event_bodies,
        people,
        places,
    };
    let mut diags = diags.into_inner().unwrap_or_else(|p| p.into_inner());
    diags.extend(front_matter_controls(content));
    diags.extend(check_anchors(content, &rendered));
    (rendered, diags)
}

/// Control characters in the plain strings of every front matter and registry (titles,
/// names, notes); the Markdown ones are checked as they are rendered.
fn front_matter_controls(content: &Content) -> Vec<Diagnostic> {
    use crate::text::toml_control_characters as check;
    // A front matter: between the first line (`+++`) and the `+++` line before the body.
    let front = |body: &Source, markdown: &[&str]| -> Vec<Diagnostic> {
        let head = &body.file[..body.offset.min(body.file.len())];
        let start = head.find('\n').map_or(0, |i| i + 1);
        let end = head.rfind("+++").unwrap_or(head.len()).max(start);
        check(&body.path, &body.file, start..end, markdown)
    };
    let mut out: Vec<Diagnostic> = content
        .events
        .par_iter()
        .flat_map_iter(|e| front(&e.body, &["summary", "disputed"]))
        .collect();
    for c in &content.chapters {
        out.extend(front(&c.body, &["summary"]));
    }
    if let Some(h) = &content.home {
        out.extend(front(&h.body, &[]));
    }
    for registry in [&content.people, &content.places] {
        if let Some(first) = registry.first() {
            let file = &first.summary.file;
            out.extend(check(
                &first.summary.path,
                file,
                0..file.len(),
                &["summary"],
            ));
        }
    }
    out
}

/// Every `@/page.md#anchor` must name an id on that page.
fn check_anchors(content: &Content, r: &RenderedContent) -> Vec<Diagnostic> {
    let mut ids: HashMap<String, &HashSet<String>> = HashMap::new();
    if let Some(h) = &r.home {
        ids.insert("index.md".into(), &h.ids);
    }
    for (c, b) in content.chapters.iter().zip(&r.chapter_bodies) {
        ids.insert(format!("chapters/{}.md", c.slug), &b.ids);
    }
    for (e, b) in content.events.iter().zip(&r.event_bodies) {
        let key = e
            .body
            .path
            .strip_prefix("content")
            .unwrap_or(&e.body.path)
            .to_string_lossy()
            .replace('\\', "/");
        ids.insert(key, &b.ids);
    }
    let all = r.all();
    let mut out = Vec::new();
    for rendered in all {
        for l in rendered
            .links
            .iter()
            .filter(|l| !content.unloaded.contains(&l.target))
        {
            let ok = ids
                .get(&l.target)
                .is_some_and(|set| set.contains(&l.anchor));
            if !ok {
                let mut d = l.at.diag(format!(
                    "broken internal link: `@/{}` has no heading `#{}`",
                    l.target, l.anchor
                ));
                if let Some(set) = ids.get(&l.target) {
                    if let Some(h) =
                        crate::diag::did_you_mean(&l.anchor, set.iter().map(|s| s.as_str()))
                    {
                        d = d.with_hint(h);
                    }
                }
                out.push(d);
            }
        }
    }
    out
}

/// Rendered Markdown of every text in the content, index-aligned with `Content`.
pub struct RenderedContent {
    pub home: Option<Rendered>,
    pub chapter_summaries: Vec<Rendered>,
    pub chapter_bodies: Vec<Rendered>,
    pub event_summaries: Vec<Rendered>,
    pub event_disputes: Vec<Option<Rendered>>,
    pub event_bodies: Vec<Rendered>,
    pub people: Vec<Rendered>,
    pub places: Vec<Rendered>,
}

impl RenderedContent {
    /// Every rendered text of the site.
    pub fn all(&self) -> impl Iterator<Item = &Rendered> {
        self.home
            .iter()
            .chain(&self.chapter_summaries)
            .chain(&self.chapter_bodies)
            .chain(&self.event_summaries)
            .chain(self.event_disputes.iter().flatten())
            .chain(&self.event_bodies)
            .chain(&self.people)
            .chain(&self.places)
    }
}

/// The ids a heading or footnote in a page's body must not take: [`LAYOUT_IDS`] and the
/// ids the templates make from the content on the pages that show bodies (event cards'
/// `h-<event id>` on chapter pages, `chapter-<slug>` and `chapter-<slug>-h` on the print
/// page).
pub fn reserved_ids(content: &crate::content::Content) -> HashSet<String> {
    let mut ids: HashSet<String> = LAYOUT_IDS.iter().map(|s| s.to_string()).collect();
    for e in &content.events {
        ids.insert(format!("h-{}", e.id));
    }
    for c in &content.chapters {
        ids.insert(format!("chapter-{}", c.slug));
        ids.insert(format!("chapter-{}-h", c.slug));
    }
    ids
}

/// Maps content paths (`events/x.md`, `chapters/y.md`) to the URL path each page gets.
pub fn page_urls(content: &Content, base_path: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    m.insert("index.md".to_string(), base_path.to_string());
    for c in &content.chapters {
        m.insert(
            format!("chapters/{}.md", c.slug),
            format!("{base_path}chapters/{}/", c.slug),
        );
    }
    for e in &content.events {
        let rel = e.body.path.strip_prefix("content").unwrap_or(&e.body.path);
        let key = rel.to_string_lossy().replace('\\', "/");
        m.insert(key, format!("{base_path}events/{}/", e.id));
    }
    for key in &content.unloaded {
        let stem = key
            .rsplit('/')
            .next()
            .unwrap_or(key)
            .trim_end_matches(".md");
        let kind = key.split('/').next().unwrap_or_default();
        m.entry(key.clone())
            .or_insert_with(|| format!("{base_path}{kind}/{stem}/"));
    }
    m
}
