//! Multi-head attention: several scaled dot-product attentions side by side,
//! each on its own slice of a learned projection (PyTorch's
//! `nn.MultiheadAttention`, with its parameter names).

use super::Module;
use super::linear::{Linear, linear};
use super::self_attention::scaled_dot_product_attention;
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Float, Mask, Rng, Tensor};

/// Multi-head attention with `n_heads` heads of size $d_k = d_{model}/h$:
///
/// $$ \mathrm{head}\_h = \mathrm{softmax}\Big(\frac{(Q W^Q_h)(K W^K_h)^\top}{\sqrt{d_k}}\Big) V W^V_h,\qquad
///    \mathrm{MHA}(Q, K, V) = [\mathrm{head}\_1; \dots; \mathrm{head}\_h] W^O $$
///
/// Parameters as PyTorch: `in_proj_weight` `[3 d_model, d_model]` stacks
/// $W^Q, W^K, W^V$ (rows `0..d`, `d..2d`, `2d..3d`), `in_proj_bias` likewise,
/// and `out_proj.weight`, `out_proj.bias` make $W^O$. Head $h$ uses columns
/// `h d_k .. (h+1) d_k` of each projection.
///
/// # Backward
/// Through [`scaled_dot_product_attention`] for each head, the concatenation
/// (each head gets its slice of the gradient back) and the three linear maps.
///
/// # Shapes
/// `query` `[batch, n_q, d_model]`, `key` and `value` `[batch, n_k, d_model]`,
/// `mask` broadcasting to `[batch, n_q, n_k]` -> (`[batch, n_q, d_model]`,
/// per-head weights `[batch, n_heads, n_q, n_k]`)
///
/// # Panics
/// If `d_model` is not a multiple of `n_heads` (at creation), or the shapes do not fit.
///
/// Checked by `tests/attention.rs::multi_head_attention_gradcheck` and
/// `tests/parity.rs::mha_cross_matches_pytorch`, `mha_self_causal_matches_pytorch`.
#[derive(Clone, Debug)]
pub struct MultiHeadAttention {
    /// $W^Q, W^K, W^V$ stacked, `[3 d_model, d_model]`.
    pub in_proj_weight: Param,
    /// Their biases stacked, `[3 d_model]`.
    pub in_proj_bias: Param,
    /// $W^O$ and its bias.
    pub out_proj: Linear,
    /// $h$.
    pub n_heads: usize,
}

impl MultiHeadAttention {
    /// Attention of width `d_model` with `n_heads` heads.
    ///
    /// # Panics
    /// If `n_heads` is 0 or does not divide `d_model`.
    pub fn new(prefix: &str, d_model: usize, n_heads: usize, rng: &mut Rng) -> MultiHeadAttention {
        assert!(
            n_heads > 0 && d_model.is_multiple_of(n_heads),
            "MultiHeadAttention: d_model {d_model} is not a multiple of n_heads {n_heads}"
        );
        let join = |name: &str| super::join(prefix, name);
        MultiHeadAttention {
            in_proj_weight: Param::new(
                &join("in_proj_weight"),
                Tensor::xavier_uniform(&[3 * d_model, d_model], rng),
            ),
            in_proj_bias: Param::new(&join("in_proj_bias"), Tensor::zeros(&[3 * d_model])),
            out_proj: Linear::new(&join("out_proj"), d_model, d_model, true, rng),
            n_heads,
        }
    }

    /// The model width $d_{model}$.
    pub fn d_model(&self) -> usize {
        self.in_proj_weight.shape()[1]
    }

    /// Attends from `query` to `key`/`value`; see the type's documentation.
    ///
    /// The heads run as one fused node ([`Var::attention`]); the result
    /// equals [`MultiHeadAttention::forward_composed`], the §4.2 functions
    /// head by head, to rounding
    /// (`tests/fused.rs::fused_multi_head_attention_equals_the_composed_heads`).
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        query: Var<'t>,
        key: Var<'t>,
        value: Var<'t>,
        mask: Option<&Mask>,
    ) -> (Var<'t>, Var<'t>) {
        let (q, k, v) = self.project(tape, query, key, value);
        let d_k = self.d_model() / self.n_heads;
        let scale = 1.0 / (d_k as Float).sqrt();
        let (z, weights) = q.attention(k, v, self.n_heads, scale, mask);
        (self.out_proj.forward(tape, z), weights)
    }

    /// The reference: [`scaled_dot_product_attention`] on each head's slice
    /// of the projections, then the heads concatenated, as the formula reads.
    /// Same contract as [`MultiHeadAttention::forward`].
    pub fn forward_composed<'t>(
        &self,
        tape: &'t Tape,
        query: Var<'t>,
        key: Var<'t>,
        value: Var<'t>,
        mask: Option<&Mask>,
    ) -> (Var<'t>, Var<'t>) {
        let d_k = self.d_model() / self.n_heads;
        let (q, k, v) = self.project(tape, query, key, value);
        let head = |x: Var<'t>, h: usize| x.slice(2, h * d_k, (h + 1) * d_k);
        let (mut outputs, mut weights) = (vec![], vec![]);
        for h in 0..self.n_heads {
            let (z, a) = scaled_dot_product_attention(head(q, h), head(k, h), head(v, h), mask);
            let s = a.shape(); // [batch, n_q, n_k]
            outputs.push(z);
            weights.push(a.reshape(&[s[0], 1, s[1], s[2]]));
        }
        let z = Var::concat(&outputs, 2);
        (self.out_proj.forward(tape, z), Var::concat(&weights, 1))
    }

    /// $Q W^Q$, $K W^K$, $V W^V$ with their biases, each `[batch, n, d_model]`.
    fn project<'t>(
        &self,
        tape: &'t Tape,
        query: Var<'t>,
        key: Var<'t>,
        value: Var<'t>,
    ) -> (Var<'t>, Var<'t>, Var<'t>) {
        let d = self.d_model();
        let (w, b) = (
            tape.param(&self.in_proj_weight),
            tape.param(&self.in_proj_bias),
        );
        let project = |x: Var<'t>, k: usize| {
            linear(
                x,
                w.slice(0, k * d, (k + 1) * d),
                Some(b.slice(0, k * d, (k + 1) * d)),
            )
        };
        (project(query, 0), project(key, 1), project(value, 2))
    }
}

impl Module for MultiHeadAttention {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = vec![&mut self.in_proj_weight, &mut self.in_proj_bias];
        p.extend(self.out_proj.params_mut());
        p
    }
}
