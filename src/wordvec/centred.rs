//! Centred cosine similarity: the cosine of two word vectors after the
//! vocabulary's mean vector is taken away from both.
//!
//! Trained word vectors share a common direction (every word of a corpus
//! is pushed a little the same way), so the plain [`cosine`] of any two of
//! them is high and similar and dissimilar words look alike; measured from
//! the mean, the shared part is gone and the cosine spreads out towards
//! −1 … 1.

use super::cosine;
use crate::tensor::Float;

/// The mean of the rows of a `[words, dim]` table given as `data`:
/// $\mu = \frac{1}{\lvert V\rvert} \sum_{w \in V} v_w$ (all zeros for no rows).
///
/// # Panics
/// If `dim` is 0 or does not divide `data.len()`.
///
/// Checked by `tests/text/wordvec.rs::centred_cosine_by_hand`.
pub fn mean_vector(data: &[Float], dim: usize) -> Vec<Float> {
    assert!(
        dim > 0 && data.len().is_multiple_of(dim),
        "mean_vector: {} values are not rows of {dim}",
        data.len()
    );
    let rows = data.len() / dim;
    let mut mean = vec![0.0; dim];
    for row in data.chunks(dim) {
        for (m, x) in mean.iter_mut().zip(row) {
            *m += x;
        }
    }
    mean.iter_mut().for_each(|m| *m /= rows.max(1) as Float);
    mean
}

/// Centred cosine similarity: the [`cosine`] of `a` and `b` measured from
/// the vocabulary's mean vector `mean` ([`mean_vector`]):
///
/// $$ \cos_\mu(a, b) = \frac{(a - \mu)^\top (b - \mu)}{\lVert a - \mu\rVert \lVert b - \mu\rVert} $$
///
/// 0 if either vector equals the mean. Nearest neighbours and analogies
/// rank words by it ([`super::WordVectors::most_similar`]).
///
/// # Shapes
/// `a`, `b`, `mean`: `[dim]` → a number in $[-1, 1]$.
///
/// # Panics
/// If the three lengths differ.
///
/// Checked by `tests/text/wordvec.rs::centred_cosine_by_hand`.
pub fn centred_cosine(a: &[Float], b: &[Float], mean: &[Float]) -> Float {
    assert!(
        a.len() == mean.len() && b.len() == mean.len(),
        "centred_cosine: vectors of {} and {} numbers with a mean of {}",
        a.len(),
        b.len(),
        mean.len()
    );
    let from_mean =
        |v: &[Float]| -> Vec<Float> { v.iter().zip(mean).map(|(x, m)| x - m).collect() };
    cosine(&from_mean(a), &from_mean(b))
}
