//! The translations' texts through the Markdown stage (`content/translations.rs` reads
//! them): each language's content, as [`crate::content::Content::localized`] gives it,
//! is rendered with the checks every text has (citations and their lists, internal links
//! and their anchors, maps, media), and the problems found in translation files are
//! reported. The originals' own problems are the default language's pass's.

use super::stage::render_reusing;
use crate::config::Config;
use crate::content::Content;
use crate::diag::{Diagnostics, Severity};
use crate::media::Media;

/// Renders each language's translated content and reports the problems of its
/// translation files to `diags`.
pub(crate) fn check(
    config: &Config,
    content: &Content,
    media: &Media,
    severity: Severity,
    diags: &mut Diagnostics,
) {
    for code in content.translations.0.keys() {
        let (config, content) = (config.localized(code), content.localized(code));
        let mut found = Diagnostics::default();
        let rendered = render_reusing(&config, &content, &mut found, None, Some(media));
        let kinds = config.taxonomies.iter().map(|t| t.entry.as_str());
        super::cite_lists::check(&rendered, &content.sources, kinds, severity, &mut found);
        let codes = [code.clone()];
        let ours = found
            .0
            .into_iter()
            .filter(|d| crate::content::translations::translation_code(&d.path, &codes).is_some());
        diags.extend(ours);
    }
}
