//! Maps drawn at build time, as inline SVG: no tiles and no network, so they work offline,
//! from a sub-path and in print. This module owns the places a map can show ([`Places`]:
//! the entries of the `places` registry, with the `lat` and `lon` checked where the
//! registry is loaded) and the drawing of one map ([`Places::figure`]): its extent around
//! its places with a margin and its projection (`geom.rs`), the country outlines of
//! Natural Earth compiled in, simplified for the extent and clipped to it (`world.rs`),
//! a marker and a name for each place, the names placed so that they do not overlap where
//! that can be done (`labels.rs`), and a caption that names every place, the map's text
//! alternative. A map's HTML is kept under [`MAX_BYTES`]: the outlines are simplified
//! further until it fits. Colours come from the theme's CSS (`.map` in `style.css`), so a
//! map follows the dark theme and prints in grey.
//!
//! The maps that pages show: a place's page shows the place, an event's page its places
//! and a chapter's page the places of its events (`render/views.rs`); a `map` block in
//! Markdown draws the places it names (`markdown/map.rs`).

mod geom;
mod labels;
mod world;

use crate::config::Config;
use crate::content::Content;
use crate::routes::Page;
use crate::text::escape_html;
use geom::{Extent, WIDTH};
use std::collections::HashMap;
use std::fmt::Write;

/// The most a map adds to a page, in bytes.
pub(crate) const MAX_BYTES: usize = 30_000;

/// The most places a map marks (a chapter of a large site may cover thousands): the
/// first ones, in order; its caption says how many more there are.
const MAX_PINS: usize = 50;

/// The name of the taxonomy whose registry entries are places on maps.
const TAXONOMY: &str = crate::content::PLACES;

/// A place a map may show: its name, its point (latitude, longitude) if it has one, and
/// its page's URL.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub(crate) name: String,
    pub(crate) at: Option<(f64, f64)>,
    pub(crate) url: String,
    /// Its point was given but refused (already reported where it is written).
    pub(crate) refused: bool,
}

/// The places of the site, by id: the entries of the `places` registry.
#[derive(Debug, Clone, Default)]
pub(crate) struct Places {
    by_id: HashMap<String, Place>,
}

impl Places {
    /// The places of `content` (none when the site has no `places` registry).
    pub(crate) fn of(config: &Config, content: &Content) -> Places {
        let Some(i) = Self::taxonomy(config) else {
            return Places::default();
        };
        let entries = content.registries.get(i).map_or(&[][..], Vec::as_slice);
        let by_id = (entries.iter())
            .map(|e| {
                let url = Page::Term(TAXONOMY, &e.id).url(&config.base_path);
                let place = Place {
                    name: e.name.clone(),
                    at: e.coords,
                    url,
                    refused: e.coords_refused,
                };
                (e.id.clone(), place)
            })
            .collect();
        Places { by_id }
    }

    /// The index of the `places` taxonomy in the site's, if it has one with a registry.
    pub(crate) fn taxonomy(config: &Config) -> Option<usize> {
        (config.taxonomies.iter()).position(|t| t.name == TAXONOMY && t.registry)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id)
    }

    /// Every place's id.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    /// A fingerprint of every place as maps show it (for `serve`'s kept texts).
    pub(crate) fn fingerprint(&self, h: &mut impl std::hash::Hasher) {
        let mut ids: Vec<&String> = self.by_id.keys().collect();
        ids.sort_unstable();
        for id in ids {
            let p = &self.by_id[id];
            h.write(id.as_bytes());
            h.write(p.name.as_bytes());
            h.write(p.url.as_bytes());
            for v in p.at.iter().flat_map(|&(a, b)| [a, b]) {
                h.write_u64(v.to_bits());
            }
        }
    }

    /// The map of the places `ids` that have a point (each once, in order), titled
    /// `title`; `here` is the URL of the page it is on (its place is not linked). `None`
    /// when no place has a point.
    pub(crate) fn figure<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        title: &str,
        here: &str,
    ) -> Option<String> {
        let mut pins: Vec<&Place> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut more = 0;
        for id in ids {
            if let Some(p) = self.by_id.get(id).filter(|p| p.at.is_some()) {
                if seen.insert(id) {
                    if pins.len() < MAX_PINS {
                        pins.push(p);
                    } else {
                        more += 1;
                    }
                }
            }
        }
        (!pins.is_empty()).then(|| draw(&pins, more, title, here))
    }
}

/// A place for tests: id, name, point.
#[cfg(test)]
pub(crate) type Row<'a> = (&'a str, &'a str, Option<(f64, f64)>);

#[cfg(test)]
impl Places {
    /// Places for tests, each page at `/places/<id>/`.
    pub(crate) fn of_rows(list: &[Row]) -> Places {
        let by_id = (list.iter())
            .map(|&(id, name, at)| {
                let url = format!("/places/{id}/");
                let place = Place {
                    name: name.into(),
                    at,
                    url,
                    refused: false,
                };
                (id.to_string(), place)
            })
            .collect();
        Places { by_id }
    }
}

fn esc(s: &str) -> String {
    let mut o = String::new();
    escape_html(s, &mut o);
    o
}

/// The map of `pins` (each with a point), titled `title`, as a `<figure>`: the SVG, then
/// a caption with the title, every place's name and how many `more` were left off.
fn draw(pins: &[&Place], more: usize, title: &str, here: &str) -> String {
    let points: Vec<(f64, f64)> = pins.iter().filter_map(|p| p.at).collect();
    let Some(e) = Extent::around(&points) else {
        return String::new();
    };
    let mut tolerance = 0.6;
    loop {
        let html = figure_html(pins, more, &points, &e, (title, here), tolerance);
        if html.len() <= MAX_BYTES || tolerance > 50.0 {
            return html;
        }
        tolerance *= 1.6;
    }
}

/// The figure of [`draw`], its outlines simplified at `tolerance`; `caption` is the
/// title and the URL of the page it is on.
fn figure_html(
    pins: &[&Place],
    more: usize,
    points: &[(f64, f64)],
    e: &Extent,
    (title, here): (&str, &str),
    tolerance: f64,
) -> String {
    let h = e.height().round();
    let names: Vec<String> = pins.iter().map(|p| p.name.clone()).collect();
    let mut o = String::with_capacity(MAX_BYTES);
    let _ = write!(
        o,
        "<figure class=\"map\"><svg viewBox=\"0 0 {WIDTH} {h}\" role=\"img\" aria-label=\"{}\" focusable=\"false\"><rect class=\"sea\" width=\"{WIDTH}\" height=\"{h}\"/><path class=\"land\" d=\"{}\"/>",
        esc(&format!("Map: {title}. {}", names.join(", "))),
        world::outlines(e, tolerance)
    );
    let xy: Vec<geom::Pt> = points
        .iter()
        .map(|&(lat, lon)| e.project(lat, lon))
        .collect();
    let widths: Vec<f64> = names.iter().map(|n| labels::text_width(n)).collect();
    for p in &xy {
        let _ = write!(
            o,
            "<circle class=\"pin\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\"/>",
            p.0,
            p.1,
            labels::RADIUS
        );
    }
    for (l, name) in labels::place(&xy, &widths, WIDTH, h).iter().zip(&names) {
        let _ = write!(
            o,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\">{}</text>",
            l.x,
            l.y,
            l.anchor.svg(),
            esc(name)
        );
    }
    let _ = write!(
        o,
        "</svg><figcaption><strong>{}</strong>. Places: ",
        esc(title)
    );
    for (k, p) in pins.iter().enumerate() {
        let sep = if k == 0 { "" } else { ", " };
        if p.url == here {
            let _ = write!(o, "{sep}{}", esc(&p.name));
        } else {
            let _ = write!(o, "{sep}<a href=\"{}\">{}</a>", esc(&p.url), esc(&p.name));
        }
    }
    if more > 0 {
        let _ = write!(o, ", and {more} more not drawn");
    }
    o.push_str(
        ". <span class=\"map-credit\">Outlines: Natural Earth.</span></figcaption></figure>",
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(list: &[Row]) -> Places {
        Places::of_rows(list)
    }

    fn sample() -> Places {
        places(&[
            ("hanoi", "Hanoi", Some((21.0245, 105.84117))),
            ("pyongyang", "Pyongyang", Some((39.03385, 125.75432))),
            ("paris", "Paris", Some((48.85341, 2.3488))),
            ("singapore", "Singapore", Some((1.28967, 103.85007))),
            ("cambodia", "Cambodia & <co>", None),
        ])
    }

    #[test]
    fn a_map_names_every_place_it_shows_and_skips_those_without_a_point() {
        let p = sample();
        let html = p
            .figure(
                ["hanoi", "cambodia", "pyongyang", "hanoi"],
                "Route",
                "/places/hanoi/",
            )
            .unwrap();
        assert!(
            html.starts_with("<figure class=\"map\"><svg viewBox=\"0 0 480 "),
            "{html}"
        );
        assert!(html.contains("role=\"img\" aria-label=\"Map: Route. Hanoi, Pyongyang\""));
        assert!(html.contains("<figcaption><strong>Route</strong>. Places: Hanoi, <a href=\"/places/pyongyang/\">Pyongyang</a>."));
        assert_eq!(html.matches("<circle").count(), 2);
        assert!(!html.contains("Cambodia"));
        assert!(p.figure(["cambodia", "nowhere"], "T", "").is_none());
    }

    /// The widest map the documentary could draw (Paris to Pyongyang and Singapore) and
    /// a close one both stay within the budget.
    #[test]
    fn every_map_stays_within_its_budget() {
        let p = sample();
        for ids in [
            &["paris", "pyongyang", "singapore", "hanoi"][..],
            &["hanoi", "pyongyang"],
            &["singapore"],
        ] {
            let html = p.figure(ids.iter().copied(), "T", "").unwrap();
            assert!(html.len() <= MAX_BYTES, "{ids:?}: {}", html.len());
            assert!(
                html.matches("z").count() > 3,
                "{ids:?}: no outlines? {html}"
            );
        }
    }

    /// A map of thousands of places marks the first ones and stays within its budget.
    #[test]
    fn a_map_of_very_many_places_marks_the_first_and_counts_the_rest() {
        let rows: Vec<(String, String)> = (0..3000)
            .map(|i| (format!("p{i}"), format!("Place number {i}")))
            .collect();
        let list: Vec<Row> = (rows.iter().enumerate())
            .map(|(i, (id, name))| {
                let at = Some(((i % 140) as f64 - 70.0, (i % 350) as f64 - 175.0));
                (id.as_str(), name.as_str(), at)
            })
            .collect();
        let p = Places::of_rows(&list);
        let html = p
            .figure(rows.iter().map(|r| r.0.as_str()), "All", "")
            .unwrap();
        assert_eq!(html.matches("<circle").count(), MAX_PINS);
        assert!(
            html.contains(", and 2950 more not drawn."),
            "{}",
            &html[html.len() - 300..]
        );
        assert!(html.len() <= MAX_BYTES, "{}", html.len());
    }

    #[test]
    fn names_and_titles_are_escaped() {
        let p = places(&[("x", "A <b> & \"c\"", Some((10.0, 10.0)))]);
        let html = p.figure(["x"], "<i>", "").unwrap();
        assert!(!html.contains("<b>") && !html.contains("<i>"), "{html}");
        assert!(html.contains("A &lt;b&gt; &amp; &quot;c&quot;"), "{html}");
    }
}
