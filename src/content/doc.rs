//! Reading a content file: a Markdown file's `+++` front matter split from its body
//! ([`split`], [`Doc`]), its front matter parsed into a schema ([`parse_fm`]), and Markdown
//! [`Source`]s made from its body or from a TOML string value ([`string_source`]), each
//! keeping where it sits in the file so that later stages report problems at their line.
//! Also the walk that lists a folder's Markdown files.

use super::{Source, Text};
use crate::diag::toml_error as tomlerr;
use crate::diag::{Diagnostic, Diagnostics};
use crate::files::{files_under, Fence};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// A file read and split: its text, and its front matter and body ranges.
pub(super) struct Doc {
    pub(super) path: PathBuf,
    pub(super) text: Arc<str>,
    pub(super) fm: std::ops::Range<usize>,
    pub(super) body: std::ops::Range<usize>,
}

impl Doc {
    /// A diagnostic at a byte range of the file.
    pub(super) fn at(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.path, &self.text, span, msg)
    }

    /// A diagnostic at a byte range of the front matter (a TOML value's span).
    pub(super) fn fm_at(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> Diagnostic {
        self.at(self.fm.start + span.start..self.fm.start + span.end, msg)
    }

    /// A Markdown source from a TOML string value at `span` (of the front matter).
    pub(super) fn string_source(&self, value: &Spanned<String>) -> Source {
        string_source(&self.path, &self.text, value, self.fm.start)
    }

    pub(super) fn body_source(&self) -> Source {
        Source {
            path: self.path.clone(),
            file: self.text.clone(),
            markdown: Text::InFile(Arc::clone(&self.text), self.body.clone()),
            offset: self.body.start,
            headings: None,
        }
    }
}

/// A Markdown source from the TOML string `value`, whose span starts at byte `base` of
/// `file`: its offset is that of the string's first character, after the quotes.
pub(super) fn string_source(
    path: &Path,
    file: &Arc<str>,
    value: &Spanned<String>,
    base: usize,
) -> Source {
    let start = base + value.span().start;
    let quote = if file[start..].starts_with("\"\"\"") || file[start..].starts_with("'''") {
        // A newline right after the opening quotes is not part of the string.
        match &file[start + 3..] {
            r if r.starts_with("\r\n") => 5,
            r if r.starts_with('\n') => 4,
            _ => 3,
        }
    } else {
        1
    };
    let offset = start + quote;
    // A string written as it reads (no escapes) is a range of the file, not a copy: a
    // summary's text is then held once, not twice (15 MB at 100,000 events).
    let value = value.get_ref();
    let range = offset..offset + value.len();
    let markdown = match file.get(range.clone()) {
        Some(written) if written == value => Text::InFile(Arc::clone(file), range),
        _ => Text::Own(value.clone()),
    };
    Source {
        path: path.to_path_buf(),
        file: file.clone(),
        markdown,
        offset,
        headings: None,
    }
}

/// Splits `+++` front matter from the body.
pub(super) fn split(rel: &Path, text: Arc<str>) -> Result<Doc, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "+++" {
        let mut d = Diagnostic::at(rel, &text, 0..first_end.max(1), "missing front matter");
        if text.trim().is_empty() {
            d.message = "empty file: missing front matter".into();
        }
        return Err(d.with_hint(
            "start the file with a line `+++`, the TOML front matter, and another line `+++`",
        ));
    }
    let fm_start = (first_end + 1).min(text.len());
    let mut pos = fm_start;
    loop {
        if pos >= text.len() {
            return Err(Diagnostic::at(
                rel,
                &text,
                0..3,
                "unclosed front matter: no closing `+++` line",
            )
            .with_hint("end the front matter with a line that holds only `+++`"));
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            let body_start = (end + 1).min(text.len());
            return Ok(Doc {
                path: rel.to_path_buf(),
                fm: fm_start..pos,
                body: body_start..text.len(),
                text,
            });
        }
        pos = end + 1;
    }
}

/// Reads `rel` through `fence` and splits it.
pub(super) fn read_doc(fence: &Fence, rel: &Path) -> Result<Doc, Diagnostic> {
    split(rel, fence.read_text(rel)?)
}

/// Parses a document's front matter into `T`, reporting its problems (every unknown key,
/// then the first other one) at their place in the file.
pub(super) fn parse_fm<T: serde::de::DeserializeOwned>(
    doc: &Doc,
    diags: &mut Diagnostics,
) -> Option<T> {
    let fm = &doc.text[doc.fm.clone()];
    tomlerr::parse(&doc.path, &doc.text, fm, doc.fm.start, diags)
}

/// Markdown files under `dir` (relative to root), as paths relative to root, but for the
/// translations into one of `codes` (`x.vi.md`: `translations.rs` reads them).
pub(super) fn markdown_files(
    root: &Path,
    dir: &str,
    codes: &[String],
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    files_under(root, dir, diags)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| crate::files::rel(root, &p))
        .filter(|p| super::translations::translation_code(p, codes).is_none())
        .filter(|p| {
            let undeclared = super::translations::undeclared(p);
            let keep = undeclared.is_none();
            diags.extend(undeclared);
            keep
        })
        .collect()
}

/// Each of `files` loaded by `load`, in parallel, in the files' order (`None` for one that
/// failed); every problem goes to `diags`.
pub(super) fn load_each<T: Send>(
    files: &[PathBuf],
    diags: &mut Diagnostics,
    load: impl Fn(&Path, &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<Option<T>> {
    use rayon::prelude::*;
    let sink = crate::diag::Sink::default();
    let results = files
        .par_iter()
        .map(|rel| {
            let mut ds = Diagnostics::default();
            let item = load(rel, &mut ds);
            sink.extend(ds.0);
            item
        })
        .collect();
    diags.extend(sink.into_diagnostics().0);
    results
}

/// A file's name without its extension: a chapter's slug, an event's id.
pub(super) fn stem(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_front_matter_and_body() {
        let d = split(
            Path::new("x.md"),
            Arc::from("+++\ntitle = \"a\"\n+++\nbody\n"),
        )
        .unwrap();
        assert_eq!(&d.text[d.fm.clone()], "title = \"a\"\n");
        assert_eq!(&d.text[d.body.clone()], "body\n");
    }

    #[test]
    fn split_reports_unclosed_and_missing() {
        let e = split(Path::new("x.md"), Arc::from("+++\ntitle = \"a\"\nbody\n"))
            .err()
            .unwrap();
        assert_eq!(e.message, "unclosed front matter: no closing `+++` line");
        assert_eq!((e.line, e.col), (1, 1));
        let e = split(Path::new("x.md"), Arc::from("# Title\n"))
            .err()
            .unwrap();
        assert_eq!(e.message, "missing front matter");
        let e = split(Path::new("x.md"), Arc::from("")).err().unwrap();
        assert_eq!(e.message, "empty file: missing front matter");
    }

    #[test]
    fn crlf_front_matter_is_accepted() {
        let d = split(
            Path::new("x.md"),
            Arc::from("+++\r\ntitle = \"a\"\r\n+++\r\nbody"),
        )
        .unwrap();
        assert_eq!(&d.text[d.body.clone()], "body");
    }
}
