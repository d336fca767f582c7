//! The translations' texts through the Markdown stage (`content/translations.rs` reads
//! them): each language's content, as [`crate::content::Content::localized`] gives it,
//! is rendered for its pages (under its base, `/vi/`) with the checks every text has
//! (citations and their lists, internal links and their anchors, maps, media), and the
//! problems found in translation files are reported. The originals' own problems are the
//! default language's pass's. What is rendered here is what the language's render pass
//! shows: each text is rendered once.

use super::stage::{render_among, RenderedContent, Reuse};
use crate::config::Config;
use crate::content::Content;
use crate::diag::{Diagnostics, Severity};
use crate::media::Media;

/// Renders one language's content (`config` and `content` localized to `code`) for its
/// pages under `at`'s path in its words, taking the texts `reuse` holds (the default language's,
/// [`super::shared`]), and reports the problems of its translation files to `diags`.
pub(crate) fn render<'a>(
    (config, content): (&Config, &'a Content),
    code: &str,
    at: (&str, &super::Words),
    reuse: Option<&dyn Reuse>,
    media: &Media,
    severity: Severity,
    diags: &mut Diagnostics,
) -> RenderedContent<'a> {
    let mut found = Diagnostics::default();
    let rendered = render_among(config, content, at, &mut found, reuse, Some(media));
    let kinds = config.taxonomies.iter().map(|t| t.entry.as_str());
    super::cite_lists::check(&rendered, &content.sources, kinds, severity, &mut found);
    let codes = [code.to_string()];
    let ours = found
        .0
        .into_iter()
        .filter(|d| crate::content::translations::translation_code(&d.path, &codes).is_some());
    diags.extend(ours);
    rendered
}
