//! The build pipeline: config → content → markdown → render (templates, pages, data files,
//! `static/`) → the check of `/`-rooted links; and `check`, which then reads the HTML
//! built in memory ([`crate::linkcheck`]).
//!
//! Each stage is its own module with plain data between them; this one only runs them in
//! order and gathers every stage's diagnostics so a single run reports all problems. The
//! render stage ([`crate::render`]) writes through the [`Output`] switch (disk for
//! `build`, memory for `serve` and the tests).

use crate::config::Config;
use crate::content::{Content, LoadOptions};
pub(crate) use crate::diag::BuildError;
use crate::diag::Span;
use crate::diag::{Diagnostics, Severity};
use crate::i18n::Catalog;
use crate::markdown::shared::Shared;
use crate::markdown::stage::render_reusing;
use crate::markdown::stage::RenderedContent;
use crate::markdown::translated;
use crate::markdown::Words;
use crate::media::Media;
use crate::output::Output;
use crate::render::views::Views;
use crate::render::{Only, Reuse};
use crate::routes::Language;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What a successful build made.
#[derive(Debug, Clone, Default)]
pub struct BuildStats {
    pub pages: usize,
    pub files: usize,
    pub events: usize,
    pub chapters: usize,
    /// The warnings of the build (problems that do not fail it, such as a file under
    /// `content/` it does not read), sorted.
    pub warnings: Diagnostics,
}

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder holding `site.toml`.
    pub root: PathBuf,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Include `draft = true` pages.
    pub drafts: bool,
    /// How the rules of sourcing are held (citation lists in step with their texts).
    pub strictness: Strictness,
}

/// How a run holds the content to the rules of sourcing, which a site can break and still
/// be built: today, that an event's or an entry's `sources` list is in step with what its
/// text cites ([`crate::markdown::cite_lists`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Strictness {
    /// Each problem is a warning: told, and the site is made (`build`, `serve`).
    #[default]
    Warn,
    /// Each problem is an error: the run fails (`check`).
    Fail,
}

impl Strictness {
    fn severity(self) -> Severity {
        match self {
            Strictness::Warn => Severity::Warning,
            Strictness::Fail => Severity::Error,
        }
    }
}

/// Runs the whole build, writing through `out`.
pub fn build(opts: &BuildOptions, out: &Output) -> Result<BuildStats, BuildError> {
    run(opts, out, None).map(|b| b.stats)
}

/// What an incremental build (`serve`'s, in `src/incremental/`) brings to the pipeline:
/// the Markdown stage with the texts it kept, the plan of which per-item pages to render
/// ([`Reuse`]), and the cards it kept.
pub(crate) trait Incremental: Reuse {
    /// The content stage ([`Content::load`]), taking unchanged chapters and events.
    fn content(&mut self, opts: &BuildOptions, config: &Config, d: &mut Diagnostics) -> Content;
    /// The Markdown stage ([`crate::render_markdown`]), taking unchanged texts from earlier builds.
    fn markdown<'a>(
        &mut self,
        config: &Config,
        content: &'a Content,
        media_words: (&Media, &Words),
        diags: &mut Diagnostics,
    ) -> RenderedContent<'a>;
    /// Decides which per-item pages the build `v` renders into `out`; puts the others in `out`
    /// as placeholders, filled from the last build once this one is done; returns how many.
    fn plan(&mut self, v: Views, out: &Output) -> anyhow::Result<usize>;
}

/// Runs the whole build into `out` (memory) with `memo`, what the last builds left: only
/// the per-item pages a change reaches are rendered.
pub(crate) fn build_incremental(
    opts: &BuildOptions,
    out: &Output,
    memo: &mut dyn Incremental,
) -> Result<BuildStats, BuildError> {
    run(opts, out, Some(memo)).map(|b| b.stats)
}

fn run(
    opts: &BuildOptions,
    out: &Output,
    mut memo: Option<&mut dyn Incremental>,
) -> Result<Built, BuildError> {
    crate::profile::start();
    reset_budgets();
    let root = &opts.root;
    let mut diags = Diagnostics::default();
    let Some(config) = Config::load(root, opts.base_url.as_deref(), &mut diags) else {
        return Err(BuildError::Site(diags));
    };
    let (catalogs, words) = catalogs(root, &config, &mut diags);
    let content = load_content(opts, &config, memo.as_deref_mut(), &mut diags);
    crate::profile::stage("content");
    let media = Media::new(root);
    let languages = languages(&config);
    // The default language's texts, rendered once for every language that shows them.
    let shared = (languages.len() > 1).then(|| Shared::render(&config, &content, &media));
    let inputs = (&config, &content, (&media, &words[0]));
    let rendered = markdown(inputs, shared.as_ref(), memo.as_deref_mut(), &mut diags);
    let severity = opts.strictness.severity();
    let localized = localize(&config, &content, &languages);
    let others = (&languages[1..], &localized[..], &words[1..]);
    let translated = translations(others, shared, &media, severity, &mut diags);
    media.unused(&mut diags);
    let kinds = config.taxonomies.iter().map(|t| t.entry.as_str());
    let works = &content.sources;
    crate::markdown::cite_lists::check(&rendered, works, kinds, severity, &mut diags);
    crate::profile::stage("markdown");
    // Warnings do not fail the build: they are kept apart, and shown with its errors or
    // with its success.
    let mut warnings = diags.take_warnings();
    warnings.sort();
    let places = crate::render::timeline::places(&config, &rendered.events);
    let views =
        Views::new(&config, &content, &rendered, &places, &catalogs[0]).in_language(&languages, 0);
    let kept = match memo.as_deref_mut() {
        Some(memo) => {
            let kept = memo.plan(views, out).map_err(BuildError::System)?;
            crate::profile::stage("plan");
            kept
        }
        None => 0,
    };
    let only: Option<Only> = memo.as_deref().map(|m| m as Only);
    let written = crate::render::load(root, diags)
        .and_then(|tera| {
            let w = crate::render::render_pass(root, views, &tera, out, only)?;
            let all = (&languages[..], &localized[..], &translated[..]);
            render_others(root, all, (&tera, &catalogs), out, w)
        })
        .and_then(|w| media.write(out).map(|()| w))
        .map_err(|e| e.with_warnings(&warnings))?;
    let missing = crate::linkcheck::rooted(&rendered, out);
    if !missing.is_empty() {
        return Err(BuildError::Site(missing).with_warnings(&warnings));
    }
    let stats = BuildStats {
        pages: written.pages + kept,
        files: written.files + kept,
        events: content.events.len(),
        chapters: content.chapters.len(),
        warnings,
    };
    crate::profile::stage("done");
    let external = rendered
        .all()
        .flat_map(|r| &r.external)
        .map(|l| (l.target.clone(), l.at.clone()))
        .collect();
    Ok(Built {
        untranslated: crate::content::translations::missing(&config, &content),
        stats,
        config,
        external,
        made_by: written.made_by,
    })
}

/// Every language of the site, the default first, each with where its pages live.
fn languages(config: &Config) -> Vec<Language> {
    let all = (config.languages.iter()).map(|l| (l.code.as_str(), l.name.as_str()));
    crate::routes::languages(&config.base_path, &config.base_url, all)
}

/// Each language's interface text, the default's first (as `config.languages`), with
/// the words its Markdown stage writes.
fn catalogs(
    root: &std::path::Path,
    config: &Config,
    diags: &mut Diagnostics,
) -> (Vec<Arc<Catalog>>, Vec<Words>) {
    (config.languages.iter())
        .map(|l| Arc::new(Catalog::load(root, &l.code, diags)))
        .map(|c| {
            let w = Words::of(&c);
            (c, w)
        })
        .unzip()
}

/// Every language's config and content but the default's, with their translations.
fn localize(config: &Config, content: &Content, languages: &[Language]) -> Vec<(Config, Content)> {
    (languages.iter().skip(1))
        .map(|l| {
            let mut c = content.localized(&l.code);
            c.name_free_terms(config, &l.code);
            (config.localized(&l.code), c)
        })
        .collect()
}

/// The texts of every language but the default (`others`: each with its config and
/// content), each rendered for its pages, taking the default's texts from `shared`; the
/// problems of the translation files go to `diags`.
fn translations<'c>(
    (languages, localized, words): (&[Language], &'c [(Config, Content)], &[Words]),
    shared: Option<Shared>,
    media: &Media,
    severity: Severity,
    diags: &mut Diagnostics,
) -> Vec<RenderedContent<'c>> {
    (localized.iter().zip(languages).zip(words))
        .map(|(((config, content), l), words)| {
            let reuse = shared.as_ref().map(|s| s.relocated(&l.path, words));
            let reuse = reuse.as_ref().map(|r| r as _);
            let at = (config, content);
            let pages = (l.path.as_str(), words);
            translated::render(at, &l.code, pages, reuse, media, severity, diags)
        })
        .collect()
}

/// The render passes of every language but the default, one after the other (each pass
/// runs its pages in parallel, with its own catalogue of `catalogs`), after the
/// default's, which wrote `written`.
fn render_others(
    root: &std::path::Path,
    (languages, localized, translated): (&[Language], &[(Config, Content)], &[RenderedContent]),
    (tera, catalogs): (&crate::render::templates::Templates, &[Arc<Catalog>]),
    out: &Output,
    mut written: crate::render::Written,
) -> Result<crate::render::Written, BuildError> {
    for (i, ((config, content), rendered)) in localized.iter().zip(translated).enumerate() {
        let places = crate::render::timeline::places(config, &rendered.events);
        let views = Views::new(config, content, rendered, &places, &catalogs[i + 1])
            .in_language(languages, i + 1);
        written.add(crate::render::render_pass(root, views, tera, out, None)?);
    }
    Ok(written)
}

/// What a finished build leaves for the checks that follow it.
struct Built {
    stats: BuildStats,
    config: Config,
    /// Every external address the Markdown links to, with the place of one such link.
    external: HashMap<String, Span>,
    /// The template of each page, by output path, as diagnostics name it.
    made_by: HashMap<String, String>,
    /// `check`'s warnings of the items each language has not translated.
    untranslated: Diagnostics,
}

/// Starts a run's budgets of hints and of TOML re-parses afresh.
fn reset_budgets() {
    crate::diag::reset_hint_budget();
    crate::diag::toml_error::reset_parse_budget();
}

/// The default language's Markdown stage: through `memo` when the build is incremental,
/// else taking the texts `shared` holds.
fn markdown<'c, 'm>(
    (config, content, (media, words)): (&Config, &'c Content, (&Media, &Words)),
    shared: Option<&Shared>,
    memo: Option<&mut (dyn Incremental + 'm)>,
    diags: &mut Diagnostics,
) -> RenderedContent<'c> {
    match memo {
        Some(memo) => memo.markdown(config, content, (media, words), diags),
        None => {
            let at_root = shared.map(|s| s.relocated(&config.base_path, words));
            let reuse = at_root.as_ref().map(|r| r as _);
            render_reusing(config, content, diags, reuse, (Some(media), words))
        }
    }
}

/// The content stage, through `memo` when the build is incremental.
fn load_content<'m>(
    opts: &BuildOptions,
    config: &Config,
    memo: Option<&mut (dyn Incremental + 'm)>,
    diags: &mut Diagnostics,
) -> Content {
    let drafts = opts.drafts;
    match memo {
        Some(memo) => memo.content(opts, config, diags),
        None => Content::load(&opts.root, config, LoadOptions { drafts }, diags),
    }
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
    let mut built = run(&opts.build, &out, None)?;
    (built.stats.warnings).extend(std::mem::take(&mut built.untranslated).0);
    let files = out.commit()?.unwrap_or_default();
    let config = &built.config;
    let pages = crate::linkcheck::scan_pages(&files);
    let site = crate::linkcheck::Site {
        files: &files,
        pages: &pages,
        made_by: &built.made_by,
        base_url: &config.base_url,
        base_path: &config.base_path,
    };
    let mut diags = crate::linkcheck::internal(&site);
    if opts.external {
        let links = crate::linkcheck::external_links(&pages, &config.base_url);
        diags.extend(crate::linkcheck::external(&links, &built.external).0);
    }
    if diags.is_empty() {
        Ok(built.stats)
    } else {
        Err(BuildError::Site(diags).with_warnings(&built.stats.warnings))
    }
}
