//! Greedy decoding step by step (tutorial §3.2): at each step the
//! decoder's most probable next words with their probabilities, and the
//! one it wrote.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::WHITE;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor, Rectangle};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, ShapeStyle};

use super::colour::{colour_scale, ink_on};
use super::matrix::{INK, colour_bar_min_height, colour_bar_width, draw_colour_bar};
use super::output::{Figure, format_of, save};
use super::text::{Place, label, max_width, width};
use super::{PlotError, input_error};
use crate::seq2seq::decode::GreedyStep;

/// Draws greedy decoding's steps to `path` (`.png` or `.svg`): one row per
/// step, the candidates of that step left to right from the most probable,
/// each cell coloured by its probability (white 0 to dark blue 1, a colour
/// bar captioned "probability" beside it) and showing the word and the
/// probability; the written word has a thick orange frame.
///
/// # Errors
/// A path that does not end in `.png` or `.svg`; no steps; a step with no
/// candidates; a `chosen` index beyond its candidates; a probability that
/// is NaN or outside `[0, 1]`; a file that cannot be written.
///
/// Checked by `tests/viz/dual.rs::greedy_steps_chart_marks_the_chosen_words`.
pub fn greedy_steps_chart(path: &Path, steps: &[GreedyStep], title: &str) -> Result<(), PlotError> {
    const F: &str = "greedy_steps_chart";
    let format = format_of(F, path)?;
    if steps.is_empty() {
        return Err(input_error(F, "no steps to draw"));
    }
    for (t, s) in steps.iter().enumerate() {
        let n = s.candidates.len();
        if n == 0 || s.chosen >= n {
            let why = format!(
                "step {} has {n} candidates and chosen = {}; it needs at least one candidate and chosen below their number",
                t + 1,
                s.chosen
            );
            return Err(input_error(F, why));
        }
        if let Some((w, p)) = s.candidates.iter().find(|(_, p)| !(0.0..=1.0).contains(p)) {
            let why = format!(
                "step {}: the probability of {w:?} is {p}; a probability lies between 0 and 1",
                t + 1
            );
            return Err(input_error(F, why));
        }
    }
    save(F, path, format, &Steps::new(steps, title))
}

/// A probability with three significant digits, as the chart's cells
/// print it: 0.99712 → `0.997`, 0.00312 → `0.00312`, 0.99996 → `1.00`;
/// below 0.0001 in scientific notation (0.0000312 → `3.12e-5`), and 0 as `0`.
/// So the small probabilities of the runners-up can be read off the
/// picture instead of all showing as `0.00`.
///
/// Checked by `tests/viz/dual.rs::probability_labels_keep_three_significant_digits`.
pub fn probability_label(p: f64) -> String {
    if p <= 0.0 || !p.is_finite() {
        return format!("{p}");
    }
    if p < 1e-4 {
        return format!("{p:.2e}");
    }
    // The place of the first significant digit: 0.00312 → -3, 0.5 → -1.
    let first = p.log10().floor() as i32;
    let decimals = (2 - first).max(0) as usize;
    let text = format!("{p:.decimals$}");
    // Rounding up may add a digit (0.99996 → 1.000): keep three.
    match text.parse::<f64>() {
        Ok(r) if r >= 10f64.powi(first + 1) && decimals > 0 => format!("{p:.0$}", decimals - 1),
        _ => text,
    }
}

/// A cell's text: the word and its probability.
fn cell_text(word: &str, p: f64) -> String {
    format!("{word} {}", probability_label(p))
}

const MARGIN: i32 = 20;
const TITLE_SIZE: f64 = 20.0;
const TEXT_SIZE: f64 = 14.0;
const ROW: i32 = 34;
const BAR_GAP: i32 = 28;
const CAPTION: &str = "probability";
/// The frame of the written word.
const CHOSEN: RGBColor = RGBColor(230, 97, 1);

/// Sizes of the picture, computed from the data alone.
struct Steps<'a> {
    steps: &'a [GreedyStep],
    title: &'a str,
    /// Width of the step-label column, cell width, number of columns.
    left: i32,
    cell: i32,
    cols: usize,
    top: i32,
    size: (u32, u32),
}

impl<'a> Steps<'a> {
    fn new(steps: &'a [GreedyStep], title: &'a str) -> Steps<'a> {
        let cols = steps.iter().map(|s| s.candidates.len()).max().unwrap_or(1);
        let cells = steps.iter().flat_map(|s| s.candidates.iter());
        let widest = cells
            .map(|(w, p)| width(&cell_text(w, *p), TEXT_SIZE))
            .max();
        let cell = widest.unwrap_or(0).max(60) + 16;
        let labels: Vec<String> = (1..=steps.len()).map(|t| format!("step {t}")).collect();
        let left = MARGIN + max_width(&labels, TEXT_SIZE) + 10;
        let title_band = if title.is_empty() {
            0
        } else {
            TITLE_SIZE as i32 + 14
        };
        let top = MARGIN + title_band + TEXT_SIZE as i32 + 8;
        let cells_h = steps.len() as i32 * ROW;
        let content_w = left + cols as i32 * cell + BAR_GAP + colour_bar_width() + MARGIN;
        let w = content_w.max(width(title, TITLE_SIZE) + 2 * MARGIN);
        let h = top + cells_h.max(colour_bar_min_height(CAPTION)) + MARGIN + 8;
        Steps {
            steps,
            title,
            left,
            cell,
            cols,
            top,
            size: (w as u32, h as u32),
        }
    }
}

impl Figure for Steps<'_> {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let centre = Place::flat(HPos::Center, VPos::Center);
        if !self.title.is_empty() {
            let at = (self.size.0 as i32 / 2, MARGIN);
            let place = Place::flat(HPos::Center, VPos::Top);
            label(root, self.title, at, TITLE_SIZE, INK, place)?;
        }
        let (left, cell, top) = (self.left, self.cell, self.top);
        for c in 0..self.cols {
            let at = (left + c as i32 * cell + cell / 2, top - 6);
            let place = Place::flat(HPos::Center, VPos::Bottom);
            let rank = format!("rank {}", c + 1);
            label(root, &rank, at, TEXT_SIZE - 1.0, INK, place)?;
        }
        for (t, step) in self.steps.iter().enumerate() {
            let y = top + t as i32 * ROW;
            let place = Place::flat(HPos::Right, VPos::Center);
            let name = format!("step {}", t + 1);
            label(root, &name, (left - 10, y + ROW / 2), TEXT_SIZE, INK, place)?;
            for (c, (word, p)) in step.candidates.iter().enumerate() {
                let x = left + c as i32 * cell;
                let [r, g, b] = colour_scale(*p);
                let fill = RGBColor(r, g, b).filled();
                root.draw(&Rectangle::new([(x, y), (x + cell, y + ROW)], fill))?;
                let [r, g, b] = ink_on([r, g, b]);
                let text = cell_text(word, *p);
                let at = (x + cell / 2, y + ROW / 2);
                label(root, &text, at, TEXT_SIZE, RGBColor(r, g, b), centre)?;
            }
            let x = left + step.chosen as i32 * cell;
            let frame = ShapeStyle::from(&CHOSEN).stroke_width(3);
            root.draw(&Rectangle::new(
                [(x + 1, y + 1), (x + cell - 1, y + ROW - 1)],
                frame,
            ))?;
        }
        let bar_x = left + self.cols as i32 * cell + BAR_GAP;
        let bar_h = (self.steps.len() as i32 * ROW).max(colour_bar_min_height(CAPTION));
        draw_colour_bar(root, (bar_x, top), bar_h, CAPTION)
    }
}
