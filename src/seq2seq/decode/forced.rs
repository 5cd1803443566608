//! One pass of the model over its own output (teacher forcing): every
//! attention and every step's next-word probabilities, which decoding
//! chose from. The explorer and the greedy-steps picture read it.

use super::explore::{AttentionKind, AttentionMap};
use super::greedy::{choosable, greedy};
use crate::autograd::Tape;
use crate::seq2seq::batch::{Batch, Example};
use crate::seq2seq::models::Seq2Seq;
use crate::tensor::{Float, Tensor};
use crate::text::Vocab;

/// Runs the model on `src` with `ids` as the target (teacher forcing): each
/// layer's attention as [`AttentionMap`]s, and the log-probabilities of the
/// next word at every position, `[len(ids)][vocab]`.
pub(super) fn teacher_forced(
    model: &dyn Seq2Seq,
    src: &[usize],
    ids: &[usize],
    src_tokens: &[String],
    decoder_inputs: &[String],
    outputs: &[String],
) -> (Vec<AttentionMap>, Vec<Vec<Float>>) {
    let (layers, rows) = forced_pass(model, src, ids);
    let mut maps = vec![];
    for (kind, weights) in layers {
        let (queries, keys) = match kind {
            AttentionKind::EncoderSelf => (src_tokens, src_tokens),
            AttentionKind::DecoderSelf => (decoder_inputs, decoder_inputs),
            AttentionKind::Cross => (outputs, src_tokens),
        };
        for (i, w) in weights.into_iter().enumerate() {
            maps.push(AttentionMap {
                kind,
                layer: i + 1,
                queries: queries.to_vec(),
                keys: keys.to_vec(),
                weights: w,
            });
        }
    }
    (maps, rows)
}

/// One kind of attention, each layer's weights `[heads, queries, keys]`.
pub(super) type LayersOfKind = (AttentionKind, Vec<Tensor>);

/// One pass of the model over its own output `ids` (teacher forcing): each
/// kind's attention per layer, `[heads, queries, keys]` each, and the
/// log-probabilities of the next word at every position,
/// `[len(ids)][vocab]`. The decoder is causal, so position $t$ sees what
/// step $t$ of decoding saw.
///
/// # Panics
/// If `ids` is empty.
pub(super) fn forced_pass(
    model: &dyn Seq2Seq,
    src: &[usize],
    ids: &[usize],
) -> (Vec<LayersOfKind>, Vec<Vec<Float>>) {
    // Batch::new appends </s> to the target: the decoder then reads
    // <s> y_1 .. y_{n-1}, one position per word written.
    let example = Example {
        src: src.to_vec(),
        tgt: ids[..ids.len() - 1].to_vec(),
    };
    let batch = Batch::new(&[&example]);
    let tape = Tape::new();
    let enc = model.encode(&tape, &batch, None);
    let dec = model.decode(&tape, &enc, &batch, None);
    let v = dec.logits.shape()[2];
    let log_probs = dec.logits.reshape(&[ids.len(), v]).log_softmax().value();
    let rows = log_probs.data().chunks(v).map(<[Float]>::to_vec).collect();
    let values = |layers: &[crate::autograd::Var]| -> Vec<Tensor> {
        layers
            .iter()
            .map(|w| {
                let w = w.value();
                Tensor::from_vec(w.data().to_vec(), &w.shape()[1..])
            })
            .collect()
    };
    let layers = vec![
        (AttentionKind::EncoderSelf, values(&enc.attention)),
        (AttentionKind::DecoderSelf, values(&dec.self_attention)),
        (AttentionKind::Cross, values(&dec.attention)),
    ];
    (layers, rows)
}

/// The `k` most probable writable ids of a row of log-probabilities, with
/// their probabilities, most probable first (the smaller id on ties).
pub(super) fn top_k(row: &[Float], k: usize) -> Vec<(usize, Float)> {
    let mut ids: Vec<usize> = (0..row.len()).filter(|&y| choosable(y)).collect();
    ids.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
    ids.into_iter().take(k).map(|y| (y, row[y].exp())).collect()
}

/// One step of greedy decoding: the most probable words the decoder could
/// write, best first, each with its probability
/// $p(y \mid y_{<t}, x)$ (taken over the whole vocabulary), and the index
/// in `candidates` of the word it wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct GreedyStep {
    /// Words and probabilities, most probable first.
    pub candidates: Vec<(String, f64)>,
    /// Which candidate was written (greedy decoding: always 0).
    pub chosen: usize,
}

/// Decodes `src` (ids without `</s>`) greedily with
/// [`greedy`] and gives every step's `k` most
/// probable [`choosable`](super::choosable) words: from `<s>`,
/// step $t$ writes $y_t = \arg\max_y p(y \mid y_{<t}, x)$, until `</s>` or
/// `max_len` steps. The probabilities come from one more pass of the model
/// over the words written, as the explorer takes them
/// ([`super::Exploration`]).
///
/// # Panics
/// If `k` is 0.
///
/// Checked against [`greedy`] by notebook
/// `03_encoding_decoding` (same words), and its output by
/// `tests/docs/captions.rs` through `docs/img/greedy_steps.json`.
pub fn greedy_steps(
    model: &dyn Seq2Seq,
    src: &[usize],
    vocab: &Vocab,
    k: usize,
    max_len: usize,
) -> Vec<GreedyStep> {
    assert!(k > 0, "greedy_steps: k must be at least 1");
    let ids = greedy(model, &[src], max_len).remove(0).ids;
    if ids.is_empty() {
        return vec![];
    }
    let (_, rows) = forced_pass(model, src, &ids);
    rows.iter()
        .map(|row| GreedyStep {
            candidates: top_k(row, k)
                .into_iter()
                .map(|(y, p)| (vocab.token(y).to_string(), p))
                .collect(),
            // Greedy writes the most probable choosable word: the first.
            chosen: 0,
        })
        .collect()
}
