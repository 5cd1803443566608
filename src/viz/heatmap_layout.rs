//! Where an attention heatmap's parts go: the panels, the title band and
//! the colour bar, computed from the tokens and the title alone so that
//! the picture's size is known before anything is drawn.

use super::matrix::{ATTENTION_CAPTION, Panel, colour_bar_min_height, colour_bar_width};
use super::text::width as text_width;

/// Empty border around the whole picture.
pub(super) const MARGIN: i32 = 20;
/// Font size of the picture's title.
pub(super) const TITLE_SIZE: f64 = 20.0;
/// Gap between the title and what is below it.
pub(super) const TITLE_GAP: i32 = 14;
/// Gap between the cells and the colour bar.
pub(super) const BAR_GAP: i32 = 28;
/// Gaps between panels of the head grid.
pub(super) const GRID_GAP: (i32, i32) = (36, 28);

/// One heatmap, or a grid of one panel per head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Panels {
    /// One `[target, source]` matrix.
    One,
    /// `[heads, target, source]`: one panel per head.
    HeadGrid,
}

/// Where everything goes; computed from the tokens and title alone, so the
/// size is known before drawing.
pub(super) struct Layout {
    pub(super) panel: Panel,
    pub(super) heads: usize,
    pub(super) cols: usize,
    pub(super) rows: usize,
    pub(super) title_band: i32,
    /// Left edge of the first panel: the margin, or more when a wide title
    /// makes the picture wider than its content, which is then centred.
    pub(super) left: i32,
    pub(super) bar_x: i32,
    pub(super) bar_y: i32,
    pub(super) bar_height: i32,
    pub(super) width: i32,
    pub(super) height: i32,
}

impl Layout {
    pub(super) fn new(
        shape: &[usize],
        src: &[String],
        tgt: &[String],
        title: &str,
        panels: Panels,
    ) -> Layout {
        let grid = panels == Panels::HeadGrid;
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

    pub(super) fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }
}
