//! A matrix of signed numbers on a diverging colour scale (the positional
//! encoding), with a colour bar.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, PathElement};
use plotters::style::ShapeStyle;
use plotters::style::text_anchor::{HPos, VPos};

use super::colour::through_stops;
use super::grids::{BAR_HEIGHT, BAR_WIDTH, GAP, Grid, LABEL_SIZE, Legend, fill, frame};
use super::matrix::{FRAME, INK};
use super::output::{format_of, save};
use super::text::{Place, label};
use super::{PlotError, input_error};
use crate::tensor::Tensor;

/// The colours of [`diverging_colour`] at -1, -0.5, 0, 0.5 and 1: blue for
/// negative, near-white for 0, red for positive (ColorBrewer's RdBu, which
/// readers with red–green colour blindness still tell apart).
const DIVERGING: [[u8; 3]; 5] = [
    [33, 102, 172],
    [146, 197, 222],
    [247, 247, 247],
    [244, 165, 130],
    [178, 24, 43],
];

/// The colour of `value` on a diverging scale from -1 (dark blue) through 0
/// (near-white) to 1 (dark red); values beyond are drawn as the nearest end,
/// NaN as mid grey.
///
/// ```
/// use encdec::viz::diverging_colour;
/// assert_eq!(diverging_colour(0.0), [247, 247, 247]);
/// assert_eq!(diverging_colour(-3.0), [33, 102, 172]);
/// ```
pub fn diverging_colour(value: f64) -> [u8; 3] {
    if value.is_nan() {
        return [128, 128, 128];
    }
    through_stops(&DIVERGING, (value + 1.0) / 2.0)
}

/// Draws a matrix of signed numbers to `path` (`.png` or `.svg`), such as the
/// positional encoding `[positions, dimensions]`: one small cell per entry
/// coloured by [`diverging_colour`] of `value / m`, where `m` is the largest
/// magnitude, with a colour bar from `-m` to `m`. Rows are named `row_name`
/// (down the left, every fifth row numbered), columns `col_name` (along the
/// top, every eighth column numbered), both counted from 0.
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; a tensor that is not 2-D or
/// has no entries; a NaN or infinite entry; a file that cannot be written.
///
/// Checked by `tests/viz/teaching.rs::the_picture_files_are_written_with_their_labels`
/// and `bad_picture_inputs_are_refused`.
pub fn diverging_heatmap(
    path: &Path,
    values: &Tensor,
    row_name: &str,
    col_name: &str,
    title: &str,
) -> Result<(), PlotError> {
    const F: &str = "diverging_heatmap";
    let format = format_of(F, path)?;
    let shape = values.shape();
    if shape.len() != 2 || values.numel() == 0 {
        let message = format!("values must be a non-empty 2-D tensor, got shape {shape:?}");
        return Err(input_error(F, message));
    }
    if let Some(k) = values.data().iter().position(|v| !v.is_finite()) {
        let at = [k / shape[1], k % shape[1]];
        let message = format!(
            "the value at {at:?} is {}; values must be finite",
            values.data()[k]
        );
        return Err(input_error(F, message));
    }
    let m = values.data().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let m = if m > 0.0 { m } else { 1.0 };
    let every = |n: usize, k: usize| -> Vec<String> {
        (0..n)
            .map(|i| {
                if i % k == 0 {
                    i.to_string()
                } else {
                    String::new()
                }
            })
            .collect()
    };
    let (rows, cols) = (every(shape[0], 5), every(shape[1], 8));
    let side = (640 / shape[1].max(shape[0]) as i32).clamp(4, 40);
    let grid = Grid {
        title,
        rows: &rows,
        cols: &cols,
        names: (row_name, col_name),
        colours: values
            .data()
            .iter()
            .map(|v| diverging_colour(v / m))
            .collect(),
        cells: None,
        cell: (side, side),
        legend: Legend::Bar(m),
    };
    save(F, path, format, &grid)
}

/// A vertical diverging colour bar with its top-left corner at `(x, y)`,
/// `m` at the top and `-m` at the bottom, ticks at `-m`, 0 and `m`.
pub(super) fn draw_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    m: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let span = (BAR_HEIGHT - 1) as f64;
    for row in 0..BAR_HEIGHT {
        let colour = diverging_colour(1.0 - 2.0 * row as f64 / span);
        fill(root, (x, y + row), (BAR_WIDTH, 1), colour)?;
    }
    frame(root, (x, y), (BAR_WIDTH, BAR_HEIGHT))?;
    for (value, row) in [(m, 0), (0.0, BAR_HEIGHT / 2), (-m, BAR_HEIGHT - 1)] {
        let ty = y + row;
        let tick = vec![(x + BAR_WIDTH, ty), (x + BAR_WIDTH + 4, ty)];
        root.draw(&PathElement::new(tick, ShapeStyle::from(&FRAME)))?;
        let place = Place::flat(HPos::Left, VPos::Center);
        let text = format!("{value:.2}");
        label(
            root,
            &text,
            (x + BAR_WIDTH + GAP + 2, ty),
            LABEL_SIZE,
            INK,
            place,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_ends_and_middle() {
        assert_eq!(diverging_colour(-1.0), DIVERGING[0]);
        assert_eq!(diverging_colour(0.0), DIVERGING[2]);
        assert_eq!(diverging_colour(1.0), DIVERGING[4]);
        assert_eq!(diverging_colour(0.25), [246, 206, 189]);
    }
}
