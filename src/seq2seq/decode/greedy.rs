//! Decoding (tutorial §3.2): start from `<s>`, repeatedly score the next
//! word, until `</s>` or a length limit. Greedy decoding keeps the single
//! best word at each step; beam search ([`super::beam_search_batch`]) keeps
//! the `k` best partial sentences; sampling ([`super::sample`]) runs
//! greedy's loop with a random draw in place of the argmax.
//!
//! Both decode many sentences at once. The sources are padded into one
//! batch (their true lengths travel with it, so padding is masked) and
//! encoded once; each step then decodes one row per live prefix against a
//! copy of its source's encoding, and scores only the prefix's last
//! position ([`Seq2Seq::decode_next`]); the Transformer's steps run from
//! its key/value cache instead, the new position alone ([`super::Steps`]).
//! A sentence that has written `</s>` leaves the rows, so the last steps
//! of a batch cost only what its longest outputs need. The result of a sentence does not depend on the others in
//! its batch (checked by `tests/seq2seq/decode/batched.rs`).

use super::cached::{Stepper, Steps};
use crate::autograd::{Tape, Var};
use crate::nn::StepRows;
use crate::seq2seq::batch::{Batch, take_rows};
use crate::seq2seq::models::{Encoded, Seq2Seq};
use crate::tensor::{Float, Tensor};
use crate::text::{BOS_ID, EOS_ID, PAD_ID, UNK_ID};

/// A decoded sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Hypothesis {
    /// Target ids, without `<s>`; ends with `</s>` unless the length limit cut it.
    pub ids: Vec<usize>,
    /// Total log-probability $\sum_t \log p(y_t \mid y_{<t}, x)$.
    pub log_prob: Float,
    /// Attention of each layer, `[heads, len(ids), src_len]` (empty for the plain LSTM).
    pub attention: Vec<Tensor>,
}

impl Hypothesis {
    /// Nothing written yet: the start of every decoding.
    pub(super) fn start() -> Hypothesis {
        Hypothesis {
            ids: vec![],
            log_prob: 0.0,
            attention: vec![],
        }
    }

    /// What the decoder reads: `<s>` and the ids written so far.
    pub(super) fn prefix(&self) -> Vec<usize> {
        std::iter::once(BOS_ID)
            .chain(self.ids.iter().copied())
            .collect()
    }

    /// Whether the sentence has written `</s>`.
    pub(super) fn ended(&self) -> bool {
        self.ids.last() == Some(&EOS_ID)
    }
}

/// A batch of sources encoded once, off any tape: the encoder's outputs and
/// final state as plain values, which each decoding step puts on its own
/// (short-lived) tape as constants. Keeping one tape for a whole decoding
/// would hold every step's nodes until the end.
pub(super) struct EncodedSources {
    /// The sources, padded (their target side is filled in at each step).
    batch: Batch,
    /// Encoder outputs `[B, S, H]`, if the model keeps them.
    memory: Option<Tensor>,
    /// The encoder's final state, each `[B, H]` (LSTM models).
    state: Vec<Tensor>,
}

impl EncodedSources {
    /// Encodes `sources` (ids without `</s>`) in one batch.
    ///
    /// # Panics
    /// If `sources` is empty.
    pub(super) fn new(model: &dyn Seq2Seq, sources: &[&[usize]]) -> EncodedSources {
        let batch = Batch::sources(sources);
        let tape = Tape::new();
        let enc = model.encode(&tape, &batch, None);
        EncodedSources {
            memory: enc.memory.map(|m| m.value()),
            state: enc.state.iter().map(|s| s.value()).collect(),
            batch,
        }
    }

    /// The true length of source `i`, `</s>` included.
    pub(super) fn src_len(&self, i: usize) -> usize {
        self.batch.src_lengths[i]
    }

    /// The log-softmax over the vocabulary of the next word after each
    /// prefix, one row per prefix, and each layer's attention
    /// `[rows, heads, T, S]`. Prefix `r` is decoded against source
    /// `source_of[r]`; all prefixes have the same length `T`.
    ///
    /// # Panics
    /// If `prefixes` is empty, the prefixes differ in length, or
    /// `source_of` is not one source index per prefix.
    pub(super) fn next_scores(
        &self,
        model: &dyn Seq2Seq,
        prefixes: &[Vec<usize>],
        source_of: &[usize],
    ) -> (Vec<Vec<Float>>, Vec<Tensor>) {
        let t = prefixes[0].len();
        assert!(
            prefixes.iter().all(|p| p.len() == t) && source_of.len() == prefixes.len(),
            "next_scores: {} prefixes of lengths {:?} for {} sources; all must have length {t}",
            prefixes.len(),
            prefixes.iter().map(Vec::len).collect::<Vec<_>>(),
            source_of.len()
        );
        let tape = Tape::new();
        let on_tape = |v: &Tensor| {
            let row = v.numel() / v.shape()[0];
            let mut shape = v.shape().to_vec();
            shape[0] = source_of.len();
            tape.constant(Tensor::from_vec(
                take_rows(v.data(), row, source_of),
                &shape,
            ))
        };
        let mut batch = self.batch.select(source_of);
        let enc = Encoded {
            memory: self.memory.as_ref().map(on_tape),
            state: self.state.iter().map(on_tape).collect(),
            src_lengths: batch.src_lengths.clone(),
            attention: vec![],
        };
        batch.tgt_len = t;
        batch.tgt_in = prefixes.concat();
        batch.tgt_out = vec![PAD_ID; batch.tgt_in.len()];
        let out = model.decode_next(&tape, &enc, &batch);
        let attention = out.attention.iter().map(|a| a.value()).collect();
        (log_prob_rows(out.logits), attention)
    }
}

/// The log-softmax of next-word scores `[rows, 1, V]`, one row per prefix.
pub(super) fn log_prob_rows(logits: Var<'_>) -> Vec<Vec<Float>> {
    let (rows, v) = (logits.shape()[0], logits.shape()[2]);
    let log_probs = logits.reshape(&[rows, v]).log_softmax().value();
    log_probs.data().chunks(v).map(<[Float]>::to_vec).collect()
}

/// Row `b`'s attention in each layer, its first `len` target positions
/// over its first `src_len` source positions (the source's own length, so
/// that padding in a batch does not show): `[heads, len, src_len]`.
pub(super) fn attention_of(layers: &[Tensor], b: usize, len: usize, src_len: usize) -> Vec<Tensor> {
    layers
        .iter()
        .map(|a| {
            let (heads, t, s) = (a.shape()[1], a.shape()[2], a.shape()[3]);
            let mut out = Vec::with_capacity(heads * len * src_len);
            for h in 0..heads {
                for i in 0..len {
                    let start = ((b * heads + h) * t + i) * s;
                    out.extend_from_slice(&a.data()[start..start + src_len]);
                }
            }
            Tensor::from_vec(out, &[heads, len, src_len])
        })
        .collect()
}

/// Whether decoding may write target id `y`: `<pad>`, `<s>` and `<unk>`
/// are never chosen, since none of them is a word to write. (`<pad>` and
/// `<s>` are never training targets; `<unk>` is, for rare words, but
/// writing it tells the reader nothing.) The log-probability of a chosen
/// word is still taken over the whole vocabulary.
pub fn choosable(y: usize) -> bool {
    !matches!(y, PAD_ID | BOS_ID | UNK_ID)
}

/// The index of the largest score among the [`choosable`] ids (the first
/// one on ties).
fn argmax(row: &[Float]) -> usize {
    let mut best = EOS_ID;
    for (i, &v) in row.iter().enumerate() {
        if choosable(i) && v > row[best] {
            best = i;
        }
    }
    best
}

/// Greedy decoding of a batch of sources (tutorial §3.2, steps 2–5): from
/// `<s>`, append $\arg\max_y p(y \mid y_{<t}, x)$ over the [`choosable`]
/// ids until `</s>` or `max_len` tokens. `max_len = 0` writes nothing; no
/// sources give no hypotheses.
///
/// The sources are encoded once, and a sentence that has written `</s>` is
/// no longer decoded. Each result is the one the sentence would get alone
/// (scores equal to rounding). This loop is kept apart from
/// [`super::beam_search_batch`], which with width 1 makes the same choices,
/// because it is §3.2 as the tutorial states it, and because the two,
/// written independently, check each other
/// (`tests/seq2seq/decode.rs::beam_width_one_is_exactly_greedy`).
///
/// # Shapes
/// `sources`: each a sentence's ids without `</s>`, any lengths ≥ 0 → one
/// [`Hypothesis`] per source, in order.
pub fn greedy(model: &dyn Seq2Seq, sources: &[&[usize]], max_len: usize) -> Vec<Hypothesis> {
    greedy_by(model, sources, max_len, Steps::Cached)
}

/// [`greedy`] with its steps run as `steps` says: the two agree
/// (`tests/seq2seq/kv_cache.rs::cached_decoding_equals_recomputing_the_prefix`).
pub fn greedy_by(
    model: &dyn Seq2Seq,
    sources: &[&[usize]],
    max_len: usize,
    steps: Steps,
) -> Vec<Hypothesis> {
    decode_choosing(model, sources, (max_len, steps), argmax)
}

/// The loop of [`greedy`] and [`super::sample`]: from `<s>`, append the id
/// `choose` picks from the next-word log-probabilities (one call per live
/// sentence per step, in source order) until `</s>` or `max_len` tokens.
/// A hypothesis's `log_prob` is the model's own, whatever `choose` does.
pub(super) fn decode_choosing(
    model: &dyn Seq2Seq,
    sources: &[&[usize]],
    (max_len, steps): (usize, Steps),
    mut choose: impl FnMut(&[Float]) -> usize,
) -> Vec<Hypothesis> {
    if sources.is_empty() {
        return vec![];
    }
    let mut stepper = Stepper::new(model, sources, steps);
    let mut hyps = vec![Hypothesis::start(); sources.len()];
    // The sentences still being decoded, one decoder row each, and the row
    // of the step before that each continues.
    let mut live: Vec<usize> = (0..sources.len()).collect();
    let mut parents = live.clone();
    for step in 0..max_len {
        if live.is_empty() {
            break;
        }
        let prefixes: Vec<Vec<usize>> = live.iter().map(|&i| hyps[i].prefix()).collect();
        let rows = StepRows {
            parents: &parents,
            sources: &live,
        };
        let (scores, attention) = stepper.next_scores(&prefixes, rows);
        for (row, &i) in live.iter().enumerate() {
            let h = &mut hyps[i];
            let next = choose(&scores[row]);
            h.ids.push(next);
            h.log_prob += scores[row][next];
            if next == EOS_ID || step + 1 == max_len {
                // Causal decoders: this step's attention rows are final.
                let src_len = stepper.src_len(i);
                h.attention = attention_of(&attention, row, h.ids.len(), src_len);
            }
        }
        parents = (0..live.len())
            .filter(|&r| !hyps[live[r]].ended())
            .collect();
        live.retain(|&i| !hyps[i].ended());
    }
    hyps
}
