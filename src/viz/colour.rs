//! The sequential colour scale of the heatmaps: white for 0, dark blue for 1.
//!
//! An attention weight is a share of the attention, between 0 and 1, so a
//! one-hue scale that only darkens reads naturally: the darker the cell, the
//! more the target token looks at that source token. The scale is a
//! piecewise-linear path through five hand-picked colours, each step darker
//! than the one before, so the lightness keeps falling as the value grows.

/// The colours at values 0, 0.25, 0.5, 0.75 and 1.
const STOPS: [[u8; 3]; 5] = [
    [255, 255, 255],
    [204, 224, 242],
    [120, 172, 216],
    [44, 107, 176],
    [8, 38, 99],
];

/// Mid grey, the colour of a value that is not a number.
const NAN_GREY: [u8; 3] = [128, 128, 128];

/// The colour of `value` on the heatmap scale, as `[red, green, blue]`.
///
/// `0.0` is white, `1.0` is dark blue (`[8, 38, 99]`), and values between
/// are interpolated linearly between five fixed colours. Values below 0 are
/// drawn as 0 and values above 1 as 1 (infinities included). NaN has no
/// place on the scale and comes out mid grey; the plotting functions refuse
/// NaN weights before they get here.
///
/// ```
/// use encdec::viz::colour_scale;
/// assert_eq!(colour_scale(0.0), [255, 255, 255]);
/// assert_eq!(colour_scale(1.0), [8, 38, 99]);
/// assert_eq!(colour_scale(7.0), colour_scale(1.0));
/// ```
pub fn colour_scale(value: f64) -> [u8; 3] {
    if value.is_nan() {
        return NAN_GREY;
    }
    through_stops(&STOPS, value)
}

/// The colour at `t` on the piecewise-linear path through `stops`, evenly
/// spaced from `t = 0` (the first) to `t = 1` (the last); `t` is clamped to
/// `[0, 1]`. Needs at least two stops.
pub(crate) fn through_stops(stops: &[[u8; 3]], t: f64) -> [u8; 3] {
    let t = t.clamp(0.0, 1.0) * (stops.len() - 1) as f64;
    let i = (t.floor() as usize).min(stops.len() - 2);
    let frac = t - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let mix = |k: usize| (a[k] as f64 + (b[k] as f64 - a[k] as f64) * frac).round() as u8;
    [mix(0), mix(1), mix(2)]
}

/// Black or white, whichever stands out better on `background`: black on
/// light colours, white on dark ones, judged by the background's luminance
/// (the ITU-R BT.709 weights 0.2126, 0.7152, 0.0722 of red, green, blue).
pub(crate) fn ink_on(background: [u8; 3]) -> [u8; 3] {
    let [r, g, b] = background.map(f64::from);
    let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    if luminance > 140.0 {
        [0, 0, 0]
    } else {
        [255, 255, 255]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lightness([r, g, b]: [u8; 3]) -> f64 {
        0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64
    }

    #[test]
    fn ends_and_stops_are_exact() {
        assert_eq!(colour_scale(0.0), [255, 255, 255]);
        assert_eq!(colour_scale(0.5), [120, 172, 216]);
        assert_eq!(colour_scale(1.0), [8, 38, 99]);
    }

    #[test]
    fn halfway_between_two_stops_is_their_average() {
        // 0.125 lies halfway between the stops at 0 and 0.25.
        assert_eq!(colour_scale(0.125), [230, 240, 249]);
    }

    #[test]
    fn out_of_range_is_clamped_and_nan_is_grey() {
        assert_eq!(colour_scale(-0.3), colour_scale(0.0));
        assert_eq!(colour_scale(1.7), colour_scale(1.0));
        assert_eq!(colour_scale(f64::INFINITY), colour_scale(1.0));
        assert_eq!(colour_scale(f64::NEG_INFINITY), colour_scale(0.0));
        assert_eq!(colour_scale(f64::NAN), NAN_GREY);
    }

    #[test]
    fn darker_as_the_value_grows() {
        let mut previous = f64::INFINITY;
        for k in 0..=100 {
            let l = lightness(colour_scale(k as f64 / 100.0));
            assert!(l < previous, "not darker at {}", k as f64 / 100.0);
            previous = l;
        }
    }

    #[test]
    fn ink_contrasts_with_the_cell() {
        assert_eq!(ink_on(colour_scale(0.0)), [0, 0, 0]);
        assert_eq!(ink_on(colour_scale(0.2)), [0, 0, 0]);
        assert_eq!(ink_on(colour_scale(0.9)), [255, 255, 255]);
        assert_eq!(ink_on(colour_scale(1.0)), [255, 255, 255]);
    }
}
