//! Lines on a logarithmic y axis, for quantities that shrink geometrically
//! (a gradient's norm through time): a straight falling line is a constant
//! factor lost per step.

use std::path::Path;

use plotters::chart::{ChartBuilder, SeriesLabelPosition};
use plotters::coord::Shift;
use plotters::element::PathElement;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor, WHITE};
use plotters::series::LineSeries;
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, ShapeStyle};

use super::epoch_axes::PALETTE;
use super::matrix::INK;
use super::output::{Figure, format_of, save};
use super::text::FAMILY;
use super::{PlotError, input_error};

/// Width and height in pixels of every picture [`log_line_chart`] draws.
pub const LOG_CHART_SIZE: (u32, u32) = (800, 500);

/// Draws one line per series to `path` (`.png` or `.svg`) with a
/// logarithmic y axis, [`LOG_CHART_SIZE`] pixels large.
///
/// Value `k` (from 0) of every series is drawn at `x = k + 1`, so a series
/// indexed by time step $t = 1, \dots, T$ lands on its own step. The y axis
/// spans the smallest to the largest value, widened to whole powers of ten
/// and labelled `1e-6`, `1e-5`, ...; the axes are captioned `x_label` and
/// `y_label`, and a legend in the lower right names the series (one colour
/// each, the palette of [`line_chart`](super::line_chart)).
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; no series; a series with
/// no values; series of different lengths; a value that is not a positive
/// finite number (a log axis has no place for 0); a file that cannot be
/// written.
///
/// Checked by `tests/viz/teaching.rs::the_picture_files_are_written_with_their_labels`
/// and `bad_picture_inputs_are_refused`.
pub fn log_line_chart(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(&str, &[f64])],
) -> Result<(), PlotError> {
    const F: &str = "log_line_chart";
    let format = format_of(F, path)?;
    let n = series.first().map_or(0, |(_, v)| v.len());
    if n == 0 {
        return Err(input_error(F, "no values to draw"));
    }
    for &(name, values) in series {
        if values.len() != n {
            let message = format!(
                "series \"{name}\" has {} values, the first series {n}; every series needs one value per step",
                values.len()
            );
            return Err(input_error(F, message));
        }
        if let Some(k) = values.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            let message = format!(
                "series \"{name}\" has the value {} at x = {}; a log axis needs positive finite numbers",
                values[k],
                k + 1
            );
            return Err(input_error(F, message));
        }
    }
    let chart = LogChart {
        title,
        labels: (x_label, y_label),
        series,
        n,
    };
    save(F, path, format, &chart)
}

/// The checked data of one chart.
struct LogChart<'a> {
    title: &'a str,
    labels: (&'a str, &'a str),
    series: &'a [(&'a str, &'a [f64])],
    n: usize,
}

/// The y range as exponents of ten: the data's $\log_{10}$ range widened
/// outwards to whole numbers (the chart is drawn in $\log_{10}$ of the values).
fn decades(series: &[(&str, &[f64])]) -> (f64, f64) {
    let all = series.iter().flat_map(|(_, v)| v.iter().copied());
    let (lo, hi) = all.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (lo, hi) = (lo.log10().floor(), hi.log10().ceil());
    if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

/// `1e-6` at exponent -6: the label of a whole exponent, or nothing between them.
fn power_label(e: &f64) -> String {
    if (e - e.round()).abs() < 1e-9 {
        format!("1e{}", e.round() as i64)
    } else {
        String::new()
    }
}

impl Figure for LogChart<'_> {
    fn size(&self) -> (u32, u32) {
        LOG_CHART_SIZE
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let font = |size: f64| FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Normal);
        let (lo, hi) = decades(self.series);
        let mut chart = ChartBuilder::on(root)
            .caption(self.title, font(19.0).color(&INK))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(0.5..self.n as f64 + 0.5, lo..hi)?;
        let whole = |v: &f64| format!("{v:.0}");
        chart
            .configure_mesh()
            .x_desc(self.labels.0)
            .y_desc(self.labels.1)
            .x_label_formatter(&whole)
            .y_labels((hi - lo) as usize + 1)
            .y_label_formatter(&power_label)
            .label_style(font(13.0).color(&INK))
            .axis_desc_style(font(15.0).color(&INK))
            .light_line_style(RGBColor(240, 240, 240))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;
        for (k, (name, values)) in self.series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let points = (values.iter().enumerate()).map(|(i, &v)| (i as f64 + 1.0, v.log10()));
            let line = ShapeStyle::from(&colour).stroke_width(2);
            chart
                .draw_series(LineSeries::new(points, line))?
                .label(*name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], line));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(font(14.0).color(&INK))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(180, 180, 180))
            .draw()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_whole_decades() {
        let s: &[(&str, &[f64])] = &[("a", &[3e-7, 0.5]), ("b", &[2.0])];
        assert_eq!(decades(s), (-7.0, 1.0));
        let one: &[(&str, &[f64])] = &[("a", &[1.0])];
        assert_eq!(decades(one), (-1.0, 1.0));
    }

    #[test]
    fn only_powers_of_ten_are_labelled() {
        assert_eq!(power_label(&-6.0), "1e-6");
        assert_eq!(power_label(&2.0), "1e2");
        assert_eq!(power_label(&-5.5), "");
    }
}
