//! Training curves: one line per series against the epoch number.

use std::path::Path;

use plotters::coord::Shift;
use plotters::element::Circle;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor};
use plotters::series::LineSeries;
use plotters::style::{Color, ShapeStyle};

use super::epoch_axes::{PALETTE, epoch_chart, epoch_mesh, named_mesh, title_and_legend, y_range};
use super::output::{Figure, format_of, save};
use super::{PlotError, input_error};

/// Width and height in pixels of every picture [`line_chart`] draws.
pub const LINE_CHART_SIZE: (u32, u32) = (800, 500);

/// Draws per-epoch curves to `path` (`.png` or `.svg`), [`LINE_CHART_SIZE`]
/// pixels large.
///
/// Each series is a name and one value per epoch; value `k` (from 0) is
/// drawn at epoch `k + 1`. Every series gets its own colour, and a legend
/// under the title names them. The y axis spans the values with a little
/// room above and below, and is captioned `y_label`; the x axis is
/// captioned "epoch".
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; no series; a series with
/// no values; series of different lengths; a value that is NaN or infinite;
/// a file that cannot be written.
pub fn line_chart(
    path: &Path,
    title: &str,
    y_label: &str,
    series: &[(&str, &[f64])],
) -> Result<(), PlotError> {
    const F: &str = "line_chart";
    let format = format_of(F, path)?;
    let epochs = check_series(F, series)?;
    let chart = Chart {
        title,
        y_label,
        series,
        epochs,
        x: None,
    };
    save(F, path, format, &chart)
}

/// As [`line_chart`], but value `k` of each series belongs to the category
/// `categories[k]` (a length bucket, a $d_k$, a setting), which labels the
/// x axis under the caption `x_label`.
///
/// # Errors
/// As [`line_chart`], and a number of categories other than the number of
/// values per series.
pub fn category_chart(
    path: &Path,
    (title, x_label, y_label): (&str, &str, &str),
    categories: &[String],
    series: &[(&str, &[f64])],
) -> Result<(), PlotError> {
    const F: &str = "category_chart";
    let format = format_of(F, path)?;
    let epochs = check_series(F, series)?;
    if categories.len() != epochs {
        return Err(input_error(
            F,
            format!(
                "{} categories for {epochs} values per series",
                categories.len()
            ),
        ));
    }
    let chart = Chart {
        title,
        y_label,
        series,
        epochs,
        x: Some((x_label, categories)),
    };
    save(F, path, format, &chart)
}

/// Checks that there is at least one series, that every series has the
/// same number of values (at least one) and that every value is finite;
/// returns the number of epochs.
pub(crate) fn check_series(
    function: &'static str,
    series: &[(&str, &[f64])],
) -> Result<usize, PlotError> {
    let Some(&(first_name, first)) = series.first() else {
        return Err(input_error(function, "no series to draw"));
    };
    if first.is_empty() {
        return Err(input_error(
            function,
            format!("series \"{first_name}\" has no values"),
        ));
    }
    for &(name, values) in series {
        if values.len() != first.len() {
            return Err(input_error(
                function,
                format!(
                    "series \"{name}\" has {} values but \"{first_name}\" has {}; every series needs one value per epoch",
                    values.len(),
                    first.len()
                ),
            ));
        }
        if let Some(k) = values.iter().position(|v| !v.is_finite()) {
            return Err(input_error(
                function,
                format!(
                    "series \"{name}\" has the value {} at epoch {}; every value must be a finite number",
                    values[k],
                    k + 1
                ),
            ));
        }
    }
    Ok(first.len())
}

/// The checked data of one chart.
struct Chart<'a> {
    title: &'a str,
    y_label: &'a str,
    series: &'a [(&'a str, &'a [f64])],
    epochs: usize,
    /// Another x axis than epochs: its caption and one label per point.
    x: Option<(&'a str, &'a [String])>,
}

impl Figure for Chart<'_> {
    fn size(&self) -> (u32, u32) {
        LINE_CHART_SIZE
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let entries: Vec<(&str, RGBColor)> = (self.series.iter().enumerate())
            .map(|(k, (name, _))| (*name, PALETTE[k % PALETTE.len()]))
            .collect();
        let y = title_and_legend(root, self.title, &entries)?;

        let (_, plot_area) = root.split_vertically(y + 4);
        let range = y_range(self.series);
        let mut chart = epoch_chart(&plot_area, (0.5, self.epochs as f64 + 0.5), range, false)?;
        match self.x {
            None => epoch_mesh(&mut chart, self.epochs, self.y_label)?,
            Some((x_label, names)) => {
                let name = |x: &f64| {
                    let k = x.round();
                    match (k - x).abs() < 1e-9 && k >= 1.0 {
                        true => names.get(k as usize - 1).cloned().unwrap_or_default(),
                        false => String::new(),
                    }
                };
                named_mesh(&mut chart, (x_label, self.epochs, &name), self.y_label)?;
            }
        }
        for (k, (_, values)) in self.series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let points = values.iter().enumerate().map(|(i, &v)| (i as f64 + 1.0, v));
            let line = ShapeStyle::from(&colour).stroke_width(2);
            chart.draw_series(LineSeries::new(points.clone(), line))?;
            if self.epochs <= 40 {
                let dots = points.map(|p| Circle::new(p, 3, colour.filled()));
                chart.draw_series(dots)?;
            }
        }
        Ok(())
    }
}
