//! Placing point labels so that no two of them overlap.
//!
//! A greedy search, one label at a time in the order given: try places
//! around the label's dot, nearest first — beside, above, below and at the
//! corners, then the same directions on rings further out — and take the
//! first place that covers no label placed so far and no dot. If every
//! place covers a dot, the nearest place that covers no label wins; only
//! when even that fails (a cluster too dense for every ring) does a label
//! cover another, and then as little as possible. A label set away from
//! its dot gets a thin leader line back to it (drawn by the scatter plot).

/// A box in pixels, `[left, top, right, bottom]`, y downwards.
pub(crate) type Rect = [i32; 4];

/// How many rings beyond the first the search tries.
const RINGS: i32 = 14;
/// Distance between two rings, in pixels.
const RING_STEP: i32 = 7;
/// Free space kept between two labels.
const SPACING: i32 = 1;

/// The area two boxes have in common.
pub(crate) fn overlap(a: &Rect, b: &Rect) -> i64 {
    let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0) as i64;
    w * (a[3].min(b[3]) - a[1].max(b[1])).max(0) as i64
}

/// The places tried for a `w` × `h` label whose dot (of radius `dot`) is at
/// `(x, y)`, nearest first, as boxes. The first eight touch the dot, gap
/// `gap` away: right, left, above, below, then the four corners.
fn candidates((x, y): (i32, i32), (w, h): (i32, i32), dot: i32, gap: i32) -> Vec<Rect> {
    let d = dot + gap;
    let (right, left, centre) = (x + d, x - d - w, x - w / 2);
    let (mid, above, below, up, down) = (y - h / 2, y - d - h, y + d, y - h - 1, y + 1);
    let xs = [right, left, centre, centre, right, right, left, left];
    let ys = [mid, mid, above, below, up, down, up, down];
    let mut out: Vec<Rect> = (xs.into_iter().zip(ys))
        .map(|(a, b)| [a, b, a + w, b + h])
        .collect();
    for ring in 1..=RINGS {
        let r = f64::from(d + ring * RING_STEP);
        // sixteen directions, starting to the right, turning both ways
        for k in [0, 8, 4, 12, 2, 6, 10, 14, 1, 15, 7, 9, 3, 5, 11, 13] {
            let a = f64::from(k) * std::f64::consts::PI / 8.0;
            let (cx, cy) = (x as f64 + r * a.cos(), y as f64 - r * a.sin());
            // the box's side facing the dot sits on the ring
            let left = if a.cos() > 0.3 {
                cx
            } else if a.cos() < -0.3 {
                cx - w as f64
            } else {
                cx - w as f64 / 2.0
            };
            let top = if a.sin() > 0.3 {
                cy - h as f64
            } else if a.sin() < -0.3 {
                cy
            } else {
                cy - h as f64 / 2.0
            };
            let (l, t) = (left.round() as i32, top.round() as i32);
            out.push([l, t, l + w, t + h]);
        }
    }
    out
}

/// Boxes for labels of sizes `sizes` beside the dots at `dots` (radius
/// `dot`, labels `gap` pixels off it), all inside `frame`, no two
/// overlapping where the rings leave room (see the module doc).
pub(crate) fn place_labels(
    dots: &[(i32, i32)],
    sizes: &[(i32, i32)],
    frame: Rect,
    (dot, gap): (i32, i32),
) -> Vec<Rect> {
    let marks: Vec<Rect> = (dots.iter())
        .map(|&(x, y)| [x - dot, y - dot, x + dot, y + dot])
        .collect();
    let inside =
        |r: &Rect| r[0] >= frame[0] && r[1] >= frame[1] && r[2] <= frame[2] && r[3] <= frame[3];
    let grow = |r: &Rect| {
        [
            r[0] - SPACING,
            r[1] - SPACING,
            r[2] + SPACING,
            r[3] + SPACING,
        ]
    };
    let mut placed: Vec<Rect> = Vec::with_capacity(dots.len());
    for (&at, &size) in dots.iter().zip(sizes) {
        let all = candidates(at, size, dot, gap);
        let first = all[0];
        // (area over labels, area over dots) of each place, in order
        let mut best: Option<((i64, i64), Rect)> = None;
        for r in all.into_iter().filter(inside) {
            let wide = grow(&r);
            let on_labels: i64 = placed.iter().map(|o| overlap(&wide, o)).sum();
            let on_dots: i64 = marks.iter().map(|o| overlap(&r, o)).sum();
            let cost = (on_labels, on_dots);
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, r));
            }
            if cost == (0, 0) {
                break;
            }
        }
        placed.push(best.map_or(first, |(_, r)| r));
    }
    placed
}

/// Whether a label box is away from its dot at `(x, y)` (more than `near`
/// pixels from it), so that a leader line should join them; and the point
/// of the box nearest the dot, where that line ends.
pub(crate) fn leader((x, y): (i32, i32), r: &Rect, near: i32) -> Option<(i32, i32)> {
    let end = (x.clamp(r[0], r[2]), y.clamp(r[1], r[3]));
    let (dx, dy) = (end.0 - x, end.1 - y);
    (dx * dx + dy * dy > near * near).then_some(end)
}

/// Room between the outermost markers and the frame, labels aside.
pub(super) const PAD: i32 = 18;

/// The data range shown along an axis `pixels` long: the values' range,
/// starting `before` pixels in, ending at least `PAD` pixels before the end
/// and so that `beyond[k]` more pixels after value `k` still fit. A range
/// of one value is widened by a tenth of it (at least 0.01) each way.
pub(super) fn axis(values: &[f64], beyond: &[i32], pixels: i32, before: i32) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in values {
        (lo, hi) = (lo.min(v), hi.max(v));
    }
    if hi - lo <= 1e-12 * hi.abs().max(lo.abs()).max(1.0) {
        let pad = 0.1 * hi.abs().max(0.1);
        (lo, hi) = (lo - pad, hi + pad);
    }
    let room = f64::from((pixels - before).max(2));
    let mut after = f64::from(PAD);
    for (&v, &b) in values.iter().zip(beyond) {
        let t = (v - lo) / (hi - lo);
        if t > 1e-9 {
            after = after.max((f64::from(b) - (1.0 - t) * room) / t);
        }
    }
    let after = after.min(room / 2.0);
    let per_pixel = (hi - lo) / (room - after);
    (lo - f64::from(before) * per_pixel, hi + after * per_pixel)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOT: (i32, i32) = (4, 3);

    #[test]
    fn labels_go_right_unless_that_covers_something() {
        let frame = [0, 0, 500, 500];
        let r = place_labels(&[(100, 100)], &[(40, 13)], frame, DOT);
        assert_eq!(r, vec![[107, 94, 147, 107]]);
        // a dot 20 pixels to the right: its label goes right, the first's left
        let r = place_labels(&[(100, 100), (120, 100)], &[(40, 13); 2], frame, DOT);
        assert_eq!((r[0][2], r[1][0]), (93, 127));
        // at the frame's edge a label flips left
        let r = place_labels(&[(490, 100)], &[(40, 13)], frame, DOT);
        assert_eq!(r[0][2], 483);
    }

    #[test]
    fn ten_dots_in_one_place_get_ten_separate_labels() {
        let frame = [0, 0, 500, 500];
        let r = place_labels(&[(250, 250); 10], &[(50, 13); 10], frame, DOT);
        for i in 0..10 {
            for j in i + 1..10 {
                assert_eq!(overlap(&r[i], &r[j]), 0, "{:?} {:?}", r[i], r[j]);
            }
        }
        assert!(leader((250, 250), &r[0], 9).is_none());
        assert!(r[1..].iter().any(|b| leader((250, 250), b, 9).is_some()));
    }

    #[test]
    fn the_axis_leaves_room_for_the_last_label() {
        let (lo, hi) = axis(&[0.0, 1.0], &[0, 100], 600, 20);
        let at = |v: f64| (v - lo) / (hi - lo) * 600.0;
        assert!((at(0.0) - 20.0).abs() < 1e-9 && (at(1.0) - 500.0).abs() < 1e-9);
        let (lo, hi) = axis(&[3.0, 3.0], &[0, 0], 600, 20);
        assert!(lo < 2.7 && hi > 3.3, "{lo} {hi}");
    }
}
