//! Decoding many sources at once, in batches of similar length whose
//! memory is bounded: what `encdec evaluate`, `translate` and `summarize`
//! on standard input, and the test scores of training use.

use super::greedy::{Hypothesis, greedy};
use crate::seq2seq::models::Seq2Seq;
use crate::seq2seq::size::{MAX_STEP_BYTES, StepShape, step_bytes};

/// Decodes many sources, `batch_size` decoder rows at a time, and returns
/// one [`Hypothesis`] per source, in input order: greedy decoding when
/// `beam <= 1`, else beam search of width `beam` (length-normalised with
/// $\alpha = 1$). The sources are sorted by length first, so that a batch
/// holds sentences of similar length and little padding; beam search puts
/// up to `beam` rows. A batch also takes no more sentences than fit in
/// [`DECODE_BYTES`] by [`step_bytes`] (a training step's estimate, above
/// what a forward pass holds), so long sentences go fewer at a time.
///
/// This is what `encdec evaluate`, `translate` and `summarize` on standard
/// input, and the test scores of training use. Each result is the one the
/// sentence would get alone.
///
/// # Shapes
/// `sources`: each a sentence's ids without `</s>` → one hypothesis each.
pub fn decode_in_batches(
    model: &dyn Seq2Seq,
    sources: &[Vec<usize>],
    beam: usize,
    max_len: usize,
    batch_size: usize,
) -> Vec<Hypothesis> {
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| sources[i].len());
    let per_batch = (batch_size / beam.max(1)).max(1);
    let mut out = vec![Hypothesis::start(); sources.len()];
    let mut start = 0;
    while start < order.len() {
        let end = batch_end(model, sources, &order[start..], per_batch, (beam, max_len)) + start;
        let chunk = &order[start..end];
        start = end;
        let batch: Vec<&[usize]> = chunk.iter().map(|&i| sources[i].as_slice()).collect();
        let hyps = if beam <= 1 {
            greedy(model, &batch, max_len)
        } else {
            super::beam::beam_search_batch(model, &batch, beam, max_len, 1.0)
        };
        for (&i, h) in chunk.iter().zip(hyps) {
            out[i] = h;
        }
    }
    out
}

/// The most memory a decoding batch may need: a quarter of a training
/// step's [`MAX_STEP_BYTES`], 2 GiB. Decoding is not faster with bigger
/// batches of long sentences, and it runs beside whatever else holds memory.
pub const DECODE_BYTES: usize = MAX_STEP_BYTES / 4;

/// How many of the sources `order` names (sorted by length) the next batch
/// takes: at most `per_batch`, and only as many as fit in
/// [`DECODE_BYTES`] with `beam` rows each and outputs of `max_len`
/// tokens; at least one.
fn batch_end(
    model: &dyn Seq2Seq,
    sources: &[Vec<usize>],
    order: &[usize],
    per_batch: usize,
    (beam, max_len): (usize, usize),
) -> usize {
    let fits = |n: usize| {
        let shape = StepShape {
            batch: n * beam.max(1),
            src_len: sources[order[n - 1]].len() + 1,
            tgt_len: max_len + 1,
            shards: 1,
        };
        step_bytes(model.config(), shape).is_some_and(|b| b <= DECODE_BYTES)
    };
    let mut n = 1;
    while n < order.len().min(per_batch) && fits(n + 1) {
        n += 1;
    }
    n
}
