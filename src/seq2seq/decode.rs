//! Decoding (tutorial §3.2): start from `<s>`, repeatedly score the next
//! word, until `</s>` or a length limit. Greedy decoding keeps the single
//! best word at each step; beam search keeps the `k` best partial sentences.

use super::Batch;
use super::model::Seq2Seq;
use crate::autograd::Tape;
use crate::data::{BOS_ID, EOS_ID, PAD_ID, UNK_ID};
use crate::tensor::{Float, Tensor};

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

/// The log-softmax of the last position's logits, one row per prefix, and
/// each layer's attention `[rows, heads, T, S]`. Each source of `base` is
/// encoded once and decoded against `per_source` consecutive prefixes
/// (beam search's prefixes share one source).
fn next_scores(
    model: &dyn Seq2Seq,
    base: &Batch,
    prefixes: &[Vec<usize>],
    per_source: usize,
) -> (Vec<Vec<Float>>, Vec<Tensor>) {
    let t = prefixes[0].len();
    let tape = Tape::new();
    let enc = model.encode(&tape, base, None);
    let (enc, mut batch) = if per_source > 1 {
        (enc.repeat(per_source), base.repeat(per_source))
    } else {
        (enc, base.clone())
    };
    batch.tgt_len = t;
    batch.tgt_in = prefixes.concat();
    batch.tgt_out = vec![PAD_ID; batch.tgt_in.len()];
    let out = model.decode(&tape, &enc, &batch, None);
    let v = out.logits.shape()[2];
    let logits = out
        .logits
        .slice(1, t - 1, t)
        .reshape(&[batch.size, v])
        .log_softmax()
        .value();
    let rows = logits.data().chunks(v).map(<[Float]>::to_vec).collect();
    (rows, out.attention.iter().map(|a| a.value()).collect())
}

/// Rows `0..len` of sentence `b`'s attention in each layer: `[heads, len, S]`.
fn attention_of(layers: &[Tensor], b: usize, len: usize) -> Vec<Tensor> {
    layers
        .iter()
        .map(|a| {
            let (heads, t, s) = (a.shape()[1], a.shape()[2], a.shape()[3]);
            let mut out = Vec::with_capacity(heads * len * s);
            for h in 0..heads {
                let start = ((b * heads + h) * t) * s;
                out.extend_from_slice(&a.data()[start..start + len * s]);
            }
            Tensor::from_vec(out, &[heads, len, s])
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
/// ids until `</s>` or `max_len` tokens. `max_len = 0` writes nothing; no sources give no hypotheses.
pub fn greedy(model: &dyn Seq2Seq, sources: &[&[usize]], max_len: usize) -> Vec<Hypothesis> {
    if sources.is_empty() {
        return vec![];
    }
    let base = Batch::sources(sources);
    let n = sources.len();
    let mut prefixes = vec![vec![BOS_ID]; n];
    let mut log_probs = vec![0.0; n];
    let mut done = vec![false; n];
    let mut attention = vec![];
    for _ in 0..max_len {
        let (scores, att) = next_scores(model, &base, &prefixes, 1);
        attention = att;
        for (i, row) in scores.iter().enumerate() {
            // Finished sentences keep being fed <pad>; later positions cannot
            // change the earlier ones, which are all we keep.
            let next = if done[i] { PAD_ID } else { argmax(row) };
            if !done[i] {
                log_probs[i] += row[next];
                done[i] = next == EOS_ID;
            }
            prefixes[i].push(next);
        }
        if done.iter().all(|&d| d) {
            break;
        }
    }
    (0..n)
        .map(|i| {
            let mut ids: Vec<usize> = prefixes[i][1..].to_vec();
            if let Some(end) = ids.iter().position(|&y| y == EOS_ID) {
                ids.truncate(end + 1);
            }
            let len = ids.len();
            Hypothesis {
                ids,
                log_prob: log_probs[i],
                attention: attention_of(&attention, i, len),
            }
        })
        .collect()
}

/// The length-normalised score of beam search: $\log p / \lvert y\rvert^\alpha$.
/// With $\alpha = 0$ it is the plain log-probability, which favours short
/// sentences; $\alpha = 1$ is the mean log-probability per token.
///
/// Checked by `tests/decode.rs::length_normalisation_by_hand`.
pub fn normalised_score(log_prob: Float, len: usize, alpha: Float) -> Float {
    log_prob / (len.max(1) as Float).powf(alpha)
}

/// Beam search for one source: keep the `width` best prefixes by total
/// log-probability; a prefix that emits `</s>` is finished. Stops when
/// `width` sentences are finished, no prefix is left, or at `max_len`; returns
/// the finished sentence with the best [`normalised_score`].
///
/// With `width == 1` this is exactly [`greedy`]; `max_len = 0` writes nothing.
///
/// # Panics
/// If `width` is 0.
pub fn beam_search(
    model: &dyn Seq2Seq,
    source: &[usize],
    width: usize,
    max_len: usize,
    alpha: Float,
) -> Hypothesis {
    assert!(width > 0, "beam_search: width must be at least 1");
    let base = Batch::sources(&[source]);
    let mut live: Vec<(Vec<usize>, Float)> = vec![(vec![BOS_ID], 0.0)];
    let mut finished: Vec<(Vec<usize>, Float)> = vec![];
    for _ in 0..max_len {
        // The source is encoded once; each live prefix is one decoder row.
        let prefixes: Vec<Vec<usize>> = live.iter().map(|(p, _)| p.clone()).collect();
        let (scores, _) = next_scores(model, &base, &prefixes, live.len());
        let mut candidates: Vec<(Float, usize, usize)> = vec![];
        for (h, (_, lp)) in live.iter().enumerate() {
            for (y, &s) in scores[h].iter().enumerate().filter(|&(y, _)| choosable(y)) {
                candidates.push((lp + s, h, y));
            }
        }
        // Best first; ties go to the earlier prefix and the smaller id, as in greedy.
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut next = vec![];
        for &(lp, h, y) in candidates.iter().take(width) {
            let mut ids = live[h].0.clone();
            ids.push(y);
            if y == EOS_ID {
                finished.push((ids, lp))
            } else {
                next.push((ids, lp))
            }
        }
        live = next;
        if live.is_empty() || finished.len() >= width {
            break;
        }
    }
    let pool = if finished.is_empty() { live } else { finished };
    let best = pool
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| {
            let (sa, sb) = (
                normalised_score(a.1, a.0.len() - 1, alpha),
                normalised_score(b.1, b.0.len() - 1, alpha),
            );
            sa.total_cmp(&sb).then(j.cmp(i))
        })
        .map(|(_, h)| h.clone())
        .expect("beam search keeps at least one hypothesis");
    // One more pass for the chosen sentence's attention.
    let ids = best.0[1..].to_vec();
    let mut attention = vec![];
    if !ids.is_empty() {
        let (_, att) = next_scores(model, &base, &[best.0[..best.0.len()].to_vec()], 1);
        attention = attention_of(&att, 0, ids.len());
    }
    Hypothesis {
        ids,
        log_prob: best.1,
        attention,
    }
}
