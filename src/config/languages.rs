//! The site's languages: the `[languages.<code>]` tables of `site.toml`, as written
//! ([`RawLanguage`]), their checks, and the checked [`Language`]s.
//!
//! ```toml
//! language = "en"                  # the default language
//! [languages.vi]                   # another language
//! name = "Tiếng Việt"              # required: its name in itself (the switcher's label)
//! title = "…"                      # required
//! description = "…"                # required
//! footer = "…"                     # optional (the default's when absent)
//! sources_intro = "…"              # optional (the default's when absent)
//! [languages.vi.taxonomies.people] # optional, per taxonomy
//! label = "Nhân vật"
//! singular = "Nhân vật"            # optional (the label when absent)
//! [languages.vi.eras]              # optional: era id -> name
//! alliance = "Liên minh"
//! [languages.vi.terms.countries]   # optional, per free taxonomy: value -> name shown
//! "North Korea" = "Triều Tiên"
//! ```
//!
//! The default language's table may give only `name` (its texts are `site.toml`'s own);
//! without it, the name is a built-in autonym for common codes, else the code. Every
//! problem is an error at its place in `site.toml`: a code that is not a lowercase
//! language tag (`vi`, `pt-br`), or that is a folder the site writes (a taxonomy's, a
//! site-wide page's); a missing `name`, `title` or `description`; an era id, a taxonomy
//! or a listed term value the site does not have (a typo would silently leave a name
//! untranslated, and `site.toml` knows them all). A free taxonomy that lists no `values`
//! (tags) takes any value here: its values are the events'.

use super::File;
use crate::diag::{did_you_mean, Diagnostics};
use crate::taxonomy::Taxonomy;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// One `[languages.<code>]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    name: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    footer: Option<Spanned<String>>,
    sources_intro: Option<Spanned<String>>,
    #[serde(default)]
    taxonomies: BTreeMap<Spanned<String>, RawLabels>,
    #[serde(default)]
    eras: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    terms: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// `[languages.<code>.taxonomies.<name>]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabels {
    label: Spanned<String>,
    singular: Option<Spanned<String>>,
}

/// One language of the site, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// `vi`.
    pub code: String,
    /// Its name in itself: `Tiếng Việt`.
    pub name: String,
    pub title: String,
    pub description: String,
    pub footer: Option<String>,
    pub sources_intro: Option<String>,
    /// Taxonomy name -> (label, singular).
    pub taxonomy_labels: BTreeMap<String, (String, String)>,
    /// Era id -> name.
    pub eras: BTreeMap<String, String>,
    /// Taxonomy name -> value -> the name shown.
    pub terms: BTreeMap<String, BTreeMap<String, String>>,
}

/// The name of a language in itself, for common codes.
fn autonym(code: &str) -> Option<&'static str> {
    let primary = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
    Some(match primary.as_str() {
        "en" => "English",
        "vi" => "Tiếng Việt",
        "ko" => "한국어",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "ru" => "Русский",
        "pl" => "Polski",
        "uk" => "Українська",
        "ja" => "日本語",
        "zh" => "中文",
        "th" => "ไทย",
        "id" => "Bahasa Indonesia",
        "ar" => "العربية",
        "tr" => "Türkçe",
        _ => return None,
    })
}

/// Whether `code` is a lowercase language tag: a primary tag of 2 or 3 letters, and
/// optionally a region of 2 letters or 3 digits (`vi`, `pt-br`, `es-419`).
fn is_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    let region = parts.next();
    let letters = |s: &str| s.bytes().all(|b| b.is_ascii_lowercase());
    (2..=3).contains(&primary.len())
        && letters(primary)
        && parts.next().is_none()
        && region.is_none_or(|r| {
            (r.len() == 2 && letters(r)) || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
        })
}

impl File<'_> {
    /// The checked languages: the default first, then the others in file order.
    pub(super) fn languages(
        &self,
        default: Language,
        raw: Option<&BTreeMap<Spanned<String>, RawLanguage>>,
        taxonomies: &[Taxonomy],
        eras: &[super::Era],
        diags: &mut Diagnostics,
    ) -> Vec<Language> {
        let mut tables: Vec<(&Spanned<String>, &RawLanguage)> = raw.into_iter().flatten().collect();
        tables.sort_by_key(|(code, _)| code.span().start);
        let mut out = vec![default];
        for (code, table) in tables {
            if code.get_ref() == &out[0].code {
                self.default_table(&mut out[0], table, diags);
                continue;
            }
            self.check_code(code, taxonomies, diags);
            if let Some(lang) = self.language(code, table, taxonomies, eras, diags) {
                out.push(lang);
            }
        }
        out
    }

    /// `[languages.<default>]`: only `name`.
    fn default_table(&self, lang: &mut Language, table: &RawLanguage, diags: &mut Diagnostics) {
        if let Some(name) = &table.name {
            self.check_text(name, diags);
            lang.name = name.get_ref().clone();
        }
        let others = [
            (&table.title, "title"),
            (&table.description, "description"),
            (&table.footer, "footer"),
            (&table.sources_intro, "sources_intro"),
        ];
        for (value, key) in others {
            if let Some(v) = value {
                diags.push(
                    self.at(v.span(), format!("`{key}` of the default language `{}` is site.toml's own", lang.code))
                        .with_hint(format!("set `{key}` at the top of site.toml: the default language's table may give only `name`")),
                );
            }
        }
        let first_key = |m: &mut dyn Iterator<Item = &Spanned<String>>| m.next().map(|k| k.span());
        let span = first_key(&mut table.taxonomies.keys())
            .or_else(|| first_key(&mut table.eras.keys()))
            .or_else(|| first_key(&mut table.terms.keys()));
        if let Some(span) = span {
            diags.push(
                self.at(
                    span,
                    format!(
                        "the default language `{}` has no translations of names",
                        lang.code
                    ),
                )
                .with_hint(
                    "its taxonomy labels, era names and terms are the ones written in site.toml",
                ),
            );
        }
    }

    /// A language's code: a language tag, and no folder the site already writes to.
    fn check_code(&self, code: &Spanned<String>, taxonomies: &[Taxonomy], diags: &mut Diagnostics) {
        let c = code.get_ref();
        if !is_code(c) {
            diags.push(
                self.at(
                    code.span(),
                    format!("`{}` is not a language code", c.escape_debug()),
                )
                .with_hint(
                    "use a lowercase language tag, with a region if needed: `vi`, `ko`, `pt-br`",
                ),
            );
            return;
        }
        let clash = crate::routes::taken_folder(c)
            .map(str::to_string)
            .or_else(|| {
                (taxonomies.iter().any(|t| &t.name == c)).then(|| format!("the taxonomy `{c}`"))
            });
        if let Some(what) = clash {
            diags.push(
                self.at(code.span(), format!("language `{c}` would live under /{c}/, which is {what}'s folder"))
                    .with_hint("a language's pages live under its code: rename the taxonomy or choose another code"),
            );
        }
    }

    /// `[languages.<code>]` of a language other than the default.
    fn language(
        &self,
        code: &Spanned<String>,
        t: &RawLanguage,
        taxonomies: &[Taxonomy],
        eras: &[super::Era],
        diags: &mut Diagnostics,
    ) -> Option<Language> {
        let mut required = |v: &Option<Spanned<String>>, key: &str| match v {
            Some(s) => {
                self.check_text(s, diags);
                Some(s.get_ref().clone())
            }
            None => {
                diags.push(
                    self.at(
                        code.span(),
                        format!("language `{}` has no `{key}`", code.get_ref()),
                    )
                    .with_hint("each language gives `name` (in itself), `title` and `description`"),
                );
                None
            }
        };
        let (name, title, description) = (
            required(&t.name, "name"),
            required(&t.title, "title"),
            required(&t.description, "description"),
        );
        for s in t.footer.iter().chain(&t.sources_intro) {
            self.check_text(s, diags);
        }
        let taxonomy_labels = self.labels(&t.taxonomies, taxonomies, diags);
        let era_names = self.era_names(&t.eras, eras, diags);
        let terms = self.terms(&t.terms, taxonomies, diags);
        Some(Language {
            code: code.get_ref().clone(),
            name: name?,
            title: title?,
            description: description?,
            footer: t.footer.as_ref().map(|s| s.get_ref().clone()),
            sources_intro: t.sources_intro.as_ref().map(|s| s.get_ref().clone()),
            taxonomy_labels,
            eras: era_names,
            terms,
        })
    }

    /// A taxonomy named in a language's table: one the site has, or an error.
    fn known_taxonomy<'t>(
        &self,
        name: &Spanned<String>,
        taxonomies: &'t [Taxonomy],
        diags: &mut Diagnostics,
    ) -> Option<&'t Taxonomy> {
        let found = taxonomies.iter().find(|t| &t.name == name.get_ref());
        if found.is_none() {
            let mut d = self.at(
                name.span(),
                format!(
                    "the site has no taxonomy `{}`",
                    name.get_ref().escape_debug()
                ),
            );
            if let Some(h) =
                did_you_mean(name.get_ref(), taxonomies.iter().map(|t| t.name.as_str()))
            {
                d = d.with_hint(h);
            }
            diags.push(d);
        }
        found
    }

    fn labels(
        &self,
        raw: &BTreeMap<Spanned<String>, RawLabels>,
        taxonomies: &[Taxonomy],
        diags: &mut Diagnostics,
    ) -> BTreeMap<String, (String, String)> {
        let mut out = BTreeMap::new();
        for (name, l) in raw {
            self.check_text(&l.label, diags);
            if let Some(s) = &l.singular {
                self.check_text(s, diags);
            }
            if self.known_taxonomy(name, taxonomies, diags).is_some() {
                let label = l.label.get_ref().clone();
                let singular = l
                    .singular
                    .as_ref()
                    .map_or(label.clone(), |s| s.get_ref().clone());
                out.insert(name.get_ref().clone(), (label, singular));
            }
        }
        out
    }

    fn era_names(
        &self,
        raw: &BTreeMap<Spanned<String>, Spanned<String>>,
        eras: &[super::Era],
        diags: &mut Diagnostics,
    ) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (id, name) in raw {
            self.check_text(name, diags);
            if eras.iter().any(|e| &e.id == id.get_ref()) {
                out.insert(id.get_ref().clone(), name.get_ref().clone());
                continue;
            }
            let mut d = self.at(
                id.span(),
                format!("the site has no era `{}`", id.get_ref().escape_debug()),
            );
            if let Some(h) = did_you_mean(id.get_ref(), eras.iter().map(|e| e.id.as_str())) {
                d = d.with_hint(h);
            }
            diags.push(d);
        }
        out
    }

    /// `terms.<taxonomy>`: free taxonomies only; a value from `values` when the
    /// taxonomy lists them.
    fn terms(
        &self,
        raw: &BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>,
        taxonomies: &[Taxonomy],
        diags: &mut Diagnostics,
    ) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        for (name, values) in raw {
            let Some(tax) = self.known_taxonomy(name, taxonomies, diags) else {
                continue;
            };
            if tax.registry {
                diags.push(
                    self.at(
                        name.span(),
                        format!(
                            "`{}` is a registry: its names are translated in its own file",
                            tax.name
                        ),
                    )
                    .with_hint(format!(
                        "give the entries' names in content/{}.<code>.toml",
                        tax.name
                    )),
                );
                continue;
            }
            let mut names = BTreeMap::new();
            for (value, shown) in values {
                self.check_text(shown, diags);
                if let Some(list) = &tax.values {
                    if !list.contains(value.get_ref()) {
                        let mut d = self.at(
                            value.span(),
                            format!(
                                "`{}` is not a value of `{}`",
                                value.get_ref().escape_debug(),
                                tax.name
                            ),
                        );
                        if let Some(h) =
                            did_you_mean(value.get_ref(), list.iter().map(String::as_str))
                        {
                            d = d.with_hint(h);
                        }
                        diags.push(d);
                        continue;
                    }
                }
                names.insert(value.get_ref().clone(), shown.get_ref().clone());
            }
            out.insert(name.get_ref().clone(), names);
        }
        out
    }
}

/// The default language, from the top of `site.toml`.
pub(super) fn default_language(code: &str, title: &str, description: &str) -> Language {
    Language {
        code: code.to_string(),
        name: autonym(code).unwrap_or(code).to_string(),
        title: title.to_string(),
        description: description.to_string(),
        footer: None,
        sources_intro: None,
        taxonomy_labels: BTreeMap::new(),
        eras: BTreeMap::new(),
        terms: BTreeMap::new(),
    }
}

// `localized` and `term_name` are the per-language render passes' (i18-site's branch);
// until they land only the tests call them.
#[cfg_attr(not(test), allow(dead_code))]
impl super::Config {
    /// The language `code` of the site, if it has one.
    pub(crate) fn language_of(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The configuration the pages of language `code` render with: its title,
    /// description, footer, sources' introduction, taxonomy labels and era names in place
    /// of the default's (each the default's where the language gives none), and `language`
    /// set to `code`. The default language's (or an unknown code's) is the config as it is.
    pub(crate) fn localized(&self, code: &str) -> super::Config {
        let mut c = self.clone();
        let Some(lang) = self.language_of(code).filter(|_| code != self.language) else {
            return c;
        };
        c.language = lang.code.clone();
        c.title = lang.title.clone();
        c.description = lang.description.clone();
        if lang.footer.is_some() {
            c.footer = lang.footer.clone();
        }
        if lang.sources_intro.is_some() {
            c.sources_intro = lang.sources_intro.clone();
        }
        for t in &mut c.taxonomies {
            if let Some((label, singular)) = lang.taxonomy_labels.get(&t.name) {
                t.label = label.clone();
                t.singular = singular.clone();
            }
        }
        for e in &mut c.eras {
            if let Some(name) = lang.eras.get(&e.id) {
                e.name = name.clone();
            }
        }
        c
    }

    /// The name shown in language `code` for `value` of the free taxonomy `taxonomy`: its
    /// translation if the language gives one, else the value itself.
    pub(crate) fn term_name<'a>(&'a self, code: &str, taxonomy: &str, value: &'a str) -> &'a str {
        self.language_of(code)
            .and_then(|l| l.terms.get(taxonomy))
            .and_then(|m| m.get(value))
            .map_or(value, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use crate::diag::Diagnostics;
    use std::path::Path;

    const SITE: &str = "title = \"T\"\ndescription = \"D\"\nbase_url = \"https://x.org/\"\nfooter = \"F\"\n\
[[taxonomies]]\nname = \"people\"\nlabel = \"People\"\nsingular = \"Person\"\nregistry = true\n\
[[taxonomies]]\nname = \"countries\"\nlabel = \"Countries\"\nvalues = [\"North Korea\", \"Vietnam\"]\n\
[[taxonomies]]\nname = \"tags\"\nlabel = \"Tags\"\n\
[[eras]]\nid = \"alliance\"\nname = \"Alliance\"\nstart = \"1950\"\nend = \"1967\"\n";

    const VI: &str =
        "[languages.vi]\nname = \"Tiếng Việt\"\ntitle = \"TV\"\ndescription = \"DV\"\n\
[languages.vi.taxonomies.people]\nlabel = \"Nhân vật\"\n\
[languages.vi.eras]\nalliance = \"Liên minh\"\n\
[languages.vi.terms.countries]\n\"North Korea\" = \"Triều Tiên\"\n\
[languages.vi.terms.tags]\nwar = \"chiến tranh\"\n";

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::default();
        Config::parse(Path::new("site.toml"), text, None, &mut diags).ok_or(diags)
    }

    /// Each problem of `text` as (message, line, column).
    fn problems(text: &str) -> Vec<(String, usize, usize)> {
        let e = parse(text).unwrap_err();
        e.0.iter()
            .map(|d| (d.message.clone(), d.line, d.col))
            .collect()
    }

    #[test]
    fn the_default_language_comes_first_then_the_others_in_file_order() {
        let ko = "[languages.ko]\nname = \"한국어\"\ntitle = \"TK\"\ndescription = \"DK\"\n";
        let c = parse(&format!("{SITE}{ko}{VI}")).unwrap();
        let codes: Vec<_> = c
            .languages
            .iter()
            .map(|l| (l.code.as_str(), l.name.as_str()))
            .collect();
        assert_eq!(
            codes,
            [("en", "English"), ("ko", "한국어"), ("vi", "Tiếng Việt")]
        );
        assert_eq!(c.languages[0].title, "T");
        let c = parse(SITE).unwrap();
        assert_eq!(c.languages.len(), 1);
        let c = parse(&format!("{SITE}[languages.en]\nname = \"Inglés\"\n")).unwrap();
        assert_eq!(c.languages[0].name, "Inglés");
    }

    #[test]
    fn localized_replaces_the_texts_the_language_gives() {
        let c = parse(&format!("{SITE}{VI}")).unwrap();
        let vi = c.localized("vi");
        assert_eq!(
            (
                vi.language.as_str(),
                vi.title.as_str(),
                vi.description.as_str()
            ),
            ("vi", "TV", "DV")
        );
        assert_eq!(
            vi.footer.as_deref(),
            Some("F"),
            "the default's footer when none is given"
        );
        assert_eq!(
            (
                vi.taxonomies[0].label.as_str(),
                vi.taxonomies[0].singular.as_str()
            ),
            ("Nhân vật", "Nhân vật")
        );
        assert_eq!(vi.taxonomies[1].label, "Countries");
        assert_eq!(vi.eras[0].name, "Liên minh");
        let en = c.localized("en");
        assert_eq!(
            (en.title.as_str(), en.eras[0].name.as_str()),
            ("T", "Alliance")
        );
        assert_eq!(c.localized("xx").title, "T");
    }

    #[test]
    fn term_name_translates_free_values_and_falls_back_to_the_value() {
        let c = parse(&format!("{SITE}{VI}")).unwrap();
        assert_eq!(c.term_name("vi", "countries", "North Korea"), "Triều Tiên");
        assert_eq!(c.term_name("vi", "tags", "war"), "chiến tranh");
        assert_eq!(c.term_name("vi", "countries", "Vietnam"), "Vietnam");
        assert_eq!(c.term_name("en", "countries", "North Korea"), "North Korea");
        assert_eq!(c.term_name("ko", "tags", "war"), "war");
    }

    #[test]
    fn bad_codes_clashes_and_missing_texts_are_errors_at_their_line() {
        let text = format!("{SITE}[languages.VI]\nname = \"n\"\ntitle = \"t\"\ndescription = \"d\"\n[languages.tags]\nname = \"n\"\ntitle = \"t\"\ndescription = \"d\"\n[languages.fr]\nname = \"n\"\n");
        let got = problems(&text);
        assert_eq!(got[0], ("`VI` is not a language code".into(), 22, 12));
        assert_eq!(got[1].0, "`tags` is not a language code");
        assert_eq!(got[2], ("language `fr` has no `title`".into(), 30, 12));
        assert_eq!(got[3].0, "language `fr` has no `description`");
        let text = format!("{SITE}[[taxonomies]]\nname = \"vi\"\nlabel = \"V\"\n{VI}");
        assert_eq!(
            problems(&text)[0].0,
            "language `vi` would live under /vi/, which is the taxonomy `vi`'s folder"
        );
    }

    #[test]
    fn unknown_keys_eras_taxonomies_and_values_are_errors_with_hints() {
        let e =
            parse(&format!("{SITE}{VI}").replace("title = \"TV\"", "titel = \"TV\"")).unwrap_err();
        assert_eq!(e.0[0].message, "unknown key `titel`");
        let text = format!("{SITE}{VI}")
            .replace("alliance = \"Liên", "aliance = \"Liên")
            .replace("\"North Korea\" = \"Triều", "\"North Koreа\" = \"Triều")
            .replace("vi.taxonomies.people", "vi.taxonomies.peple");
        let e = parse(&text).unwrap_err();
        let got: Vec<_> =
            e.0.iter()
                .map(|d| (d.message.as_str(), d.hint.as_deref()))
                .collect();
        assert!(
            got.contains(&(
                "the site has no era `aliance`",
                Some("did you mean `alliance`?")
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                "the site has no taxonomy `peple`",
                Some("did you mean `people`?")
            )),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(m, _)| m.starts_with("`North Kore")
                && m.ends_with("is not a value of `countries`")),
            "{got:?}"
        );
        let text = format!("{SITE}{VI}[languages.vi.terms.people]\nkim = \"Kim\"\n");
        assert_eq!(
            problems(&text)[0].0,
            "`people` is a registry: its names are translated in its own file"
        );
        let text = format!("{SITE}[languages.en]\ntitle = \"x\"\n");
        assert_eq!(
            problems(&text)[0].0,
            "`title` of the default language `en` is site.toml's own"
        );
    }
}
