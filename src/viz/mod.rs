//! Pictures and pages: attention heatmaps, training curves, labelled scatter
//! plots and the explorer page, written as PNG, SVG or HTML. Every function
//! here draws the numbers it is given; none runs a model.
//!
//! | function | draws |
//! |---|---|
//! | [`attention_heatmap`] | one attention matrix `[target, source]`, source tokens along the top, target tokens down the left, a colour bar |
//! | [`attention_heads`] | every head of one multi-head attention layer `[heads, target, source]`, a small heatmap each, one shared colour bar |
//! | [`line_chart`] | per-epoch curves (loss, accuracy, ...), one line per series, with a legend |
//! | [`category_chart`] | the same lines over named categories (BLEU per length bucket, per setting) |
//! | [`mask_grid`] | an attention mask (causal `[n, n]` or padding `[batch, 1, len]`): which key each query, or each sentence of a batch, may see, with token labels and a legend |
//! | [`diverging_heatmap`] | a matrix of signed numbers (the positional encoding `[position, dimension]`) on a blue–white–red scale with a colour bar and axis names |
//! | [`log_line_chart`] | one line per series on a logarithmic y axis (the gradient norm $\lVert \partial L/\partial h_t \rVert$ over time $t$) |
//! | [`write_teaching_pictures`] | the four pictures above as the docs show them, from [`TeachingData`] |
//! | [`loss_accuracy_chart`], [`loss_accuracy_curves`] | loss on the left axis and accuracy (0–1, dashed) on the right axis, per epoch or at any points along the epochs, with a legend |
//! | [`greedy_steps_chart`] | greedy decoding (§3.2) step by step: each step's most probable words ([`crate::seq2seq::decode::greedy_steps`]) with their probabilities, the written one framed |
//! | [`explorer`] | the explorer page of one decoding ([`crate::seq2seq::decode::Exploration`]), and its attention as JSON or CSV |
//! | [`tape_page`] | the backward pass of one small computation (`encdec tape`), a node at a time: values, gradients and each `+=` with its arithmetic |
//! | [`save_data`] | the numbers a picture shows, as a small JSON file beside it, for the tests that check the docs' captions |
//! | [`scatter_labels`] | points in the plane (e.g. word vectors projected to 2-D), each with its label beside it, no two labels overlapping; optional groups, one colour each, with a legend |
//! | [`scatter_with_axes`] | the same with names on the axes (e.g. PC1, PC2) |
//! | [`show`] | a PNG or SVG file inline in an evcxr Jupyter notebook |
//!
//! The file name decides the format: `.png` gives a bitmap, `.svg` a vector
//! drawing; any other ending is refused. Everything a caller hands in (the
//! path, the shape of the weights, the token lists, the series) is checked
//! first and reported as a [`PlotError`]; nothing here panics on bad input,
//! and no file is created unless the whole picture could be drawn.
//!
//! Text is drawn with DejaVu Sans, which is compiled into the library
//! (`assets/fonts/`), so pictures render the same on a machine with no
//! system fonts and no fontconfig. It covers accented Latin letters
//! (`é`, `è`, `à`, `ç`) and the special tokens `<s>`, `</s>`, `<pad>`,
//! `<unk>`. In an SVG the text stays text, so a viewer draws it with its own
//! copy of DejaVu Sans, or with its default sans-serif face.
//!
//! ```no_run
//! use encdec::viz::{attention_heatmap, line_chart};
//! use encdec::tensor::Tensor;
//! use std::path::Path;
//!
//! let src: Vec<String> = ["the", "cat", "</s>"].map(String::from).to_vec();
//! let tgt: Vec<String> = ["le", "chat", "</s>"].map(String::from).to_vec();
//! let w = Tensor::from_vec(vec![0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.0, 0.1, 0.9], &[3, 3]);
//! attention_heatmap(Path::new("attention.png"), &w, &src, &tgt, "encoder-decoder attention")?;
//! line_chart(Path::new("loss.svg"), "training", "loss", &[("train", &[2.1, 1.3, 0.9])])?;
//! # Ok::<(), encdec::viz::PlotError>(())
//! ```

mod canvas;
mod colour;
mod curves;
mod data;
mod decoded;
mod diverging;
mod dual;
mod epoch_axes;
pub mod explorer;
mod greedy;
mod grids;
mod heatmap;
mod heatmap_layout;
mod labels;
mod log_chart;
mod matrix;
mod notebook;
mod output;
mod scatter;
pub mod tape_page;
mod teaching;
mod text;
mod ticks;

use std::fmt;
use std::path::PathBuf;

pub use colour::colour_scale;
pub use curves::{LINE_CHART_SIZE, category_chart, line_chart};
pub use data::{Value, greedy_steps_data, json, save_data};
pub use decoded::decoded_attention;
pub use diverging::{diverging_colour, diverging_heatmap};
pub use dual::{Curve, loss_accuracy_chart, loss_accuracy_curves};
pub use greedy::{greedy_steps_chart, probability_label};
pub use grids::{HIDDEN, VISIBLE, mask_grid};
pub use heatmap::{attention_heads, attention_heatmap, heads_size, heatmap_size};
pub use log_chart::{LOG_CHART_SIZE, log_line_chart};
pub use notebook::{base64, notebook_display, show};
pub use output::MAX_PNG_PIXELS;
pub use scatter::{SCATTER_SIZE, scatter_labels, scatter_with_axes};
pub use teaching::{TeachingData, write_teaching_pictures};

/// Everything that can go wrong while making a picture. The `Display` text
/// starts with the name of the public function that failed and says what
/// was wrong, e.g. `attention_heatmap: 3 source tokens for weights of shape
/// [4, 5]: expected 5`.
#[derive(Debug, Clone, PartialEq)]
pub enum PlotError {
    /// The path does not end in `.png` or `.svg`.
    Format {
        /// The public function that was called.
        function: &'static str,
        /// The path that was handed in.
        path: PathBuf,
    },
    /// The data handed in cannot be drawn: wrong shape, token count, NaN, ...
    Input {
        /// The public function that was called.
        function: &'static str,
        /// What is wrong, in words.
        message: String,
    },
    /// The picture was drawn but the file could not be written.
    Write {
        /// The public function that was called.
        function: &'static str,
        /// Where the file should have gone.
        path: PathBuf,
        /// The operating system's (or the encoder's) reason.
        message: String,
    },
    /// The drawing library itself failed; this points to a bug, not to bad input.
    Draw {
        /// The public function that was called.
        function: &'static str,
        /// The drawing library's message.
        message: String,
    },
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlotError::Format { function, path } => write!(
                f,
                "{function}: cannot choose an image format for {}: the file name must end in .png or .svg",
                path.display()
            ),
            PlotError::Input { function, message } => write!(f, "{function}: {message}"),
            PlotError::Write {
                function,
                path,
                message,
            } => write!(f, "{function}: cannot write {}: {message}", path.display()),
            PlotError::Draw { function, message } => {
                write!(f, "{function}: drawing failed: {message}")
            }
        }
    }
}

impl std::error::Error for PlotError {}

/// Shorthand for an [`PlotError::Input`] error.
fn input_error(function: &'static str, message: impl Into<String>) -> PlotError {
    PlotError::Input {
        function,
        message: message.into(),
    }
}
