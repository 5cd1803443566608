//! Grids of coloured cells that teach: which positions a mask hides, and a
//! matrix of signed numbers (the positional encoding) on a diverging scale.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::WHITE;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor, Rectangle};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, ShapeStyle};

use super::colour::ink_on;
use super::matrix::{FRAME, INK};
use super::output::{Figure, format_of, save};
use super::text::{Place, label, max_width, width};
use super::{PlotError, input_error};
use crate::tensor::Mask;

const MARGIN: i32 = 20;
const TITLE_SIZE: f64 = 18.0;
pub(super) const LABEL_SIZE: f64 = 14.0;
const NAME_SIZE: f64 = 15.0;
pub(super) const GAP: i32 = 6;
const LEGEND_GAP: i32 = 28;
const SWATCH: i32 = 18;
pub(super) const BAR_WIDTH: i32 = 18;
pub(super) const BAR_HEIGHT: i32 = 240;

/// The colour of a position a query may attend to.
pub const VISIBLE: [u8; 3] = [44, 107, 176];
/// The colour of a hidden position (mask `true`, score set to $-\infty$).
pub const HIDDEN: [u8; 3] = [225, 225, 225];

/// Draws an attention mask to `path` (`.png` or `.svg`) as a grid: row `i`
/// is a query (or a sentence of a batch), column `j` a key position; a cell
/// is dark blue ([`VISIBLE`]) where the query may look and light grey
/// ([`HIDDEN`]) where the mask is `true`. A legend on the right names both.
///
/// The mask's last axis is the columns and its elements, row-major, fill
/// `rows.len()` rows: a causal mask `[n, n]` ([`Mask::causal`]) or a padding
/// mask `[batch, 1, max_len]` ([`Mask::padding`]) both fit. `cells`, when
/// given, holds one text per cell, written inside it (the tokens of each
/// padded sentence, say).
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; a mask with no elements;
/// label or cell counts that do not match the mask; a file that cannot be
/// written.
///
/// Checked by `tests/viz/teaching.rs::the_picture_files_are_written_with_their_labels`
/// and `bad_picture_inputs_are_refused`.
pub fn mask_grid(
    path: &Path,
    mask: &Mask,
    rows: &[String],
    cols: &[String],
    cells: Option<&[String]>,
    title: &str,
) -> Result<(), PlotError> {
    const F: &str = "mask_grid";
    let format = format_of(F, path)?;
    let shape = mask.shape();
    let n_cols = shape.last().copied().unwrap_or(0);
    let n = mask.data().len();
    if n == 0 {
        return Err(input_error(F, format!("mask of shape {shape:?} is empty")));
    }
    if cols.len() != n_cols || rows.len() * n_cols != n {
        return Err(input_error(
            F,
            format!(
                "{} row and {} column labels for a mask of shape {shape:?}: expected {} rows of {n_cols}",
                rows.len(),
                cols.len(),
                n / n_cols
            ),
        ));
    }
    if let Some(c) = cells.filter(|c| c.len() != n) {
        return Err(input_error(
            F,
            format!("{} cell texts for a mask of {n} elements", c.len()),
        ));
    }
    let colours = mask
        .data()
        .iter()
        .map(|&hidden| if hidden { HIDDEN } else { VISIBLE })
        .collect();
    let cell = if cells.is_some() { (64, 30) } else { (38, 30) };
    let grid = Grid {
        title,
        rows,
        cols,
        names: ("", ""),
        colours,
        cells,
        cell,
        legend: Legend::Swatches(vec![
            (VISIBLE, "visible (mask false)".into()),
            (HIDDEN, "hidden (mask true, score -∞)".into()),
        ]),
    };
    save(F, path, format, &grid)
}

/// What explains the colours, to the right of the grid.
pub(super) enum Legend {
    /// One coloured square per meaning.
    Swatches(Vec<([u8; 3], String)>),
    /// A diverging colour bar from `-m` to `m`.
    Bar(f64),
}

/// The checked data and layout of one grid.
pub(super) struct Grid<'a> {
    pub title: &'a str,
    pub rows: &'a [String],
    pub cols: &'a [String],
    /// The names of the row and column axes ("" for none).
    pub names: (&'a str, &'a str),
    /// One colour per cell, row by row.
    pub colours: Vec<[u8; 3]>,
    /// One text per cell, row by row, written inside it.
    pub cells: Option<&'a [String]>,
    /// Width and height of a cell.
    pub cell: (i32, i32),
    pub legend: Legend,
}

/// Fills the `size` pixels at `at` with `colour`.
pub(super) fn fill<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    (w, h): (i32, i32),
    [r, g, b]: [u8; 3],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        RGBColor(r, g, b).filled(),
    ))
}

/// Draws a one-pixel grey frame around the `size` pixels at `at`.
pub(super) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    (w, h): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = ShapeStyle::from(&FRAME).stroke_width(1);
    root.draw(&Rectangle::new([(x, y), (x + w, y + h)], style))
}

impl Grid<'_> {
    /// Whether column labels read upwards (one is wider than a cell).
    fn upright_cols(&self) -> bool {
        max_width(self.cols, LABEL_SIZE) <= self.cell.0 - 4
    }

    /// Height of the title band (0 without a title).
    fn title_band(&self) -> i32 {
        if self.title.is_empty() {
            0
        } else {
            TITLE_SIZE as i32 + 14
        }
    }

    /// Height of the column-label band above the cells.
    fn col_band(&self) -> i32 {
        if self.upright_cols() {
            LABEL_SIZE as i32
        } else {
            max_width(self.cols, LABEL_SIZE)
        }
    }

    /// Left edge and top edge of the cells.
    fn origin(&self) -> (i32, i32) {
        let band = |name: &str| i32::from(!name.is_empty()) * (NAME_SIZE as i32 + GAP);
        let left = MARGIN + band(self.names.0) + max_width(self.rows, LABEL_SIZE) + GAP;
        let top = MARGIN + self.title_band() + band(self.names.1) + self.col_band() + GAP;
        (left, top)
    }

    /// Width and height of the legend.
    fn legend_size(&self) -> (i32, i32) {
        match &self.legend {
            Legend::Swatches(s) => {
                let text = s.iter().map(|(_, t)| width(t, LABEL_SIZE)).max();
                (
                    SWATCH + GAP + text.unwrap_or(0),
                    s.len() as i32 * (SWATCH + 10),
                )
            }
            Legend::Bar(m) => {
                let text = width(&format!("{:.2}", -m), LABEL_SIZE);
                (BAR_WIDTH + GAP + 2 + text, BAR_HEIGHT + 8)
            }
        }
    }

    /// The token labels along the top and down the left, and the axis names.
    fn draw_labels<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (x0, y0) = self.origin();
        let (cw, ch) = self.cell;
        let top = Place::flat(HPos::Center, VPos::Top);
        if !self.title.is_empty() {
            let at = (self.size().0 as i32 / 2, MARGIN);
            label(root, self.title, at, TITLE_SIZE, INK, top)?;
        }
        let col_place = if self.upright_cols() {
            Place::flat(HPos::Center, VPos::Bottom)
        } else {
            Place::up(HPos::Left, VPos::Center)
        };
        for (j, text) in self.cols.iter().enumerate() {
            let at = (x0 + j as i32 * cw + cw / 2, y0 - GAP);
            label(root, text, at, LABEL_SIZE, INK, col_place)?;
        }
        for (i, text) in self.rows.iter().enumerate() {
            let at = (x0 - GAP, y0 + i as i32 * ch + ch / 2);
            let place = Place::flat(HPos::Right, VPos::Center);
            label(root, text, at, LABEL_SIZE, INK, place)?;
        }
        let (row_name, col_name) = self.names;
        if !row_name.is_empty() {
            let at = (MARGIN, y0 + self.rows.len() as i32 * ch / 2);
            let place = Place::up(HPos::Center, VPos::Top);
            label(root, row_name, at, NAME_SIZE, INK, place)?;
        }
        if !col_name.is_empty() {
            let at = (
                x0 + self.cols.len() as i32 * cw / 2,
                MARGIN + self.title_band(),
            );
            label(root, col_name, at, NAME_SIZE, INK, top)?;
        }
        Ok(())
    }
}

impl Figure for Grid<'_> {
    fn size(&self) -> (u32, u32) {
        let (x0, y0) = self.origin();
        let (legend_w, legend_h) = self.legend_size();
        let w = x0 + self.cols.len() as i32 * self.cell.0 + LEGEND_GAP + legend_w + MARGIN;
        let h = y0 + (self.rows.len() as i32 * self.cell.1).max(legend_h) + MARGIN;
        let w = w.max(width(self.title, TITLE_SIZE) + 2 * MARGIN);
        (w as u32, h as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let (x0, y0) = self.origin();
        let (cw, ch) = self.cell;
        let n_c = self.cols.len() as i32;
        // Large cells are drawn one pixel smaller, leaving white lines between them.
        let border = i32::from(cw >= 20);
        for (k, &colour) in self.colours.iter().enumerate() {
            let (x, y) = (x0 + (k as i32 % n_c) * cw, y0 + (k as i32 / n_c) * ch);
            fill(root, (x, y), (cw - border, ch - border), colour)?;
            if let Some(text) = self.cells.map(|c| &c[k]) {
                let [r, g, b] = ink_on(colour);
                let place = Place::flat(HPos::Center, VPos::Center);
                let at = (x + cw / 2, y + ch / 2);
                label(root, text, at, 13.0, RGBColor(r, g, b), place)?;
            }
        }
        frame(root, (x0, y0), (n_c * cw, self.rows.len() as i32 * ch))?;
        self.draw_labels(root)?;
        let lx = x0 + n_c * cw + LEGEND_GAP;
        match &self.legend {
            Legend::Swatches(entries) => {
                for (k, (colour, text)) in entries.iter().enumerate() {
                    let y = y0 + k as i32 * (SWATCH + 10);
                    fill(root, (lx, y), (SWATCH, SWATCH), *colour)?;
                    frame(root, (lx, y), (SWATCH, SWATCH))?;
                    let place = Place::flat(HPos::Left, VPos::Center);
                    let at = (lx + SWATCH + GAP, y + SWATCH / 2);
                    label(root, text, at, LABEL_SIZE, INK, place)?;
                }
            }
            Legend::Bar(m) => super::diverging::draw_bar(root, (lx, y0), *m)?,
        }
        Ok(())
    }
}
