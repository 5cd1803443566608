//! The data of the docs' teaching pictures ([`crate::viz::write_teaching_pictures`]):
//! the masks of the fox sentence and of a small batch (§4.2), the
//! positional encoding (§2.1.2) and the gradient norms through time of an
//! RNN and an LSTM (§4.1). Cheap to compute: no training.
//!
//! Checked by `tests/viz/teaching.rs`, which recomputes it and checks the
//! docs' captions against it.

use crate::corpora::FOX_EN;
use crate::nn::{GradientSetup, gradient_norm_curves, positional_encoding};
use crate::tensor::Mask;
use crate::text::Tokenizer;
use crate::viz::TeachingData;

/// The batch of the padding-mask picture: three sentences of different lengths.
pub const PADDING_BATCH: [&str; 3] = [FOX_EN, "a fox jumps over the dog", "the dog sleeps"];
/// Positions and dimensions of the positional-encoding picture.
pub const PE_SHAPE: (usize, usize) = (50, 64);
/// Steps, input size, hidden size and seed of the gradient-norm picture.
pub const GRADIENT_SETUP: GradientSetup = GradientSetup {
    steps: 100,
    input: 8,
    hidden: 32,
    seed: 0,
};

/// Computes every picture's data (a few milliseconds).
///
/// # Errors
/// Never with the fixed setup; passes on [`gradient_norm_curves`]'s errors.
pub fn teaching_data() -> Result<TeachingData, String> {
    let tokenizer = Tokenizer::new(true);
    let sentence = tokenizer.tokenize(FOX_EN);
    let batch: Vec<Vec<String>> = PADDING_BATCH
        .iter()
        .map(|s| tokenizer.tokenize(s))
        .collect();
    let lengths: Vec<usize> = batch.iter().map(Vec::len).collect();
    let max_len = lengths.iter().copied().max().unwrap_or(0);
    Ok(TeachingData {
        causal: Mask::causal(sentence.len()),
        sentence,
        padding: Mask::padding(&lengths, max_len),
        batch,
        positional: positional_encoding(PE_SHAPE.0, PE_SHAPE.1),
        gradient_norms: gradient_norm_curves(GRADIENT_SETUP)?,
        hidden: GRADIENT_SETUP.hidden,
    })
}
