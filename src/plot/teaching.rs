//! The pictures of the docs that explain an idea rather than a trained model:
//! the causal and padding masks (§4.2), the positional encoding (§2.1.2) and
//! the gradient norm through time of an RNN and an LSTM (§4.1). Their data
//! is cheap to compute (no training), so a test recomputes it and checks the
//! captions' claims (`tests/teaching_pictures.rs`).

use std::path::{Path, PathBuf};

use super::{PlotError, diverging_heatmap, log_line_chart, mask_grid};
use crate::corpora::FOX_EN;
use crate::nn::positional_encoding;
use crate::nn::{Activation, Lstm, Rnn, lstm_hidden_gradient_norms, rnn_hidden_gradient_norms};
use crate::tensor::{Mask, Tensor, rng};
use crate::text::Tokenizer;

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

/// The setup of [`gradient_norm_curves`].
#[derive(Clone, Copy, Debug)]
pub struct GradientSetup {
    /// Sequence length $T$.
    pub steps: usize,
    /// Size of each input $x_t$.
    pub input: usize,
    /// Hidden size of both layers.
    pub hidden: usize,
    /// Seed of the weights and of the inputs.
    pub seed: u64,
}

/// Everything the teaching pictures show.
#[derive(Clone, Debug)]
pub struct TeachingData {
    /// The fox sentence, tokenized: the queries and keys of the causal mask.
    pub sentence: Vec<String>,
    /// [`Mask::causal`] of the sentence, `[n, n]`.
    pub causal: Mask,
    /// The tokens of each sentence of [`PADDING_BATCH`].
    pub batch: Vec<Vec<String>>,
    /// [`Mask::padding`] of the batch, `[3, 1, max_len]`.
    pub padding: Mask,
    /// [`positional_encoding`] of shape [`PE_SHAPE`].
    pub positional: Tensor,
    /// $\lVert \partial L/\partial h_t \rVert$ for $t = 1..T$, one series per
    /// model, named as the picture's legend names them.
    pub gradient_norms: Vec<(String, Vec<f64>)>,
}

impl TeachingData {
    /// Computes every picture's data (a few milliseconds).
    ///
    /// # Errors
    /// Never with the fixed setup; passes on [`gradient_norm_curves`]'s errors.
    pub fn new() -> Result<TeachingData, String> {
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
        })
    }
}

/// The gradient norms through time of three layers on one random sequence
/// ($x_t \sim N(0, 1)$, `[1, steps, input]`): an RNN with tanh and an LSTM,
/// both with PyTorch's initialisation $U(-1/\sqrt{H}, 1/\sqrt{H})$, and the same
/// LSTM with 1 added to its forget gate's bias, as Keras's `LSTM` does by
/// default (`unit_forget_bias=True`). See [`rnn_hidden_gradient_norms`].
///
/// # Errors
/// An `input` or `steps` of 0.
pub fn gradient_norm_curves(setup: GradientSetup) -> Result<Vec<(String, Vec<f64>)>, String> {
    let GradientSetup {
        steps,
        input,
        hidden,
        seed,
    } = setup;
    let mut r = rng(seed);
    let rnn = Rnn::new("rnn", input, hidden, Activation::Tanh, &mut r);
    let lstm = Lstm::new("lstm", input, hidden, &mut r);
    let mut keras = lstm.clone();
    // The gates are stacked i, f, g, o: the forget gate's rows are hidden..2 hidden.
    for b in &mut keras.weights.bias_ih.value.data_mut()[hidden..2 * hidden] {
        *b += 1.0;
    }
    let x = Tensor::randn(&[1, steps, input], 0.0, 1.0, &mut r);
    Ok(vec![
        ("RNN (tanh)".into(), rnn_hidden_gradient_norms(&rnn, &x)?),
        ("LSTM".into(), lstm_hidden_gradient_norms(&lstm, &x)?),
        (
            "LSTM, forget-gate bias +1 (Keras)".into(),
            lstm_hidden_gradient_norms(&keras, &x)?,
        ),
    ])
}

/// Writes the four teaching pictures into `dir` as `extension` (`"png"` or
/// `"svg"`): `causal_mask`, `padding_mask`, `positional_encoding` and
/// `gradient_norms`. Returns the paths written.
///
/// # Errors
/// An extension other than `png` or `svg`, or a file that cannot be written.
///
/// Checked by `tests/teaching_pictures.rs::the_picture_files_are_written_with_their_labels`;
/// the captions of the docs by `mask_captions_match_the_masks`,
/// `positional_encoding_captions_match_the_matrix` and `gradient_captions_match_the_norms`.
pub fn write_teaching_pictures(
    dir: &Path,
    data: &TeachingData,
    extension: &str,
) -> Result<Vec<PathBuf>, PlotError> {
    let file = |name: &str| dir.join(format!("{name}.{extension}"));
    let paths = [
        "causal_mask",
        "padding_mask",
        "positional_encoding",
        "gradient_norms",
    ]
    .map(file);
    let words = &data.sentence;
    mask_grid(
        &paths[0],
        &data.causal,
        words,
        words,
        None,
        "causal mask: query (row) i sees keys (columns) j ≤ i",
    )?;
    let max_len = data.padding.shape()[2];
    let rows: Vec<String> = (data.batch.iter().enumerate())
        .map(|(b, s)| format!("sentence {} ({} tokens)", b + 1, s.len()))
        .collect();
    let cols: Vec<String> = (0..max_len).map(|j| format!("key {j}")).collect();
    let cells: Vec<String> = (data.batch.iter())
        .flat_map(|s| (0..max_len).map(|j| s.get(j).map_or("<pad>", String::as_str).to_string()))
        .collect();
    mask_grid(
        &paths[1],
        &data.padding,
        &rows,
        &cols,
        Some(&cells),
        "padding mask of a batch: <pad> keys are hidden from every query",
    )?;
    diverging_heatmap(
        &paths[2],
        &data.positional,
        "position",
        "dimension",
        &format!(
            "sinusoidal positional encoding PE[position, dimension], d_model = {}",
            PE_SHAPE.1
        ),
    )?;
    let series: Vec<(&str, &[f64])> = (data.gradient_norms.iter())
        .map(|(name, v)| (name.as_str(), v.as_slice()))
        .collect();
    let GradientSetup { steps, hidden, .. } = GRADIENT_SETUP;
    log_line_chart(
        &paths[3],
        &format!("‖∂L/∂h_t‖, loss on the last hidden state only (T = {steps}, H = {hidden})"),
        "time step t",
        "gradient norm ‖∂L/∂h_t‖ (log scale)",
        &series,
    )?;
    Ok(paths.to_vec())
}
