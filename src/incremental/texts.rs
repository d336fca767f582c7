//! The Markdown texts rendered by earlier builds, kept for the next ([`Texts`]): a text is
//! taken again when its file has the same bytes (the fingerprint [`super::inputs`] made),
//! it sits at the same place in that file, and the build links to the same pages and
//! sources and has the same places for its maps (the resolver's inputs, hashed as an
//! epoch). A text whose rendering reported a
//! problem is never kept, so every problem is found again as a clean build finds it.

use super::deps::Fnv;
use crate::config::Config;
use crate::content::{Content, Source, Text};
use crate::markdown::stage::{page_urls, reserved_ids, Reuse};
use crate::markdown::Rendered;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where a text is: its file (path and fingerprint), its place and length there, whether
/// it is a front-matter string, and for a string of its own (not a range of the file), a
/// hash of it.
type Key = (PathBuf, u64, usize, usize, bool, u64);

/// Rendered texts by place, for one epoch of the resolver.
#[derive(Default)]
pub(crate) struct Texts {
    epoch: u64,
    kept: Mutex<HashMap<Key, Rendered>>,
    /// The keys the build under way asked for or made: all the next one keeps.
    used: Mutex<HashSet<Key>>,
    /// The fingerprint of each input file of the build under way.
    files: Arc<HashMap<PathBuf, u64>>,
}

impl Texts {
    /// Readies the store for a build of `content` whose input files have the fingerprints
    /// `files`: everything is dropped when the pages or sources a text may link to changed.
    pub(crate) fn begin(
        &mut self,
        (config, words): (&Config, &crate::markdown::Words),
        content: &Content,
        files: Arc<HashMap<PathBuf, u64>>,
    ) {
        let mut h = Fnv::default();
        page_urls(content, &config.base_path).hash(&mut h);
        content.sources.iter().for_each(|s| s.id.hash(&mut h));
        let mut reserved: Vec<String> = reserved_ids(content).into_iter().collect();
        reserved.sort_unstable();
        (reserved, &config.base_path, config.paginate, words).hash(&mut h);
        crate::maps::Places::of(config, content).fingerprint(&mut h);
        // A text showing an image of content/media/ writes its sizes: any change there
        // renders the texts again.
        let mut media: Vec<_> = (files.iter())
            .filter(|(p, _)| p.starts_with(crate::media::DIR))
            .collect();
        media.sort_unstable();
        media.hash(&mut h);
        let epoch = h.finish();
        let kept = self.kept.get_mut().unwrap_or_else(|p| p.into_inner());
        if epoch != self.epoch {
            kept.clear();
            self.epoch = epoch;
        }
        self.files = files;
        self.used
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// After a build: keeps only the texts it used.
    pub(crate) fn end(&mut self) {
        let used = std::mem::take(self.used.get_mut().unwrap_or_else(|p| p.into_inner()));
        let kept = self.kept.get_mut().unwrap_or_else(|p| p.into_inner());
        kept.retain(|k, _| used.contains(k));
    }

    fn key(&self, src: &Source, front: bool) -> Option<Key> {
        let file = *self.files.get(&src.path)?;
        let own = match &src.markdown {
            Text::InFile(..) => 0,
            Text::Own(s) => {
                let mut h = Fnv::default();
                s.hash(&mut h);
                h.finish()
            }
        };
        Some((
            src.path.clone(),
            file,
            src.offset,
            src.markdown.len(),
            front,
            own,
        ))
    }
}

impl Reuse for Texts {
    fn get(&self, src: &Source, front: bool) -> Option<Rendered> {
        let key = self.key(src, front)?;
        let found = crate::sync::lock(&self.kept).get(&key).cloned();
        if found.is_some() {
            crate::sync::lock(&self.used).insert(key);
        }
        found
    }

    fn put(&self, src: &Source, front: bool, r: &Rendered) {
        if let Some(key) = self.key(src, front) {
            crate::sync::lock(&self.used).insert(key.clone());
            crate::sync::lock(&self.kept).insert(key, r.clone());
        }
    }
}
