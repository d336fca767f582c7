//! The build pipeline: config → content → markdown → timeline → views → templates → output.
//!
//! Each stage is its own module with plain data between them; this one only runs them in
//! order, gathers every stage's diagnostics so a single run reports all problems, and
//! writes the pages through the [`Output`] switch (disk for `build`, memory for `serve`
//! and the tests). Pages are rendered and written in parallel; their bytes do not depend
//! on the order, so two builds of the same input are identical.

use crate::config::Config;
use crate::content::{page_urls, Content, LoadOptions, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{render, RenderOptions, Rendered, Resolver};
use crate::output::Output;
use crate::templates;
use crate::views::{RenderedContent, Views};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder holding `site.toml`.
    pub root: PathBuf,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Include `draft = true` pages.
    pub drafts: bool,
}

/// Why a build failed: problems in the site's files, or a system error.
#[derive(Debug)]
pub enum BuildError {
    Site(Diagnostics),
    System(anyhow::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Site(d) => write!(f, "{d}"),
            BuildError::System(e) => {
                write!(f, "{}", crate::diagnostics::clean_lines(&format!("{e:#}")))
            }
        }
    }
}

impl std::error::Error for BuildError {}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Site(d)
    }
}

impl From<anyhow::Error> for BuildError {
    /// A system error can name a file of the site (`cannot write …`): its text is made safe
    /// for a terminal here, so whoever prints it (`build`, `serve`) prints it safely.
    fn from(e: anyhow::Error) -> Self {
        BuildError::System(anyhow::anyhow!(crate::diagnostics::clean_lines(&format!(
            "{e:#}"
        ))))
    }
}

/// What a successful build made.
#[derive(Debug, Clone, Default)]
pub struct BuildStats {
    pub pages: usize,
    pub files: usize,
    pub events: usize,
    pub chapters: usize,
}

/// Runs the whole build, writing through `out`.
pub fn build(opts: &BuildOptions, out: &Output) -> Result<BuildStats, BuildError> {
    run(opts, out).map(|b| b.stats)
}

/// What a finished build leaves for the checks that follow it.
struct Built {
    stats: BuildStats,
    config: Config,
    rendered: RenderedContent,
}

fn run(opts: &BuildOptions, out: &Output) -> Result<Built, BuildError> {
    crate::profile::start();
    crate::diagnostics::reset_hint_budget();
    let root = &opts.root;
    let config = Config::load(root, opts.base_url.as_deref())?;
    let (content, mut diags) = Content::load(
        root,
        &config,
        LoadOptions {
            drafts: opts.drafts,
        },
    );
    crate::profile::stage("content");
    let (rendered, md_diags) = render_markdown(&config, &content);
    crate::profile::stage("markdown");
    diags.extend(md_diags);
    let tera = match templates::load(root) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d.0);
            None
        }
    };
    let (Some(tera), true) = (tera, diags.is_empty()) else {
        diags.sort();
        return Err(BuildError::Site(diags));
    };
    // Pages are rendered on threads with large stacks (Tera's renderer recurses).
    let stats = templates::with_render_stack(|| {
        crate::pages::write_all(root, &config, &content, &rendered, &tera, out)
    })?;
    let mut missing = Diagnostics::default();
    for l in rendered.all().flat_map(|r| &r.rooted) {
        if !out.serves(&l.target) {
            missing.push(
                l.at.diag(format!(
                    "broken link: `{}` is neither a page nor a file of static/",
                    l.dest
                ))
                .with_hint("links starting with / name a file of static/ or a page of the site, as /timeline/ or /figures/map.svg"),
            );
        }
    }
    if !missing.is_empty() {
        missing.sort();
        return Err(BuildError::Site(missing));
    }
    crate::profile::stage("done");
    Ok(Built {
        stats,
        config,
        rendered,
    })
}

/// What `check` adds to the build.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Also ask every external address.
    pub external: bool,
}

/// Runs every stage into memory, then checks every link and anchor of the HTML the
/// templates produced (and, when asked, every external address). Writes nothing.
pub fn check(opts: &CheckOptions) -> Result<BuildStats, BuildError> {
    let out = Output::memory();
    let built = run(&opts.build, &out)?;
    let files = out.commit()?.unwrap_or_default();
    let config = &built.config;
    let pages = crate::linkcheck::scan_pages(&files);
    let mut diags = Diagnostics(crate::linkcheck::internal(
        &files,
        &pages,
        &config.base_url,
        &config.base_path,
        crate::pages::template_of,
    ));
    if opts.external {
        let located: HashMap<String, crate::content::Span> = built
            .rendered
            .all()
            .flat_map(|r| &r.external)
            .map(|l| (l.target.clone(), l.at.clone()))
            .collect();
        let links = crate::linkcheck::external_links(&pages, &config.base_url);
        diags.extend(crate::linkcheck::external(&links, &located));
    }
    if diags.is_empty() {
        Ok(built.stats)
    } else {
        diags.sort();
        Err(BuildError::Site(diags))
    }
}

/// Renders every Markdown text of the site and checks internal `#anchors`.
pub fn render_markdown(config: &Config, content: &Content) -> (RenderedContent, Vec<Diagnostic>) {
    let pages = page_urls(content, &config.base_path);
    let sources: BTreeSet<String> = content.sources.iter().map(|s| s.id.clone()).collect();
    let resolver = Resolver {
        pages: &pages,
        base_path: &config.base_path,
        sources: &sources,
        reserved: &crate::markdown::reserved_ids(content),
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
    use crate::markdown::toml_control_characters as check;
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
                        crate::diagnostics::did_you_mean(&l.anchor, set.iter().map(|s| s.as_str()))
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

/// A convenience for callers holding views.
pub fn views<'a>(
    config: &'a Config,
    content: &'a Content,
    rendered: &'a RenderedContent,
) -> Views<'a> {
    Views {
        config,
        content,
        rendered,
        base: &config.base_path,
    }
}
