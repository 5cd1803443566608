//! The main job in one command (`encdec demo`): the attention model trained
//! on the built-in English→French corpus, scored on its test split, and the
//! tutorial's fox sentence (§4.3), which training never saw, translated.

use super::options::{ParallelOptions, TrainOptions};
use super::train::{RunError, TrainOutcome, train};
use crate::corpora::FOX_EN;
use crate::seq2seq::config::ModelKind;
use crate::seq2seq::decode::{DecodedText, UnknownWords};
use crate::seq2seq::task::Task;
use crate::seq2seq::train::Progress;
use std::path::PathBuf;

/// The demo's options.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct DemoOptions {
    /// Passes over the training data.
    #[arg(long, default_value_t = 4)]
    pub epochs: usize,
    /// Seed of the corpus split, the initial weights, the batch order and dropout.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where to write the attention heatmap (.png or .svg).
    #[arg(long, default_value = "attention.png")]
    pub out: PathBuf,
    /// Also save the trained model here.
    #[arg(long)]
    pub checkpoint: Option<PathBuf>,
    /// Shards and threads of a training step.
    #[command(flatten)]
    pub parallel: ParallelOptions,
}

impl DemoOptions {
    /// The training the demo runs: the attention model on 6,000 built-in
    /// pairs with every other setting at its default.
    pub fn training(&self) -> TrainOptions {
        let mut o = TrainOptions::new(Task::Translation, ModelKind::Attention);
        o.run.epochs = self.epochs;
        o.run.seed = self.seed;
        o.run.parallel = self.parallel;
        o.files.out = self.checkpoint.clone();
        o
    }

    /// Checks the picture's path (and that it is not the checkpoint's) and
    /// the training options.
    ///
    /// # Errors
    /// As [`TrainOptions::check`], and a picture that is not .png or .svg.
    pub fn check(&self) -> Result<(), String> {
        crate::files::check_output("--out", &self.out, &["png", "svg"])?;
        if let Some(path) = &self.checkpoint {
            crate::files::check_distinct(&[("--out", &self.out), ("--checkpoint", path)], &[])?;
        }
        self.training().check()
    }
}

/// Trains as [`DemoOptions::training`] says and translates the fox
/// sentence with the best model; the caller prints the scores and draws
/// the attention ([`crate::viz::decoded_attention`]).
///
/// # Errors
/// As [`train`].
pub fn demo(
    o: &DemoOptions,
    observer: &mut dyn FnMut(Progress<'_>),
) -> Result<(TrainOutcome, DecodedText), RunError> {
    o.check()?;
    let outcome = train(&o.training(), observer)?;
    let fox = outcome
        .checkpoint
        .translator
        .decode_text(FOX_EN, 1, UnknownWords::Refuse)?;
    Ok((outcome, fox))
}
