//! The build pipeline: config → content → markdown → timeline → views → templates → output.
//!
//! Each stage is its own module with plain data between them; this one only runs them in
//! order, gathers every stage's diagnostics so a single run reports all problems, and
//! writes the pages through the [`Output`] switch (disk for `build`, memory for `serve`
//! and the tests). Pages are rendered and written in parallel; their bytes do not depend
//! on the order, so two builds of the same input are identical.

use crate::config::Config;
use crate::content::{Content, LoadOptions};
use crate::diag::Diagnostics;
use crate::diag::Span;
pub(crate) use crate::diag::{BuildError, BuildStats};
use crate::markdown::stage::render_markdown;
use crate::output::Output;
use crate::render::templates;
use std::collections::HashMap;
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

/// Runs the whole build, writing through `out`.
pub fn build(opts: &BuildOptions, out: &Output) -> Result<BuildStats, BuildError> {
    run(opts, out).map(|b| b.stats)
}

/// What a finished build leaves for the checks that follow it.
struct Built {
    stats: BuildStats,
    config: Config,
    /// Every external address the Markdown links to, with the place of one such link.
    external: HashMap<String, Span>,
}

fn run(opts: &BuildOptions, out: &Output) -> Result<Built, BuildError> {
    crate::profile::start();
    crate::diag::reset_hint_budget();
    let root = &opts.root;
    let mut diags = Diagnostics::default();
    let Some(config) = Config::load(root, opts.base_url.as_deref(), &mut diags) else {
        return Err(BuildError::Site(diags));
    };
    let drafts = opts.drafts;
    let content = Content::load(root, &config, LoadOptions { drafts }, &mut diags);
    crate::profile::stage("content");
    let rendered = render_markdown(&config, &content, &mut diags);
    crate::profile::stage("markdown");
    let tera = templates::load(root, &mut diags);
    let (Some(tera), true) = (tera, diags.is_empty()) else {
        diags.sort();
        return Err(BuildError::Site(diags));
    };
    // Pages are rendered on threads with large stacks (Tera's renderer recurses).
    let stats = templates::with_render_stack(|| {
        crate::render::write_all(root, &config, &content, &rendered, &tera, out)
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
    let external = rendered
        .all()
        .flat_map(|r| &r.external)
        .map(|l| (l.target.clone(), l.at.clone()))
        .collect();
    Ok(Built {
        stats,
        config,
        external,
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
    ));
    if opts.external {
        let links = crate::linkcheck::external_links(&pages, &config.base_url);
        diags.extend(crate::linkcheck::external(&links, &built.external));
    }
    if diags.is_empty() {
        Ok(built.stats)
    } else {
        diags.sort();
        Err(BuildError::Site(diags))
    }
}
