//! `site.toml`: the site-wide settings, read and checked before anything else.
//!
//! It is read through a [`crate::files::Fence`] of the site folder, as every other file
//! of the site: a symlink leading out of the site folder, a named pipe or a device, and a
//! file over [`crate::files::MAX_FILE_BYTES`] are errors naming it (never quoting what
//! the link leads to), and nothing is waited on.
//!
//! # Schema
//!
//! ```toml
//! title = "Distant Comrades"          # required
//! description = "…"                   # required
//! base_url = "https://user.github.io/repo/"   # required, http(s); a trailing / is added
//! language = "en"                     # optional, default "en"; the pages' lang attribute
//! author = "…"                        # optional
//! domain = "example.org"              # optional: written to public/CNAME
//! footer = "…"                        # optional: a line closing every page's footer
//! sources_intro = "…"                 # optional: the paragraph opening the sources page
//! paginate = 50                       # optional, 1 to 10,000: items per page of a listing
//!
//! [[taxonomies]]                      # optional: see `taxonomy`; absent, the default set
//! name = "organisations"              # the front-matter key on events; URL /organisations/
//! label = "Organisations"
//! filter = true                       # a timeline filter and a search facet
//! registry = false                    # true: values are ids of content/organisations.toml
//!
//! [[eras]]                            # the timeline's bands, in order, not overlapping
//! id = "alliance"                     # lowercase letters, digits, hyphens and underscores
//! name = "Alliance"
//! start = "1950"                      # date syntax: see `date`
//! end = "1967"
//! ```
//!
//! Unknown keys are errors naming the key, its line and the nearest valid key.
//!
//! The base URL (from here or `--base-url`) must be an absolute `http(s)://` URL with a
//! host and no whitespace, control characters, quotes, query or fragment: it is written
//! as it is into `robots.txt`, the sitemap and the feed. Its path may not have an empty
//! segment (`https://h//evil.com/`): the base path prefixes every script and stylesheet
//! address, and one starting with `//` would load them from another host. The base path
//! is rebuilt from the checked segments, so it is `/` or `/a/b/`, never `//…`. `domain` must be a host name
//! (letters, digits, dots and hyphens), `language` a language tag (letters, digits and
//! hyphens). Control characters (see [`crate::text::is_refused_char`]) in `title`,
//! `description`, `author`, `footer`, `sources_intro` and era names are errors at their
//! line. `footer` and `sources_intro` are plain text, escaped like every other field; the
//! built-in theme shows a neutral sentence where `sources_intro` is not set, and no line
//! where `footer` is not.

use crate::date::Date;
use crate::diag::toml_error as tomlerr;
use crate::diag::{Diagnostic, Diagnostics};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

mod languages;
pub(crate) use languages::Language;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Spanned<String>,
    description: Spanned<String>,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: Spanned<String>,
    #[serde(default = "default_author")]
    author: Spanned<String>,
    domain: Option<Spanned<String>>,
    footer: Option<Spanned<String>>,
    sources_intro: Option<Spanned<String>>,
    paginate: Option<Spanned<i64>>,
    taxonomies: Option<Vec<crate::taxonomy::RawTaxonomy>>,
    #[serde(default)]
    eras: Vec<RawEra>,
    languages: Option<std::collections::BTreeMap<Spanned<String>, languages::RawLanguage>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEra {
    id: Spanned<String>,
    name: Spanned<String>,
    start: Spanned<String>,
    end: Spanned<String>,
}

fn default_language() -> Spanned<String> {
    Spanned::new(0..0, "en".into())
}

fn default_author() -> Spanned<String> {
    Spanned::new(0..0, String::new())
}

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, with a trailing slash: `https://user.github.io/repo/`.
    pub base_url: String,
    /// The path part of `base_url`, with leading and trailing slashes: `/repo/` or `/`.
    pub base_path: String,
    pub language: String,
    pub author: String,
    pub domain: Option<String>,
    /// A line closing the footer of every page (`site.footer` in templates).
    pub footer: Option<String>,
    /// The paragraph that opens the sources page (`site.sources_intro` in templates).
    pub sources_intro: Option<String>,
    /// How many items one page of a listing holds (a term's events, a taxonomy's terms, the
    /// chapters), and how many chapters the home page and the footer show.
    pub paginate: usize,
    /// The site's taxonomies, in the order declared (or the default set).
    pub taxonomies: Vec<crate::taxonomy::Taxonomy>,
    pub eras: Vec<Era>,
    /// The site's languages (see `config/languages.rs`): the default first, its texts
    /// this config's, then the others of `[languages.<code>]` in file order.
    pub languages: Vec<Language>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Era {
    pub id: String,
    pub name: String,
    #[serde(serialize_with = "crate::date::serialize_iso")]
    pub start: Date,
    #[serde(serialize_with = "crate::date::serialize_iso")]
    pub end: Date,
}

impl Config {
    /// Reads and checks `site.toml` from `root`. `base_url_override` replaces the configured
    /// URL (`build --base-url`, `serve`). Every problem goes to `diags`; `None` when there
    /// was any.
    pub fn load(
        root: &Path,
        base_url_override: Option<&str>,
        diags: &mut Diagnostics,
    ) -> Option<Config> {
        let rel = Path::new("site.toml");
        match read(root, rel) {
            Ok(text) => Self::parse(rel, &text, base_url_override, diags),
            Err(d) => {
                diags.push(d);
                None
            }
        }
    }

    /// Parses and checks the text of `site.toml` (at `rel`); every problem goes to `diags`,
    /// and there is no config (`None`) when there was any.
    pub fn parse(
        rel: &Path,
        text: &str,
        base_url_override: Option<&str>,
        diags: &mut Diagnostics,
    ) -> Option<Config> {
        let raw: RawConfig = tomlerr::parse(rel, text, text, 0, diags)?;
        let file = File { rel, text };
        let before = diags.len();
        let (base_url, base_path) = file.base_url(&raw.base_url, base_url_override, diags);
        file.check_texts(&raw, diags);
        file.check_language(&raw.language, diags);
        if let Some(d) = &raw.domain {
            file.check_domain(d, diags);
        }
        let eras = file.eras(&raw.eras, diags);
        let paginate = file.paginate(raw.paginate.as_ref(), diags);
        let taxonomies = match &raw.taxonomies {
            Some(list) => crate::taxonomy::check(list, |span, msg| file.at(span, msg), diags),
            None => crate::taxonomy::defaults(),
        };
        let default = languages::default_language(
            raw.language.get_ref(),
            raw.title.get_ref(),
            raw.description.get_ref(),
        );
        let languages = file.languages(default, raw.languages.as_ref(), &taxonomies, &eras, diags);
        if diags.len() > before {
            return None;
        }
        Some(Config {
            title: raw.title.into_inner(),
            description: raw.description.into_inner(),
            base_url,
            base_path,
            language: raw.language.into_inner(),
            author: raw.author.into_inner(),
            domain: raw.domain.map(Spanned::into_inner),
            footer: raw.footer.map(Spanned::into_inner),
            sources_intro: raw.sources_intro.map(Spanned::into_inner),
            paginate,
            taxonomies,
            eras,
            languages,
        })
    }

    /// The era an event on `date` falls in: the last era starting on or before it.
    pub fn era_of(&self, date: &Date) -> Option<&Era> {
        let y = date.as_year_fraction();
        self.eras
            .iter()
            .find(|e| y >= e.start.as_year_fraction() && y < e.end.end_as_year_fraction())
    }
}

/// The text of `site.toml` (at `rel` under `root`), read as every file of the site is:
/// inside the site folder, a regular file, capped.
fn read(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    if let Err(e) = root.join(rel).symlink_metadata() {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            "run the command in the folder that holds the site's site.toml, or start a new \
             site here with `docsite init`"
        } else {
            "run the command in the folder that holds the site's site.toml"
        };
        return Err(Diagnostic::file(rel, format!("cannot read site.toml: {e}")).with_hint(hint));
    }
    let bytes = crate::files::Fence::site(root).read(rel)?;
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::file(
            rel,
            format!(
                "not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// `site.toml` being checked: where its problems are reported.
struct File<'a> {
    rel: &'a Path,
    text: &'a str,
}

impl File<'_> {
    fn at(&self, span: std::ops::Range<usize>, msg: String) -> Diagnostic {
        Diagnostic::at(self.rel, self.text, span, msg)
    }

    /// The base URL and its path: `--base-url`'s if given, else the file's.
    fn base_url(
        &self,
        configured: &Spanned<String>,
        base_url_override: Option<&str>,
        diags: &mut Diagnostics,
    ) -> (String, String) {
        match base_url_override {
            Some(u) => match normalize_base_url(u) {
                Ok(v) => v,
                Err(m) => {
                    let hint = base_url_hint(&m);
                    diags.push(Diagnostic::file("--base-url", m).with_hint(hint));
                    (String::new(), "/".into())
                }
            },
            None => match normalize_base_url(configured.get_ref()) {
                Ok(v) => v,
                Err(m) => {
                    let hint = base_url_hint(&m);
                    diags.push(self.at(configured.span(), m).with_hint(hint));
                    (String::new(), "/".into())
                }
            },
        }
    }

    /// No control characters in the texts shown on pages and in the feed.
    fn check_texts(&self, raw: &RawConfig, diags: &mut Diagnostics) {
        let texts = [&raw.title, &raw.description, &raw.author, &raw.language]
            .into_iter()
            .chain(raw.footer.iter().chain(&raw.sources_intro))
            .chain(raw.eras.iter().map(|e| &e.name));
        for t in texts {
            self.check_text(t, diags);
        }
    }

    /// No control character in one text.
    fn check_text(&self, t: &Spanned<String>, diags: &mut Diagnostics) {
        if let Some(c) = t
            .get_ref()
            .chars()
            .find(|&c| crate::text::is_refused_char(c))
        {
            diags.push(
                self.at(
                    t.span(),
                    format!("control character U+{:04X} is not allowed", c as u32),
                )
                .with_hint(
                    "remove it: it cannot be shown, and it would make the Atom feed invalid XML",
                ),
            );
        }
    }

    fn check_language(&self, language: &Spanned<String>, diags: &mut Diagnostics) {
        let lang = language.get_ref();
        if lang.is_empty() || !lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            diags.push(
                self.at(
                    language.span(),
                    format!("language `{}` is not a language tag", lang.escape_debug()),
                )
                .with_hint("use letters, digits and hyphens, as `en` or `vi-VN`"),
            );
        }
    }

    fn check_domain(&self, domain: &Spanned<String>, diags: &mut Diagnostics) {
        let name = domain.get_ref();
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !ok {
            diags.push(
                self.at(
                    domain.span(),
                    format!("domain `{}` is not a host name", name.escape_debug()),
                )
                .with_hint("use letters, digits, dots and hyphens, as `example.org`"),
            );
        }
    }

    /// The eras: each id a unique slug ([`crate::text::is_slug`]), each start and end a
    /// date, the end not before the start. An era with a bad date is left out.
    fn eras(&self, raw: &[RawEra], diags: &mut Diagnostics) -> Vec<Era> {
        let mut eras: Vec<Era> = Vec::new();
        for e in raw {
            let id = e.id.get_ref();
            if !crate::text::is_slug(id) {
                diags.push(self.at(
                    e.id.span(),
                    format!("era id `{id}` must use only lowercase letters, digits, hyphens and underscores"),
                ));
            }
            if eras.iter().any(|x| &x.id == id) {
                diags.push(self.at(e.id.span(), format!("two eras have the id `{id}`")));
            }
            let (Some(start), Some(end)) = (self.date(&e.start, diags), self.date(&e.end, diags))
            else {
                continue;
            };
            if end < start {
                diags.push(self.at(e.end.span(), format!("era `{id}` ends before it starts")));
            }
            eras.push(Era {
                id: id.clone(),
                name: e.name.get_ref().clone(),
                start,
                end,
            });
        }
        eras
    }

    /// `paginate`: a whole number from 1 to [`MAX_PAGINATE`]; [`DEFAULT_PAGINATE`] when
    /// it is not set.
    fn paginate(&self, raw: Option<&Spanned<i64>>, diags: &mut Diagnostics) -> usize {
        let Some(n) = raw else {
            return DEFAULT_PAGINATE;
        };
        match usize::try_from(*n.get_ref()) {
            Ok(v @ 1..=MAX_PAGINATE) => v,
            _ => {
                diags.push(
                    self.at(n.span(), format!("paginate = {} is out of range", n.get_ref()))
                        .with_hint(format!(
                            "give how many items one page of a listing holds, from 1 to {MAX_PAGINATE} (the default is {DEFAULT_PAGINATE})"
                        )),
                );
                DEFAULT_PAGINATE
            }
        }
    }

    fn date(&self, s: &Spanned<String>, diags: &mut Diagnostics) -> Option<Date> {
        crate::date::parse_at(s.get_ref(), self.rel, self.text, s.span().start)
            .map_err(|d| diags.push(d))
            .ok()
    }
}

/// How many items one page of a listing holds when `site.toml` does not say.
pub(crate) const DEFAULT_PAGINATE: usize = 50;

/// The most items one page of a listing may hold (`paginate`): pages stay bounded.
pub(crate) const MAX_PAGINATE: usize = 10_000;

const BASE_URL_HINT: &str =
    "give the site's absolute address, as https://user.github.io/repo/, with no spaces or controls";

const EMPTY_SEGMENT_HINT: &str =
    "write the path with single slashes, as https://user.github.io/repo/: a path starting with // would load the site's scripts from another host";

/// The hint for a base URL refused with `message`.
fn base_url_hint(message: &str) -> &'static str {
    if message.ends_with("has an empty path segment (`//`)") {
        EMPTY_SEGMENT_HINT
    } else {
        BASE_URL_HINT
    }
}

/// Checks a base URL and splits off its path: `https://h/repo` → (`https://h/repo/`, `/repo/`).
pub(crate) fn normalize_base_url(url: &str) -> Result<(String, String), String> {
    let shown = url.escape_debug();
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "base URL `{shown}` contains {}",
            match c {
                ' ' => "a space".to_string(),
                '\n' => "a newline".to_string(),
                '\t' => "a tab".to_string(),
                _ => format!("the character U+{:04X}", c as u32),
            }
        ));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base URL `{shown}` must start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(format!("base URL `{shown}` has no host"));
    }
    if url.contains(['?', '#', '"', '<', '>', '\'', '\\', '`', '{', '}', '|', '^']) {
        return Err(format!(
            "base URL `{shown}` must not contain a query, a fragment, quotes or spaces"
        ));
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        return Err(format!(
            "base URL `{shown}` has a host `{host}` with characters a host name cannot have"
        ));
    }
    // The path's segments, each non-empty: `https://h//evil.com/` would make the base path
    // `//evil.com/`, and every `<script src="{base}site.js">` a script of evil.com.
    let after = rest.find('/').map_or("", |i| &rest[i + 1..]);
    let segments: Vec<&str> = if after.is_empty() {
        Vec::new()
    } else {
        after
            .strip_suffix('/')
            .unwrap_or(after)
            .split('/')
            .collect()
    };
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "base URL `{shown}` has an empty path segment (`//`)"
        ));
    }
    let scheme = &url[..url.len() - rest.len()];
    // Built from the checked segments, the path is `/` or `/a/b/`: never `//…`.
    let mut path = String::from("/");
    for s in &segments {
        path.push_str(s);
        path.push('/');
    }
    let full = format!("{scheme}{host}{path}");
    debug_assert!(!path.starts_with("//"));
    Ok((full, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Config::parse`] of `text`, or every problem it found.
    fn parse(text: &str, base_url: Option<&str>) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::default();
        Config::parse(Path::new("site.toml"), text, base_url, &mut diags).ok_or(diags)
    }

    const OK: &str = "title = \"T\"\ndescription = \"D\"\nbase_url = \"https://u.github.io/repo\"\n[[eras]]\nid = \"a\"\nname = \"A\"\nstart = \"1950\"\nend = \"1967\"\n";

    #[test]
    fn base_path_from_url() {
        let c = parse(OK, None).unwrap();
        assert_eq!(c.base_url, "https://u.github.io/repo/");
        assert_eq!(c.base_path, "/repo/");
        let c = parse(OK, Some("http://127.0.0.1:1111")).unwrap();
        assert_eq!(
            (c.base_url.as_str(), c.base_path.as_str()),
            ("http://127.0.0.1:1111/", "/")
        );
    }

    #[test]
    fn base_urls_with_whitespace_controls_or_other_schemes_are_refused() {
        for (url, msg) in [
            (
                "https://x.org/\nDisallow:/",
                "base URL `https://x.org/\\nDisallow:/` contains a newline",
            ),
            (
                "https://x.org/\u{1}",
                "base URL `https://x.org/\\u{1}` contains the character U+0001",
            ),
            (" https://x.org/", "base URL ` https://x.org/` contains a space"),
            (
                "javascript:alert(1)//",
                "base URL `javascript:alert(1)//` must start with https:// or http://",
            ),
            ("https:///x", "base URL `https:///x` has no host"),
            (
                "https://a@b.org/",
                "base URL `https://a@b.org/` has a host `a@b.org` with characters a host name cannot have",
            ),
        ] {
            assert_eq!(normalize_base_url(url).unwrap_err(), msg);
            let e = parse(OK, Some(url)).unwrap_err();
            assert_eq!(e.0[0].message, msg);
        }
        let text = OK.replace("https://u.github.io/repo", "https://u.github.io/\\nrepo");
        let e = parse(&text, None).unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].col), (3, 12));
        assert!(normalize_base_url("http://127.0.0.1:1111").is_ok());
        for url in [
            "https://example.org//evil.com/",
            "https://example.org//evil.com",
            "https://example.org//",
            "https://example.org/a//b/",
            "https://example.org/a//",
        ] {
            assert_eq!(
                normalize_base_url(url).unwrap_err(),
                format!("base URL `{url}` has an empty path segment (`//`)")
            );
        }
        for (url, full, path) in [
            ("https://x.org", "https://x.org/", "/"),
            ("https://x.org/", "https://x.org/", "/"),
            ("https://x.org/a/b", "https://x.org/a/b/", "/a/b/"),
            ("http://[::1]:8080/x/", "http://[::1]:8080/x/", "/x/"),
        ] {
            assert_eq!(
                normalize_base_url(url).unwrap(),
                (full.to_string(), path.to_string())
            );
        }
        assert!(normalize_base_url("http://[::1]:8080/x").is_ok());
    }

    #[test]
    fn control_characters_bad_domains_and_languages_are_refused() {
        let text = OK.replace(
            "title = \"T\"",
            "title = \"T\\u0001\"\ndomain = \"x.org\\nevil\"\nlanguage = \"en\\\"\"",
        );
        let e = parse(&text, None).unwrap_err();
        let got: Vec<_> = e.0.iter().map(|d| (d.message.as_str(), d.line)).collect();
        assert_eq!(
            got,
            [
                ("control character U+0001 is not allowed", 1),
                ("language `en\\\"` is not a language tag", 3),
                ("domain `x.org\\nevil` is not a host name", 2),
            ]
        );
    }

    #[test]
    fn unknown_key_is_named_with_nearest() {
        let text = OK.replace("description", "descripton");
        let e = parse(&text, None).unwrap_err();
        assert_eq!(e.0[0].message, "unknown key `descripton`");
        assert_eq!(e.0[0].hint.as_deref(), Some("did you mean `description`?"));
        assert_eq!((e.0[0].line, e.0[0].col), (2, 1));
    }

    #[test]
    fn paginate_is_a_bounded_whole_number() {
        assert_eq!(parse(OK, None).unwrap().paginate, DEFAULT_PAGINATE);
        let text = OK.replace("[[eras]]", "paginate = 7\n[[eras]]");
        assert_eq!(parse(&text, None).unwrap().paginate, 7);
        for bad in ["0", "-3", "10001"] {
            let text = OK.replace("[[eras]]", &format!("paginate = {bad}\n[[eras]]"));
            let e = parse(&text, None).unwrap_err();
            assert_eq!(e.0[0].message, format!("paginate = {bad} is out of range"));
            assert_eq!((e.0[0].line, e.0[0].col), (4, 12));
        }
        let text = OK.replace("[[eras]]", "paginate = \"ten\"\n[[eras]]");
        let e = parse(&text, None).unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].col), (4, 12), "{}", e.0[0].message);
    }

    #[test]
    fn era_ids_are_slugs_with_underscores() {
        let text = OK.replace("id = \"a\"", "id = \"a_b\"");
        assert_eq!(parse(&text, None).unwrap().eras[0].id, "a_b");
        let text = OK.replace("id = \"a\"", "id = \"A\"");
        let e = parse(&text, None).unwrap_err();
        assert_eq!(
            e.0[0].message,
            "era id `A` must use only lowercase letters, digits, hyphens and underscores"
        );
        assert_eq!((e.0[0].line, e.0[0].col), (5, 6));
    }

    #[test]
    fn bad_era_date_points_into_the_string() {
        let text = OK.replace("\"1967\"", "\"1967-13\"");
        let e = parse(&text, None).unwrap_err();
        assert_eq!(
            e.0[0].message,
            "month 13 does not exist: months run from 01 to 12"
        );
        assert_eq!((e.0[0].line, e.0[0].col), (8, 13));
    }
}
