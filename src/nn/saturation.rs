//! How saturated a softmax is: the entropy of each row of attention weights
//! and the share of rows that put almost all their weight on one key. The
//! statistics of `encdec experiment scale` (without $1/\sqrt{d_k}$ the
//! scores grow with $d_k$ and the softmax turns into an arg-max).

use crate::tensor::{Float, Tensor};

/// A row counts as saturated when its largest weight is above this.
pub const SATURATED: Float = 0.99;

/// The entropy of one row of attention weights, in nats:
///
/// $$ H(a) = -\sum_{j} a_j \log a_j $$
///
/// with $0 \log 0 = 0$, so masked keys (weight exactly 0) add nothing. It is
/// $\log n$ for uniform weights over $n$ keys and 0 for a one-hot row.
///
/// # Backward
/// None: a statistic read off the weights after the fact, not a node on the tape.
///
/// # Shapes
/// `weights`: one row `[n_k]` -> a number.
///
/// # Panics
/// Never; negative weights (which a softmax never makes) count as 0.
///
/// Checked by `tests/nn/saturation.rs::entropy_by_hand`.
pub fn row_entropy(weights: &[Float]) -> Float {
    weights
        .iter()
        .filter(|&&a| a > 0.0)
        .map(|&a| -a * a.ln())
        .sum()
}

/// The saturation of a set of attention rows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Saturation {
    /// Rows counted (rows whose weights are all 0, hidden entirely by a mask, are left out).
    pub rows: usize,
    /// Mean [`row_entropy`] of the rows, in nats.
    pub mean_entropy: Float,
    /// Share of the rows whose largest weight is above [`SATURATED`].
    pub saturated_share: Float,
}

impl Saturation {
    /// The statistics of every row (last axis) of `weights`, e.g. the
    /// per-head weights `[batch, heads, n_q, n_k]` of a layer.
    ///
    /// # Panics
    /// If `weights` has no axes.
    ///
    /// Checked by `tests/nn/saturation.rs::saturation_counts_rows`.
    pub fn of(weights: &Tensor) -> Saturation {
        let n_k = *weights.shape().last().expect("Saturation::of: a scalar");
        let mut s = Saturation::default();
        let (mut entropy, mut saturated) = (0.0, 0usize);
        for row in weights.data().chunks(n_k.max(1)) {
            if row.iter().all(|&a| a == 0.0) {
                continue;
            }
            s.rows += 1;
            entropy += row_entropy(row);
            saturated += usize::from(row.iter().any(|&a| a > SATURATED));
        }
        if s.rows > 0 {
            s.mean_entropy = entropy / s.rows as Float;
            s.saturated_share = saturated as Float / s.rows as Float;
        }
        s
    }

    /// Pools two sets of rows, weighting each by its row count.
    pub fn merge(self, other: Saturation) -> Saturation {
        let rows = self.rows + other.rows;
        if rows == 0 {
            return Saturation::default();
        }
        let mean =
            |a: Float, b: Float| (a * self.rows as Float + b * other.rows as Float) / rows as Float;
        Saturation {
            rows,
            mean_entropy: mean(self.mean_entropy, other.mean_entropy),
            saturated_share: mean(self.saturated_share, other.saturated_share),
        }
    }
}
