//! Figures drawn at build time: a fenced `figure` block of TOML becomes an inline SVG bar
//! chart with a caption, its sources cited, and the data as a table for screen readers.
//!
//! ```toml
//! title = "North Korean aid to North Vietnam"   # required
//! unit = "million rubles"                       # required: what the values count
//! sources = ["E"]                               # required: source ids
//! bars = [["1966", 12.3], ["1967", 20.0]]       # required: label and value, in order
//! note = "Optional Markdown-free sentence shown under the chart."
//! ```

use crate::content::Source;
use crate::diag::Diagnostic;
use crate::text::escape_html;
use serde::Deserialize;
use std::fmt::Write;
use std::ops::Range;

/// What ends a figure's HTML, after the citation of its sources.
pub(crate) const END: &str = "</figcaption></figure>\n";

/// A figure drawn: its HTML up to the citation of its sources in the caption (the
/// renderer writes the citation, then [`END`]), and the sources it cites.
pub(crate) struct Figure {
    pub html: String,
    pub sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    title: String,
    unit: String,
    sources: Vec<String>,
    bars: Vec<(String, f64)>,
    note: Option<String>,
}

fn esc(s: &str) -> String {
    let mut o = String::new();
    escape_html(s, &mut o);
    o
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Draws the figure of `toml_text`, the block's text at byte `offset` of `src.markdown`;
/// every source it cites must be one of `known`. Its first problem is an error at its
/// place in the block (the block's start if it has none).
pub(crate) fn render(
    toml_text: &str,
    known: &std::collections::BTreeMap<String, usize>,
    src: &Source,
    offset: usize,
) -> Result<Figure, Diagnostic> {
    let error = |msg: String, span: Range<usize>| {
        src.diag(offset + span.start..offset + span.end, msg)
            .with_hint("see the README's authoring section for the figure format")
    };
    let spec = parse(toml_text, known, error)?;
    Ok(Figure {
        html: draw(&spec),
        sources: spec.sources,
    })
}

/// Reads and checks a figure's TOML; `error` makes the diagnostic of a message at a byte
/// span of the text.
fn parse(
    toml_text: &str,
    known: &std::collections::BTreeMap<String, usize>,
    error: impl Fn(String, Range<usize>) -> Diagnostic,
) -> Result<Spec, Diagnostic> {
    let spec: Spec = toml::from_str(toml_text).map_err(|e| {
        error(
            format!("figure: {}", e.message().trim()),
            e.span().unwrap_or(0..0),
        )
    })?;
    if spec.bars.is_empty() {
        return Err(error("figure: `bars` is empty".into(), 0..0));
    }
    if let Some((l, _)) = spec.bars.iter().find(|(_, v)| !v.is_finite() || *v < 0.0) {
        return Err(error(
            format!("figure: bar `{l}` needs a finite, non-negative value"),
            0..0,
        ));
    }
    for s in &spec.sources {
        if !known.contains_key(s) {
            return Err(error(format!("figure: unknown source `{s}`"), 0..0));
        }
    }
    if spec.sources.is_empty() {
        return Err(error(
            "figure: `sources` is empty: every figure cites its data".into(),
            0..0,
        ));
    }
    Ok(spec)
}

/// The figure's HTML, up to the citation of its sources.
fn draw(spec: &Spec) -> String {
    let max = spec
        .bars
        .iter()
        .map(|b| b.1)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let (w, h, left, bottom, top) = (480.0, 260.0, 16.0, 28.0, 24.0);
    let n = spec.bars.len() as f64;
    let slot = (w - 2.0 * left) / n;
    let bar_w = slot * 0.6;
    let plot_h = h - bottom - top;
    let title_id = format!("fig-{}", crate::text::slugify(&spec.title));
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{title_id}\" focusable=\"false\"><title id=\"{title_id}\">{} ({})</title>",
        esc(&spec.title),
        esc(&spec.unit)
    );
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        h - bottom,
        w - left,
        h - bottom
    );
    for (i, (label, v)) in spec.bars.iter().enumerate() {
        let bh = (v / max) * plot_h;
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let y = h - bottom - bh;
        let cx = x + bar_w / 2.0;
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{bh:.1}\"/><text class=\"value\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"label\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            y - 6.0,
            num(*v),
            h - bottom + 18.0,
            esc(label)
        );
    }
    svg.push_str("</svg>");
    let table = data_table(spec);
    let note = spec
        .note
        .as_deref()
        .map(|n| format!(" {}", esc(n)))
        .unwrap_or_default();
    format!(
        "<figure class=\"figure\" aria-labelledby=\"{title_id}-cap\">{svg}{table}<figcaption id=\"{title_id}-cap\"><strong>{}</strong>, in {}.{note} ",
        esc(&spec.title),
        esc(&spec.unit),
    )
}

/// The figure's data as a table for screen readers.
fn data_table(spec: &Spec) -> String {
    let mut table = String::from("<div class=\"visually-hidden\"><table><caption>");
    let _ = write!(
        table,
        "{} ({})</caption><tr><th scope=\"col\">Period</th><th scope=\"col\">Value</th></tr>",
        esc(&spec.title),
        esc(&spec.unit)
    );
    for (label, v) in &spec.bars {
        let _ = write!(
            table,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(label),
            num(*v)
        );
    }
    // A table is as wide as its content whatever its width says, so the wrapper hides it.
    table.push_str("</table></div>");
    table
}
