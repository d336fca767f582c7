//! Problems found in a user's files, and how they are shown.
//!
//! Every stage of the build reports what is wrong with the site as a [`Diagnostic`]: the
//! file, the 1-based line and column, the offending source line, a message and an optional
//! hint. Stages collect diagnostics instead of stopping at the first, so one run of
//! `build` or `check` reports every problem at once, rendered in the manner of `just` and
//! rustc:
//!
//! ```text
//! error: unknown chapter `cold-war`
//!   --> content/events/1957-ho.md:9:11
//!    |
//!  9 | chapter = "cold-war"
//!    |           ^^^^^^^^^^
//!    = hint: did you mean `cold-war-alliance`?
//! ```
//!
//! A diagnostic is an error unless made a warning ([`Severity`]): a warning is shown the
//! same way under `warning:`, and a list's summary counts the two apart (`1 error and 2
//! warnings found`; `2 problems found` when all are errors). A problem of no file
//! ([`Diagnostic::general`], such as `serve` listening where other machines can reach it)
//! shows its message and hint alone.
//!
//! Whatever a diagnostic quotes (a TOML value, a file name, a source line) is shown through
//! [`clean`]: no control character or bidirectional override reaches the terminal raw, and
//! overlong messages are cut; a diagnostic keeps only a window of a long source line, so
//! 3000 problems on one 400 KB line cost 3000 windows, not 3000 copies. Hints ([`nearest`])
//! cost a bounded amount of work each, and all hints of one run share a budget
//! ([`HINT_BUDGET`]) after which no more are looked for.

pub(crate) mod toml_error;

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// Source lines longer than this many characters are shown as a window around the column.
const MAX_SHOWN: usize = 100;

/// A message or hint longer than this many characters is cut (a value quoted in it can be a
/// whole paragraph, or 200 KB of a broken link).
const MAX_TEXT: usize = 500;

/// Text from a user's files or the system made safe for a terminal: control characters
/// (escape sequences, BEL, NUL, C1 controls, line breaks) and the bidirectional overrides
/// that can disguise text each show as U+FFFD; tabs show as a space. Every field of a
/// `Diagnostic` is shown through this, as is any other error `docsite` prints.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\t' => ' ',
                c if unsafe_char(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// As [`clean`], keeping line breaks (for multi-line text such as an error chain).
pub fn clean_lines(s: &str) -> String {
    s.split('\n').map(clean).collect::<Vec<_>>().join("\n")
}

/// [`clean`], then cut to [`MAX_TEXT`] characters.
fn shown(s: &str) -> String {
    let s = clean(s);
    match s.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.into_owned(),
    }
}

/// How grave a [`Diagnostic`] is: an error stops the build, a warning is told and the work
/// goes on. Both are shown the same way, under their own label (`error:`, `warning:`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    /// The label that opens the diagnostic's first line.
    fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in one place of one file (or, made with [`Diagnostic::general`], of no file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// An error unless made a warning with [`Diagnostic::with_severity`].
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
    /// Width of the caret underline in characters (at least 1; never more than
    /// `MAX_SHOWN` are drawn).
    pub width: u16,
    /// The text of the offending line, shown under the location: at most `MAX_SHOWN` (100)
    /// characters of it around the column (a paragraph, or a list of 3000 names, is one
    /// line; each of its problems keeps only its own window).
    pub source_line: Option<String>,
    /// How many characters of the line come before `source_line` (0: it starts the line).
    /// When the line goes on after the window, `source_line` holds one character more than
    /// is shown. (A 16-bit `width` and a 32-bit `source_from` keep a diagnostic, severity
    /// included, small enough to return by value.)
    pub source_from: u32,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a file as a whole (unreadable, not UTF-8, …).
    pub(crate) fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            width: 1,
            source_line: None,
            source_from: 0,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem at a byte range of a file's text.
    pub(crate) fn at(
        path: impl Into<PathBuf>,
        text: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let col = text[line_start..start].chars().count() + 1;
        let width = text[start..end.min(line_end)].chars().count().max(1);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        // A window of the line around the column, found in time proportional to it.
        let (source_from, from_byte) = if line_text.chars().nth(MAX_SHOWN).is_some() {
            let before = &line_text[..(start - line_start).min(line_text.len())];
            match before.char_indices().rev().nth(MAX_SHOWN / 3 - 1) {
                Some((b, _)) if b > 0 => (col - 1 - MAX_SHOWN / 3, b),
                _ => (0, 0),
            }
        } else {
            (0, 0)
        };
        let rest = &line_text[from_byte..];
        let to_byte = rest
            .char_indices()
            .nth(MAX_SHOWN + 1)
            .map_or(rest.len(), |(b, _)| b);
        let source_line = rest[..to_byte].to_string();
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            col,
            width: u16::try_from(width).unwrap_or(u16::MAX),
            source_line: Some(source_line),
            source_from: u32::try_from(source_from).unwrap_or(u32::MAX),
            message: message.into(),
            hint: None,
        }
    }

    /// A problem of no file (the address `serve` listens on, a folder it cannot watch): it
    /// shows no location, only its message and hint.
    pub(crate) fn general(message: impl Into<String>) -> Self {
        Diagnostic::file(PathBuf::new(), message)
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same problem as a warning (or back as an error).
    pub(crate) fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The `path:line:col` location, or just the path when the line is unknown.
    pub(crate) fn location(&self) -> String {
        let path = shown(&self.path.to_string_lossy());
        match (self.line, self.col) {
            (0, _) => path,
            (l, 0) => format!("{path}:{l}"),
            (l, c) => format!("{path}:{l}:{c}"),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity.label(), shown(&self.message))?;
        let gutter = if self.line > 0 {
            self.line.to_string().len()
        } else {
            1
        };
        let pad = " ".repeat(gutter);
        if !self.path.as_os_str().is_empty() {
            writeln!(f, "{pad}--> {}", self.location())?;
        }
        if let (Some(src), true) = (&self.source_line, self.line > 0) {
            // Tabs would misalign the caret: show them as single spaces. Other control
            // characters (NUL, escape sequences) never reach the terminal: each shows as �.
            // Long lines were cut to a window around the column when the diagnostic was
            // made (`source_from`); one set by hand is cut here.
            let chars: Vec<char> = clean(src).chars().take(2 * MAX_SHOWN).collect();
            let head = if self.source_from > 0 { "…" } else { "" };
            let to = chars.len().min(MAX_SHOWN);
            let tail = if to < chars.len() { "…" } else { "" };
            let shown: String = chars[..to].iter().collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {head}{shown}{tail}", self.line)?;
            let source_from = self.source_from as usize;
            if self.col > source_from {
                let at = self.col - 1 - source_from;
                let lead = " ".repeat(at.min(to) + head.chars().count());
                let width = (self.width as usize).min(to.saturating_sub(at).max(1));
                writeln!(f, "{pad} | {lead}{}", "^".repeat(width))?;
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = hint: {}", shown(hint))?;
        }
        Ok(())
    }
}

/// Every problem a build found, in a stable order (by file, then position).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub(crate) fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
    /// How many of the problems are of `severity`.
    pub(crate) fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }
    /// Takes the warnings out, leaving the errors.
    pub(crate) fn take_warnings(&mut self) -> Diagnostics {
        let (warnings, errors) = std::mem::take(&mut self.0)
            .into_iter()
            .partition(|d| d.severity == Severity::Warning);
        self.0 = errors;
        Diagnostics(warnings)
    }
    pub(crate) fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        self.0.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let s = |n: usize| if n == 1 { "" } else { "s" };
        match (self.count(Severity::Error), self.count(Severity::Warning)) {
            (n, 0) => write!(f, "{n} problem{} found", s(n)),
            (0, w) => write!(f, "{w} warning{} found", s(w)),
            (e, w) => write!(f, "{e} error{} and {w} warning{} found", s(e), s(w)),
        }
    }
}

impl std::error::Error for Diagnostics {}

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
                write!(f, "{}", clean_lines(&format!("{e:#}")))
            }
        }
    }
}

impl std::error::Error for BuildError {}

impl BuildError {
    /// The error with `warnings` shown among its problems (a system error as it is).
    pub(crate) fn with_warnings(self, warnings: &Diagnostics) -> BuildError {
        match self {
            BuildError::Site(mut d) => {
                d.extend(warnings.0.iter().cloned());
                d.sort();
                BuildError::Site(d)
            }
            system => system,
        }
    }
}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Site(d)
    }
}

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> Self {
        BuildError::Site(Diagnostics(vec![d]))
    }
}

impl From<anyhow::Error> for BuildError {
    /// A system error can name a file of the site (`cannot write …`): its text is made safe
    /// for a terminal here, so whoever prints it (`build`, `serve`) prints it safely.
    fn from(e: anyhow::Error) -> Self {
        BuildError::System(anyhow::anyhow!(clean_lines(&format!("{e:#}"))))
    }
}

/// A collector of diagnostics for work done in parallel: each thread pushes what it finds,
/// and the run takes them all, sorted, at the end. A panicked holder's lock is taken over
/// (what it pushed is kept), so one problem never hides the others.
#[derive(Debug, Default)]
pub(crate) struct Sink(std::sync::Mutex<Vec<Diagnostic>>);

impl Sink {
    pub(crate) fn push(&self, d: Diagnostic) {
        crate::sync::lock(&self.0).push(d);
    }
    pub(crate) fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        crate::sync::lock(&self.0).extend(ds);
    }
    /// Records `r`'s problem, if any.
    pub(crate) fn record(&self, r: Result<(), Diagnostic>) {
        if let Err(d) = r {
            self.push(d);
        }
    }
    /// Everything pushed, sorted.
    pub(crate) fn into_diagnostics(self) -> Diagnostics {
        let mut d = Diagnostics(self.0.into_inner().unwrap_or_else(|p| p.into_inner()));
        d.sort();
        d
    }
}

/// Names longer than this many characters get no "did you mean" hint: nobody mistypes a
/// name that long, and comparing it with every candidate is what made a few long broken
/// links take many seconds.
const MAX_HINTED: usize = 128;

/// At most this many candidates that pass the cheap filters are compared in full, those
/// whose lower bound of the distance is smallest first.
const MAX_COMPARED: usize = 1000;

/// The work all hints of one run may cost together, in units of one character of a
/// candidate looked at or one cell of an edit-distance table: a few seconds at most, far
/// more than a site with a few hundred typos needs. Once it is spent, later names get no
/// hint (their message is unchanged).
pub(crate) const HINT_BUDGET: u64 = 30_000_000;

/// What remains of [`HINT_BUDGET`] in this run (see [`reset_hint_budget`]).
static HINT_WORK_LEFT: AtomicU64 = AtomicU64::new(HINT_BUDGET);

/// Starts a run's budget for hints afresh; `site` calls it as a build starts. (Builds that
/// run at the same time in one process share it: they can only lose hints, never wait.)
pub(crate) fn reset_hint_budget() {
    HINT_WORK_LEFT.store(HINT_BUDGET, Ordering::Relaxed);
}

/// Buckets of a character histogram (characters share buckets; see [`nearest`]).
const BUCKETS: usize = 64;

/// The histogram and length in characters of `s` lowercased (without allocating).
fn histogram(s: &str) -> ([u16; BUCKETS], usize) {
    let mut h = [0u16; BUCKETS];
    let mut n = 0;
    for c in s.chars().flat_map(char::to_lowercase) {
        h[c as usize % BUCKETS] = h[c as usize % BUCKETS].saturating_add(1);
        n += 1;
    }
    (h, n)
}

/// The valid name closest to `wrong`, if one is close enough to be a likely typo (an edit
/// distance of at most a third of the longer name, and at least 2).
///
/// The cost is bounded whatever the input: a name over `MAX_HINTED` (128) characters gets no
/// hint; a candidate is compared in full only when two cheap lower bounds of the distance
/// allow it (the difference in length, and half the difference of the two character
/// histograms: each edit changes a histogram by at most 2); at most `MAX_COMPARED` (1000)
/// candidates are compared, those with the smallest bound first, and none once a closer one
/// is found than the bound of the rest; and all calls of one run share a budget of work
/// ([`HINT_BUDGET`]): many unknown names checked against many long candidates cost a few
/// seconds, not minutes, and the names checked after it is spent get no hint.
pub(crate) fn nearest<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let left = HINT_WORK_LEFT.load(Ordering::Relaxed);
    if left == 0 {
        return None;
    }
    let (wh, wn) = histogram(wrong);
    if wn > MAX_HINTED {
        return None;
    }
    let mut work: u64 = wn as u64;
    let charge = |work: u64| {
        let _ = HINT_WORK_LEFT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
            Some(l.saturating_sub(work))
        });
    };
    let mut close: Vec<(usize, &str, usize)> = Vec::new();
    for c in candidates {
        work += 1;
        // Cheap: the length in bytes bounds the length in characters (1 to 4 bytes each),
        // so these are further apart in length than `limit` below allows.
        if c.len() > 6 * wn + 12 || (c.len() < wn && wn - c.len() > (wn / 3).max(2)) {
            continue;
        }
        work += c.len() as u64;
        if work > left {
            charge(work);
            return None;
        }
        let (ch, cn) = histogram(c);
        let limit = (cn.max(wn) / 3).max(2);
        let by_histogram: usize = wh
            .iter()
            .zip(&ch)
            .map(|(a, b)| a.abs_diff(*b) as usize)
            .sum::<usize>()
            .div_ceil(2);
        let bound = by_histogram.max(cn.abs_diff(wn));
        if bound <= limit {
            close.push((bound, c, limit));
        }
    }
    // The likeliest first, so that the cap leaves out only unlikely ones.
    close.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let wrong_l = wrong.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for (bound, c, limit) in close.into_iter().take(MAX_COMPARED) {
        if best.is_some_and(|(d, _)| bound > d) {
            break;
        }
        let cl = c.to_lowercase();
        work += (wn as u64 + 1) * (cl.chars().count() as u64 + 1);
        if work > left {
            break;
        }
        let d = strsim::osa_distance(&wrong_l, &cl);
        if d <= limit && best.is_none_or(|b| (d, c) < b) {
            best = Some((d, c));
        }
    }
    charge(work);
    best.map(|(_, c)| c)
}

/// A "did you mean" hint, when some candidate is close.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(wrong, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_line_and_caret() {
        let text = "a = 1\nchapter = \"cold-war\"\n";
        let start = text.find("\"cold").unwrap();
        let d = Diagnostic::at(
            "x.md",
            text,
            start..start + 10,
            "unknown chapter `cold-war`",
        )
        .with_hint("did you mean `cold-war-alliance`?");
        assert_eq!(
            d.to_string(),
            "error: unknown chapter `cold-war`\n --> x.md:2:11\n  |\n2 | chapter = \"cold-war\"\n  |           ^^^^^^^^^^\n  = hint: did you mean `cold-war-alliance`?\n"
        );
    }

    #[test]
    fn long_lines_are_windowed_around_the_caret() {
        let text = format!("{}[@Q]{}", "a".repeat(150), "b".repeat(150));
        let d = Diagnostic::at("x.md", &text, 150..154, "m");
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines[3],
            format!("1 | …{}[@Q]{}…", "a".repeat(33), "b".repeat(63))
        );
        assert_eq!(
            lines[4].chars().position(|c| c == '^'),
            lines[3].chars().position(|c| c == '[')
        );
    }

    #[test]
    fn a_problem_on_a_huge_line_keeps_only_its_window() {
        let text = format!(
            "x = [{}\"bad\"{}]",
            "\"ok\", ".repeat(50_000),
            ", \"ok\"".repeat(50_000)
        );
        let at = text.find("\"bad").unwrap();
        let d = Diagnostic::at("x.toml", &text, at..at + 5, "unknown `bad`");
        assert!(
            d.source_line.as_ref().unwrap().len() <= MAX_SHOWN + 1,
            "{d:?}"
        );
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[1], format!(" --> x.toml:1:{}", at + 1));
        let caret = lines[4].chars().position(|c| c == '^').unwrap();
        assert_eq!(
            lines[3].chars().skip(caret).take(5).collect::<String>(),
            "\"bad\""
        );
        assert!(
            lines[3].starts_with("1 | …") && lines[3].ends_with('…'),
            "{shown}"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "title = \"Hồ\" x";
        let d = Diagnostic::at("x", text, text.find('x').unwrap()..text.len(), "m");
        assert_eq!((d.line, d.col), (1, 14));
    }

    #[test]
    fn every_field_is_shown_without_control_characters() {
        let mut d = Diagnostic::at("a\x1bb.md", "x = \"\x07\"", 4..7, "bad `\x1b[2J`\u{202e}")
            .with_hint("try \x07");
        d.path = "a\x1bb.md".into();
        let shown = d.to_string();
        assert!(!shown.contains(['\x1b', '\x07', '\u{202e}']), "{shown:?}");
        assert_eq!(
            shown,
            "error: bad `\u{fffd}[2J`\u{fffd}\n --> a\u{fffd}b.md:1:5\n  |\n1 | x = \"\u{fffd}\"\n  |     ^^^\n  = hint: try \u{fffd}\n"
        );
        assert_eq!(clean_lines("a\nb\x1b"), "a\nb\u{fffd}");
    }

    #[test]
    fn warnings_show_as_errors_do_under_their_own_label_and_are_counted_apart() {
        let text = "a = 1\n";
        let error = Diagnostic::at("x.toml", text, 0..1, "m").with_hint("h");
        let warning = error.clone().with_severity(Severity::Warning);
        assert_eq!(
            warning.to_string(),
            error.to_string().replacen("error:", "warning:", 1)
        );
        assert_eq!(
            Diagnostic::general("serving on 0.0.0.0")
                .with_severity(Severity::Warning)
                .to_string(),
            "warning: serving on 0.0.0.0\n"
        );
        let summary = |ds: Vec<Diagnostic>| {
            let shown = Diagnostics(ds).to_string();
            shown.lines().last().unwrap_or_default().to_string()
        };
        assert_eq!(
            summary(vec![error.clone(), error.clone()]),
            "2 problems found"
        );
        assert_eq!(summary(vec![error.clone()]), "1 problem found");
        assert_eq!(summary(vec![warning.clone()]), "1 warning found");
        assert_eq!(
            summary(vec![error.clone(), warning.clone(), warning]),
            "1 error and 2 warnings found"
        );
        // Small enough to return by value (clippy's `result_large_err` starts at 128).
        assert!(std::mem::size_of::<Diagnostic>() < 128);
    }

    #[test]
    fn long_messages_are_cut() {
        let d = Diagnostic::file("x", "m".repeat(10_000));
        assert_eq!(
            d.to_string().lines().next().unwrap().chars().count(),
            7 + MAX_TEXT + 1
        );
    }

    #[test]
    fn nearest_is_bounded_for_long_names_and_still_finds_near_misses() {
        let long = "a".repeat(200_000);
        let pages: Vec<String> = (0..2000).map(|i| format!("events/{i}-visit.md")).collect();
        assert_eq!(nearest(&long, pages.iter().map(|s| s.as_str())), None);
        assert_eq!(
            nearest("events/1500-vist.md", pages.iter().map(|s| s.as_str())),
            Some("events/1500-visit.md")
        );
        // A long candidate is skipped, not compared.
        assert_eq!(nearest("titel", [long.as_str(), "title"]), Some("title"));
    }

    #[test]
    fn nearest_finds_typos_only() {
        assert_eq!(nearest("titel", ["title", "order"]), Some("title"));
        assert_eq!(nearest("zzzzzz", ["title", "order"]), None);
    }
}

use std::sync::Arc;

/// A place in a user's file, kept cheaply (the file's text is shared) until a problem
/// there must be reported.
#[derive(Debug, Clone)]
pub struct Span {
    pub path: PathBuf,
    pub file: Arc<str>,
    pub range: std::ops::Range<usize>,
}

impl Span {
    pub(crate) fn diag(&self, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.path, &self.file, self.range.clone(), msg)
    }
}
