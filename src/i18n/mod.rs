//! The interface text of a site in one language: every word a reader sees that is not
//! content (the navigation, the pagers, "58 events", the scripts' labels) and the words
//! and patterns dates are written with. A [`Catalog`] is loaded per language from TOML
//! files named by the language's code, `i18n/<code>.toml`, in layers, each key taken from
//! the last layer that has it: the built-in English (the theme's `i18n/en.toml`, compiled
//! in like its templates), the built-in file of the language (vi and ko ship), then the
//! site's own `i18n/en.toml` and `i18n/<code>.toml`. A key the language's files lack is
//! English, and `check` warns once per language, counting them.
//!
//! A catalogue has three tables: `[text]` (each key a string, or a table of CLDR plural
//! categories, `{ one = "{count} event", other = "{count} events" }`, chosen by the
//! `count` argument with the language's plural rules from `intl_pluralrules`), `[date]`
//! (the month names and the patterns of [`DateWords`]) and `[number]` (`group`, the
//! separator of thousands in counts). Messages take `{name}` placeholders. Templates call
//! `t(key="…", …)`, and `t_json(prefix="…")` writes the keys a script reads (see
//! [`tera_fns`]).

mod tera_fns;

pub(crate) use tera_fns::register;

use crate::date::DateWords;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The built-in catalogues, by language code: the theme's `i18n/` folder.
fn built_in(code: &str) -> Option<(String, &'static str)> {
    let path = format!("i18n/{code}.toml");
    let bytes = crate::theme::FILES.iter().find(|(p, _)| *p == path)?.1;
    Some((crate::theme::shown(&path), std::str::from_utf8(bytes).ok()?))
}

/// One message: a text, or one text per plural category.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Message {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// One catalogue file as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    text: BTreeMap<String, Spanned<Message>>,
    #[serde(default)]
    date: DateTable,
    #[serde(default)]
    number: NumberTable,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DateTable {
    months: Option<Spanned<Vec<String>>>,
    year: Option<Spanned<String>>,
    year_bce: Option<Spanned<String>>,
    year_ce: Option<Spanned<String>>,
    month: Option<Spanned<String>>,
    day: Option<Spanned<String>>,
    years: Option<Spanned<String>>,
    years_bce: Option<Spanned<String>>,
    years_ce: Option<Spanned<String>>,
    months_span: Option<Spanned<String>>,
    days_span: Option<Spanned<String>>,
    span: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NumberTable {
    group: Option<String>,
}

/// The interface text of one language.
pub(crate) struct Catalog {
    /// The language's code, as `<html lang>` has it: "en", "vi".
    pub(crate) code: String,
    text: HashMap<String, Message>,
    /// Where each key of `text` was read: the file, for messages.
    from: HashMap<String, String>,
    plural: Option<PluralRules>,
    pub(crate) date: DateWords,
    pub(crate) group: String,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Catalog({})", self.code)
    }
}

impl Catalog {
    /// The catalogue of the language `code` for the site at `root`: problems of its files
    /// (errors at their line and column) and the warning for keys it lacks in `diags`.
    pub(crate) fn load(root: &Path, code: &str, diags: &mut Diagnostics) -> Catalog {
        let mut cat = Catalog::empty(code);
        let (en_path, en_text) = built_in("en").expect("the theme ships i18n/en.toml");
        cat.layer(Path::new(&en_path), en_text, diags);
        let english: Vec<String> = cat.text.keys().cloned().collect();
        let site_en = root.join("i18n/en.toml");
        cat.site_layer(root, &site_en, diags);
        if code == "en" {
            return cat;
        }
        let english: Vec<String> = english
            .into_iter()
            .chain(cat.text.keys().cloned())
            .collect();
        let mut own = Catalog::empty(code);
        let ships = built_in(code);
        if let Some((path, text)) = &ships {
            own.layer(Path::new(path), text, diags);
        }
        let site_own = root.join(format!("i18n/{code}.toml"));
        let has_site_file = site_own.is_file();
        own.site_layer(root, &site_own, diags);
        let own_keys: HashSet<&String> = own.text.keys().collect();
        let mut lacking: Vec<String> = (english.into_iter())
            .filter(|k| !own_keys.contains(k))
            .collect();
        lacking.sort();
        lacking.dedup();
        for (k, m) in own.text.drain() {
            cat.from
                .insert(k.clone(), own.from.remove(&k).unwrap_or_default());
            cat.text.insert(k, m);
        }
        cat.date = own.date;
        cat.group = own.group;
        if ships.is_none() && !has_site_file {
            diags.push(
                Diagnostic::general(format!(
                    "no interface catalogue for the language `{code}`: its pages show the interface in English"
                ))
                .with_hint(format!("write i18n/{code}.toml (copy the built-in i18n/en.toml with `docsite theme eject` and translate it)"))
                .with_severity(Severity::Warning),
            );
        } else if !lacking.is_empty() {
            let file = if has_site_file {
                site_own
            } else {
                PathBuf::from(ships.map(|s| s.0).unwrap_or_default())
            };
            let shown: Vec<&str> = lacking.iter().take(5).map(|s| s.as_str()).collect();
            let n = lacking.len();
            diags.push(
                Diagnostic::file(
                    crate::files::rel(root, &file),
                    format!(
                        "the interface catalogue for `{code}` lacks {n} string{} of the English one ({}{}): they show in English",
                        if n == 1 { "" } else { "s" },
                        shown.join(", "),
                        if n > 5 { ", …" } else { "" }
                    ),
                )
                .with_severity(Severity::Warning),
            );
        }
        cat
    }

    fn empty(code: &str) -> Catalog {
        let plural = code
            .parse::<unic_langid::LanguageIdentifier>()
            .ok()
            .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok())
            .or_else(|| {
                let en = "en".parse::<unic_langid::LanguageIdentifier>().ok()?;
                PluralRules::create(en, PluralRuleType::CARDINAL).ok()
            });
        Catalog {
            code: code.to_string(),
            text: HashMap::new(),
            from: HashMap::new(),
            plural,
            date: DateWords::english(),
            group: String::new(),
        }
    }

    /// The English catalogue built in, without a site: for tests and tools.
    #[cfg(test)]
    pub(crate) fn english() -> Catalog {
        let mut d = Diagnostics::default();
        let c = Catalog::load(Path::new("/nonexistent-site"), "en", &mut d);
        assert!(d.is_empty(), "{d}");
        c
    }

    /// Adds the site's file at `path` when it is there.
    fn site_layer(&mut self, root: &Path, path: &Path, diags: &mut Diagnostics) {
        if !path.is_file() {
            return;
        }
        let rel = crate::files::rel(root, path);
        let fence = crate::files::Fence::site(root);
        match fence.read_text(&rel) {
            Ok(text) => self.layer(&rel, &text, diags),
            Err(d) => diags.push(d),
        }
    }

    /// Reads one file over what the catalogue has.
    fn layer(&mut self, path: &Path, text: &str, diags: &mut Diagnostics) {
        let Some(file) = crate::diag::toml_error::parse::<File>(path, text, text, 0, diags) else {
            return;
        };
        let shown = path.display().to_string();
        for (key, m) in file.text {
            let span = m.span();
            let m = m.into_inner();
            match check_message(&m) {
                Ok(()) => {
                    self.from.insert(key.clone(), shown.clone());
                    self.text.insert(key, m);
                }
                Err(why) => diags.push(Diagnostic::at(path, text, span, format!("`{key}`: {why}"))),
            }
        }
        self.date_layer(path, text, file.date, diags);
        if let Some(g) = file.number.group {
            self.group = g;
        }
    }

    fn date_layer(&mut self, path: &Path, text: &str, t: DateTable, diags: &mut Diagnostics) {
        if let Some(m) = t.months {
            let span = m.span();
            match <[String; 12]>::try_from(m.into_inner()) {
                Ok(months) => self.date.months = months,
                Err(v) => diags.push(Diagnostic::at(
                    path,
                    text,
                    span,
                    format!("`months` has {} names: a year has 12", v.len()),
                )),
            }
        }
        let w = &mut self.date;
        let slots: [(&str, Option<Spanned<String>>, &mut String); 11] = [
            ("year", t.year, &mut w.year),
            ("year_bce", t.year_bce, &mut w.year_bce),
            ("year_ce", t.year_ce, &mut w.year_ce),
            ("month", t.month, &mut w.month),
            ("day", t.day, &mut w.day),
            ("years", t.years, &mut w.years),
            ("years_bce", t.years_bce, &mut w.years_bce),
            ("years_ce", t.years_ce, &mut w.years_ce),
            ("months_span", t.months_span, &mut w.months_span),
            ("days_span", t.days_span, &mut w.days_span),
            ("span", t.span, &mut w.span),
        ];
        for (name, value, slot) in slots {
            let Some(v) = value else { continue };
            let span = v.span();
            let v = v.into_inner();
            match placeholders(&v).and_then(|names| {
                match names
                    .iter()
                    .find(|n| !DateWords::PLACEHOLDERS.contains(&n.as_str()))
                {
                    Some(n) => Err(format!(
                        "`{{{n}}}` is not a part of a date (they are {})",
                        DateWords::PLACEHOLDERS.join(", ")
                    )),
                    None => Ok(()),
                }
            }) {
                Ok(()) => *slot = v,
                Err(why) => {
                    diags.push(Diagnostic::at(path, text, span, format!("`{name}`: {why}")))
                }
            }
        }
    }

    /// The message `key`.
    pub(crate) fn message(&self, key: &str) -> Option<&Message> {
        self.text.get(key)
    }

    /// The files a key is looked for in, for the message of an unknown key.
    pub(crate) fn files(&self) -> String {
        let mut f: Vec<&str> = self.from.values().map(String::as_str).collect();
        f.sort_unstable();
        f.dedup();
        f.join(", ")
    }

    /// The CLDR plural category of `n` in this language: "one", "other", …
    pub(crate) fn category(&self, n: f64) -> &'static str {
        let cat = match &self.plural {
            Some(p) if n.fract() == 0.0 && n.abs() < 1e15 => p.select(n as i64),
            Some(p) => p.select(n),
            None => Ok(PluralCategory::OTHER),
        };
        match cat.unwrap_or(PluralCategory::OTHER) {
            PluralCategory::ZERO => "zero",
            PluralCategory::ONE => "one",
            PluralCategory::TWO => "two",
            PluralCategory::FEW => "few",
            PluralCategory::MANY => "many",
            PluralCategory::OTHER => "other",
        }
    }

    /// `n` as the interface prints a count: "1234" in English (as it always was),
    /// "1.234" in Vietnamese, "1,234" in Korean.
    pub(crate) fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + 4);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.group);
            }
            out.push(c);
        }
        out
    }

    /// The text of `key` with `args` (a `count` picks the plural form), or why not.
    pub(crate) fn format(&self, key: &str, args: &[(&str, Arg)]) -> Result<String, String> {
        let Some(m) = self.message(key) else {
            return Err(format!(
                "unknown interface string `{key}`: no catalogue has it (read: {})",
                self.files()
            ));
        };
        let pattern = match m {
            Message::Text(s) => s.as_str(),
            Message::Plural(forms) => {
                let n = args
                    .iter()
                    .find(|(k, _)| *k == "count")
                    .and_then(|(_, a)| a.as_f64());
                let Some(n) = n else {
                    return Err(format!(
                        "the interface string `{key}` has plural forms: give it `count`"
                    ));
                };
                let cat = self.category(n);
                forms
                    .get(cat)
                    .or_else(|| forms.get("other"))
                    .map_or("", String::as_str)
            }
        };
        let shown: Vec<(&str, String)> = args.iter().map(|(k, a)| (*k, a.show(self))).collect();
        let refs: Vec<(&str, &str)> = shown.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if let Some(name) = placeholders(pattern)
            .unwrap_or_default()
            .into_iter()
            .find(|n| !refs.iter().any(|(k, _)| k == n))
        {
            return Err(format!(
                "the interface string `{key}` needs `{name}`, which the template does not give"
            ));
        }
        Ok(crate::date::fill(pattern, &refs))
    }

    /// [`Catalog::format`] for Rust's own strings, whose keys the built-in English has:
    /// a missing one falls back to the key itself.
    pub(crate) fn get(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.format(key, args).unwrap_or_else(|_| key.to_string())
    }

    /// Every key starting with `prefix`, for a script (the prefix taken off).
    pub(crate) fn with_prefix<'c>(
        &'c self,
        prefix: &'c str,
    ) -> impl Iterator<Item = (&'c str, &'c Message)> + 'c {
        self.text
            .iter()
            .filter_map(move |(k, m)| Some((k.strip_prefix(prefix)?, m)))
    }
}

/// An argument of a message: counts are printed with the language's separators.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Arg {
    fn as_f64(&self) -> Option<f64> {
        match self {
            Arg::Int(n) => Some(*n as f64),
            Arg::Float(f) => Some(*f),
            Arg::Text(s) => s.parse().ok(),
        }
    }

    fn show(&self, c: &Catalog) -> String {
        match self {
            Arg::Int(n) => c.number(*n),
            Arg::Float(f) => f.to_string(),
            Arg::Text(s) => s.clone(),
        }
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

/// The plural categories CLDR names.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// Whether a message is well made: its placeholders closed, its plural forms CLDR's
/// categories with `other` among them.
fn check_message(m: &Message) -> Result<(), String> {
    match m {
        Message::Text(s) => placeholders(s).map(drop),
        Message::Plural(forms) => {
            if let Some(k) = forms.keys().find(|k| !CATEGORIES.contains(&k.as_str())) {
                return Err(format!(
                    "`{k}` is not a plural category (they are {})",
                    CATEGORIES.join(", ")
                ));
            }
            if !forms.contains_key("other") {
                return Err(
                    "plural forms need `other`, the form of any number no other form takes".into(),
                );
            }
            forms.values().try_for_each(|s| placeholders(s).map(drop))
        }
    }
}

/// The names of a pattern's `{…}` placeholders, or why it is malformed.
fn placeholders(s: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a `}` closes no `{`".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("a `{` is never closed")?;
        let name = &after[..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{{{name}}}` is not a placeholder: a name of letters, digits and `_` goes between the braces"));
        }
        names.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests;
