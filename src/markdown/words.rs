//! The words the Markdown stage writes itself, in the language of the pages a text is
//! rendered for: a citation link's title and a map's words ([`crate::maps::Words`]), from
//! that language's catalogue.

use crate::i18n::{Catalog, Message};
use crate::text::escape_html;

/// The words of one language's texts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Words {
    /// The title of a citation's link is the source's id between these two, escaped: the
    /// catalogue's `cite-label` (`Source {source}`) before and after `{source}`.
    pub cite: (String, String),
    /// A map's words.
    pub map: crate::maps::Words,
}

impl Words {
    /// The built-in English words.
    pub(crate) fn english() -> Words {
        Words {
            cite: ("Source ".into(), String::new()),
            map: crate::maps::Words::english(),
        }
    }

    /// The words of `catalog`.
    pub(crate) fn of(catalog: &Catalog) -> Words {
        Words {
            cite: match catalog.message("cite-label") {
                Some(Message::Text(s)) => around_source(s),
                _ => Words::english().cite,
            },
            map: crate::maps::Words::of(catalog),
        }
    }
}

/// `pattern` before and after its `{source}`, escaped; one without it is followed by the
/// id.
fn around_source(pattern: &str) -> (String, String) {
    let (before, after) = match pattern.split_once("{source}") {
        Some((b, a)) => (b.to_string(), a.to_string()),
        None => (format!("{pattern} "), String::new()),
    };
    let mut out = (String::new(), String::new());
    escape_html(&before, &mut out.0);
    escape_html(&after, &mut out.1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_a_catalogue_are_its_entries_and_english_is_the_built_in() {
        assert_eq!(Words::of(&Catalog::english()), Words::english());
        assert_eq!(
            around_source("출처 {source}"),
            ("출처 ".into(), String::new())
        );
        assert_eq!(around_source("« {source} »"), ("« ".into(), " »".into()));
        assert_eq!(around_source("A&B"), ("A&amp;B ".into(), String::new()));
    }
}
