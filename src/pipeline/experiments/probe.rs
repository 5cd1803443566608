//! What the experiments measure inside a model on one batch: how saturated
//! its attention is and how large the gradients of the attention's input
//! projections are.

use crate::autograd::{CrossEntropyOptions, Tape};
use crate::nn::Saturation;
use crate::seq2seq::batch::{Batch, Example};
use crate::seq2seq::models::Seq2Seq;
use crate::text::PAD_ID;

/// Attention statistics of one forward and backward pass.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Probe {
    /// Every attention row of every layer (encoder, decoder self, cross).
    pub saturation: Saturation,
    /// $\lVert \partial L/\partial W \rVert$ over every `in_proj_weight`
    /// ($W^Q, W^K, W^V$ of every attention).
    pub grad_norm: f64,
}

/// Runs `model` on (at most 64 of) `examples` under teacher forcing, no
/// dropout, and measures its attention.
///
/// # Panics
/// If `examples` is empty.
pub(super) fn probe(model: &mut dyn Seq2Seq, examples: &[Example]) -> Probe {
    let rows: Vec<&Example> = examples.iter().take(64).collect();
    let batch = Batch::new(&rows);
    let tape = Tape::new();
    let enc = model.encode(&tape, &batch, None);
    let encoder_weights: Vec<_> = enc.attention.iter().map(|w| w.value()).collect();
    let out = model.decode(&tape, &enc, &batch, None);
    let mut saturation = Saturation::default();
    let decoder = out.attention.iter().chain(&out.self_attention);
    for w in encoder_weights
        .iter()
        .cloned()
        .chain(decoder.map(|w| w.value()))
    {
        saturation = saturation.merge(Saturation::of(&w));
    }
    let v = out.logits.shape()[2];
    let options = CrossEntropyOptions {
        ignore_index: Some(PAD_ID),
        ..CrossEntropyOptions::default()
    };
    let loss = out
        .logits
        .reshape(&[batch.size * batch.tgt_len, v])
        .cross_entropy_with(&batch.tgt_out, &options);
    tape.backward(loss);
    let squares: f64 = model
        .params()
        .iter()
        .filter(|p| p.name.ends_with("in_proj_weight"))
        .filter_map(|p| tape.param_grad_by_id(p.id()))
        .map(|g| g.data().iter().map(|x| x * x).sum::<f64>())
        .sum();
    Probe {
        saturation,
        grad_norm: squares.sqrt(),
    }
}
