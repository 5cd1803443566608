//! The attention picture of one decoded output (`encdec demo`, `encdec
//! heatmap`): one heatmap when the layer has one head (the LSTM with
//! attention), every head of the layer in a grid otherwise (the Transformer).

use super::{PlotError, attention_heads, attention_heatmap};
use crate::seq2seq::config::ModelKind;
use crate::seq2seq::decode::DecodedText;
use std::path::Path;

/// Draws `t`'s attention of decoder layer `layer` (from 1; default the
/// last) to `out` (.png or .svg), titled with the model and the output.
///
/// # Errors
/// A model without attention (the plain LSTM), a layer that does not
/// exist, or the picture's own errors ([`PlotError`]); the message says
/// what to do.
pub fn decoded_attention(
    out: &Path,
    t: &DecodedText,
    layer: Option<usize>,
    kind: ModelKind,
) -> Result<(), String> {
    if t.attention.is_empty() {
        return Err(format!(
            "the {kind} model has no attention to plot; train an attention or transformer model"
        ));
    }
    let last = t.attention.len();
    let layer = layer.unwrap_or(last);
    let weights = (layer >= 1)
        .then(|| t.attention.get(layer - 1))
        .flatten()
        .ok_or_else(|| {
            format!("--layer {layer} does not exist: the model has decoder layers 1 to {last}")
        })?;
    let model = match kind {
        ModelKind::Transformer => "Transformer cross-attention",
        _ => "recurrent attention",
    };
    let title = format!("{model}: {}", t.text);
    let drawn: Result<(), PlotError> = if weights.shape()[0] == 1 {
        let (rows, cols) = (weights.shape()[1], weights.shape()[2]);
        let one = weights.reshape(&[rows, cols]);
        attention_heatmap(out, &one, &t.src_tokens, &t.tgt_tokens, &title)
    } else {
        let title = format!("{title} (layer {layer} of {last})");
        attention_heads(out, weights, &t.src_tokens, &t.tgt_tokens, &title)
    };
    drawn.map_err(|e| e.to_string())
}
