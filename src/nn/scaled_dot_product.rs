//! Scaled dot-product attention, the three formulas of tutorial
//! §4.2.1–§4.2.2, one function each, and their composition. The
//! encoder–decoder attention of §2.3 ([`super::DotAttention`]) is built from
//! the same three functions.

use crate::autograd::Var;
use crate::tensor::{Float, Mask};

/// Similarity scores of every query with every key (tutorial §4.2.1):
///
/// $$ s_{ij} = q_i^\top k_j $$
///
/// # Backward
/// $\bar q_i = \sum_j \bar s_{ij} k_j$, $\bar k_j = \sum_i \bar s_{ij} q_i$, i.e.
/// $\bar Q = \bar S K$ and $\bar K = \bar S^\top Q$.
///
/// # Shapes
/// `q`: `[.., n_q, d_k]`, `k`: `[.., n_k, d_k]` -> `scores` `[.., n_q, n_k]`
///
/// # Panics
/// If the key sizes differ (`matmul: shapes [..] and [..] do not match`).
///
/// Checked by `tests/nn/attention.rs::self_attention_by_hand` and `attention_scores_gradcheck`.
pub fn attention_scores<'t>(q: Var<'t>, k: Var<'t>) -> Var<'t> {
    q.matmul_nt(k)
}

/// Attention weights: a softmax over each row of scaled scores (tutorial §4.2.1):
///
/// $$ a_{ij} = \frac{\exp(s_{ij}/\sqrt{d_k})}{\sum_{k=1}^{n} \exp(s_{ik}/\sqrt{d_k})} $$
///
/// Dividing by $\sqrt{d_k}$ keeps the scores' variance near 1 when $q$ and
/// $k$ have unit-variance entries, so the softmax does not saturate. With
/// `d_k = None` the scores are not scaled: the weights $\alpha$ of the
/// encoder–decoder attention of §2.3 ([`super::DotAttention`]).
/// `mask` (`true` = hidden) sets hidden scores to $-\infty$, so their weight
/// is exactly 0; a row hidden entirely gets all-zero weights.
///
/// # Backward
/// With $\bar a = \partial L/\partial a$:
/// $\bar s_{ij} = \frac{a_{ij}}{\sqrt{d_k}}\big(\bar a_{ij} - \sum_k a_{ik}\bar a_{ik}\big)$,
/// and 0 where masked.
///
/// # Shapes
/// `scores`: `[.., n_q, n_k]` -> `weights` `[.., n_q, n_k]`; `mask` broadcasts to it
/// (causal `[n_q, n_k]`, padding `[batch, 1, n_k]`).
///
/// # Panics
/// If the mask does not broadcast to the scores.
///
/// Checked by `tests/nn/attention.rs::self_attention_by_hand`, `attention_weights_gradcheck`
/// and `tests/nn/properties.rs::softmax_rows_sum_to_one_and_ignore_shifts`.
pub fn attention_weights<'t>(scores: Var<'t>, d_k: Option<usize>, mask: Option<&Mask>) -> Var<'t> {
    attention_weights_biased(scores, d_k, mask, None)
}

/// Attention weights with an additive (float) mask $M$ ([`crate::tensor::FloatMask`]):
///
/// $$ a_{ij} = \frac{\exp(s_{ij}/\sqrt{d_k} + M_{ij})}{\sum_{k} \exp(s_{ik}/\sqrt{d_k} + M_{ik})} $$
///
/// `bias` (a constant node holding $M$, or `None` for [`attention_weights`])
/// is added after the scale and before the boolean `mask`; entries of
/// $-\infty$ give weight exactly 0.
///
/// # Backward
/// As [`attention_weights`]: the addition passes $\bar s$ through unchanged,
/// so $\bar s_{ij} = \frac{a_{ij}}{\sqrt{d_k}}\big(\bar a_{ij} - \sum_k a_{ik}\bar a_{ik}\big)$,
/// which is 0 where $M_{ij} = -\infty$ (there $a_{ij} = 0$).
///
/// # Shapes
/// `scores`: `[.., n_q, n_k]`; `bias` and `mask` broadcast to it -> `[.., n_q, n_k]`.
///
/// # Panics
/// If `bias` or `mask` does not broadcast to the scores.
///
/// Checked by `tests/nn/attention_options.rs::float_mask_gradcheck` and
/// `self_no_bias_float_mask_matches_pytorch`.
pub fn attention_weights_biased<'t>(
    scores: Var<'t>,
    d_k: Option<usize>,
    mask: Option<&Mask>,
    bias: Option<Var<'t>>,
) -> Var<'t> {
    let scaled = match d_k {
        Some(d_k) => scores.mul_scalar(1.0 / (d_k as Float).sqrt()),
        None => scores,
    };
    let scaled = match bias {
        Some(m) => scaled + m,
        None => scaled,
    };
    match mask {
        Some(m) => scaled.masked_fill(m, Float::NEG_INFINITY).softmax(),
        None => scaled.softmax(),
    }
}

/// The output: each position's weighted average of the values (tutorial §4.2.2):
///
/// $$ z_i = \sum_{j=1}^{n} a_{ij} v_j $$
///
/// # Backward
/// $\bar a_{ij} = \bar z_i^\top v_j$ and $\bar v_j = \sum_i a_{ij} \bar z_i$, i.e.
/// $\bar A = \bar Z V^\top$, $\bar V = A^\top \bar Z$.
///
/// # Shapes
/// `weights`: `[.., n_q, n_k]`, `v`: `[.., n_k, d_v]` -> `[.., n_q, d_v]`
///
/// # Panics
/// If the shapes do not fit.
///
/// Checked by `tests/nn/attention.rs::self_attention_by_hand`, `attention_output_gradcheck`
/// and `tests/nn/properties.rs::attention_output_is_in_the_convex_hull_of_the_values`.
pub fn attention_output<'t>(weights: Var<'t>, v: Var<'t>) -> Var<'t> {
    weights.matmul(v)
}

/// The three formulas composed, $Z = \mathrm{softmax}(QK^\top/\sqrt{d_k}) V$,
/// returning `(z, weights)` so that the weights can be plotted.
///
/// # Shapes
/// `q`: `[.., n_q, d_k]`, `k`: `[.., n_k, d_k]`, `v`: `[.., n_k, d_v]` ->
/// (`[.., n_q, d_v]`, `[.., n_q, n_k]`)
///
/// # Panics
/// If the shapes do not fit or the mask does not broadcast.
///
/// Checked by `tests/nn/attention.rs::scaled_dot_product_attention_gradcheck` and the
/// properties in `tests/nn/properties.rs`.
pub fn scaled_dot_product_attention<'t>(
    q: Var<'t>,
    k: Var<'t>,
    v: Var<'t>,
    mask: Option<&Mask>,
) -> (Var<'t>, Var<'t>) {
    scaled_dot_product_attention_biased(q, k, v, mask, None)
}

/// [`scaled_dot_product_attention`] with an additive mask $M$:
/// $Z = \mathrm{softmax}(QK^\top/\sqrt{d_k} + M) V$, through
/// [`attention_weights_biased`].
///
/// # Shapes
/// As [`scaled_dot_product_attention`]; `bias` broadcasts to `[.., n_q, n_k]`.
///
/// # Panics
/// If the shapes do not fit or a mask does not broadcast.
///
/// Checked by `tests/nn/attention_options.rs::float_mask_gradcheck`.
pub fn scaled_dot_product_attention_biased<'t>(
    q: Var<'t>,
    k: Var<'t>,
    v: Var<'t>,
    mask: Option<&Mask>,
    bias: Option<Var<'t>>,
) -> (Var<'t>, Var<'t>) {
    let d_k = *q.shape().last().expect("attention: q has no axes");
    let weights = attention_weights_biased(attention_scores(q, k), Some(d_k), mask, bias);
    (attention_output(weights, v), weights)
}

/// What each head divides its scores by before the softmax. The default,
/// $\sqrt{d_k}$, is the Transformer's (tutorial §4.2); `None` is the
/// ablation of `encdec experiment scale`, which shows the softmax saturate
/// as $d_k$ grows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum AttentionScale {
    /// Scores divided by $\sqrt{d_k}$.
    #[default]
    InverseSqrtDk,
    /// Scores used as they are.
    None,
}

impl AttentionScale {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            AttentionScale::InverseSqrtDk => "inverse-sqrt-dk",
            AttentionScale::None => "none",
        }
    }

    /// The factor the scores are multiplied by: $1/\sqrt{d_k}$ or 1.
    pub fn factor(self, d_k: usize) -> Float {
        match self {
            AttentionScale::InverseSqrtDk => 1.0 / (d_k as Float).sqrt(),
            AttentionScale::None => 1.0,
        }
    }

    /// The `d_k` handed to [`crate::nn::attention_weights`]: `Some(d_k)` to
    /// scale, `None` not to.
    pub fn d_k(self, d_k: usize) -> Option<usize> {
        match self {
            AttentionScale::InverseSqrtDk => Some(d_k),
            AttentionScale::None => None,
        }
    }
}
