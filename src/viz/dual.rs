//! Loss and accuracy in one picture, each on its own y axis: loss (any
//! positive size) on the left, accuracy (0 to 1) on the right, so that
//! neither is flattened by the other's scale.

use std::path::Path;

use plotters::coord::Shift;
use plotters::element::Circle;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor};
use plotters::series::{DashedLineSeries, LineSeries};
use plotters::style::{Color, ShapeStyle};

use super::curves::{LINE_CHART_SIZE, check_series};
use super::epoch_axes::{PALETTE, epoch_chart, epoch_mesh, title_and_legend, y_range};
use super::matrix::INK;
use super::output::{Figure, format_of, save};
use super::text::font;
use super::ticks::tick;
use super::{PlotError, input_error};

/// Draws per-epoch loss curves against the left axis and accuracy curves
/// (dashed) against the right axis, which always runs from 0 to 1, to
/// `path` (`.png` or `.svg`), [`LINE_CHART_SIZE`] pixels large. A legend
/// under the title names every series and its axis ("train loss (left)").
///
/// Each series is a name and one value per epoch; value `k` (from 0) is
/// drawn at epoch `k + 1`. The left axis spans the losses with a little
/// room above and below.
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; no loss or no accuracy
/// series; series of different lengths or with no values; a value that is
/// NaN or infinite; an accuracy outside `[0, 1]`; a file that cannot be
/// written.
///
/// Checked by `tests/viz/dual.rs`.
pub fn loss_accuracy_chart(
    path: &Path,
    title: &str,
    loss: &[(&str, &[f64])],
    accuracy: &[(&str, &[f64])],
) -> Result<(), PlotError> {
    const F: &str = "loss_accuracy_chart";
    let format = format_of(F, path)?;
    if loss.is_empty() || accuracy.is_empty() {
        let why = "give at least one loss series and one accuracy series";
        return Err(input_error(F, why));
    }
    let all: Vec<(&str, &[f64])> = loss.iter().chain(accuracy).copied().collect();
    let epochs = check_series(F, &all)?;
    for &(name, values) in accuracy {
        if let Some(k) = values.iter().position(|v| !(0.0..=1.0).contains(v)) {
            let v = values[k];
            let why = format!(
                "accuracy series \"{name}\" has the value {v} at epoch {}; an accuracy lies between 0 and 1",
                k + 1
            );
            return Err(input_error(F, why));
        }
    }
    let chart = Dual {
        title,
        loss,
        accuracy,
        epochs,
    };
    save(F, path, format, &chart)
}

/// The checked data of one picture.
struct Dual<'a> {
    title: &'a str,
    loss: &'a [(&'a str, &'a [f64])],
    accuracy: &'a [(&'a str, &'a [f64])],
    epochs: usize,
}

impl Figure for Dual<'_> {
    fn size(&self) -> (u32, u32) {
        LINE_CHART_SIZE
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        // Colours: losses first, accuracies after, so no two series share one.
        let colour = |k: usize| PALETTE[k % PALETTE.len()];
        let n_loss = self.loss.len();
        let names: Vec<String> = (self.loss.iter().map(|(n, _)| format!("{n} (left)")))
            .chain(
                self.accuracy
                    .iter()
                    .map(|(n, _)| format!("{n} (right, dashed)")),
            )
            .collect();
        let entries: Vec<(&str, RGBColor)> = (names.iter().enumerate())
            .map(|(k, n)| (n.as_str(), colour(k)))
            .collect();
        let y = title_and_legend(root, self.title, &entries)?;

        let (_, area) = root.split_vertically(y + 4);
        let (lo, hi) = y_range(self.loss);
        let range = (lo.max(0.0).min(hi * 0.5), hi);
        let x_range = 0.5..self.epochs as f64 + 0.5;
        let mut chart =
            epoch_chart(&area, self.epochs, range, true)?.set_secondary_coord(x_range, 0.0..1.0);
        epoch_mesh(&mut chart, self.epochs, "loss")?;
        let accuracy_format = |v: &f64| tick(*v, 1);
        chart
            .configure_secondary_axes()
            .y_labels(6)
            .y_desc("accuracy")
            .label_style(font(13.0).color(&INK))
            .axis_desc_style(font(15.0).color(&INK))
            .y_label_formatter(&accuracy_format)
            .draw()?;
        let dots = self.epochs <= 40;
        let points = |values: &[f64]| -> Vec<(f64, f64)> {
            (values.iter().enumerate())
                .map(|(i, &v)| (i as f64 + 1.0, v))
                .collect()
        };
        for (k, (_, values)) in self.loss.iter().enumerate() {
            let style = ShapeStyle::from(&colour(k)).stroke_width(2);
            chart.draw_series(LineSeries::new(points(values), style))?;
            if dots {
                let marks = points(values).into_iter();
                chart.draw_series(marks.map(|p| Circle::new(p, 3, colour(k).filled())))?;
            }
        }
        for (k, (_, values)) in self.accuracy.iter().enumerate() {
            let c = colour(n_loss + k);
            let style = ShapeStyle::from(&c).stroke_width(2);
            chart.draw_secondary_series(DashedLineSeries::new(points(values), 8, 5, style))?;
            if dots {
                let marks = points(values).into_iter();
                chart.draw_secondary_series(marks.map(|p| Circle::new(p, 3, c.filled())))?;
            }
        }
        Ok(())
    }
}
