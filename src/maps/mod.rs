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
use crate::date::fill;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::i18n::{Catalog, Message};
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
    /// What its point marks when it is not the place itself (a province's capital).
    pub(crate) marks: Option<String>,
    /// The country shaded for it (its index in the outlines), if it names one.
    pub(crate) outline: Option<usize>,
}

impl Place {
    /// Whether a map can show it: it has a point or an outline.
    pub(crate) fn on_maps(&self) -> bool {
        self.at.is_some() || self.outline.is_some()
    }

    /// Its name on a map: with what its point marks, if that is not the place itself.
    fn shown_name(&self, w: &Words) -> String {
        match &self.marks {
            Some(m) => format!("{} {}", self.name, fill(&w.at, &[("place", m)])),
            None => self.name.clone(),
        }
    }
}

/// The places of the site, by id: the entries of the `places` registry.
#[derive(Debug, Clone, Default)]
pub(crate) struct Places {
    by_id: HashMap<String, Place>,
}

impl Places {
    /// The places of `content` (none when the site has no `places` registry).
    pub(crate) fn of(config: &Config, content: &Content) -> Places {
        Places::under(config, content, &config.base_path)
    }

    /// [`Places::of`], each place's page under `base` (a language's pages' base path).
    fn under(config: &Config, content: &Content, base: &str) -> Places {
        let Some(i) = Self::taxonomy(config) else {
            return Places::default();
        };
        let entries = content.registries.get(i).map_or(&[][..], Vec::as_slice);
        let by_id = (entries.iter())
            .map(|e| {
                let url = Page::Term(TAXONOMY, &e.id).url(base);
                let place = Place {
                    name: e.name.clone(),
                    at: e.coords,
                    url,
                    refused: e.coords_refused,
                    marks: e.marks.clone(),
                    outline: (e.outline.as_ref()).and_then(|(name, _)| world::country(name)),
                };
                (e.id.clone(), place)
            })
            .collect();
        Places { by_id }
    }

    /// [`Places::of`], each `outline` that names no country of the outlines reported at
    /// its place in the registry file, with the nearest name as a hint; each place's
    /// page under `base`, the base path of the pages the maps are drawn on.
    pub(crate) fn checked(
        config: &Config,
        content: &Content,
        base: &str,
        diags: &mut Diagnostics,
    ) -> Places {
        let places = Places::under(config, content, base);
        let entries = Self::taxonomy(config).and_then(|i| content.registries.get(i));
        for e in entries.into_iter().flatten() {
            let Some((name, span)) = &e.outline else {
                continue;
            };
            if world::country(name).is_none() {
                let d = Diagnostic::at(
                    &e.summary.path,
                    &e.summary.file,
                    span.clone(),
                    format!("unknown country `{name}` for `outline`"),
                );
                let hint = did_you_mean(name, world::names()).unwrap_or_else(|| {
                    "`outline` names a country as Natural Earth writes it, e.g. \"Cambodia\"".into()
                });
                diags.push(d.with_hint(hint));
            }
        }
        places
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
            h.write(p.marks.as_deref().unwrap_or("").as_bytes());
            h.write_u64(p.outline.map_or(u64::MAX, |i| i as u64));
            for v in p.at.iter().flat_map(|&(a, b)| [a, b]) {
                h.write_u64(v.to_bits());
            }
        }
    }

    /// The map of the places `ids` that have a point or an outline (each once, in
    /// order), titled `title`; `here` is the URL of the page it is on (its place is not
    /// linked). `None` when no place has either.
    pub(crate) fn figure<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        title: &str,
        here: &str,
        words: &Words,
    ) -> Option<String> {
        let mut pins: Vec<&Place> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut more = 0;
        for id in ids {
            if let Some(p) = self.by_id.get(id).filter(|p| p.on_maps()) {
                if seen.insert(id) {
                    if pins.len() < MAX_PINS {
                        pins.push(p);
                    } else {
                        more += 1;
                    }
                }
            }
        }
        (!pins.is_empty()).then(|| draw(&pins, more, (title, here), words))
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
                    marks: None,
                    outline: None,
                };
                (id.to_string(), place)
            })
            .collect();
        Places { by_id }
    }
}

/// The words a map writes, from a language's catalogue (`map-…` keys): patterns, their
/// `{title}`, `{places}`, `{place}` and `{count}` filled as the map is drawn.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Words {
    /// The drawing's spoken label: `Map: {title}. {places}`.
    pub label: String,
    /// Before the caption's list of places: `Places:`.
    pub places: String,
    /// After a place shown as a shaded country: `(shaded)`.
    pub shaded: String,
    /// After a place whose dot marks another: `(marked at {place})`.
    pub marked_at: String,
    /// The same, beside its dot on the drawing: `(at {place})`.
    pub at: String,
    /// After the list when places were left off: `, and {count} more not drawn`.
    pub more: String,
    /// Where the outlines come from: `Outlines: Natural Earth.`.
    pub credit: String,
}

impl Words {
    /// The built-in English words, the catalogue's `en` entries.
    pub(crate) fn english() -> Words {
        Words {
            label: "Map: {title}. {places}".into(),
            places: "Places:".into(),
            shaded: "(shaded)".into(),
            marked_at: "(marked at {place})".into(),
            at: "(at {place})".into(),
            more: ", and {count} more not drawn".into(),
            credit: "Outlines: Natural Earth.".into(),
        }
    }

    /// The words of `catalog` (the built-in English where a key is not a plain text).
    pub(crate) fn of(catalog: &Catalog) -> Words {
        let w = |key: &str, english: String| match catalog.message(key) {
            Some(Message::Text(s)) => s.clone(),
            _ => english,
        };
        let en = Words::english();
        Words {
            label: w("map-label", en.label),
            places: w("map-places", en.places),
            shaded: w("map-shaded", en.shaded),
            marked_at: w("map-marked-at", en.marked_at),
            at: w("map-at", en.at),
            more: w("map-more", en.more),
            credit: w("map-credit", en.credit),
        }
    }

    /// Every word the same `token`, patterns included: a map drawn with them is known by
    /// its token (see `markdown::shared`).
    pub(crate) fn all(token: &str) -> Words {
        let t = || token.to_string();
        Words {
            label: t(),
            places: t(),
            shaded: t(),
            marked_at: t(),
            at: t(),
            more: t(),
            credit: t(),
        }
    }
}

fn esc(s: &str) -> String {
    let mut o = String::new();
    escape_html(s, &mut o);
    o
}

/// The map of `pins` (each with a point or an outline), titled `title`, as a `<figure>`:
/// the SVG, then a caption with the title, every place's name and how many `more` were
/// left off.
fn draw(pins: &[&Place], more: usize, (title, here): (&str, &str), w: &Words) -> String {
    let mut framed: Vec<(f64, f64)> = pins.iter().filter_map(|p| p.at).collect();
    for b in pins.iter().filter_map(|p| world::bounds_of(p.outline?)) {
        framed.extend([(b[1], b[0]), (b[3], b[2])]);
    }
    let Some(e) = Extent::around(&framed) else {
        return String::new();
    };
    let mut tolerance = 0.6;
    loop {
        let html = figure_html(pins, (more, w), &e, (title, here), tolerance);
        if html.len() <= MAX_BYTES || tolerance > 50.0 {
            return html;
        }
        tolerance *= 1.6;
    }
}

/// The figure of [`draw`], its outlines simplified at `tolerance`; `caption` is the
/// title and the URL of the page it is on. A map of one place is drawn smaller.
fn figure_html(
    pins: &[&Place],
    (more, w): (usize, &Words),
    e: &Extent,
    (title, here): (&str, &str),
    tolerance: f64,
) -> String {
    let h = e.height().round();
    let names: Vec<String> = pins.iter().map(|p| p.shown_name(w)).collect();
    let mut o = String::with_capacity(MAX_BYTES);
    let small = if pins.len() == 1 { " small" } else { "" };
    let _ = write!(
        o,
        "<figure class=\"map{small}\"><svg viewBox=\"0 0 {WIDTH} {h}\" role=\"img\" aria-label=\"{}\" focusable=\"false\"><rect class=\"sea\" width=\"{WIDTH}\" height=\"{h}\"/><path class=\"land\" d=\"{}\"/>",
        esc(&fill(&w.label, &[("title", title), ("places", &names.join(", "))])),
        world::outlines(e, tolerance)
    );
    for i in pins.iter().filter_map(|p| p.outline) {
        let _ = write!(
            o,
            "<path class=\"area\" d=\"{}\"/>",
            world::outline(i, e, tolerance)
        );
    }
    marks_and_names(&mut o, pins, &names, e);
    let _ = write!(
        o,
        "</svg><figcaption><strong>{}</strong>. {} ",
        esc(title),
        esc(&w.places)
    );
    for (k, p) in pins.iter().enumerate() {
        let sep = if k == 0 { "" } else { ", " };
        if p.url == here {
            let _ = write!(o, "{sep}{}", esc(&p.name));
        } else {
            let _ = write!(o, "{sep}<a href=\"{}\">{}</a>", esc(&p.url), esc(&p.name));
        }
        if let Some(m) = &p.marks {
            let _ = write!(o, " {}", esc(&fill(&w.marked_at, &[("place", m)])));
        } else if p.at.is_none() {
            let _ = write!(o, " {}", esc(&w.shaded));
        }
    }
    if more > 0 {
        let more = more.to_string();
        let _ = write!(o, "{}", esc(&fill(&w.more, &[("count", &more)])));
    }
    let _ = write!(
        o,
        ". <span class=\"map-credit\">{}</span></figcaption></figure>",
        esc(&w.credit)
    );
    o
}

/// Writes each place's marker and name: a place with a point gets a dot and its name
/// beside it; a country shaded without a point gets its name inside it, written first so
/// that the other names keep off it, or beside it (with no dot) where it is drawn
/// narrower than its name.
fn marks_and_names(o: &mut String, pins: &[&Place], names: &[String], e: &Extent) {
    let mut areas: Vec<labels::Box4> = Vec::new();
    // Each name placed beside its spot: the spot, the name's width, the name, its class
    // and whether it has a dot.
    let mut beside: Vec<(geom::Pt, f64, &str, &str, bool)> = Vec::new();
    for (p, name) in pins.iter().zip(names) {
        let width = labels::text_width(name);
        if let Some((lat, lon)) = p.at {
            beside.push((e.project(lat, lon), width, name, "label", true));
        } else if let Some((lat, lon)) = p.outline.and_then(world::inside_spot) {
            let at = e.project(lat, lon);
            let b = p.outline.and_then(world::bounds_of).unwrap_or_default();
            let drawn = e.project(lat, b[2]).0 - e.project(lat, b[0]).0;
            if drawn < width {
                beside.push((at, width, name, "label area-label", false));
                continue;
            }
            let (l, b) = labels::centred(at, width);
            write_label(o, &l, "label area-label", name);
            areas.push(b);
        }
    }
    for (p, ..) in beside.iter().filter(|d| d.4) {
        let _ = write!(
            o,
            "<circle class=\"pin\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\"/>",
            p.0,
            p.1,
            labels::RADIUS
        );
    }
    let xy: Vec<geom::Pt> = beside.iter().map(|d| d.0).collect();
    let widths: Vec<f64> = beside.iter().map(|d| d.1).collect();
    let placed = labels::place_avoiding(&xy, &widths, (WIDTH, e.height().round()), &areas);
    for (l, d) in placed.iter().zip(&beside) {
        write_label(o, l, d.3, d.2);
    }
}

fn write_label(o: &mut String, l: &labels::Label, class: &str, name: &str) {
    let _ = write!(
        o,
        "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\">{}</text>",
        l.x,
        l.y,
        l.anchor.svg(),
        esc(name)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Places {
        /// [`Places::figure`] in the built-in English.
        fn figure_en<'i>(
            &self,
            ids: impl IntoIterator<Item = &'i str>,
            title: &str,
            here: &str,
        ) -> Option<String> {
            self.figure(ids, title, here, &Words::of(&Catalog::english()))
        }
    }

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
            .figure_en(
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
        assert!(p.figure_en(["cambodia", "nowhere"], "T", "").is_none());
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
            let html = p.figure_en(ids.iter().copied(), "T", "").unwrap();
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
            .figure_en(rows.iter().map(|r| r.0.as_str()), "All", "")
            .unwrap();
        assert_eq!(html.matches("<circle").count(), MAX_PINS);
        assert!(
            html.contains(", and 2950 more not drawn."),
            "{}",
            &html[html.len() - 300..]
        );
        assert!(html.len() <= MAX_BYTES, "{}", html.len());
    }

    /// A country with an outline is shaded and named inside it, with no dot; a point
    /// that marks something else says so; a map of one place is a small one.
    #[test]
    fn a_country_is_shaded_and_a_point_says_what_it_marks() {
        let mut p = places(&[
            ("cambodia", "Cambodia", None),
            ("lang-son", "Lang Son province", Some((21.85264, 106.76101))),
        ]);
        let c = p.by_id.get_mut("cambodia").unwrap();
        c.outline = world::country("Cambodia");
        p.by_id.get_mut("lang-son").unwrap().marks = Some("Lạng Sơn city".into());
        let alone = p
            .figure_en(["cambodia"], "Where it lies", "/places/cambodia/")
            .unwrap();
        assert!(alone.starts_with("<figure class=\"map small\">"), "{alone}");
        assert!(alone.contains("<path class=\"area\" d=\"M"));
        assert!(alone.contains("class=\"label area-label\""));
        assert!(alone.contains(">Cambodia</text>"));
        assert!(!alone.contains("<circle"));
        assert!(alone.contains("Places: Cambodia (shaded)."), "{alone}");
        assert!(alone.len() <= MAX_BYTES, "{}", alone.len());
        let both = p.figure_en(["lang-son", "cambodia"], "T", "").unwrap();
        assert!(both.starts_with("<figure class=\"map\">"));
        assert!(
            both.contains(">Lang Son province (at Lạng Sơn city)</text>"),
            "{both}"
        );
        assert!(both.contains("Lang Son province</a> (marked at Lạng Sơn city)"));
        assert_eq!(both.matches("<circle").count(), 1);
        // Drawn narrower than its name, a country is named beside itself, still with no dot.
        let paris = Place {
            name: "Paris".into(),
            at: Some((48.85341, 2.3488)),
            ..p.by_id["lang-son"].clone()
        };
        p.by_id.insert("paris".into(), paris);
        let wide = p.figure_en(["paris", "cambodia"], "T", "").unwrap();
        assert!(
            wide.contains("class=\"label area-label\" x=") && wide.contains(">Cambodia</text>")
        );
        assert!(!wide.contains("text-anchor=\"middle\">Cambodia"), "{wide}");
        assert_eq!(wide.matches("<circle").count(), 1);
    }

    #[test]
    fn names_and_titles_are_escaped() {
        let p = places(&[("x", "A <b> & \"c\"", Some((10.0, 10.0)))]);
        let html = p.figure_en(["x"], "<i>", "").unwrap();
        assert!(!html.contains("<b>") && !html.contains("<i>"), "{html}");
        assert!(html.contains("A &lt;b&gt; &amp; &quot;c&quot;"), "{html}");
    }
}
