//! The chapters and events loaded by earlier builds, kept for the next ([`Loads`]): a file
//! is taken again, unread, when the fingerprint [`super::inputs`] made of it is the one it
//! had when it was loaded (and, for an event, what it was checked against is the same). Only
//! items loaded without a problem are kept, so every problem is found again as a clean
//! build finds it; an item whose text is not the bytes that were fingerprinted (a file
//! saved between the scan and the read, a byte-order mark) is not kept.

use super::deps::Fnv;
use super::inputs::Inputs;
use crate::content::load::Reuse;
use crate::content::{Chapter, Event};
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Kept items by file: the file's fingerprint, the hash of what an event was checked
/// against (0 for a chapter), and the item.
type Kept<T> = Mutex<HashMap<PathBuf, (u64, u64, T)>>;

/// The chapters and events of earlier builds.
#[derive(Default)]
pub(crate) struct Loads {
    events: Kept<Event>,
    chapters: Kept<Chapter>,
    /// The files the load under way asked for or kept: all the next one keeps.
    used: Mutex<HashSet<PathBuf>>,
    /// The fingerprint of each input file of the build under way.
    files: Arc<HashMap<PathBuf, u64>>,
}

impl Loads {
    /// Readies the store for a load of the files fingerprinted in `files`.
    pub(crate) fn begin(&mut self, files: Arc<HashMap<PathBuf, u64>>) {
        self.files = files;
        lock_mut(&mut self.used).clear();
    }

    /// After a load: keeps only the items of the files it used.
    pub(crate) fn end(&mut self) {
        let used = std::mem::take(lock_mut(&mut self.used));
        lock_mut(&mut self.events).retain(|k, _| used.contains(k));
        lock_mut(&mut self.chapters).retain(|k, _| used.contains(k));
    }

    fn get<T: Clone>(&self, kept: &Kept<T>, rel: &Path, refs: u64) -> Option<T> {
        let print = *self.files.get(rel)?;
        let found = (crate::sync::lock(kept).get(rel))
            .filter(|(p, r, _)| *p == print && *r == refs)
            .map(|(_, _, item)| item.clone());
        if found.is_some() {
            crate::sync::lock(&self.used).insert(rel.to_path_buf());
        }
        found
    }

    fn put<T: Clone>(&self, kept: &Kept<T>, rel: &Path, refs: u64, text: &str, item: &T) {
        let Some(&print) = self.files.get(rel) else {
            return;
        };
        let mut h = Fnv::default();
        h.write(text.as_bytes());
        if h.finish() != print {
            return;
        }
        crate::sync::lock(&self.used).insert(rel.to_path_buf());
        crate::sync::lock(kept).insert(rel.to_path_buf(), (print, refs, item.clone()));
    }
}

fn lock_mut<T>(m: &mut Mutex<T>) -> &mut T {
    m.get_mut().unwrap_or_else(|p| p.into_inner())
}

impl Reuse for Loads {
    fn event(&self, rel: &Path, refs: u64) -> Option<Event> {
        self.get(&self.events, rel, refs)
    }

    fn keep_event(&self, rel: &Path, refs: u64, event: &Event) {
        self.put(&self.events, rel, refs, &event.body.file, event);
    }

    fn chapter(&self, rel: &Path) -> Option<Chapter> {
        self.get(&self.chapters, rel, 0)
    }

    fn keep_chapter(&self, rel: &Path, chapter: &Chapter) {
        self.put(&self.chapters, rel, 0, &chapter.body.file, chapter);
    }
}

/// The fingerprints of `inputs`, shared by the stores of one build.
pub(crate) fn prints(inputs: &Inputs) -> Arc<HashMap<PathBuf, u64>> {
    Arc::new(inputs.hashes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Source, Text};

    fn chapter(text: &str) -> Chapter {
        let file: Arc<str> = Arc::from(text);
        let source = Source {
            path: PathBuf::from("content/chapters/a.md"),
            file: Arc::clone(&file),
            markdown: Text::InFile(file, 0..text.len()),
            offset: 0,
            headings: None,
        };
        Chapter {
            slug: "a".into(),
            title: "A".into(),
            order: 1,
            summary: source.clone(),
            years: (1, 2),
            draft: false,
            body: source,
            media: Vec::new(),
            lang: "en".into(),
        }
    }

    fn print(text: &str) -> u64 {
        let mut h = Fnv::default();
        h.write(text.as_bytes());
        h.finish()
    }

    #[test]
    fn an_item_is_given_back_while_its_file_is_the_bytes_it_was_loaded_from() {
        let rel = Path::new("content/chapters/a.md");
        let files = |text: &str| Arc::new(HashMap::from([(rel.to_path_buf(), print(text))]));
        let mut loads = Loads::default();
        // Read after the scan, the file said something else: not kept.
        loads.begin(files("one"));
        loads.keep_chapter(rel, &chapter("two"));
        loads.end();
        loads.begin(files("one"));
        assert!(loads.chapter(rel).is_none());
        loads.keep_chapter(rel, &chapter("one"));
        loads.end();
        loads.begin(files("one"));
        assert_eq!(loads.chapter(rel).map(|c| c.title), Some("A".to_string()));
        assert!(loads.event(rel, 0).is_none(), "kept as a chapter only");
        loads.end();
        loads.begin(files("changed"));
        assert!(loads.chapter(rel).is_none(), "the file changed");
        loads.end();
        loads.begin(files("one"));
        assert!(
            loads.chapter(rel).is_none(),
            "a load that did not use it dropped it"
        );
    }
}
