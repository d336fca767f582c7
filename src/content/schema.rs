//! The serde schemas of `content/`: each Markdown file's front matter (home, free page,
//! chapter, event), `sources.toml` and the entries of a taxonomy's registry (`people.toml`), as
//! they are written. Unknown keys are refused; values whose place matters to a later
//! check are kept [`Spanned`]. A registry file is generic in its entries, so that it can
//! also be read with each entry skipped (`serde::de::IgnoredAny`), for its other keys. The loaders turn them into the model of [`super`].

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HomeMeta {
    pub(super) title: String,
    pub(super) summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PageMeta {
    pub(super) title: String,
    pub(super) summary: Option<String>,
    #[serde(default)]
    pub(super) draft: bool,
    pub(super) menu: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChapterMeta {
    pub(super) title: String,
    pub(super) order: i64,
    pub(super) summary: Spanned<String>,
    /// Each a year from 1 as a number, or any year as a date string ("490 BCE").
    pub(super) years: Spanned<Vec<Spanned<toml::Value>>>,
    #[serde(default)]
    pub(super) draft: bool,
    #[serde(default)]
    pub(super) media: Vec<Spanned<RawMedia>>,
}

/// One `[[media]]` table of an event's or a chapter's front matter (`content/media.rs`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMedia {
    pub(super) src: Spanned<String>,
    pub(super) alt: Option<Spanned<String>>,
    pub(super) caption: Option<Spanned<String>>,
    pub(super) credit: Option<Spanned<String>>,
    pub(super) credit_url: Option<Spanned<String>>,
    pub(super) title: Option<String>,
    pub(super) poster: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawSourceRef {
    Id(String),
    Full { id: String, note: Option<String> },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventMeta {
    pub(super) title: String,
    pub(super) date: Spanned<String>,
    pub(super) end_date: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) approximate: bool,
    pub(super) display_date: Option<String>,
    pub(super) summary: Spanned<String>,
    pub(super) chapter: Spanned<String>,
    pub(super) sources: Spanned<Vec<Spanned<RawSourceRef>>>,
    pub(super) disputed: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) draft: bool,
    #[serde(default)]
    pub(super) media: Vec<Spanned<RawMedia>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourcesFile<E = RawWork> {
    #[serde(default = "Vec::new")]
    pub(super) source: Vec<E>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWork {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
    pub(super) publisher: Option<String>,
    pub(super) author: Option<String>,
    pub(super) date: Option<Spanned<String>>,
    pub(super) date_text: Option<String>,
    pub(super) url: Option<Spanned<String>>,
    pub(super) note: Option<String>,
    pub(super) cited_in: Option<Spanned<String>>,
}

/// One entry of a taxonomy's registry (`[[person]]` of `content/people.toml`): `detail`
/// is a line shown under its name, also written `role` (people) or `country` (places);
/// `lat` and `lon` are a place's point on maps, `at` what that point marks when it is
/// not the place itself, `outline` the Natural Earth country a map shades for it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntry {
    pub(super) id: Spanned<String>,
    pub(super) name: String,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    #[serde(alias = "role", alias = "country")]
    pub(super) detail: Option<String>,
    pub(super) summary: Spanned<String>,
    #[serde(default)]
    pub(super) sources: Vec<Spanned<String>>,
    /// A place's point, in degrees: both or neither (checked in `registry.rs`).
    pub(super) lat: Option<Spanned<toml::Value>>,
    pub(super) lon: Option<Spanned<toml::Value>>,
    pub(super) at: Option<Spanned<String>>,
    pub(super) outline: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    /// [`crate::taxonomy::EVENT_KEYS`] lists the keys of [`super::EventMeta`] (and the
    /// timeline's `era` and `q`), so that no taxonomy can take one.
    #[test]
    fn event_keys_are_the_schema_s() {
        let e = toml::from_str::<super::EventMeta>("zzz = 1").err().unwrap();
        let msg = e.message();
        let listed: Vec<&str> = msg.split('`').skip(3).step_by(2).collect();
        let mut keys = crate::taxonomy::EVENT_KEYS.to_vec();
        keys.retain(|k| !["era", "q"].contains(k));
        assert_eq!(listed, keys, "{msg}");
    }
}
