//! No copying: no run of 12 or more words of the documentary's content is shared with one of
//! its five source texts, outside quotation marks.
//!
//! The source texts live outside the repository (`../shared/sources/*.txt`, beside the
//! clone) and must stay there, so the repository holds only their fingerprints:
//! [`FINGERPRINTS`], the FNV-1a 64-bit hash of every normalised 12-word window of each
//! text, sorted, each with its source's id (the file name up to its first `-`). Hashes, not
//! text. `scripts/source-fingerprints` remakes it from the texts (it runs
//! [`the_fingerprints_are_those_of_the_source_texts`] with `UPDATE_FINGERPRINTS=1`), so
//! one normalisation serves both sides.
//!
//! Normalisation: Unicode NFKD, combining marks dropped (diacritics folded: `Đại` is read
//! `đai`, and `đ`, which has no decomposition, splits the word, as it does in the
//! reference, /work/wt/shingles.py), lowercase, `’` and `‘` read as `'`; a word is a run
//! of ASCII letters and digits with inner apostrophes (`north korea's`).
//!
//! What is read of `content/`: every Markdown file (front-matter strings and body) and
//! every registry (`*.toml`: all strings), except the bibliographic fields of the works
//! in `sources.toml` (`title`, `author`, `publisher`, `date`, `url`), which name a work as
//! its source does. Each string, and each body, is read on its own; in each, citation marks
//! (`[@A; @E]`) and link targets (`](@/events/x.md)`) are dropped, and quoted passages
//! (`“…”`, and `"…"` on one line, not after `=` or a letter) end a run: a marked quotation
//! is never counted. In a body, a `key = "value"` line (a figure's) is read as its value.
//! A run is reported once, as long as it goes on.

use crate::harness::repo;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// The length of a shared run that counts as copying, in words.
const N: usize = 12;

/// The fingerprints of the source texts, in the repository.
const FINGERPRINTS: &str = "tests/fixtures/sources-shingles.txt";

/// A word no source window holds (no source word has a quote): it stands for a quoted
/// passage, so that no window spans one.
const QUOTED: &str = "\"";

/// The fields of a `[[source]]` in sources.toml that are not read.
const BIBLIOGRAPHIC: [&str; 5] = ["title", "author", "publisher", "date", "url"];

/// The words of `text`, normalised.
fn words(text: &str) -> Vec<String> {
    let folded: Vec<char> = text
        .nfkd()
        .filter(|c| canonical_combining_class(*c) == 0)
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' || c == '‘' { '\'' } else { c })
        .collect();
    let word_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut out = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        if folded[i] == QUOTED_MARK {
            out.push(QUOTED.to_string());
            i += 1;
            continue;
        }
        if !word_char(folded[i]) {
            i += 1;
            continue;
        }
        let mut w = String::new();
        loop {
            while i < folded.len() && word_char(folded[i]) {
                w.push(folded[i]);
                i += 1;
            }
            let inner = i + 1 < folded.len() && folded[i] == '\'' && word_char(folded[i + 1]);
            if !inner {
                break;
            }
            w.push('\'');
            i += 1;
        }
        out.push(w);
    }
    out
}

/// What a quoted passage is replaced with before [`words`] reads the text.
const QUOTED_MARK: char = '\u{2}';

/// The 64-bit FNV-1a hash of a window, as 16 hex digits.
fn hash(window: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, w) in window.iter().enumerate() {
        let sep = if i > 0 { &b" "[..] } else { &b""[..] };
        for b in sep.iter().chain(w.as_bytes()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// `text` with its citation marks and link targets dropped and its quoted passages
/// replaced by [`QUOTED_MARK`].
fn strip(text: &str) -> String {
    let text = replace_spans(text, "[@", |rest| rest.find(']').map(|e| e + 1), " ");
    let text = replace_spans(&text, "](", |rest| rest.find(')').map(|e| e + 1), "]");
    let mark = format!(" {QUOTED_MARK} ");
    let text = replace_spans(
        &text,
        "“",
        |rest| rest.find('”').map(|e| e + '”'.len_utf8()),
        &mark,
    );
    straight_quotes(&text, &mark)
}

/// `text` with each span that starts with `open` and ends where `end` (given the text
/// after `open`) says replaced by `with`; an `open` with no end is left as it is.
fn replace_spans(
    text: &str,
    open: &str,
    end: impl Fn(&str) -> Option<usize>,
    with: &str,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(s) = rest.find(open) {
        let after = &rest[s + open.len()..];
        match end(after) {
            Some(e) => {
                out.push_str(&rest[..s]);
                out.push_str(with);
                rest = &after[e..];
            }
            None => {
                out.push_str(&rest[..s + open.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `"…"` on one line, its opening quote after neither `=` nor a letter, digit or `_`,
/// replaced by `with`.
fn straight_quotes(text: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let opens = c == '"' && !prev.is_some_and(|p| p == '=' || p.is_alphanumeric() || p == '_');
        let close = || {
            rest[1..]
                .find(['"', '\n'])
                .filter(|&e| rest[1 + e..].starts_with('"'))
        };
        if let Some(e) = opens.then(close).flatten() {
            out.push_str(with);
            prev = Some('"');
            rest = &rest[e + 2..];
        } else {
            out.push(c);
            prev = Some(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// A body's `key = "value"` lines (a figure's) as their values.
fn unwrap_assignments(body: &str) -> String {
    let lines = body.split('\n').map(|line| {
        let Some((key, value)) = line.split_once(" = \"") else {
            return line.to_string();
        };
        let is_key = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_');
        match value.strip_suffix('"') {
            Some(v) if is_key => v.replace("\\\"", "\""),
            _ => line.to_string(),
        }
    });
    lines.collect::<Vec<_>>().join("\n")
}

/// Every string of a TOML value, but those under a `skip` key of a table.
fn strings<'a>(v: &'a toml::Value, skip: &[&str], out: &mut Vec<&'a str>) {
    match v {
        toml::Value::String(s) => out.push(s),
        toml::Value::Array(a) => a.iter().for_each(|x| strings(x, skip, out)),
        toml::Value::Table(t) => t
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .for_each(|(_, x)| strings(x, skip, out)),
        _ => {}
    }
}

/// The texts of one content file (`rel`, relative to the content's parent), each read on
/// its own: a Markdown file's front-matter strings and body, a registry's strings.
fn texts(rel: &Path, text: &str) -> Vec<String> {
    let parse = |t: &str| -> toml::Value {
        toml::from_str(t).unwrap_or_else(|e| panic!("{}: not TOML: {e}", rel.display()))
    };
    let mut out = Vec::new();
    if rel.extension().is_some_and(|x| x == "toml") {
        let v = parse(text);
        let mut s = Vec::new();
        if rel.file_name().is_some_and(|n| n == "sources.toml") {
            // Each work's bibliographic fields are skipped; the rest of the file is read.
            for (k, x) in v.as_table().into_iter().flatten() {
                strings(x, if k == "source" { &BIBLIOGRAPHIC } else { &[] }, &mut s);
            }
        } else {
            strings(&v, &[], &mut s);
        }
        out.extend(s.into_iter().map(strip));
        return out;
    }
    let text = text.replace("\r\n", "\n");
    let body = match text
        .strip_prefix("+++\n")
        .and_then(|t| t.split_once("\n+++"))
    {
        Some((fm, body)) => {
            let (v, mut s) = (parse(fm), Vec::new());
            strings(&v, &[], &mut s);
            out.extend(s.into_iter().map(strip));
            body.to_string()
        }
        None => text,
    };
    out.push(strip(&unwrap_assignments(&body)));
    out
}

/// A run of words shared with a source.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    /// The file, relative to the site's folder.
    file: String,
    source: String,
    words: String,
}

/// The fingerprints of the source texts: hash → source id.
type Fingerprints = BTreeMap<String, String>;

/// Every shared run of at least [`N`] words in the Markdown and TOML files under
/// `site/content`, in file order.
fn shared_runs(site: &Path, prints: &Fingerprints) -> Vec<Run> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "toml"))
        .collect();
    files.sort();
    let mut runs = Vec::new();
    for path in files {
        let rel = path.strip_prefix(site).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        for t in texts(rel, &text) {
            for (source, words) in runs_in(&words(&t), prints) {
                let file = rel.to_string_lossy().into_owned();
                runs.push(Run {
                    file,
                    source,
                    words,
                });
            }
        }
    }
    runs
}

/// The shared runs of `w`: each from a window found in `prints` for as long as the windows
/// go on being found, with the source of its first.
fn runs_in(w: &[String], prints: &Fingerprints) -> Vec<(String, String)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i + N <= w.len() {
        let Some(source) = prints.get(&hash(&w[i..i + N])) else {
            i += 1;
            continue;
        };
        let mut j = i + N;
        while j < w.len() && prints.contains_key(&hash(&w[j + 1 - N..=j])) {
            j += 1;
        }
        runs.push((source.clone(), w[i..j].join(" ")));
        i = j;
    }
    runs
}

/// The fingerprints of the texts `(id, text)`: every window of each, the first source in
/// the list keeping a window several share.
fn fingerprints<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> Fingerprints {
    let mut prints = Fingerprints::new();
    for (id, text) in sources {
        for window in words(text).windows(N) {
            prints.entry(hash(window)).or_insert_with(|| id.to_string());
        }
    }
    prints
}

/// The fingerprints file's text.
fn fingerprints_file(prints: &Fingerprints) -> String {
    let mut s = String::from(
        "# The fingerprints of the documentary's source texts (../shared/sources/*.txt, which stay\n\
         # out of this repository): the FNV-1a 64-bit hash of every normalised 12-word window of\n\
         # each, sorted, with its source's id. Made by scripts/source-fingerprints; read by\n\
         # tests/it/copying.rs, which says how the words are normalised. Do not edit.\n",
    );
    for (h, id) in prints {
        s += &format!("{h} {id}\n");
    }
    s
}

/// The fingerprints in the repository.
fn committed() -> Fingerprints {
    let path = repo().join(FINGERPRINTS);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/source-fingerprints", path.display()));
    let lines = text.lines().filter(|l| !l.starts_with('#'));
    lines
        .map(|l| match l.split_once(' ') {
            Some((h, id)) if h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                (h.to_string(), id.to_string())
            }
            _ => panic!("{FINGERPRINTS}: not a fingerprint: {l:?}"),
        })
        .collect()
}

/// The folder of the source texts: `DOCSITE_SOURCES`, or `../shared/sources` beside the
/// repository.
fn sources_folder() -> PathBuf {
    std::env::var_os("DOCSITE_SOURCES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/sources"))
}

/// The source texts of `dir` (`*.txt`), by file name: (id, text).
fn source_texts(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let text = |p: &PathBuf| std::fs::read_to_string(p).unwrap();
    let id = |p: &PathBuf| {
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        name.split('-').next().unwrap().to_string()
    };
    files.iter().map(|p| (id(p), text(p))).collect()
}

#[test]
fn no_passage_of_the_documentary_is_copied_from_a_source() {
    let prints = committed();
    assert!(
        prints.len() > 1000,
        "{FINGERPRINTS} holds too few fingerprints"
    );
    let runs = shared_runs(&repo(), &prints);
    let list: Vec<String> = runs
        .iter()
        .map(|r| format!("{}: [{}] {}", r.file, r.source, r.words))
        .collect();
    assert!(
        runs.is_empty(),
        "{} passage(s) of {N} or more words shared with a source, outside quotation marks: \
         write them in your own words, or quote and attribute them\n{}",
        runs.len(),
        list.join("\n")
    );
}

/// The committed fingerprints are those of the texts in `../shared/sources` (or
/// `DOCSITE_SOURCES`), when they are there; a clean clone without them checks nothing here.
/// With `UPDATE_FINGERPRINTS=1` the file is written instead (`scripts/source-fingerprints`).
#[test]
fn the_fingerprints_are_those_of_the_source_texts() {
    let dir = sources_folder();
    let update = std::env::var_os("UPDATE_FINGERPRINTS").is_some();
    if !dir.is_dir() {
        assert!(!update, "no source texts at {}", dir.display());
        eprintln!(
            "no source texts at {}: fingerprints not compared",
            dir.display()
        );
        return;
    }
    let texts = source_texts(&dir);
    assert!(!texts.is_empty(), "no *.txt in {}", dir.display());
    let made = fingerprints_file(&fingerprints(
        texts.iter().map(|(id, t)| (id.as_str(), t.as_str())),
    ));
    let path = repo().join(FINGERPRINTS);
    if update {
        std::fs::write(&path, made).unwrap();
        return;
    }
    let now = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        now == made,
        "{FINGERPRINTS} is not made from the texts in {}: run scripts/source-fingerprints",
        dir.display()
    );
}

/// A made-up source and a site that copies from it: the copy is found, with its file and
/// words, through citation marks and link targets; quoted, or in a work's title, it is not.
#[test]
fn a_planted_copied_sentence_is_found_and_a_quoted_one_is_not() {
    let source = "Long before the summit, the two governments had quietly agreed that the \
                  old friendship would be renewed through trade, schooling and a steady \
                  exchange of delegations every single year.";
    let prints = fingerprints([("Z", source)]);
    let site = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = site.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "content/chapters/a.md",
        "+++\ntitle = \"A\"\nsummary = \"Mine.\"\n+++\n## Trade\n\nIn 2019 the two \
         governments had quietly agreed [@Z] that the old [friendship](@/events/e.md) \
         would be renewed through trade, schooling and more.\n\nAs Z put it, “the two \
         governments had quietly agreed that the old friendship would be renewed through \
         trade” [@Z]. And \"the old friendship would be renewed through trade, schooling and \
         a steady exchange\" too.\n",
    );
    write(
        "content/events/e.md",
        "+++\ntitle = \"E\"\nsummary = \"The old friendship would be renewed through trade, \
         schooling and a steady exchange of delegations [@Z].\"\n+++\nBody.\n",
    );
    write(
        "content/sources.toml",
        "[[source]]\nid = \"Z\"\ntitle = \"The two governments had quietly agreed that the \
         old friendship would be renewed\"\nnote = \"Its second page: the old friendship \
         would be renewed through trade, schooling and a steady exchange.\"\n",
    );
    let runs = shared_runs(site.path(), &prints);
    let run = |file: &str, words: &str| Run {
        file: file.into(),
        source: "Z".into(),
        words: words.into(),
    };
    assert_eq!(
        runs,
        [
            run(
                "content/chapters/a.md",
                "the two governments had quietly agreed that the old friendship would be \
                 renewed through trade schooling and"
            ),
            run(
                "content/events/e.md",
                "the old friendship would be renewed through trade schooling and a steady \
                 exchange of delegations"
            ),
            run(
                "content/sources.toml",
                "the old friendship would be renewed through trade schooling and a steady exchange"
            ),
        ]
    );
}

/// The words as the reference reads them: folded, lowercase, inner apostrophes kept.
#[test]
fn words_are_normalised_as_the_reference_does() {
    let w = words("Trần Đại Quang’s “statement” on North Korea's ﬁfth test, 1-2 o'clock 'x'");
    assert_eq!(
        w,
        [
            "tran",
            "ai",
            "quang's",
            "statement",
            "on",
            "north",
            "korea's",
            "fifth",
            "test",
            "1",
            "2",
            "o'clock",
            "x"
        ]
    );
    let s = strip("a [@A; @E] b [c](@/x.md) “d e” f=\"g\" \"h i\" j\"k\" \"l\nm\"");
    assert_eq!(
        words(&s),
        ["a", "b", "c", QUOTED, "f", "g", QUOTED, "j", "k", "l", "m"]
    );
}
