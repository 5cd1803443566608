//! Attention heatmaps: one matrix, or every head of a layer in a grid.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, WHITE};
use plotters::style::text_anchor::{HPos, VPos};

use super::matrix::{
    ATTENTION_CAPTION, INK, Panel, colour_bar_min_height, colour_bar_width, draw_colour_bar,
};
use super::output::{Figure, format_of, save};
use super::text::{Place, label, width as text_width};
use super::{PlotError, input_error};
use crate::tensor::Tensor;

/// Empty border around the whole picture.
const MARGIN: i32 = 20;
/// Font size of the picture's title.
const TITLE_SIZE: f64 = 20.0;
/// Gap between the title and what is below it.
const TITLE_GAP: i32 = 14;
/// Gap between the cells and the colour bar.
const BAR_GAP: i32 = 28;
/// Gaps between panels of the head grid.
const GRID_GAP: (i32, i32) = (36, 28);

/// Draws one attention matrix to `path` (`.png` or `.svg`).
///
/// `weights` has shape `[target, source]`: row `i` says how target token `i`
/// spreads its attention over the source tokens, so `src_tokens` needs one
/// entry per column and `tgt_tokens` one per row. Source tokens are written
/// along the top (reading upwards when they are wider than a cell), target
/// tokens down the left. Each cell is coloured by [`colour_scale`](super::colour_scale),
/// white for 0 to dark blue for 1, and large enough cells also show their
/// value; a colour bar with ticks every 0.2 sits on the right. Values outside
/// `[0, 1]` are drawn as the nearest end of the scale.
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; `weights` that are not
/// 2-D or have no cells; token counts that do not match the shape; a NaN
/// weight; a file that cannot be written.
pub fn attention_heatmap(
    path: &Path,
    weights: &Tensor,
    src_tokens: &[String],
    tgt_tokens: &[String],
    title: &str,
) -> Result<(), PlotError> {
    draw(
        "attention_heatmap",
        path,
        weights,
        (src_tokens, tgt_tokens),
        title,
        false,
    )
}

/// Draws every head of one multi-head attention layer to `path` (`.png` or
/// `.svg`): a grid of small heatmaps titled "head 1", "head 2", ... (two by
/// two for four heads, three columns for five to nine), all on one colour
/// scale with one shared colour bar.
///
/// `weights` has shape `[heads, target, source]`; the token lists are the
/// same for every head.
///
/// # Errors
/// As [`attention_heatmap`], with a 3-D tensor in place of a 2-D one.
pub fn attention_heads(
    path: &Path,
    weights: &Tensor,
    src_tokens: &[String],
    tgt_tokens: &[String],
    title: &str,
) -> Result<(), PlotError> {
    draw(
        "attention_heads",
        path,
        weights,
        (src_tokens, tgt_tokens),
        title,
        true,
    )
}

/// Checks and draws one heatmap (`grid == false`, weights `[target, source]`)
/// or a grid of heads (`grid == true`, weights `[heads, target, source]`).
fn draw(
    f: &'static str,
    path: &Path,
    weights: &Tensor,
    (src_tokens, tgt_tokens): (&[String], &[String]),
    title: &str,
    grid: bool,
) -> Result<(), PlotError> {
    let format = format_of(f, path)?;
    let (ndim, axes) = if grid {
        (3, "3-D tensor [heads, target, source]")
    } else {
        (2, "2-D tensor [target, source]")
    };
    if weights.ndim() != ndim {
        let message = format!("weights must be a {axes}, got shape {:?}", weights.shape());
        return Err(input_error(f, message));
    }
    check_matrix(f, weights, src_tokens, tgt_tokens)?;
    let figure = Heatmaps::new(weights, src_tokens, tgt_tokens, title, grid);
    save(f, path, format, &figure)
}

/// Width and height in pixels of the picture [`attention_heatmap`] draws
/// for these tokens and this title. The size grows with the number of
/// tokens and the width of the longest labels.
pub fn heatmap_size(src_tokens: &[String], tgt_tokens: &[String], title: &str) -> (u32, u32) {
    let shape = [tgt_tokens.len(), src_tokens.len()];
    Layout::new(&shape, src_tokens, tgt_tokens, title, false).size()
}

/// Width and height in pixels of the picture [`attention_heads`] draws for
/// `heads` heads, these tokens and this title.
pub fn heads_size(
    heads: usize,
    src_tokens: &[String],
    tgt_tokens: &[String],
    title: &str,
) -> (u32, u32) {
    let shape = [heads, tgt_tokens.len(), src_tokens.len()];
    Layout::new(&shape, src_tokens, tgt_tokens, title, true).size()
}

/// Checks the last two axes against the token lists, that there is
/// something to draw, and that no weight is NaN.
fn check_matrix(
    function: &'static str,
    weights: &Tensor,
    src: &[String],
    tgt: &[String],
) -> Result<(), PlotError> {
    let shape = weights.shape();
    let (n_tgt, n_src) = (shape[shape.len() - 2], shape[shape.len() - 1]);
    if src.len() != n_src {
        return Err(input_error(
            function,
            format!(
                "{} for weights of shape {shape:?}: expected {n_src}, one per column",
                count(src.len(), "source token")
            ),
        ));
    }
    if tgt.len() != n_tgt {
        return Err(input_error(
            function,
            format!(
                "{} for weights of shape {shape:?}: expected {n_tgt}, one per row",
                count(tgt.len(), "target token")
            ),
        ));
    }
    if weights.numel() == 0 {
        return Err(input_error(
            function,
            format!("weights of shape {shape:?} have no cells to draw"),
        ));
    }
    if let Some(k) = weights.data().iter().position(|v| v.is_nan()) {
        let mut index = vec![0; shape.len()];
        let mut rest = k;
        for axis in (0..shape.len()).rev() {
            index[axis] = rest % shape[axis];
            rest /= shape[axis];
        }
        return Err(input_error(
            function,
            format!("weight at index {index:?} is NaN; attention weights must be numbers"),
        ));
    }
    Ok(())
}

/// "1 source token", "3 source tokens".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Where everything goes; computed from the tokens and title alone, so the
/// size is known before drawing.
struct Layout {
    panel: Panel,
    heads: usize,
    cols: usize,
    rows: usize,
    title_band: i32,
    /// Left edge of the first panel: the margin, or more when a wide title
    /// makes the picture wider than its content, which is then centred.
    left: i32,
    bar_x: i32,
    bar_y: i32,
    bar_height: i32,
    width: i32,
    height: i32,
}

impl Layout {
    fn new(shape: &[usize], src: &[String], tgt: &[String], title: &str, grid: bool) -> Layout {
        let heads = if grid { shape[0] } else { 1 };
        let longest = src.len().max(tgt.len()).max(1) as i32;
        let (panel, cols) = if grid {
            let cell = (300 / longest).clamp(14, 32);
            let cols = (heads as f64).sqrt().ceil().max(1.0) as usize;
            (Panel::new(src, tgt, cell, 12.0, Some(15.0)), cols)
        } else {
            let cell = (560 / longest).clamp(20, 48);
            (Panel::new(src, tgt, cell, 15.0, None), 1)
        };
        let rows = heads.div_ceil(cols).max(1);
        let title_band = if title.is_empty() {
            0
        } else {
            TITLE_SIZE.ceil() as i32 + TITLE_GAP
        };
        let grid_w = cols as i32 * panel.width() + (cols as i32 - 1) * GRID_GAP.0;
        let grid_h = rows as i32 * panel.height() + (rows as i32 - 1) * GRID_GAP.1;
        let content = grid_w + BAR_GAP + colour_bar_width();
        let width = (content + 2 * MARGIN).max(text_width(title, TITLE_SIZE) + 2 * MARGIN);
        let left = (width - content) / 2;
        let bar_x = left + grid_w + BAR_GAP;
        let bar_y = MARGIN + title_band + panel.top;
        let cells_bottom = MARGIN + title_band + grid_h;
        let bar_height = (cells_bottom - bar_y).max(colour_bar_min_height(ATTENTION_CAPTION));
        // The lowest tick label reaches half a line below the bar.
        let height = (cells_bottom + MARGIN).max(bar_y + bar_height + 8 + MARGIN);
        Layout {
            panel,
            heads,
            cols,
            rows,
            title_band,
            left,
            bar_x,
            bar_y,
            bar_height,
            width,
            height,
        }
    }

    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }
}

/// The drawing: a layout plus the numbers and labels.
struct Heatmaps<'a> {
    layout: Layout,
    values: &'a [f64],
    src: &'a [String],
    tgt: &'a [String],
    title: &'a str,
}

impl<'a> Heatmaps<'a> {
    fn new(
        weights: &'a Tensor,
        src: &'a [String],
        tgt: &'a [String],
        title: &'a str,
        grid: bool,
    ) -> Heatmaps<'a> {
        Heatmaps {
            layout: Layout::new(weights.shape(), src, tgt, title, grid),
            values: weights.data(),
            src,
            tgt,
            title,
        }
    }
}

impl Figure for Heatmaps<'_> {
    fn size(&self) -> (u32, u32) {
        self.layout.size()
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let l = &self.layout;
        root.fill(&WHITE)?;
        if !self.title.is_empty() {
            let place = Place::flat(HPos::Center, VPos::Top);
            let centre = (l.width / 2, MARGIN);
            label(root, self.title, centre, TITLE_SIZE, INK, place)?;
        }
        let per_head = self.values.len() / l.heads;
        for (k, values) in self.values.chunks(per_head).enumerate() {
            let (row, col) = ((k / l.cols) as i32, (k % l.cols) as i32);
            debug_assert!((row as usize) < l.rows);
            let x = l.left + col * (l.panel.width() + GRID_GAP.0);
            let y = MARGIN + l.title_band + row * (l.panel.height() + GRID_GAP.1);
            let subtitle = format!("head {}", k + 1);
            l.panel
                .draw(root, (x, y), values, self.src, self.tgt, &subtitle)?;
        }
        draw_colour_bar(root, (l.bar_x, l.bar_y), l.bar_height, ATTENTION_CAPTION)
    }
}
