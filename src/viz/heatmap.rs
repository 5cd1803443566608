//! Attention heatmaps: one matrix, or every head of a layer in a grid.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, WHITE};
use plotters::style::text_anchor::{HPos, VPos};

use super::heatmap_layout::{GRID_GAP, Layout, MARGIN, Panels, TITLE_SIZE};
use super::matrix::{ATTENTION_CAPTION, INK, draw_colour_bar};
use super::output::{Figure, format_of, save};
use super::text::{Place, label};
use super::{PlotError, input_error};
use crate::tensor::Tensor;

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
        Panels::One,
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
        Panels::HeadGrid,
    )
}

/// Checks and draws one heatmap ([`Panels::One`], weights `[target, source]`)
/// or a grid of heads ([`Panels::HeadGrid`], weights `[heads, target, source]`).
fn draw(
    f: &'static str,
    path: &Path,
    weights: &Tensor,
    (src_tokens, tgt_tokens): (&[String], &[String]),
    title: &str,
    panels: Panels,
) -> Result<(), PlotError> {
    let format = format_of(f, path)?;
    let (ndim, axes) = match panels {
        Panels::HeadGrid => (3, "3-D tensor [heads, target, source]"),
        Panels::One => (2, "2-D tensor [target, source]"),
    };
    if weights.ndim() != ndim {
        let message = format!("weights must be a {axes}, got shape {:?}", weights.shape());
        return Err(input_error(f, message));
    }
    check_matrix(f, weights, src_tokens, tgt_tokens)?;
    let figure = Heatmaps::new(weights, src_tokens, tgt_tokens, title, panels);
    save(f, path, format, &figure)
}

/// Width and height in pixels of the picture [`attention_heatmap`] draws
/// for these tokens and this title. The size grows with the number of
/// tokens and the width of the longest labels.
pub fn heatmap_size(src_tokens: &[String], tgt_tokens: &[String], title: &str) -> (u32, u32) {
    let shape = [tgt_tokens.len(), src_tokens.len()];
    Layout::new(&shape, src_tokens, tgt_tokens, title, Panels::One).size()
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
    Layout::new(&shape, src_tokens, tgt_tokens, title, Panels::HeadGrid).size()
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
        panels: Panels,
    ) -> Heatmaps<'a> {
        Heatmaps {
            layout: Layout::new(weights.shape(), src, tgt, title, panels),
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
