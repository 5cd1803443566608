//! Sampling decoding: instead of the most probable next word (greedy) or
//! the most probable few prefixes (beam search), draw the next word at
//! random from the model's distribution, reshaped three ways: a
//! temperature sharpens or flattens it, a top-k cut keeps the `k` most
//! probable words, a top-p (nucleus) cut keeps the fewest most probable
//! words whose probability reaches `p`. The draws come from the crate's
//! seeded [`Rng`], so the same seed writes the same sentence.
//!
//! The decoding loop is [`super::greedy`]'s (`decode_choosing` in
//! `greedy.rs`, with the Transformer's key/value cache); only the choice
//! of the next id differs.

use super::cached::Steps;
use super::greedy::{Hypothesis, choosable, decode_choosing};
use crate::seq2seq::models::Seq2Seq;
use crate::tensor::{Float, Rng};
use rand::RngExt;
use std::fmt;

/// The temperature softmax over the [`choosable`] ids of a row of scores
/// (logits or log-probabilities; they differ by a constant, which cancels):
///
/// $$p_i = \frac{\exp(z_i / T)}{\sum_{j} \exp(z_j / T)}$$
///
/// with $j$ over the choosable ids; the other ids get probability 0.
/// $T = 1$ is the model's own distribution, $T < 1$ sharpens it (as
/// $T \to 0$ all the mass goes to greedy's choice), $T > 1$ flattens it.
/// Worked by hand in `tests/seq2seq/decode/sampling.rs::temperature_by_hand`; the sum is 1
/// in `tests/seq2seq/decode/sampling.rs::probabilities_sum_to_one`.
///
/// # Shapes
/// `scores`: `[vocab]` → `[vocab]`.
///
/// # Panics
/// If `temperature` is not a finite number above 0, or no id is choosable.
pub fn temperature_probs(scores: &[Float], temperature: Float) -> Vec<Float> {
    assert!(
        temperature.is_finite() && temperature > 0.0,
        "temperature_probs: temperature {temperature} must be a finite number above 0"
    );
    let max = (0..scores.len())
        .filter(|&i| choosable(i))
        .map(|i| scores[i])
        .fold(Float::NEG_INFINITY, Float::max);
    assert!(
        max > Float::NEG_INFINITY,
        "temperature_probs: no choosable id"
    );
    // The maximum cancels; taking it off before dividing keeps exp from
    // overflowing and, for a temperature as small as 1e-310, keeps
    // z / T from reaching inf - inf: the best id gets exp(0) = 1.
    let e: Vec<Float> = (0..scores.len())
        .map(|i| {
            if choosable(i) {
                ((scores[i] - max) / temperature).exp()
            } else {
                0.0
            }
        })
        .collect();
    let total: Float = e.iter().sum();
    e.iter().map(|x| x / total).collect()
}

/// The ids by falling probability, the smaller id first on ties.
fn ranked(probs: &[Float]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..probs.len()).collect();
    order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]).then(a.cmp(&b)));
    order
}

/// `probs` with only `keep` (a set of ids) left, renormalised.
fn keep_only(probs: &[Float], keep: &[usize]) -> Vec<Float> {
    let total: Float = keep.iter().map(|&i| probs[i]).sum();
    let mut out = vec![0.0; probs.len()];
    for &i in keep {
        out[i] = probs[i] / total;
    }
    out
}

/// The top-k cut: keep the `k` most probable ids $K$ (the smaller id first
/// on ties) and renormalise:
///
/// $$q_i = \frac{p_i \cdot \mathbb{1}(i \in K)}{\sum_{j \in K} p_j}$$
///
/// With `k = 1` sampling makes greedy's choice. Worked by hand in
/// `tests/seq2seq/decode/sampling.rs::top_k_by_hand`; `tests/seq2seq/decode/sampling.rs::top_k_one_is_greedy`.
///
/// # Shapes
/// `probs`: `[vocab]`, summing to 1 → `[vocab]`.
///
/// # Panics
/// If `k` is 0.
pub fn top_k_cut(probs: &[Float], k: usize) -> Vec<Float> {
    assert!(k > 0, "top_k_cut: k must be at least 1");
    let order = ranked(probs);
    keep_only(probs, &order[..k.min(order.len())])
}

/// The top-p (nucleus) cut: keep the smallest set $K$ of most probable ids
/// whose probability reaches `p`, and renormalise:
///
/// $$K = \lbrace i_1, \dots, i_m \rbrace, \quad m = \min \lbrace m : \sum_{r=1}^{m} p_{i_r} \ge p \rbrace$$
///
/// with $p_{i_1} \ge p_{i_2} \ge \dots$ (the smaller id first on ties); the
/// kept ids are renormalised as in [`top_k_cut`]. `p = 1` keeps every id
/// with probability above 0. Worked by hand in
/// `tests/seq2seq/decode/sampling.rs::top_p_by_hand`; the smallest prefix in
/// `tests/seq2seq/decode/sampling.rs::top_p_keeps_the_smallest_prefix_reaching_p`.
///
/// # Shapes
/// `probs`: `[vocab]`, summing to 1 → `[vocab]`.
///
/// # Panics
/// If `p` is not in $(0, 1]$.
pub fn top_p_cut(probs: &[Float], p: Float) -> Vec<Float> {
    assert!(p > 0.0 && p <= 1.0, "top_p_cut: p {p} must be in (0, 1]");
    let order = ranked(probs);
    let mut sum = 0.0;
    let mut m = 0;
    // A rounding allowance, so that p = 1 stops at the last id above 0.
    while m < order.len() && probs[order[m]] > 0.0 && sum + 1e-12 < p {
        sum += probs[order[m]];
        m += 1;
    }
    keep_only(probs, &order[..m.max(1)])
}

/// One draw of an id from `probs` (summing to 1): the first id whose
/// cumulative probability passes a uniform $u \in [0, 1)$. An id of
/// probability 0 is never drawn.
///
/// # Panics
/// If no probability is above 0.
pub fn draw(probs: &[Float], rng: &mut Rng) -> usize {
    let u: Float = rng.random::<Float>() * probs.iter().sum::<Float>();
    let mut sum = 0.0;
    let mut last = None;
    for (i, &p) in probs.iter().enumerate() {
        if p > 0.0 {
            sum += p;
            last = Some(i);
            if u < sum {
                return i;
            }
        }
    }
    last.expect("draw: no id has a probability above 0")
}

/// How sampling reshapes the model's distribution before each draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sampling {
    /// $T$ of [`temperature_probs`], above 0.
    pub temperature: Float,
    /// `k` of [`top_k_cut`] (`None`: no cut).
    pub top_k: Option<usize>,
    /// `p` of [`top_p_cut`], in $(0, 1]$ (1: no cut).
    pub top_p: Float,
}

/// A [`Sampling`] setting out of range.
#[derive(Clone, Debug, PartialEq)]
pub enum SamplingError {
    /// The temperature is not a finite number above 0.
    Temperature(Float),
    /// `top_k` is 0.
    TopK,
    /// `top_p` is not in $(0, 1]$.
    TopP(Float),
}

impl fmt::Display for SamplingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SamplingError::Temperature(t) => write!(
                f,
                "--temperature {t} must be a number above 0 (1 samples from the model as it is; below 1 is closer to greedy)"
            ),
            SamplingError::TopK => write!(f, "--top-k must be at least 1 (1 is greedy decoding)"),
            SamplingError::TopP(p) => write!(
                f,
                "--top-p {p} must be above 0 and at most 1 (1 keeps every word)"
            ),
        }
    }
}

impl std::error::Error for SamplingError {}

impl Sampling {
    /// Checks the settings.
    ///
    /// # Errors
    /// A [`SamplingError`] naming the setting out of range.
    pub fn new(
        temperature: Float,
        top_k: Option<usize>,
        top_p: Float,
    ) -> Result<Sampling, SamplingError> {
        if !(temperature.is_finite() && temperature > 0.0) {
            return Err(SamplingError::Temperature(temperature));
        }
        if top_k == Some(0) {
            return Err(SamplingError::TopK);
        }
        if !(top_p > 0.0 && top_p <= 1.0) {
            return Err(SamplingError::TopP(top_p));
        }
        Ok(Sampling {
            temperature,
            top_k,
            top_p,
        })
    }

    /// The distribution drawn from after a row of scores: the temperature,
    /// then the top-k cut, then the top-p cut.
    ///
    /// # Shapes
    /// `scores`: `[vocab]` → `[vocab]`.
    ///
    /// # Panics
    /// If a setting is out of range (the fields are public; [`Sampling::new`]
    /// checks them).
    pub fn probs(&self, scores: &[Float]) -> Vec<Float> {
        let mut p = temperature_probs(scores, self.temperature);
        if let Some(k) = self.top_k {
            p = top_k_cut(&p, k);
        }
        if self.top_p < 1.0 {
            p = top_p_cut(&p, self.top_p);
        }
        p
    }
}

/// Sampling decoding of a batch of sources: from `<s>`, draw each next id
/// from [`Sampling::probs`] of the model's scores until `</s>` or
/// `max_len` tokens. The hypotheses' `log_prob` is the model's own
/// (untempered) log-probability of the words drawn. The draws are taken
/// from `rng` in order (step by step, source by source), so the same seed
/// and batch give the same sentences (`tests/seq2seq/decode/sampling.rs::the_same_seed_gives_the_same_sentence`);
/// unlike greedy, a sentence's result depends on the others in its batch.
///
/// # Shapes
/// `sources`: each a sentence's ids without `</s>` → one [`Hypothesis`]
/// per source, in order.
///
/// # Panics
/// As [`Sampling::probs`], if a setting is out of range.
pub fn sample(
    model: &dyn Seq2Seq,
    sources: &[&[usize]],
    max_len: usize,
    sampling: &Sampling,
    rng: &mut Rng,
) -> Vec<Hypothesis> {
    sample_by(model, sources, max_len, sampling, rng, Steps::Cached)
}

/// [`sample`] with its steps run as `steps` says: the same seed draws the
/// same sentences either way
/// (`tests/seq2seq/kv_cache.rs::cached_sampling_draws_what_recomputed_sampling_draws`).
///
/// # Panics
/// As [`sample`].
pub fn sample_by(
    model: &dyn Seq2Seq,
    sources: &[&[usize]],
    max_len: usize,
    sampling: &Sampling,
    rng: &mut Rng,
    steps: Steps,
) -> Vec<Hypothesis> {
    decode_choosing(model, sources, (max_len, steps), |row| {
        draw(&sampling.probs(row), rng)
    })
}
