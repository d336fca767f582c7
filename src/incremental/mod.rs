//! Incremental rebuilds, for `serve`: a [`Session`] builds the site into memory again and
//! again, and after an edit renders only the pages the edit reaches.
//!
//! Each rebuild first fingerprints the inputs ([`inputs`]: size, time and a hash of every
//! file the build reads, so a file touched without a change costs nothing, and no change
//! at all returns the last build as it is). It then runs the same stages as `build`
//! ([`crate::site`]): config, content, Markdown and the render stage, with every page's
//! producer from [`crate::render`]'s table. The content stage takes each chapter and event
//! whose file is unchanged from the last builds, unread ([`loads`]), and the Markdown stage
//! each unchanged text ([`texts`]). What it can skip are the pages made one per
//! item (each event's, chapter's and term's page), which are most of a large site: a
//! dependency map ([`deps`]), made from every build, says which of them read which event
//! or chapter, and fingerprints each item as the pages see it (its file and its rendered
//! Markdown). When the only files that changed are Markdown files under `content/`, and
//! the site-wide view every page receives is the same, the per-item pages that read no
//! changed, added or removed item are kept from the last build, byte for byte; every other
//! page, every data file and `static/` are made again. An edit of `site.toml`, a template,
//! a registry or `static/` renders everything. A failed build changes nothing here: the
//! next one is compared with the last good build. The output is the output of a clean
//! build of the same files (`tests/it/incremental.rs` checks it after every kind of edit).

mod deps;
mod inputs;
mod loads;
mod preview;
mod texts;

use crate::config::Config;
use crate::content::{Content, LoadOptions};
use crate::diag::{BuildError, Diagnostics};
use crate::markdown::stage::{render_reusing, RenderedContent};
use crate::output::Output;
use crate::render::views::Views;
use crate::render::Reuse;
use crate::routes::Paged;
use crate::site::{BuildOptions, BuildStats, Incremental};
use bytes::Bytes;
use deps::Deps;
use inputs::Inputs;
use loads::Loads;
use preview::Preview;
use std::collections::HashMap;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use texts::Texts;

/// A build's files, by path inside the site.
pub type Files = Arc<BTreeMap<String, Bytes>>;

/// A site built again and again, each time from what changed since its last good build.
pub struct Session {
    opts: BuildOptions,
    /// The inputs of the last good build.
    inputs: Inputs,
    memo: Memo,
}

/// What a rebuild made.
#[derive(Clone)]
pub struct Rebuilt {
    pub stats: BuildStats,
    pub files: Files,
    /// How many pages made per item were kept from the last build, unrendered.
    pub kept: usize,
}

/// What the build carries from one run to the next.
#[derive(Default)]
pub(crate) struct Memo {
    /// Whether the inputs changed so that kept pages may stand (Markdown under `content/`
    /// only).
    partial: bool,
    last: Option<Last>,
    /// The map and the kept pages of the build under way.
    pending: Option<(Deps, HashSet<String>)>,
    /// The inputs of the build under way.
    inputs: Inputs,
    /// The fingerprints of `inputs`' files.
    prints: Arc<HashMap<PathBuf, u64>>,
    /// The chapters and events loaded by earlier builds.
    loads: Loads,
    /// The rendered Markdown of earlier builds.
    texts: Texts,
    /// Each event's card, with the fingerprint of the event it was made from.
    cards: Mutex<HashMap<String, (u64, String)>>,
    /// What the build under way leaves for previews, and what the last good one left.
    preview: (Option<Preview>, Option<Preview>),
    /// Whether the cards may be taken again: only Markdown under `content/` changed, and the
    /// site-wide view is the same.
    same_cards: bool,
}

/// The last good build.
struct Last {
    deps: Deps,
    built: Rebuilt,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Session {
        Session {
            opts,
            inputs: Inputs::default(),
            memo: Memo::default(),
        }
    }

    /// Builds the site into memory: the last good build again when no input changed,
    /// otherwise only what the change reaches (see the module's documentation). A failed
    /// build leaves the last good one to compare the next with.
    pub fn rebuild(&mut self) -> Result<Rebuilt, BuildError> {
        let inputs = Inputs::scan(&self.opts.root, &self.inputs);
        let changed = self.inputs.changed(&inputs);
        if let (Some(last), true) = (&self.memo.last, changed.is_empty()) {
            let mut same = last.built.clone();
            same.kept = same.stats.pages;
            return Ok(same);
        }
        if self.memo.last.is_some() {
            hold();
        }
        self.memo.partial = self.memo.last.is_some() && changed.iter().all(|p| markdown(p));
        self.memo.preview.0 = None;
        let out = Output::memory();
        self.memo.prints = loads::prints(&inputs);
        self.memo.inputs = inputs;
        let built = crate::site::build_incremental(&self.opts, &out, &mut self.memo)
            .and_then(|stats| Ok((stats, out.commit()?.unwrap_or_default())));
        let inputs = std::mem::take(&mut self.memo.inputs);
        let pending = self.memo.pending.take();
        let ((stats, files), (deps, kept)) = (built?, pending.unwrap_or_default());
        let last = self.memo.last.take();
        let old = last.as_ref().map(|l| &l.built.files);
        let files = (files.into_iter())
            .map(|(name, bytes)| {
                let bytes = match old.and_then(|o| o.get(&name)) {
                    Some(was) if kept.contains(&name) => was.clone(),
                    _ => Bytes::from(bytes),
                };
                (name, bytes)
            })
            .collect();
        let built = Rebuilt {
            stats,
            files: Arc::new(files),
            kept: kept.len(),
        };
        self.memo.last = Some(Last {
            deps,
            built: built.clone(),
        });
        self.memo.preview.1 = self.memo.preview.0.take();
        self.inputs = inputs;
        Ok(built)
    }
}

impl Session {
    /// The pages that show the bodies among `changed` (files of the site, absolute or
    /// relative to its folder), made at once from the last good build's pages when only a
    /// body changed ([`preview`]); the rebuild that follows makes the same pages.
    pub fn preview(&self, changed: &[PathBuf]) -> Vec<(String, Bytes)> {
        let (Some(preview), Some(last)) = (&self.memo.preview.1, &self.memo.last) else {
            return Vec::new();
        };
        preview.pages(&self.opts.root, changed, &last.built.files)
    }
}

/// For the test that `serve` answers requests while it rebuilds (`tests/it/scale.rs`): with
/// `DOCSITE_HOLD_REBUILD` naming a file, a rebuild after the first that found a change
/// says so on standard error (`rebuild held: …`) and waits, mid-build, while that file
/// exists.
fn hold() {
    let Some(path) = std::env::var_os("DOCSITE_HOLD_REBUILD") else {
        return;
    };
    let path = PathBuf::from(path);
    if path.exists() {
        eprintln!("rebuild held: waiting while {} exists", path.display());
    }
    while path.exists() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A Markdown file under `content/`: its change may leave per-item pages standing.
fn markdown(rel: &Path) -> bool {
    rel.starts_with("content") && rel.extension().is_some_and(|x| x == "md")
}

impl Incremental for Memo {
    /// The content stage, each chapter and event taken from the last builds when its file is
    /// the same.
    fn content(&mut self, opts: &BuildOptions, config: &Config, d: &mut Diagnostics) -> Content {
        self.loads.begin(Arc::clone(&self.prints));
        let (root, drafts) = (&opts.root, opts.drafts);
        let load = LoadOptions { drafts };
        let content = Content::load_reusing(root, config, load, d, Some(&self.loads));
        self.loads.end();
        content
    }

    /// The markdown stage, each text taken from the last builds when it is the same.
    fn markdown<'a>(
        &mut self,
        config: &Config,
        content: &'a Content,
        (media, words): (&crate::media::Media, &crate::markdown::Words),
        diags: &mut Diagnostics,
    ) -> RenderedContent<'a> {
        self.texts
            .begin((config, words), content, Arc::clone(&self.prints));
        let texts = Some(&self.texts as _);
        let rendered = render_reusing(config, content, diags, texts, (Some(media), words));
        self.texts.end();
        self.preview.0 = Some(Preview::of((config, words), content, &rendered));
        rendered
    }

    /// For the build that `v` renders into `out`: makes its dependency map, and returns the
    /// per-item pages kept from the last build, each put in `out` as an empty placeholder
    /// (so that the check of `/`-rooted links sees it), filled once the build is done.
    fn plan(&mut self, v: Views, out: &Output) -> anyhow::Result<usize> {
        let deps = Deps::of(v);
        let mut kept = HashSet::new();
        let cards = self.cards.get_mut().unwrap_or_else(|p| p.into_inner());
        cards.retain(|id, _| deps.event(id).is_some());
        self.same_cards = false;
        if let (Some(last), true) = (&self.last, self.partial) {
            self.same_cards = last.deps.same_site(&deps);
            let stale = last.deps.stale(&deps);
            let files = &last.built.files;
            kept = (deps.pages.iter())
                .filter(|p| !stale.contains(*p) && files.contains_key(*p))
                .cloned()
                .collect();
            for page in &kept {
                out.put(page, Vec::new())?;
            }
        }
        let count = kept.len();
        self.pending = Some((deps, kept));
        Ok(count)
    }
}

impl Reuse for Memo {
    fn renders(&self, page: Paged) -> bool {
        let kept = self.pending.as_ref().map(|p| &p.1);
        !kept.is_some_and(|k| k.contains(&page.file()))
    }

    fn card(&self, id: &str) -> Option<String> {
        let print = self.pending.as_ref()?.0.event(id)?;
        let cards = crate::sync::lock(&self.cards);
        let (was, html) = cards.get(id).filter(|_| self.same_cards)?;
        (*was == print).then(|| html.clone())
    }

    fn keep_card(&self, id: &str, html: &str) {
        if let Some(print) = self.pending.as_ref().and_then(|p| p.0.event(id)) {
            crate::sync::lock(&self.cards).insert(id.to_string(), (print, html.to_string()));
        }
    }
}
