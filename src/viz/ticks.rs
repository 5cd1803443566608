//! Tick labels that are exact and tell the ticks apart.
//!
//! plotters chooses where the ticks of a numeric axis go (a "round" step:
//! 1, 2 or 5 times a power of ten, or 0.25, 0.5, ...), the picture chooses
//! how many decimals to write. The decimals must come from the step
//! plotters actually uses: with a step of 0.5, labels written without
//! decimals read `-2 -2 -1 -1 0 1 1` and repeat. [`axis_decimals`] asks
//! plotters for the tick values it will draw and returns the decimals that
//! write that step exactly. The line charts and the scatter plots use it.

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;

/// The values plotters puts a labelled tick at on an axis from `lo` to
/// `hi` asked for at most `n` labels (what `x_labels(n)` / `y_labels(n)`
/// ask for).
pub(crate) fn tick_values(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    RangedCoordf64::from(lo..hi).key_points(n)
}

/// The fewest decimals (0 to 12) that write every multiple of `step`
/// exactly: 0 for 2 or 10, 1 for 0.5, 2 for 0.25.
pub(crate) fn step_decimals(step: f64) -> usize {
    let step = step.abs();
    if !step.is_finite() || step == 0.0 {
        return 0;
    }
    (0..=12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(12)
}

/// The decimals for the tick labels of an axis from `lo` to `hi` with at
/// most `n` labels: those of the step between plotters' ticks, or, with
/// fewer than two ticks, those of a tenth of the span.
pub(crate) fn axis_decimals(lo: f64, hi: f64, n: usize) -> usize {
    let ticks = tick_values(lo, hi, n);
    match ticks.as_slice() {
        [a, b, ..] => step_decimals(b - a),
        _ => {
            let tenth = (hi - lo).abs() / 10.0;
            (-tenth.log10().floor()).clamp(0.0, 12.0) as usize
        }
    }
}

/// `v` with `places` decimals, never "-0.0".
pub(crate) fn tick(v: f64, places: usize) -> String {
    let scale = 10f64.powi(places as i32);
    format!("{:.places$}", (v * scale).round() / scale + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_write_the_step_exactly() {
        assert_eq!(step_decimals(2.0), 0);
        assert_eq!(step_decimals(0.5), 1);
        assert_eq!(step_decimals(0.25), 2);
        assert_eq!(step_decimals(0.1 + 0.2), 1);
        assert_eq!(tick(-0.00001, 1), "0.0");
    }

    #[test]
    fn labels_of_every_axis_differ() {
        for (lo, hi, n) in [
            (-2.3, 2.4, 10),
            (0.0, 1.0, 8),
            (-0.013, 0.021, 10),
            (3.0, 90.0, 8),
        ] {
            let places = axis_decimals(lo, hi, n);
            let labels: Vec<String> = (tick_values(lo, hi, n).iter())
                .map(|&v| tick(v, places))
                .collect();
            let mut distinct = labels.clone();
            distinct.dedup();
            assert_eq!(distinct, labels, "{lo}..{hi}");
        }
    }
}
