//! The geometry of a map: its extent around the places it shows, the projection of
//! longitude and latitude onto the drawing, the simplification of outlines to what the
//! drawing can show (Douglas-Peucker), and their clipping to the drawing's frame
//! (Sutherland-Hodgman). Pure functions over plain numbers.

/// A point of the drawing, in its units (x to the right, y down).
pub(crate) type Pt = (f64, f64);

/// The width of every map's drawing, in its own units (its `viewBox`).
pub(crate) const WIDTH: f64 = 480.0;
/// The drawing's height is at least this share of its width, and at most `MAX_ASPECT`.
const MIN_ASPECT: f64 = 0.5;
const MAX_ASPECT: f64 = 0.75;
/// The smallest span of latitude a map shows (degrees): a single place is seen in its
/// region, not in a blank square.
const MIN_SPAN: f64 = 8.0;
/// The margin around the places, as a share of their span.
const PADDING: f64 = 0.2;

/// The area a map shows and how it is drawn: an equirectangular projection whose
/// longitudes are scaled by the cosine of the middle latitude, so that shapes are true
/// near the middle (good enough at the scale of a country or a continent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Extent {
    pub(crate) west: f64,
    pub(crate) east: f64,
    pub(crate) south: f64,
    pub(crate) north: f64,
    /// Drawing units per degree of latitude.
    scale: f64,
    /// The cosine of the middle latitude.
    cos: f64,
}

impl Extent {
    /// The extent around `points` (latitude, longitude), with a margin, at least
    /// [`MIN_SPAN`] tall and with a height between half and three quarters of its width.
    /// `None` for no point.
    pub(crate) fn around(points: &[(f64, f64)]) -> Option<Extent> {
        let first = points.first()?;
        let (mut s, mut n, mut w, mut e) = (first.0, first.0, first.1, first.1);
        for &(lat, lon) in points {
            (s, n, w, e) = (s.min(lat), n.max(lat), w.min(lon), e.max(lon));
        }
        let mid = ((s + n) / 2.0).clamp(-70.0, 70.0);
        let cos = mid.to_radians().cos();
        // Spans in "latitude degrees", so that both axes count alike.
        let mut wide = ((e - w) * cos).max(MIN_SPAN * 0.8);
        let mut tall = (n - s).max(MIN_SPAN * 0.6);
        (wide, tall) = (wide * (1.0 + 2.0 * PADDING), tall * (1.0 + 2.0 * PADDING));
        if tall < wide * MIN_ASPECT {
            tall = wide * MIN_ASPECT;
        } else if tall > wide * MAX_ASPECT {
            wide = tall / MAX_ASPECT;
        }
        let (cy, cx) = ((s + n) / 2.0, (w + e) / 2.0);
        let half_lon = wide / cos / 2.0;
        let (south, north) = (cy - tall / 2.0, cy + tall / 2.0);
        Some(Extent {
            west: cx - half_lon,
            east: cx + half_lon,
            south,
            north,
            scale: WIDTH / wide,
            cos,
        })
    }

    /// The drawing's height, in its units.
    pub(crate) fn height(&self) -> f64 {
        (self.north - self.south) * self.scale
    }

    /// Where a point (latitude, longitude) lands on the drawing.
    pub(crate) fn project(&self, lat: f64, lon: f64) -> Pt {
        (
            (lon - self.west) * self.cos * self.scale,
            (self.north - lat) * self.scale,
        )
    }

    /// Whether a box of longitudes and latitudes (west, south, east, north) meets the
    /// extent.
    pub(crate) fn meets(&self, b: [f64; 4]) -> bool {
        b[0] <= self.east && b[2] >= self.west && b[1] <= self.north && b[3] >= self.south
    }
}

/// The distance from `p` to the segment `a`–`b`.
fn segment_distance(p: Pt, a: Pt, b: Pt) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx * dx + dy * dy;
    let t = if len == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len).clamp(0.0, 1.0)
    };
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// The line `pts` with the points that stray less than `tolerance` from it left out
/// (Douglas-Peucker). Its first and last points are always kept, so that lines that meet
/// still meet.
pub(crate) fn simplify(pts: &[Pt], tolerance: f64) -> Vec<Pt> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    let last = pts.len() - 1;
    (keep[0], keep[last]) = (true, true);
    let mut stack = vec![(0, last)];
    while let Some((i, j)) = stack.pop() {
        let mut best = (0.0, 0);
        for (k, &p) in pts.iter().enumerate().take(j).skip(i + 1) {
            let d = segment_distance(p, pts[i], pts[j]);
            if d > best.0 {
                best = (d, k);
            }
        }
        if best.0 > tolerance {
            keep[best.1] = true;
            stack.push((i, best.1));
            stack.push((best.1, j));
        }
    }
    pts.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// The ring `ring` (a closed polygon, its last point not repeating its first) cut to the
/// frame from `(lo, lo)` to `(hi_x, hi_y)` (Sutherland-Hodgman): what lies outside is
/// replaced by runs along the frame's edges. Empty when nothing of it lies inside.
pub(crate) fn clip(ring: &[Pt], lo: f64, hi_x: f64, hi_y: f64) -> Vec<Pt> {
    let mut out = ring.to_vec();
    // Each edge: whether a point is inside, and where a segment crosses it.
    let edges: [(usize, f64, bool); 4] = [
        (0, lo, true),
        (0, hi_x, false),
        (1, lo, true),
        (1, hi_y, false),
    ];
    for (axis, at, keep_above) in edges {
        if out.is_empty() {
            break;
        }
        let inside = |p: Pt| {
            let v = if axis == 0 { p.0 } else { p.1 };
            if keep_above {
                v >= at
            } else {
                v <= at
            }
        };
        let cross = |a: Pt, b: Pt| {
            let (va, vb) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
            let t = (at - va) / (vb - va);
            let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            if axis == 0 {
                (at, p.1)
            } else {
                (p.0, at)
            }
        };
        let input = std::mem::take(&mut out);
        let mut prev = input[input.len() - 1];
        for &p in &input {
            match (inside(prev), inside(p)) {
                (true, true) => out.push(p),
                (true, false) => out.push(cross(prev, p)),
                (false, true) => {
                    out.push(cross(prev, p));
                    out.push(p);
                }
                (false, false) => {}
            }
            prev = p;
        }
    }
    out
}

/// Twice the signed area of a ring (positive when its points turn one way, negative the
/// other); zero for a ring that encloses nothing.
pub(crate) fn area2(ring: &[Pt]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn the_extent_holds_every_place_with_a_margin_and_a_bounded_shape() {
        let hanoi = (21.02, 105.84);
        let pyongyang = (39.03, 125.75);
        let e = Extent::around(&[hanoi, pyongyang]).unwrap();
        for (lat, lon) in [hanoi, pyongyang] {
            let (x, y) = e.project(lat, lon);
            assert!(x > 0.05 * WIDTH && x < 0.95 * WIDTH, "{x}");
            assert!(y > 0.05 * e.height() && y < 0.95 * e.height(), "{y}");
        }
        let aspect = e.height() / WIDTH;
        assert!(
            (MIN_ASPECT - 1e-9..=MAX_ASPECT + 1e-9).contains(&aspect),
            "{aspect}"
        );
        assert!(Extent::around(&[]).is_none());
    }

    #[test]
    fn one_place_is_shown_in_its_region_at_the_middle() {
        let e = Extent::around(&[(48.85, 2.35)]).unwrap();
        assert!(e.north - e.south >= MIN_SPAN * 0.6);
        let (x, y) = e.project(48.85, 2.35);
        assert!(near(x, WIDTH / 2.0) && near(y, e.height() / 2.0), "{x} {y}");
    }

    #[test]
    fn the_projection_keeps_shapes_true_at_the_middle_latitude() {
        let e = Extent::around(&[(60.0, 10.0), (60.0, 20.0)]).unwrap();
        // At 60°, a degree of longitude is half a degree of latitude.
        let (a, b) = (e.project(60.0, 10.0), e.project(60.0, 11.0));
        let (c, d) = (e.project(60.0, 10.0), e.project(61.0, 10.0));
        assert!(
            near((b.0 - a.0) * 2.0, c.1 - d.1),
            "{a:?} {b:?} {c:?} {d:?}"
        );
        // North is up, east is right.
        assert!(d.1 < c.1 && b.0 > a.0);
    }

    #[test]
    fn simplification_keeps_the_ends_and_the_corners() {
        let line: Vec<Pt> = (0..=10)
            .map(|i| (i as f64, 0.01 * (i % 2) as f64))
            .collect();
        assert_eq!(simplify(&line, 0.1), vec![(0.0, 0.0), (10.0, 0.0)]);
        let corner = [(0.0, 0.0), (5.0, 0.05), (10.0, 0.0), (10.0, 10.0)];
        assert_eq!(
            simplify(&corner, 0.5),
            vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
        );
        assert_eq!(simplify(&corner[..2], 5.0).len(), 2);
    }

    #[test]
    fn clipping_cuts_a_ring_to_the_frame_and_drops_what_lies_outside() {
        let square = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)];
        let cut = clip(&square, 0.0, 10.0, 10.0);
        assert!(cut
            .iter()
            .all(|p| (0.0..=10.0).contains(&p.0) && (0.0..=10.0).contains(&p.1)));
        assert!(near(area2(&cut).abs(), 2.0 * 25.0), "{cut:?}");
        // The ring keeps its winding.
        assert_eq!(area2(&cut).signum(), area2(&square).signum());
        let far = [(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)];
        assert!(clip(&far, 0.0, 10.0, 10.0).is_empty());
        let inside = [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0)];
        assert_eq!(clip(&inside, 0.0, 10.0, 10.0), inside.to_vec());
    }
}
