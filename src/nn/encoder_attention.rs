//! Attention over the encoder's outputs (tutorial §2.3) is the attention of
//! §4.2 without the scale: at each target position $t$ the decoder state
//! $s_t$ is the query, the encoder outputs $h_j$ are the keys and the values.
//!
//! | step | §2.3 | computed by (the §4.2 function) |
//! |---|---|---|
//! | score | Luong: $e_{tj} = s_t^\top h_j$; Bahdanau: [`additive_scores`] | [`attention_scores`] |
//! | weights | $\alpha_{tj} = \exp(e_{tj}) / \sum_k \exp(e_{tk})$, padding masked | [`attention_weights`] with `d_k = None` |
//! | context | $c_t = \sum_j \alpha_{tj} h_j$ | [`attention_output`] |
//!
//! One convention throughout: queries `[batch, n_q, ..]`, keys and values
//! `[batch, n_k, ..]`, scores and weights `[batch, n_q, n_k]`; all target
//! positions are attended at once.

use super::Module;
use super::linear::linear;
use super::scaled_dot_product::{attention_output, attention_scores, attention_weights};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Mask, Rng, Tensor};

/// Bahdanau's additive score, a one-hidden-layer network of the two states:
///
/// $$ e_{ij} = v^\top \tanh(W_q q_i + W_k k_j) $$
///
/// # Backward
/// With $u_{ij} = \tanh(W_q q_i + W_k k_j)$ and $\bar a_{ij} = \bar e_{ij} v \odot (1 - u_{ij}^2)$:
/// $\bar v = \sum_{ij} \bar e_{ij} u_{ij}$, $\bar W_q = \sum_{ij} \bar a_{ij} q_i^\top$,
/// $\bar W_k = \sum_{ij} \bar a_{ij} k_j^\top$, $\bar q_i = W_q^\top \sum_j \bar a_{ij}$,
/// $\bar k_j = W_k^\top \sum_i \bar a_{ij}$.
///
/// # Shapes
/// `q`: `[batch, n_q, hq]`, `k`: `[batch, n_k, hk]`, `w_q`: `[units, hq]`,
/// `w_k`: `[units, hk]`, `v`: `[units]` -> `[batch, n_q, n_k]`
///
/// # Panics
/// If the shapes do not fit.
///
/// Checked by `tests/nn/attention.rs::additive_attention_gradcheck`.
pub fn additive_scores<'t>(
    q: Var<'t>,
    k: Var<'t>,
    w_q: Var<'t>,
    w_k: Var<'t>,
    v: Var<'t>,
) -> Var<'t> {
    let (b, n_q, n_k) = (q.shape()[0], q.shape()[1], k.shape()[1]);
    let units = v.shape()[0];
    let q = linear(q, w_q, None).reshape(&[b, n_q, 1, units]); // W_q q_i
    let k = linear(k, w_k, None).reshape(&[b, 1, n_k, units]); // W_k k_j
    let u = (q + k).tanh(); // [b, n_q, n_k, units]
    linear(u, v.reshape(&[1, units]), None).reshape(&[b, n_q, n_k])
}

/// The padding mask of a batch of encoder outputs, `[batch, 1, n_k]`
/// (position $j$ of sentence $b$ is hidden when $j \ge$ `lengths[b]`).
fn padding(lengths: Option<&[usize]>, n_k: usize) -> Option<Mask> {
    lengths.map(|l| Mask::padding(l, n_k))
}

/// Luong (dot-product) attention: no parameters.
#[derive(Clone, Copy, Debug, Default)]
pub struct DotAttention;

impl DotAttention {
    /// [`attention_scores`], [`attention_weights`] without the scale (padding
    /// past `lengths` masked), [`attention_output`]: every decoder state
    /// attends to the encoder outputs, which are both keys and values.
    ///
    /// # Shapes
    /// `queries`: `[batch, n_q, hidden]`, `keys`: `[batch, n_k, hidden]` ->
    /// (`context` `[batch, n_q, hidden]`, `weights` `[batch, n_q, n_k]`)
    pub fn forward<'t>(
        &self,
        queries: Var<'t>,
        keys: Var<'t>,
        lengths: Option<&[usize]>,
    ) -> (Var<'t>, Var<'t>) {
        let mask = padding(lengths, keys.shape()[1]);
        let weights = attention_weights(attention_scores(queries, keys), None, mask.as_ref());
        (attention_output(weights, keys), weights)
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

    /// [`additive_scores`], [`attention_weights`] without the scale (padding
    /// past `lengths` masked), [`attention_output`].
    ///
    /// # Shapes
    /// `queries`: `[batch, n_q, hq]`, `keys`: `[batch, n_k, hk]` ->
    /// (`context` `[batch, n_q, hk]`, `weights` `[batch, n_q, n_k]`)
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        queries: Var<'t>,
        keys: Var<'t>,
        lengths: Option<&[usize]>,
    ) -> (Var<'t>, Var<'t>) {
        let (w_q, w_k, v) = (
            tape.param(&self.w_query),
            tape.param(&self.w_key),
            tape.param(&self.v),
        );
        let scores = additive_scores(queries, keys, w_q, w_k, v);
        let mask = padding(lengths, keys.shape()[1]);
        let weights = attention_weights(scores, None, mask.as_ref());
        (attention_output(weights, keys), weights)
    }
}

impl Module for AdditiveAttention {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![&mut self.w_query, &mut self.w_key, &mut self.v]
    }
}
