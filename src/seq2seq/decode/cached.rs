//! How each decoding step runs the decoder: the Transformer's from its
//! key/value cache ([`crate::nn::KvCache`]: the new position only), or any
//! model's by re-running the whole prefix (the reference the cache is
//! checked against, `tests/seq2seq/kv_cache.rs`).

use super::greedy::{EncodedSources, log_prob_rows};
use crate::autograd::Tape;
use crate::nn::{KvCache, StepRows, append_positions};
use crate::seq2seq::batch::Batch;
use crate::seq2seq::models::{Seq2Seq, TransformerSeq2Seq};
use crate::tensor::{Float, Tensor};

/// How greedy decoding, beam search and sampling run each step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Steps {
    /// From the Transformer's [`KvCache`]: each step runs the new position
    /// only. Other models have no cache and run as [`Steps::Recomputed`].
    #[default]
    Cached,
    /// Re-run the decoder on the whole prefix at every step and keep its
    /// last position: §3.2 as the tutorial states it.
    Recomputed,
}

/// The decoder of one decoding, as [`Steps`] chose it.
pub(super) enum Stepper<'m> {
    /// The whole prefix at every step.
    Recomputed(&'m dyn Seq2Seq, EncodedSources),
    /// The Transformer, one position a step.
    Cached(&'m TransformerSeq2Seq, CachedSources),
}

/// A Transformer's sources encoded once and its [`KvCache`], with the
/// cross-attention of every step so far, `[rows, heads, t, src]` per layer.
pub(super) struct CachedSources {
    cache: KvCache,
    src_lengths: Vec<usize>,
    attention: Vec<Tensor>,
}

impl<'m> Stepper<'m> {
    /// Encodes `sources` (ids without `</s>`) in one batch.
    ///
    /// # Panics
    /// If `sources` is empty.
    pub(super) fn new(model: &'m dyn Seq2Seq, sources: &[&[usize]], steps: Steps) -> Stepper<'m> {
        match (steps, model.as_transformer()) {
            (Steps::Cached, Some(transformer)) => {
                let batch = Batch::sources(sources);
                let tape = Tape::new();
                let memory = transformer.encode(&tape, &batch, None).memory;
                let memory = memory.expect("the transformer's encoder keeps its outputs");
                let cache = transformer.start_cache(&memory.value(), &batch.src_lengths);
                let cached = CachedSources {
                    cache,
                    src_lengths: batch.src_lengths,
                    attention: vec![],
                };
                Stepper::Cached(transformer, cached)
            }
            _ => Stepper::Recomputed(model, EncodedSources::new(model, sources)),
        }
    }

    /// The true length of source `i`, `</s>` included.
    pub(super) fn src_len(&self, i: usize) -> usize {
        match self {
            Stepper::Recomputed(_, encoded) => encoded.src_len(i),
            Stepper::Cached(_, cached) => cached.src_lengths[i],
        }
    }

    /// The log-softmax over the vocabulary of the next word after each
    /// prefix, one row per prefix, and each layer's attention
    /// `[rows, heads, T, S]`, as [`EncodedSources::next_scores`]. Prefix `r`
    /// extends prefix `rows.parents[r]` of the previous call by one id and
    /// is decoded against source `rows.sources[r]`.
    ///
    /// # Panics
    /// If the prefixes differ in length, or (cached) are not one id longer
    /// than at the previous call, or `rows` does not fit them.
    pub(super) fn next_scores(
        &mut self,
        prefixes: &[Vec<usize>],
        rows: StepRows,
    ) -> (Vec<Vec<Float>>, Vec<Tensor>) {
        match self {
            Stepper::Recomputed(model, encoded) => {
                encoded.next_scores(*model, prefixes, rows.sources)
            }
            Stepper::Cached(model, cached) => cached.next_scores(model, prefixes, rows),
        }
    }
}

impl CachedSources {
    /// [`Stepper::next_scores`] from the cache: only each prefix's last id
    /// goes through the decoder.
    fn next_scores(
        &mut self,
        model: &TransformerSeq2Seq,
        prefixes: &[Vec<usize>],
        rows: StepRows,
    ) -> (Vec<Vec<Float>>, Vec<Tensor>) {
        let t = self.cache.len();
        assert!(
            prefixes.iter().all(|p| p.len() == t + 1),
            "next_scores: prefixes of lengths {:?} after {t} cached positions",
            prefixes.iter().map(Vec::len).collect::<Vec<_>>()
        );
        let last: Vec<usize> = prefixes.iter().map(|p| p[t]).collect();
        let tape = Tape::new();
        let (logits, cross) = model.decode_step(&tape, &mut self.cache, &last, rows);
        let old = std::mem::take(&mut self.attention);
        self.attention = (cross.iter().enumerate())
            .map(|(l, w)| append_positions(old.get(l), rows.parents, &w.value(), 2))
            .collect();
        (log_prob_rows(logits), self.attention.clone())
    }
}
