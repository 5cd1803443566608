//! What every per-epoch chart shares: the line colours, the title with a
//! legend of line samples, and the epoch axes with their grid and ticks.

use plotters::chart::{ChartBuilder, ChartContext};
use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::element::{Circle, PathElement};
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor, WHITE};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, ShapeStyle};

use super::matrix::INK;
use super::text::{Place, font, label, width};
use super::ticks::{axis_decimals, tick};

/// Line colours, taken in turn: blue, orange, green, red, purple, brown,
/// pink, grey, olive, teal.
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

const MARGIN: i32 = 16;
const TITLE_SIZE: f64 = 20.0;
const LEGEND_SIZE: f64 = 14.0;
const LEGEND_ROW: i32 = 22;
/// Length of the line sample in front of a legend entry.
const SAMPLE: i32 = 28;
/// Space between two legend entries on one row.
pub(crate) const ENTRY_GAP: i32 = 26;

/// Lowest and highest value shown on the y axis: the data's range with 6%
/// of it added on both sides, or, when all values are equal, a tenth of the
/// value (at least 0.01) on both sides.
pub(crate) fn y_range(series: &[(&str, &[f64])]) -> (f64, f64) {
    let all = series.iter().flat_map(|(_, v)| v.iter().copied());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let span = hi - lo;
    if span <= 1e-12 * hi.abs().max(1.0) {
        let pad = 0.1 * hi.abs().max(0.1);
        (lo - pad, hi + pad)
    } else {
        (lo - 0.06 * span, hi + 0.06 * span)
    }
}

/// The label of an x tick: the epoch number, or nothing between epochs.
pub(crate) fn epoch_label(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        String::new()
    }
}

/// Splits legend entries (by width in pixels) into rows no wider than `room`.
pub(crate) fn legend_rows(widths: &[i32], room: i32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0;
    for (k, &w) in widths.iter().enumerate() {
        let row = rows.last_mut().expect("rows starts non-empty");
        if !row.is_empty() && used + ENTRY_GAP + w > room {
            rows.push(vec![k]);
            used = w;
        } else {
            used += if row.is_empty() { w } else { ENTRY_GAP + w };
            row.push(k);
        }
    }
    rows
}

/// Fills `root` white and draws `title` (if not empty) and under it a
/// legend of line samples ("—o— name", one colour each) in centred rows;
/// returns the height below them.
pub(crate) fn title_and_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    entries: &[(&str, RGBColor)],
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let full_width = root.dim_in_pixel().0 as i32;
    let mut y = MARGIN;
    if !title.is_empty() {
        let place = Place::flat(HPos::Center, VPos::Top);
        label(root, title, (full_width / 2, y), TITLE_SIZE, INK, place)?;
        y += TITLE_SIZE as i32 + 12;
    }
    let widths: Vec<i32> = (entries.iter())
        .map(|(name, _)| SAMPLE + 6 + width(name, LEGEND_SIZE))
        .collect();
    for row in legend_rows(&widths, full_width - 2 * MARGIN) {
        let total: i32 =
            row.iter().map(|&k| widths[k]).sum::<i32>() + ENTRY_GAP * (row.len() as i32 - 1);
        let mut x = (full_width - total) / 2;
        let mid = y + LEGEND_ROW / 2;
        for k in row {
            let (name, colour) = entries[k];
            let line = ShapeStyle::from(&colour).stroke_width(3);
            root.draw(&PathElement::new(vec![(x, mid), (x + SAMPLE, mid)], line))?;
            root.draw(&Circle::new((x + SAMPLE / 2, mid), 4, colour.filled()))?;
            let place = Place::flat(HPos::Left, VPos::Center);
            label(root, name, (x + SAMPLE + 6, mid), LEGEND_SIZE, INK, place)?;
            x += widths[k] + ENTRY_GAP;
        }
        y += LEGEND_ROW;
    }
    Ok(y)
}

/// Axes for curves over epochs on `area`: `x0..x1` (in epochs) along x
/// (`0.5..epochs + 0.5` for one value per epoch), `lo..hi` along y; `right`
/// leaves room for a second y axis on the right. [`epoch_mesh`] draws the
/// grid and the ticks (after a second axis, if any, is set: plotters draws
/// the first axis's ticks on both sides otherwise).
pub(crate) fn epoch_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    (x0, x1): (f64, f64),
    (lo, hi): (f64, f64),
    right: bool,
) -> Result<Plane<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    ChartBuilder::on(area)
        .margin(MARGIN)
        .margin_top(8)
        .x_label_area_size(48)
        .y_label_area_size(76)
        .right_y_label_area_size(if right { 76 } else { 0 })
        .build_cartesian_2d(x0..x1, lo..hi)
}

/// Draws the light grid of an [`epoch_chart`], its tick labels (with the
/// decimals their step needs) and the axis names "epoch" and `y_label`.
pub(crate) fn epoch_mesh<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    epochs: usize,
    y_label: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    named_mesh(chart, ("epoch", epochs, &epoch_label), y_label)
}

/// What labels a whole x of a chart.
pub(crate) type XFormat<'a> = dyn Fn(&f64) -> String + 'a;

/// [`epoch_mesh`] with another x axis: its name, the number of points
/// (at 1, 2, ...) and what each whole x is labelled.
pub(crate) fn named_mesh<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    (x_label, points, x_format): (&str, usize, &XFormat<'_>),
    y_label: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let epochs = points;
    let range = chart.y_range();
    let places = axis_decimals(range.start, range.end, 8);
    let y_format = |v: &f64| tick(*v, places);
    chart
        .configure_mesh()
        .x_labels(epochs.clamp(1, 10))
        .x_label_formatter(x_format)
        .y_labels(8)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font(13.0).color(&INK))
        .axis_desc_style(font(15.0).color(&INK))
        .y_label_formatter(&y_format)
        .max_light_lines(1)
        .light_line_style(RGBColor(240, 240, 240))
        .bold_line_style(RGBColor(210, 210, 210))
        .draw()
}

/// A chart with `f64` coordinates on both axes, as [`epoch_chart`] returns.
pub(crate) type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_range_pads_the_data() {
        let s: &[(&str, &[f64])] = &[("a", &[1.0, 2.0]), ("b", &[0.0, 3.0])];
        let (lo, hi) = y_range(s);
        assert!((lo + 0.18).abs() < 1e-12 && (hi - 3.18).abs() < 1e-12);
        let flat: &[(&str, &[f64])] = &[("a", &[2.0, 2.0])];
        let (lo, hi) = y_range(flat);
        assert!((lo - 1.8).abs() < 1e-12 && (hi - 2.2).abs() < 1e-12);
        let zero: &[(&str, &[f64])] = &[("a", &[0.0])];
        let (lo, hi) = y_range(zero);
        assert!((lo + 0.01).abs() < 1e-12 && (hi - 0.01).abs() < 1e-12);
    }

    #[test]
    fn only_whole_epochs_are_labelled() {
        assert_eq!(epoch_label(&3.0), "3");
        assert_eq!(epoch_label(&2.5), "");
    }

    #[test]
    fn legend_wraps_when_the_row_is_full() {
        assert_eq!(legend_rows(&[100, 100, 100], 400), vec![vec![0, 1, 2]]);
        assert_eq!(
            legend_rows(&[200, 200, 200], 500),
            vec![vec![0, 1], vec![2]]
        );
        assert_eq!(legend_rows(&[900], 500), vec![vec![0]]);
    }
}
