//! Drawing one labelled matrix of cells and the colour bar beside it.
//!
//! Coordinates are pixels on the whole picture, `x` to the right and `y`
//! downwards. A panel is laid out as
//!
//! ```text
//!            [ subtitle, e.g. "head 1" ]
//!            [ source labels, upright or reading upwards ]
//! [ target ] [ cells: row i = target token i, column j = source token j ]
//! [ labels ] [                                                          ]
//! ```

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor, Rectangle};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, ShapeStyle};

use super::colour::{colour_scale, ink_on};
use super::text::{Place, label, max_width, width};

/// Grey of frames and tick marks.
pub(crate) const FRAME: RGBColor = RGBColor(90, 90, 90);
/// Colour of all labels.
pub(crate) const INK: RGBColor = RGBColor(20, 20, 20);

/// Gap between labels and the cells, in pixels.
const LABEL_GAP: i32 = 6;
/// Gap below a panel's subtitle.
const SUBTITLE_GAP: i32 = 8;

/// Sizes and label placement of one matrix panel.
#[derive(Clone, Debug)]
pub(crate) struct Panel {
    /// Side of one square cell.
    pub cell: i32,
    /// Font size of the token labels.
    pub label_size: f64,
    /// Font size of the subtitle (when there is one).
    pub subtitle_size: f64,
    /// Whether the panel has a subtitle line.
    pub has_subtitle: bool,
    /// Whether each cell shows its value as text.
    pub show_values: bool,
    /// Whether the source labels read upwards (they do when one of them is
    /// wider than a cell).
    pub upright_src: bool,
    /// Width of the target-label column, gap included.
    pub left: i32,
    /// Height of the subtitle and source-label band above the cells.
    pub top: i32,
    /// Number of source tokens (columns).
    pub n_src: usize,
    /// Number of target tokens (rows).
    pub n_tgt: usize,
}

impl Panel {
    /// Lays out a panel for these tokens with cells of side `cell`.
    pub(crate) fn new(
        src: &[String],
        tgt: &[String],
        cell: i32,
        label_size: f64,
        subtitle_size: Option<f64>,
    ) -> Panel {
        let widest_src = max_width(src, label_size);
        let upright_src = widest_src <= cell - 4;
        let src_band = if upright_src {
            label_size.ceil() as i32
        } else {
            widest_src
        };
        let sub_band = subtitle_size.map_or(0, |s| s.ceil() as i32 + SUBTITLE_GAP);
        Panel {
            cell,
            label_size,
            subtitle_size: subtitle_size.unwrap_or(0.0),
            has_subtitle: subtitle_size.is_some(),
            show_values: cell >= 36,
            upright_src,
            left: max_width(tgt, label_size) + LABEL_GAP + 2,
            top: sub_band + src_band + LABEL_GAP,
            n_src: src.len(),
            n_tgt: tgt.len(),
        }
    }

    /// Total width: label column plus cells.
    pub(crate) fn width(&self) -> i32 {
        self.left + self.n_src as i32 * self.cell
    }

    /// Total height: subtitle, label band and cells.
    pub(crate) fn height(&self) -> i32 {
        self.top + self.n_tgt as i32 * self.cell
    }

    /// Draws the panel with its top-left corner at `(x, y)`. `values` holds
    /// `n_tgt * n_src` numbers, row by row.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
        values: &[f64],
        src: &[String],
        tgt: &[String],
        subtitle: &str,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (x0, y0) = (x + self.left, y + self.top);
        let c = self.cell;
        if self.has_subtitle {
            let centre = x0 + self.n_src as i32 * c / 2;
            let place = Place::flat(HPos::Center, VPos::Top);
            label(root, subtitle, (centre, y), self.subtitle_size, INK, place)?;
        }
        for (i, row) in values.chunks(self.n_src).enumerate() {
            for (j, &v) in row.iter().enumerate() {
                let (cx, cy) = (x0 + j as i32 * c, y0 + i as i32 * c);
                let [r, g, b] = colour_scale(v);
                let fill = RGBColor(r, g, b).filled();
                root.draw(&Rectangle::new([(cx, cy), (cx + c, cy + c)], fill))?;
                if self.show_values {
                    let [r, g, b] = ink_on([r, g, b]);
                    let text = format!("{:.2}", v.clamp(0.0, 1.0));
                    let centre = (cx + c / 2, cy + c / 2);
                    let place = Place::flat(HPos::Center, VPos::Center);
                    label(root, &text, centre, 12.0, RGBColor(r, g, b), place)?;
                }
            }
        }
        let frame = ShapeStyle::from(&FRAME).stroke_width(1);
        let (x1, y1) = (x0 + self.n_src as i32 * c, y0 + self.n_tgt as i32 * c);
        root.draw(&Rectangle::new([(x0, y0), (x1, y1)], frame))?;
        for (j, token) in src.iter().enumerate() {
            let centre = x0 + j as i32 * c + c / 2;
            let (point, place) = if self.upright_src {
                let point = (centre, y0 - LABEL_GAP);
                (point, Place::flat(HPos::Center, VPos::Bottom))
            } else {
                (
                    (centre, y0 - LABEL_GAP),
                    Place::up(HPos::Left, VPos::Center),
                )
            };
            label(root, token, point, self.label_size, INK, place)?;
        }
        for (i, token) in tgt.iter().enumerate() {
            let point = (x0 - LABEL_GAP, y0 + i as i32 * c + c / 2);
            let place = Place::flat(HPos::Right, VPos::Center);
            label(root, token, point, self.label_size, INK, place)?;
        }
        Ok(())
    }
}

/// Font size of the colour bar's tick labels and caption.
const BAR_FONT: f64 = 13.0;
/// Width of the coloured strip.
const BAR_WIDTH: i32 = 18;
/// Length of a tick mark.
const TICK: i32 = 5;
/// The caption the attention heatmaps write along their colour bar.
pub(crate) const ATTENTION_CAPTION: &str = "attention weight";
/// The values that get a tick and a label.
const TICKS: [f64; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];

/// Horizontal room the colour bar takes, from its left edge to the end of
/// its caption.
pub(crate) fn colour_bar_width() -> i32 {
    BAR_WIDTH + TICK + 4 + width("0.0", BAR_FONT) + 10 + BAR_FONT.ceil() as i32
}

/// Smallest height the colour bar captioned `caption` is drawn at, so its
/// labels never crowd.
pub(crate) fn colour_bar_min_height(caption: &str) -> i32 {
    width(caption, BAR_FONT) + 40
}

/// Draws a vertical colour bar from 0 (bottom) to 1 (top), `height` pixels
/// tall, with its top-left corner at `(x, y)`, ticks every 0.2 and
/// `caption` written along it (what the colours mean).
pub(crate) fn draw_colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    height: i32,
    caption: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let span = (height - 1).max(1) as f64;
    for row in 0..height {
        let [r, g, b] = colour_scale(1.0 - row as f64 / span);
        let fill = RGBColor(r, g, b).filled();
        root.draw(&Rectangle::new(
            [(x, y + row), (x + BAR_WIDTH, y + row + 1)],
            fill,
        ))?;
    }
    let frame = ShapeStyle::from(&FRAME).stroke_width(1);
    root.draw(&Rectangle::new(
        [(x, y), (x + BAR_WIDTH, y + height)],
        frame,
    ))?;
    let right = x + BAR_WIDTH;
    for t in TICKS {
        let ty = y + ((1.0 - t) * span).round() as i32;
        root.draw(&plotters::element::PathElement::new(
            vec![(right, ty), (right + TICK, ty)],
            frame,
        ))?;
        let place = Place::flat(HPos::Left, VPos::Center);
        let text = format!("{t:.1}");
        label(root, &text, (right + TICK + 4, ty), BAR_FONT, INK, place)?;
    }
    let caption_x = right + TICK + 4 + width("0.0", BAR_FONT) + 10;
    let place = Place::up(HPos::Center, VPos::Top);
    label(
        root,
        caption,
        (caption_x, y + height / 2),
        BAR_FONT,
        INK,
        place,
    )
}
