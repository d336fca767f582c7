//! Where each place's name goes on a map: beside its marker (right, left, above, below,
//! or at a corner), the first spot that overlaps no name already placed and no other
//! marker and stays inside the drawing; where none is free, the spot that overlaps least.
//! Names are placed in the order given, so the first places get the best spots.

use super::geom::Pt;

/// The font size of a name, in drawing units.
pub(crate) const FONT: f64 = 16.0;
/// A marker's radius, in drawing units.
pub(crate) const RADIUS: f64 = 4.5;

/// How the text of a name sits at its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub(crate) fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A name placed: its text's point (the baseline) and anchor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Label {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) anchor: Anchor,
}

/// A box: left, top, right, bottom.
pub(crate) type Box4 = [f64; 4];

/// The width a name takes, roughly (system fonts average about 0.55 em a character).
pub(crate) fn text_width(name: &str) -> f64 {
    name.chars().count() as f64 * FONT * 0.58
}

/// The label of a name `width` wide beside the marker at `p`, at the `k`th spot, and the
/// box it covers.
fn spot(p: Pt, width: f64, k: usize) -> (Label, Box4) {
    let gap = RADIUS + 3.0;
    let (ascent, descent) = (FONT * 0.75, FONT * 0.25);
    let (x, y, anchor) = match k {
        0 => (p.0 + gap, p.1 + FONT * 0.35, Anchor::Start),
        1 => (p.0 - gap, p.1 + FONT * 0.35, Anchor::End),
        2 => (p.0, p.1 - gap - descent, Anchor::Middle),
        3 => (p.0, p.1 + gap + ascent, Anchor::Middle),
        4 => (p.0 + gap * 0.7, p.1 - gap * 0.7 - descent, Anchor::Start),
        5 => (p.0 + gap * 0.7, p.1 + gap * 0.7 + ascent, Anchor::Start),
        6 => (p.0 - gap * 0.7, p.1 - gap * 0.7 - descent, Anchor::End),
        _ => (p.0 - gap * 0.7, p.1 + gap * 0.7 + ascent, Anchor::End),
    };
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - width / 2.0,
        Anchor::End => x - width,
    };
    (
        Label { x, y, anchor },
        [left, y - ascent, left + width, y + descent],
    )
}

const SPOTS: usize = 8;

fn overlap(a: &Box4, b: &Box4) -> f64 {
    let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let h = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    w * h
}

/// The area of `b` outside the drawing `w` × `h`.
fn outside(b: &Box4, w: f64, h: f64) -> f64 {
    let area = (b[2] - b[0]) * (b[3] - b[1]);
    area - overlap(b, &[0.0, 0.0, w, h])
}

/// The name of an area (a country shaded), `width` wide, centred on `p`, and its box.
pub(crate) fn centred(p: Pt, width: f64) -> (Label, Box4) {
    let (ascent, descent) = (FONT * 0.75, FONT * 0.25);
    let y = p.1 + FONT * 0.35;
    let label = Label {
        x: p.0,
        y,
        anchor: Anchor::Middle,
    };
    (
        label,
        [
            p.0 - width / 2.0,
            y - ascent,
            p.0 + width / 2.0,
            y + descent,
        ],
    )
}

/// The labels of the markers at `points` with names `widths` wide, on a drawing `w` × `h`.
#[cfg(test)]
pub(crate) fn place(points: &[Pt], widths: &[f64], w: f64, h: f64) -> Vec<Label> {
    place_avoiding(points, widths, (w, h), &[])
}

/// [`place`], the names also kept off the boxes `avoid` (names already written).
pub(crate) fn place_avoiding(
    points: &[Pt],
    widths: &[f64],
    (w, h): (f64, f64),
    avoid: &[Box4],
) -> Vec<Label> {
    let markers: Vec<Box4> = (points.iter())
        .map(|p| [p.0 - RADIUS, p.1 - RADIUS, p.0 + RADIUS, p.1 + RADIUS])
        .collect();
    let mut taken: Vec<Box4> = avoid.to_vec();
    let mut out = Vec::with_capacity(points.len());
    for (i, (&p, &width)) in points.iter().zip(widths).enumerate() {
        let cost = |b: &Box4| {
            let names: f64 = taken.iter().map(|t| overlap(b, t)).sum();
            let others: f64 = (markers.iter().enumerate())
                .filter(|&(j, _)| j != i)
                .map(|(_, m)| overlap(b, m))
                .sum();
            names + others + 4.0 * outside(b, w, h)
        };
        let mut best: Option<(f64, Label, Box4)> = None;
        for k in 0..SPOTS {
            let (label, b) = spot(p, width, k);
            let c = cost(&b);
            if best.as_ref().is_none_or(|x| c < x.0) {
                best = Some((c, label, b));
            }
            if c == 0.0 {
                break;
            }
        }
        let (_, label, b) = best.unwrap_or_else(|| {
            let (l, b) = spot(p, width, 0);
            (0.0, l, b)
        });
        taken.push(b);
        out.push(label);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(points: &[Pt], widths: &[f64], labels: &[Label]) -> Vec<Box4> {
        (points.iter().zip(widths).zip(labels))
            .map(|((&p, &w), l)| {
                (0..SPOTS)
                    .map(|k| spot(p, w, k))
                    .find(|(s, _)| s == l)
                    .unwrap()
                    .1
            })
            .collect()
    }

    #[test]
    fn a_lone_name_goes_to_the_right_of_its_marker() {
        let l = place(&[(100.0, 100.0)], &[50.0], 480.0, 300.0);
        assert_eq!(l[0].anchor, Anchor::Start);
        assert!(l[0].x > 100.0 + RADIUS);
    }

    #[test]
    fn a_name_at_the_right_edge_goes_to_the_left() {
        let l = place(&[(470.0, 100.0)], &[60.0], 480.0, 300.0);
        assert_eq!(l[0].anchor, Anchor::End);
    }

    #[test]
    fn close_places_get_names_that_do_not_overlap() {
        let points = [
            (200.0, 100.0),
            (204.0, 110.0),
            (196.0, 118.0),
            (208.0, 92.0),
        ];
        let widths = [70.0, 80.0, 60.0, 90.0];
        let labels = place(&points, &widths, 480.0, 300.0);
        let b = boxes(&points, &widths, &labels);
        for i in 0..b.len() {
            for j in 0..i {
                assert_eq!(overlap(&b[i], &b[j]), 0.0, "{i} and {j}: {labels:?}");
            }
            assert_eq!(outside(&b[i], 480.0, 300.0), 0.0);
        }
    }
}
