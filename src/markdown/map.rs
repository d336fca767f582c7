//! Maps in Markdown: a fenced block with the language `map`, of TOML, becomes a map of
//! the places it names ([`crate::maps`]), drawn at build time.
//!
//! ```toml
//! places = ["hanoi", "pyongyang"]          # required: ids of content/places.toml
//! title = "Kim Jong-un's route, 2019"      # required: the map's caption
//! ```
//!
//! Every place must be a place of the registry with `lat` and `lon` or an `outline`; the block's first
//! problem (bad TOML, an unknown key or place, a place without a point) is an error at
//! its place in the block. A place whose point was refused where it is written is left
//! off without a second error.

use super::Renderer;
use crate::content::Source;
use crate::diag::{did_you_mean, Diagnostic};
use crate::maps::Places;
use pulldown_cmark::{CowStr, Event};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    places: Spanned<Vec<Spanned<String>>>,
    title: String,
}

const HINT: &str = "see the README's authoring section for the map block";

impl Renderer<'_, '_> {
    /// A `map` block (its TOML `code`, the block at `range`): drawn, or an error and
    /// nothing written.
    pub(super) fn map(&mut self, code: &str, range: Range<usize>) {
        let src = self.src;
        let fence = range.start..(range.start + 3).min(range.end);
        if self.opts.front_matter {
            self.diags
                .push(src.diag(fence, "a map in a front-matter string").with_hint(
                    "maps belong in the body: a summary is shown on many pages at once",
                ));
            return;
        }
        let code_offset = src.markdown[range.clone()]
            .find('\n')
            .map_or(range.start, |i| range.start + i + 1);
        super::code::figure_control_characters(src, code, code_offset, &range, &mut self.diags);
        match render(code, (self.r.places, &self.r.words.map), src, code_offset) {
            Ok(html) => self.events.push(Event::Html(CowStr::from(html))),
            Err(d) => self.diags.push(d),
        }
    }
}

/// The map of `toml_text`, the block's text at byte `offset` of `src.markdown`.
fn render(
    toml_text: &str,
    (places, words): (&Places, &crate::maps::Words),
    src: &Source,
    offset: usize,
) -> Result<String, Diagnostic> {
    let error = |msg: String, span: Range<usize>| {
        src.diag(offset + span.start..offset + span.end, msg)
            .with_hint(HINT)
    };
    let spec: Spec = toml::from_str(toml_text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        error(
            format!("map: {}", e.message().trim().replace('\n', ": ")),
            span,
        )
    })?;
    if spec.places.get_ref().is_empty() {
        return Err(error("map: `places` is empty".into(), spec.places.span()));
    }
    for id in spec.places.get_ref() {
        let shown = id.get_ref();
        match places.get(shown) {
            None => {
                let d = src.diag(
                    offset + id.span().start..offset + id.span().end,
                    format!("map: unknown place `{shown}`"),
                );
                let hint = did_you_mean(shown, places.ids())
                    .unwrap_or_else(|| "places are the ids of content/places.toml".into());
                return Err(d.with_hint(hint));
            }
            Some(p) if !p.on_maps() && !p.refused => {
                let d = src.diag(
                    offset + id.span().start..offset + id.span().end,
                    format!("map: place `{shown}` has no `lat` and `lon` and no `outline`"),
                );
                return Err(d.with_hint(
                    "give it its point in content/places.toml, or leave it off the map",
                ));
            }
            Some(_) => {}
        }
    }
    let ids = spec.places.get_ref().iter().map(|s| s.get_ref().as_str());
    Ok(places
        .figure(ids, &spec.title, "", words)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::super::{render, RenderOptions, Rendered, Resolver};
    use crate::content::Source;
    use crate::diag::{Diagnostic, Diagnostics};
    use crate::maps::Places;
    use std::collections::{BTreeMap, HashSet};
    use std::path::PathBuf;
    use std::sync::Arc;

    fn run(md: &str, front_matter: bool) -> (Rendered, Vec<Diagnostic>) {
        let places = Places::of_rows(&[
            ("hanoi", "Hanoi", Some((21.0245, 105.84117))),
            ("pyongyang", "Pyongyang", Some((39.03385, 125.75432))),
            ("lang-son", "Lang Son province", None),
        ]);
        let r = Resolver {
            pages: &BTreeMap::new(),
            base_path: "/",
            pages_path: "/",
            sources: &BTreeMap::new(),
            reserved: &HashSet::new(),
            places: &places,
            media: None,
            words: &crate::markdown::Words::english(),
        };
        let src = Source {
            path: PathBuf::from("content/chapters/a.md"),
            file: Arc::from(md),
            markdown: md.into(),
            offset: 0,
            headings: None,
        };
        let mut d = Diagnostics::default();
        let out = render(&src, &r, RenderOptions { front_matter }, &mut d);
        (out, d.0)
    }

    fn problems(d: &[Diagnostic]) -> Vec<(&str, usize, usize, Option<&str>)> {
        (d.iter())
            .map(|d| (d.message.as_str(), d.line, d.col, d.hint.as_deref()))
            .collect()
    }

    #[test]
    fn a_map_block_draws_its_places_with_their_names_as_text() {
        let md = "Text.\n\n```map\nplaces = [\"hanoi\", \"pyongyang\"]\ntitle = \"Route\"\n```\n";
        let (r, d) = run(md, false);
        assert!(d.is_empty(), "{d:?}");
        assert!(
            r.html.contains("<figure class=\"map\"><svg viewBox"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<strong>Route</strong>. Places: <a href=\"/places/hanoi/\">Hanoi</a>, <a href=\"/places/pyongyang/\">Pyongyang</a>."));
        assert!(!r.html.contains("<pre"));
    }

    #[test]
    fn a_bad_map_block_is_an_error_at_its_place_and_draws_nothing() {
        let block = |body: &str| format!("# T\n\n```map\n{body}\n```\n");
        let cases = [
            (
                "places = [\"hanoy\"]\ntitle = \"T\"",
                "map: unknown place `hanoy`",
                4,
                11,
            ),
            (
                "places = [\"hanoi\", \"lang-son\"]\ntitle = \"T\"",
                "map: place `lang-son` has no `lat` and `lon` and no `outline`",
                4,
                20,
            ),
            (
                "places = []\ntitle = \"T\"",
                "map: `places` is empty",
                4,
                10,
            ),
            (
                "places = [\"hanoi\"]\ntitel = \"T\"",
                "map: unknown field `titel`, expected `places` or `title`",
                5,
                1,
            ),
            (
                "places = [\"hanoi\"",
                "map: invalid array: expected `]`",
                5,
                1,
            ),
        ];
        for (body, message, line, col) in cases {
            let (r, d) = run(&block(body), false);
            let got = problems(&d);
            assert_eq!(got.len(), 1, "{body}: {got:?}");
            assert!(got[0].0.starts_with(message), "{body}: {got:?}");
            assert_eq!((got[0].1, got[0].2), (line, col), "{body}: {got:?}");
            assert!(!r.html.contains("<figure"), "{body}");
        }
        let (_, d) = run(&block("places = [\"hanoy\"]\ntitle = \"T\""), false);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `hanoi`?"));
    }

    #[test]
    fn a_map_in_a_front_matter_string_is_an_error() {
        let (r, d) = run("```map\nplaces = [\"hanoi\"]\ntitle = \"T\"\n```\n", true);
        assert_eq!(problems(&d)[0].0, "a map in a front-matter string");
        assert!(!r.html.contains("<figure"));
    }
}
