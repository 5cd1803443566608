//! Attention over the encoder's outputs (tutorial §2.3): at each decoding
//! step, score every encoder state against the decoder's state, turn the
//! scores into weights, and average the encoder states with them.
//!
//! Two classic scores: Luong's dot product and Bahdanau's additive score.

use super::Module;
use super::linear::linear;
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Mask, Rng, Tensor};

/// Luong's "dot" score of a decoder state $q$ against each encoder state $h_j$:
///
/// $$ e_j = q^\top h_j $$
///
/// # Backward
/// $\bar q = \sum_j \bar e_j h_j$, $\bar h_j = \bar e_j q$.
///
/// # Shapes
/// `query`: `[batch, hidden]`, `keys`: `[batch, src, hidden]` -> `[batch, src]`
///
/// # Panics
/// If the hidden sizes differ.
///
/// Checked by `tests/attention.rs::dot_attention_by_hand` and `dot_attention_gradcheck`.
pub fn dot_scores<'t>(query: Var<'t>, keys: Var<'t>) -> Var<'t> {
    let (b, h) = (query.shape()[0], query.shape()[1]);
    let s = keys.shape()[1];
    keys.matmul(query.reshape(&[b, h, 1])).reshape(&[b, s])
}

/// Bahdanau's additive score, a one-hidden-layer network of the two states:
///
/// $$ e_j = v^\top \tanh(W_q q + W_k h_j) $$
///
/// # Backward
/// With $u_j = \tanh(W_q q + W_k h_j)$ and $\bar a_j = \bar e_j v \odot (1 - u_j^2)$:
/// $\bar v = \sum_j \bar e_j u_j$, $\bar W_q = \sum_j \bar a_j q^\top$,
/// $\bar W_k = \sum_j \bar a_j h_j^\top$, $\bar q = W_q^\top \sum_j \bar a_j$,
/// $\bar h_j = W_k^\top \bar a_j$.
///
/// # Shapes
/// `query`: `[batch, hq]`, `keys`: `[batch, src, hk]`, `w_q`: `[units, hq]`,
/// `w_k`: `[units, hk]`, `v`: `[units]` -> `[batch, src]`
///
/// # Panics
/// If the shapes do not fit.
///
/// Checked by `tests/attention.rs::additive_attention_gradcheck`.
pub fn additive_scores<'t>(
    query: Var<'t>,
    keys: Var<'t>,
    w_q: Var<'t>,
    w_k: Var<'t>,
    v: Var<'t>,
) -> Var<'t> {
    let (b, s) = (keys.shape()[0], keys.shape()[1]);
    let units = v.shape()[0];
    let q = linear(query, w_q, None).reshape(&[b, 1, units]); // W_q q, one per batch row
    let k = linear(keys, w_k, None); // W_k h_j for every j: [b, s, units]
    let u = (k + q).tanh();
    linear(u, v.reshape(&[1, units]), None).reshape(&[b, s])
}

/// Alignment weights: a softmax of the scores over the source positions,
/// with padded positions (at or past each sequence's length) given weight 0:
///
/// $$ \alpha_j = \frac{\exp(e_j)}{\sum_k \exp(e_k)} $$
///
/// # Backward
/// That of [`Var::softmax`]: $\bar e_j = \alpha_j(\bar\alpha_j - \sum_k \alpha_k\bar\alpha_k)$.
///
/// # Shapes
/// `scores`: `[batch, src]` -> `[batch, src]`
///
/// # Panics
/// If `lengths` does not have one entry per batch row, or one exceeds `src`.
///
/// Checked by `tests/attention.rs::dot_attention_by_hand` and
/// `tests/properties.rs::padded_positions_do_not_change_real_outputs`.
pub fn alignment_weights<'t>(scores: Var<'t>, lengths: Option<&[usize]>) -> Var<'t> {
    let s = scores.shape();
    match lengths {
        None => scores.softmax(),
        Some(l) => {
            assert!(
                l.len() == s[0],
                "alignment_weights: {} lengths for batch {}",
                l.len(),
                s[0]
            );
            let mask = Mask::padding(l, s[1]).reshape(&[s[0], s[1]]);
            scores.masked_fill(&mask, f64::NEG_INFINITY).softmax()
        }
    }
}

/// The context vector, the weighted average of the encoder states:
///
/// $$ c = \sum_j \alpha_j h_j $$
///
/// # Backward
/// $\bar\alpha_j = \bar c^\top h_j$, $\bar h_j = \alpha_j \bar c$.
///
/// # Shapes
/// `weights`: `[batch, src]`, `values`: `[batch, src, hidden]` -> `[batch, hidden]`
///
/// # Panics
/// If the shapes do not fit.
///
/// Checked by `tests/attention.rs::dot_attention_by_hand` and
/// `tests/properties.rs::attention_output_is_in_the_convex_hull_of_the_values`.
pub fn attention_context<'t>(weights: Var<'t>, values: Var<'t>) -> Var<'t> {
    let (b, s) = (weights.shape()[0], weights.shape()[1]);
    let h = values.shape()[2];
    weights.reshape(&[b, 1, s]).matmul(values).reshape(&[b, h])
}

/// Luong (dot-product) attention: no parameters.
#[derive(Clone, Copy, Debug, Default)]
pub struct DotAttention;

impl DotAttention {
    /// [`dot_scores`], [`alignment_weights`], [`attention_context`].
    /// Returns `(context [batch, hidden], weights [batch, src])`.
    pub fn forward<'t>(
        &self,
        query: Var<'t>,
        keys: Var<'t>,
        lengths: Option<&[usize]>,
    ) -> (Var<'t>, Var<'t>) {
        let weights = alignment_weights(dot_scores(query, keys), lengths);
        (attention_context(weights, keys), weights)
    }
}

/// Bahdanau (additive) attention with parameters `w_query` `[units, hq]`,
/// `w_key` `[units, hk]` and `v` `[units]`.
#[derive(Clone, Debug)]
pub struct AdditiveAttention {
    /// $W_q$.
    pub w_query: Param,
    /// $W_k$.
    pub w_key: Param,
    /// $v$.
    pub v: Param,
}

impl AdditiveAttention {
    /// Additive attention between decoder states of size `hq` and encoder
    /// states of size `hk`, through `units` hidden units.
    pub fn new(
        prefix: &str,
        hq: usize,
        hk: usize,
        units: usize,
        rng: &mut Rng,
    ) -> AdditiveAttention {
        let p = |name: &str, t: Tensor| Param::new(&super::join(prefix, name), t);
        AdditiveAttention {
            w_query: p("w_query", Tensor::xavier_uniform(&[units, hq], rng)),
            w_key: p("w_key", Tensor::xavier_uniform(&[units, hk], rng)),
            v: p(
                "v",
                Tensor::xavier_uniform(&[1, units], rng).reshape(&[units]),
            ),
        }
    }

    /// [`additive_scores`], [`alignment_weights`], [`attention_context`].
    /// Returns `(context [batch, hk], weights [batch, src])`.
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        query: Var<'t>,
        keys: Var<'t>,
        lengths: Option<&[usize]>,
    ) -> (Var<'t>, Var<'t>) {
        let (w_q, w_k, v) = (
            tape.param(&self.w_query),
            tape.param(&self.w_key),
            tape.param(&self.v),
        );
        let weights = alignment_weights(additive_scores(query, keys, w_q, w_k, v), lengths);
        (attention_context(weights, keys), weights)
    }
}

impl Module for AdditiveAttention {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![&mut self.w_query, &mut self.w_key, &mut self.v]
    }
}
