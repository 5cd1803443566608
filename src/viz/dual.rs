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

/// A named curve: `(x, y)` points, x in epochs.
pub type Curve<'a> = (&'a str, Vec<(f64, f64)>);

/// Series with more points than this are drawn as lines without dots.
const MAX_DOTS: usize = 40;

/// Draws per-epoch loss curves against the left axis and accuracy curves
/// (dashed) against the right axis, which always runs from 0 to 1, to
/// `path` (`.png` or `.svg`), [`LINE_CHART_SIZE`] pixels large. A legend
/// under the title names every series and its axis ("train loss (left)").
///
/// Each series is a name and one value per epoch; value `k` (from 0) is
/// drawn at epoch `k + 1`. The left axis spans the losses with a little
/// room above and below. [`loss_accuracy_curves`] draws the same picture
/// from points anywhere along the epochs.
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
    format_of(F, path)?;
    both_kinds(F, loss.len(), accuracy.len())?;
    let all: Vec<(&str, &[f64])> = loss.iter().chain(accuracy).copied().collect();
    check_series(F, &all)?;
    let (loss, accuracy) = (per_epoch(loss), per_epoch(accuracy));
    checked_draw(F, path, title, (&loss, &accuracy))
}

/// [`loss_accuracy_chart`] from points: each series is a name and `(x, y)`
/// points in the order drawn, x in epochs (2.5 is halfway through the third
/// epoch), so that one series can hold a point every few batches and
/// another one per epoch. A series of more than 40 points is drawn without
/// dots. The x axis runs from half an epoch before the first point (but not
/// below 0) to half an epoch after the last.
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; no loss or no accuracy
/// series; a series with no points; a coordinate that is NaN or infinite;
/// an accuracy outside `[0, 1]`; a file that cannot be written.
///
/// Checked by `tests/viz/dual.rs::curves_take_points_between_epochs`.
pub fn loss_accuracy_curves(
    path: &Path,
    title: &str,
    loss: &[Curve<'_>],
    accuracy: &[Curve<'_>],
) -> Result<(), PlotError> {
    const F: &str = "loss_accuracy_curves";
    format_of(F, path)?;
    both_kinds(F, loss.len(), accuracy.len())?;
    for (name, points) in loss.iter().chain(accuracy) {
        if points.is_empty() {
            return Err(input_error(F, format!("series \"{name}\" has no points")));
        }
        if let Some((x, y)) = points
            .iter()
            .find(|(x, y)| !x.is_finite() || !y.is_finite())
        {
            let why = format!(
                "series \"{name}\" has the point ({x}, {y}); every coordinate must be a finite number"
            );
            return Err(input_error(F, why));
        }
    }
    checked_draw(F, path, title, (loss, accuracy))
}

/// One value per epoch as points at epochs 1, 2, ...
fn per_epoch<'a>(series: &[(&'a str, &[f64])]) -> Vec<Curve<'a>> {
    let points = |v: &[f64]| {
        (v.iter().enumerate())
            .map(|(i, &y)| (i as f64 + 1.0, y))
            .collect()
    };
    series.iter().map(|&(name, v)| (name, points(v))).collect()
}

/// Refuses a picture without a loss or without an accuracy series.
fn both_kinds(f: &'static str, loss: usize, accuracy: usize) -> Result<(), PlotError> {
    if loss == 0 || accuracy == 0 {
        let why = "give at least one loss series and one accuracy series";
        return Err(input_error(f, why));
    }
    Ok(())
}

/// Checks that every accuracy lies in `[0, 1]`, then draws.
fn checked_draw(
    f: &'static str,
    path: &Path,
    title: &str,
    (loss, accuracy): (&[Curve<'_>], &[Curve<'_>]),
) -> Result<(), PlotError> {
    for (name, points) in accuracy {
        if let Some((x, v)) = points.iter().find(|(_, v)| !(0.0..=1.0).contains(v)) {
            let why = format!(
                "accuracy series \"{name}\" has the value {v} at epoch {x}; an accuracy lies between 0 and 1"
            );
            return Err(input_error(f, why));
        }
    }
    let xs = loss
        .iter()
        .chain(accuracy)
        .flat_map(|(_, p)| p.iter().map(|q| q.0));
    let (first, last) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    let x0 = if first >= 0.0 {
        (first - 0.5).max(0.0)
    } else {
        first - 0.5
    };
    let chart = Dual {
        title,
        loss,
        accuracy,
        x: (x0, last + 0.5),
    };
    save(f, path, format_of(f, path)?, &chart)
}

/// The checked data of one picture.
struct Dual<'a> {
    title: &'a str,
    loss: &'a [Curve<'a>],
    accuracy: &'a [Curve<'a>],
    /// The x axis, in epochs.
    x: (f64, f64),
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
        let ys: Vec<f64> = self
            .loss
            .iter()
            .flat_map(|(_, p)| p.iter().map(|q| q.1))
            .collect();
        let (lo, hi) = y_range(&[("loss", &ys)]);
        let range = (lo.max(0.0).min(hi * 0.5), hi);
        let (x0, x1) = self.x;
        let mut chart =
            epoch_chart(&area, self.x, range, true)?.set_secondary_coord(x0..x1, 0.0..1.0);
        epoch_mesh(&mut chart, x1.floor().max(1.0) as usize, "loss")?;
        let accuracy_format = |v: &f64| tick(*v, 1);
        chart
            .configure_secondary_axes()
            .y_labels(6)
            .y_desc("accuracy")
            .label_style(font(13.0).color(&INK))
            .axis_desc_style(font(15.0).color(&INK))
            .y_label_formatter(&accuracy_format)
            .draw()?;
        for (k, (_, points)) in self.loss.iter().enumerate() {
            let style = ShapeStyle::from(&colour(k)).stroke_width(2);
            chart.draw_series(LineSeries::new(points.iter().copied(), style))?;
            chart.draw_series(dots(points, colour(k)))?;
        }
        for (k, (_, points)) in self.accuracy.iter().enumerate() {
            let c = colour(n_loss + k);
            let style = ShapeStyle::from(&c).stroke_width(2);
            let line = DashedLineSeries::new(points.iter().copied(), 8, 5, style);
            chart.draw_secondary_series(line)?;
            chart.draw_secondary_series(dots(points, c))?;
        }
        Ok(())
    }
}

/// A dot on every point of a curve of at most [`MAX_DOTS`] points, none on a longer one.
fn dots(points: &[(f64, f64)], colour: RGBColor) -> Vec<Circle<(f64, f64), i32>> {
    if points.len() > MAX_DOTS {
        return Vec::new();
    }
    points
        .iter()
        .map(|&p| Circle::new(p, 3, colour.filled()))
        .collect()
}
