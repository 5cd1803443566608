//! A labelled scatter plot: points in the plane, each with its word beside
//! it, e.g. word vectors projected to 2-D.

use std::path::Path;

use plotters::chart::ChartBuilder;
use plotters::coord::Shift;
use plotters::element::{Circle, PathElement};
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor, WHITE};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle};

use super::epoch_axes::{ENTRY_GAP, Plane, legend_rows};
use super::labels::{PAD, axis, leader, place_labels};
use super::matrix::INK;
use super::output::{Figure, format_of, save};
use super::text::{FAMILY, Place, label, width};
use super::ticks::{axis_decimals, tick};
use super::{PlotError, input_error};

/// Width and height in pixels of every picture [`scatter_labels`] draws.
pub const SCATTER_SIZE: (u32, u32) = (900, 650);

/// Group colours as `0xRRGGBB`, taken in order of first appearance and
/// reused after the eighth: blue, orange, green, red, purple, brown, pink, teal.
const PALETTE: [u32; 8] = [
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf,
];

/// The colour of group `k`.
fn colour(k: usize) -> RGBColor {
    let c = PALETTE[k % PALETTE.len()];
    RGBColor((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

const MARGIN: i32 = 16;
const TITLE_SIZE: f64 = 20.0;
const LEGEND_SIZE: f64 = 14.0;
const LEGEND_ROW: i32 = 22;
const LABEL_SIZE: f64 = 13.0;
/// Radius of a marker.
const DOT: i32 = 4;
/// Space between a marker and its label.
const GAP: i32 = 3;
/// The largest coordinate, in absolute value, that can be drawn.
const LIMIT: f64 = 1e300;

/// Draws `points` to `path` (`.png` or `.svg`), [`SCATTER_SIZE`] pixels
/// large, each point a dot with `labels[k]` beside it; the axes have no
/// names ([`scatter_with_axes`] names them).
///
/// A label goes to the right of its dot, or, where that would cover
/// another label or dot, to another side of it, or further out with a thin
/// line back to its dot: no two labels overlap unless a cluster is too
/// dense for every place tried (checked by
/// `tests/viz/labels.rs::labels_in_a_crowded_cluster_do_not_overlap`). The
/// axes span the points with room for the labels; tick labels are written
/// with as many decimals as the tick step needs. With `groups`, one group
/// name per point, each group gets a colour (in order of first appearance;
/// eight colours, reused after the eighth group) and a legend under the
/// title names them; with `None` every dot is blue and there is no legend.
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; a number of labels or
/// groups that is not the number of points; no points; a coordinate that is
/// NaN, infinite or beyond ±1e300; a file that cannot be written.
pub fn scatter_labels(
    path: &Path,
    title: &str,
    points: &[(f64, f64)],
    labels: &[String],
    groups: Option<&[String]>,
) -> Result<(), PlotError> {
    scatter_with_axes(path, title, ["", ""], points, labels, groups)
}

/// [`scatter_labels`] with names under the x axis and along the y axis,
/// `axes = [x_name, y_name]` (e.g. `["PC1 (23 % of the variance)", "PC2
/// (15 %)"]`); an empty name draws none.
///
/// # Errors
/// As [`scatter_labels`].
///
/// Checked by `tests/viz/labels.rs::scatter_axes_carry_their_names`.
pub fn scatter_with_axes(
    path: &Path,
    title: &str,
    axes: [&str; 2],
    points: &[(f64, f64)],
    labels: &[String],
    groups: Option<&[String]>,
) -> Result<(), PlotError> {
    const F: &str = "scatter_labels";
    let format = format_of(F, path)?;
    let fail = |message: String| Err(input_error(F, message));
    let n = points.len();
    let count = |k: usize, what: &str| format!("{k} {what}{}", if k == 1 { "" } else { "s" });
    if labels.len() != n {
        let (p, l) = (count(n, "point"), count(labels.len(), "label"));
        return fail(format!("{p} but {l}: every point needs one label"));
    }
    if let Some(g) = groups.filter(|g| g.len() != n) {
        let (p, g) = (count(n, "point"), count(g.len(), "group"));
        return fail(format!("{p} but {g}: give one group per point, or None"));
    }
    if n == 0 {
        return fail("no points to draw".into());
    }
    // Beyond ±1e300 the axis ranges, padded, could overflow to infinity.
    let bad = |&(x, y): &(f64, f64)| !(x.abs() <= LIMIT && y.abs() <= LIMIT);
    if let Some(k) = points.iter().position(bad) {
        let ((x, y), word) = (points[k], &labels[k]);
        let why = "every coordinate must be a finite number between -1e300 and 1e300";
        return fail(format!("point {k} ({word:?}) is ({x:?}, {y:?}); {why}"));
    }
    let mut names: Vec<&str> = Vec::new();
    let mut colour_of = vec![0; n];
    for (k, g) in groups.unwrap_or_default().iter().enumerate() {
        colour_of[k] = names.iter().position(|m| m == g).unwrap_or_else(|| {
            names.push(g);
            names.len() - 1
        });
    }
    let scatter = Scatter {
        title,
        axes,
        points,
        labels,
        names,
        colour_of,
    };
    save(F, path, format, &scatter)
}

/// The checked data of one picture.
struct Scatter<'a> {
    title: &'a str,
    /// The names of the x and y axes ("" for none).
    axes: [&'a str; 2],
    points: &'a [(f64, f64)],
    labels: &'a [String],
    /// The distinct groups in order of first appearance (none without groups).
    names: Vec<&'a str>,
    /// Each point's index into `names` and into the palette.
    colour_of: Vec<usize>,
}

impl Figure for Scatter<'_> {
    fn size(&self) -> (u32, u32) {
        SCATTER_SIZE
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let y = self.header(root)?;
        let (_, area) = root.split_vertically(y + 4);
        let height = LABEL_SIZE.ceil() as i32;
        let sizes: Vec<(i32, i32)> = (self.labels.iter())
            .map(|l| (width(l, LABEL_SIZE), height))
            .collect();
        let chart = self.axes_on(&area, &sizes)?;
        self.points(root, &chart, &sizes)
    }
}

impl Scatter<'_> {
    /// The title and, above the plot so that it hides no point, a legend of
    /// "● group" entries in centred rows; returns the height below them.
    fn header<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
        let full_width = SCATTER_SIZE.0 as i32;
        let mut y = MARGIN;
        if !self.title.is_empty() {
            let at = (full_width / 2, y);
            let place = Place::flat(HPos::Center, VPos::Top);
            label(root, self.title, at, TITLE_SIZE, INK, place)?;
            y += TITLE_SIZE as i32 + 12;
        }
        let widths: Vec<i32> = (self.names.iter())
            .map(|g| 16 + width(g, LEGEND_SIZE))
            .collect();
        for row in legend_rows(&widths, full_width - 2 * MARGIN) {
            let total: i32 = row.iter().map(|&k| widths[k] + ENTRY_GAP).sum();
            let (mut x, mid) = ((full_width - total + ENTRY_GAP) / 2, y + LEGEND_ROW / 2);
            for k in row {
                root.draw(&Circle::new((x + 5, mid), 5, colour(k).filled()))?;
                let place = Place::flat(HPos::Left, VPos::Center);
                label(root, self.names[k], (x + 16, mid), LEGEND_SIZE, INK, place)?;
                x += widths[k] + ENTRY_GAP;
            }
            y += LEGEND_ROW;
        }
        Ok(y)
    }

    /// The axes on `area`, ranged so that every label (of pixel `sizes`)
    /// fits right of its dot, with their grid, ticks and names. The plot
    /// area is measured with a dummy range first.
    fn axes_on<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        sizes: &[(i32, i32)],
    ) -> Result<Plane<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
        let builder = || {
            let mut b = ChartBuilder::on(area);
            b.margin(MARGIN).margin_top(8);
            let [x_name, y_name] = self.axes.map(|a| if a.is_empty() { 0 } else { 22 });
            b.x_label_area_size(36 + x_name)
                .y_label_area_size(64 + y_name);
            b
        };
        let (px, py) = builder()
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)?
            .plotting_area()
            .get_pixel_range();
        let (xs, ys): (Vec<f64>, Vec<f64>) = self.points.iter().copied().unzip();
        let beyond: Vec<i32> = sizes.iter().map(|s| DOT + GAP + s.0 + 2).collect();
        let (x_lo, x_hi) = axis(&xs, &beyond, px.end - px.start, PAD);
        let (y_lo, y_hi) = axis(&ys, &vec![0; ys.len()], py.end - py.start, PAD);
        let mut chart = builder().build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
        let font = FontDesc::new(FontFamily::Name(FAMILY), 13.0, FontStyle::Normal);
        let (x_places, y_places) = (axis_decimals(x_lo, x_hi, 10), axis_decimals(y_lo, y_hi, 8));
        let (x_format, y_format) = (|v: &f64| tick(*v, x_places), |v: &f64| tick(*v, y_places));
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(10)
            .y_labels(8)
            .axis_desc_style(font.clone().resize(15.0).color(&INK))
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format)
            .label_style(font.color(&INK))
            .max_light_lines(1)
            .light_line_style(RGBColor(245, 245, 245))
            .bold_line_style(RGBColor(225, 225, 225));
        if !self.axes[0].is_empty() {
            mesh.x_desc(self.axes[0]);
        }
        if !self.axes[1].is_empty() {
            mesh.y_desc(self.axes[1]);
        }
        mesh.draw()?;
        Ok(chart)
    }

    /// The dots (with a white rim, so that overlapping ones stay apart),
    /// then the labels where they do not overlap, with a thin leader line
    /// to a label placed away from its dot.
    fn points<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &Plane<'_, DB>,
        sizes: &[(i32, i32)],
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let dots: Vec<(i32, i32)> = self.points.iter().map(|p| chart.backend_coord(p)).collect();
        let (px, py) = chart.plotting_area().get_pixel_range();
        for (&dot, &k) in dots.iter().zip(&self.colour_of) {
            root.draw(&Circle::new(dot, DOT as u32 + 1, WHITE.filled()))?;
            root.draw(&Circle::new(dot, DOT as u32, colour(k).filled()))?;
        }
        let frame = [px.start, py.start, px.end, py.end];
        let place = Place::flat(HPos::Left, VPos::Top);
        let boxes = place_labels(&dots, sizes, frame, (DOT, GAP));
        let thin = RGBColor(150, 150, 150);
        for (&dot, r) in dots.iter().zip(&boxes) {
            if let Some(end) = leader(dot, r, DOT + GAP + 2) {
                root.draw(&PathElement::new(vec![dot, end], thin))?;
            }
        }
        for (r, text) in boxes.iter().zip(self.labels) {
            label(root, text, (r[0], r[1]), LABEL_SIZE, INK, place)?;
        }
        Ok(())
    }
}
