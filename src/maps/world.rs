//! The world's country outlines (Natural Earth, public domain: see `data/README.md`),
//! compiled in from `data/countries.txt` and read once, and their drawing for one map:
//! each shared arc projected and simplified once (so that neighbours still meet), each
//! ring put together from its arcs, clipped to the frame and written as an SVG path.

use super::geom::{area2, clip, simplify, Extent, Pt, WIDTH};
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::OnceLock;

const DATA: &str = include_str!("data/countries.txt");

/// How far outside the drawing the outlines are cut (in its units), so that the runs
/// clipping adds along the frame, and their strokes, fall outside what is seen.
const MARGIN: f64 = 3.0;

/// One country: its polygons, each its rings (outer first), each ring the arcs that make
/// it (`!i`, a negative index, is arc `i` walked backwards), and its bounds (west, south,
/// east, north).
struct Country {
    name: String,
    polygons: Vec<Vec<Vec<i64>>>,
    bounds: [f64; 4],
}

/// Every arc (points in degrees: longitude, latitude) and every country.
struct World {
    arcs: Vec<Vec<(f64, f64)>>,
    countries: Vec<Country>,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| parse(DATA))
}

/// Reads the data; a line it cannot read is left out (the file is docsite's own).
fn parse(text: &str) -> World {
    let mut w = World {
        arcs: Vec::new(),
        countries: Vec::new(),
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("a ") {
            let n: Vec<i64> = rest.split(' ').filter_map(|s| s.parse().ok()).collect();
            let (mut x, mut y) = (0, 0);
            let pts = n.chunks_exact(2).map(|d| {
                (x, y) = (x + d[0], y + d[1]);
                (x as f64 / 100.0, y as f64 / 100.0)
            });
            w.arcs.push(pts.collect());
        } else if let Some(rest) = line.strip_prefix("c ") {
            let mut fields = rest.split('\t');
            let name = fields.nth(1).unwrap_or("").to_string();
            let rings = fields.next().unwrap_or("");
            let polygons: Vec<Vec<Vec<i64>>> = (rings.split('|'))
                .map(|p| {
                    (p.split(';'))
                        .map(|r| r.split(',').filter_map(|i| i.parse().ok()).collect())
                        .collect()
                })
                .collect();
            let bounds = bounds(&w.arcs, &polygons);
            w.countries.push(Country {
                name,
                polygons,
                bounds,
            });
        }
    }
    w
}

/// The arc an index names, if there is one.
fn arc(arcs: &[Vec<(f64, f64)>], i: i64) -> Option<&Vec<(f64, f64)>> {
    let at = if i < 0 { !i } else { i };
    arcs.get(usize::try_from(at).ok()?)
}

fn bounds(arcs: &[Vec<(f64, f64)>], polygons: &[Vec<Vec<i64>>]) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for &i in polygons.iter().flatten().flatten() {
        for &(lon, lat) in arc(arcs, i).into_iter().flatten() {
            b = [b[0].min(lon), b[1].min(lat), b[2].max(lon), b[3].max(lat)];
        }
    }
    b
}

/// The outlines of every country within `e`, as one SVG path's `d` (rings simplified at
/// `tolerance` drawing units, clipped, on whole units, relative steps).
pub(crate) fn outlines(e: &Extent, tolerance: f64) -> String {
    let w = world();
    let mut drawn = HashMap::new();
    let mut d = String::new();
    for c in w.countries.iter().filter(|c| e.meets(c.bounds)) {
        draw_country(c, e, tolerance, &mut drawn, &mut d);
    }
    d
}

/// The outline of the `i`th country alone, drawn as [`outlines`] draws it.
pub(crate) fn outline(i: usize, e: &Extent, tolerance: f64) -> String {
    let mut d = String::new();
    if let Some(c) = world().countries.get(i) {
        draw_country(c, e, tolerance, &mut HashMap::new(), &mut d);
    }
    d
}

/// Writes the rings of `c` to `d`; `drawn` keeps each arc once projected and simplified.
fn draw_country(
    c: &Country,
    e: &Extent,
    tolerance: f64,
    drawn: &mut HashMap<i64, Vec<Pt>>,
    d: &mut String,
) {
    let w = world();
    let (hi_x, hi_y) = (WIDTH + MARGIN, e.height() + MARGIN);
    for ring in c.polygons.iter().flatten() {
        let mut pts: Vec<Pt> = Vec::new();
        for &i in ring {
            let at = if i < 0 { !i } else { i };
            let line = drawn.entry(at).or_insert_with(|| {
                let raw = arc(&w.arcs, at).map_or(&[][..], Vec::as_slice);
                let projected: Vec<Pt> = raw.iter().map(|&(x, y)| e.project(y, x)).collect();
                simplify(&projected, tolerance)
            });
            let skip = usize::from(!pts.is_empty());
            if i < 0 {
                pts.extend(line.iter().rev().skip(skip));
            } else {
                pts.extend(line.iter().skip(skip));
            }
        }
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        write_ring(d, &clip(&pts, -MARGIN, hi_x, hi_y));
    }
}

/// The index of the country named `name` (Natural Earth's name, any case).
pub(crate) fn country(name: &str) -> Option<usize> {
    (world().countries.iter()).position(|c| c.name.eq_ignore_ascii_case(name.trim()))
}

/// Every country's name, as Natural Earth writes it.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    world().countries.iter().map(|c| c.name.as_str())
}

/// The `i`th country's bounds: west, south, east, north (degrees).
pub(crate) fn bounds_of(i: usize) -> Option<[f64; 4]> {
    world().countries.get(i).map(|c| c.bounds)
}

/// A spot inside the `i`th country for its name (latitude, longitude): on the parallel
/// through the middle of its largest polygon, the middle of the widest stretch of it
/// that lies inside that polygon.
pub(crate) fn inside_spot(i: usize) -> Option<(f64, f64)> {
    let w = world();
    let c = w.countries.get(i)?;
    let ring_of = |p: &Vec<Vec<i64>>| -> Vec<(f64, f64)> {
        let outer = p.first().map_or(&[][..], Vec::as_slice);
        (outer.iter())
            .flat_map(|&a| {
                let line = arc(&w.arcs, a).map_or(&[][..], Vec::as_slice);
                let pts: Box<dyn Iterator<Item = &(f64, f64)>> = if a < 0 {
                    Box::new(line.iter().rev())
                } else {
                    Box::new(line.iter())
                };
                pts.copied()
            })
            .collect()
    };
    let rings: Vec<Vec<(f64, f64)>> = c.polygons.iter().map(ring_of).collect();
    let ring = rings
        .iter()
        .max_by(|a, b| area2(a).abs().total_cmp(&area2(b).abs()))?;
    let (lo, hi) = ring.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let y = (lo + hi) / 2.0;
    let n = ring.len();
    let mut xs: Vec<f64> = (0..n)
        .filter_map(|k| {
            let (a, b) = (ring[k], ring[(k + 1) % n]);
            ((a.1 > y) != (b.1 > y)).then(|| a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0))
        })
        .collect();
    xs.sort_by(f64::total_cmp);
    let (a, b) = (xs.chunks_exact(2))
        .map(|p| (p[0], p[1]))
        .max_by(|p, q| (p.1 - p.0).total_cmp(&(q.1 - q.0)))?;
    Some((y, (a + b) / 2.0))
}

/// Writes a ring as `M x y l dx dy … z` on whole units, leaving out repeated points; a
/// ring left with fewer than three points, or enclosing nothing, is not written.
fn write_ring(d: &mut String, ring: &[Pt]) {
    let mut pts: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
    for p in ring {
        let q = (p.0.round() as i64, p.1.round() as i64);
        if pts.last() != Some(&q) {
            pts.push(q);
        }
    }
    while pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    let as_f: Vec<Pt> = pts.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
    if pts.len() < 3 || area2(&as_f) == 0.0 {
        return;
    }
    let _ = write!(d, "M{} {}l", pts[0].0, pts[0].1);
    let mut prev = pts[0];
    for (k, &p) in pts.iter().enumerate().skip(1) {
        let (dx, dy) = (p.0 - prev.0, p.1 - prev.1);
        if k > 1 && dx >= 0 {
            d.push(' ');
        }
        let _ = write!(d, "{dx}");
        if dy >= 0 {
            d.push(' ');
        }
        let _ = write!(d, "{dy}");
        prev = p;
    }
    d.push('z');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_reads_whole_and_every_ring_names_real_arcs() {
        let w = world();
        assert!(w.arcs.len() > 1000 && w.countries.len() > 200);
        for c in &w.countries {
            for &i in c.polygons.iter().flatten().flatten() {
                assert!(arc(&w.arcs, i).is_some(), "arc {i}");
            }
            assert!(c.bounds[0] <= c.bounds[2] && c.bounds[1] <= c.bounds[3]);
        }
    }

    /// Cambodia is found by its name in any case, its spot for a name lies inside its
    /// bounds, and a name that is no country's is none.
    #[test]
    fn a_country_is_found_by_its_name_with_a_spot_inside_it() {
        let i = country("cambodia").unwrap();
        let b = bounds_of(i).unwrap();
        let (lat, lon) = inside_spot(i).unwrap();
        assert!((b[1]..=b[3]).contains(&lat) && (b[0]..=b[2]).contains(&lon));
        assert!(
            (11.0..14.0).contains(&lat) && (103.0..107.0).contains(&lon),
            "{lat} {lon}"
        );
        assert!(country("Kambodia").is_none());
        assert!(names().any(|n| n == "Cambodia"));
        let e = Extent::around(&[(b[1], b[0]), (b[3], b[2])]).unwrap();
        assert!(outline(i, &e, 1.0).matches('z').count() >= 1);
    }

    #[test]
    fn rings_are_written_as_relative_steps_and_empty_ones_left_out() {
        let mut d = String::new();
        write_ring(
            &mut d,
            &[(0.2, 0.0), (10.0, 0.0), (10.0, 10.4), (0.0, 10.0)],
        );
        assert_eq!(d, "M0 0l10 0 0 10-10 0z");
        let mut flat = String::new();
        write_ring(&mut flat, &[(0.0, 0.0), (0.1, 0.0), (0.2, 0.1)]);
        write_ring(&mut flat, &[(0.0, 0.0), (5.0, 0.0), (10.0, 0.0)]);
        assert_eq!(flat, "");
    }

    /// Simplified for a map of Vietnam and Korea, every ring is still a polygon inside
    /// the frame, and coarser tolerances only ever make the path shorter.
    #[test]
    fn outlines_stay_valid_polygons_inside_the_frame_as_they_are_simplified() {
        let e = Extent::around(&[(21.02, 105.84), (39.03, 125.75)]).unwrap();
        let mut last = usize::MAX;
        for tol in [0.5, 1.0, 2.0, 4.0] {
            let d = outlines(&e, tol);
            assert!(d.len() < last, "{tol}: {}", d.len());
            last = d.len();
            for ring in d.split('z').filter(|r| !r.is_empty()) {
                let (start, steps) = ring.trim_start_matches('M').split_once('l').unwrap();
                let mut p: Vec<i64> = start.split(' ').map(|s| s.parse().unwrap()).collect();
                let steps = steps.replace('-', " -");
                let n: Vec<i64> = steps
                    .split_whitespace()
                    .map(|s| s.parse().unwrap())
                    .collect();
                assert!(n.len() >= 4 && n.len().is_multiple_of(2), "{ring}");
                for s in n.chunks(2) {
                    (p[0], p[1]) = (p[0] + s[0], p[1] + s[1]);
                    let m = MARGIN as i64 + 1;
                    assert!((-m..=WIDTH as i64 + m).contains(&p[0]), "{ring}");
                    assert!((-m..=e.height() as i64 + m).contains(&p[1]), "{ring}");
                }
            }
        }
    }
}
