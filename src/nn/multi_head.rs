// Long file: the layer, its PyTorch options (kdim, vdim, bias, float masks) and its fused and composed paths.
//! Multi-head attention: several scaled dot-product attentions side by side,
//! each on its own slice of a learned projection (PyTorch's
//! `nn.MultiheadAttention`, with its parameter names and its options
//! `kdim`, `vdim`, `bias` and a float `attn_mask`).

use super::Module;
use super::linear::{Linear, linear};
use super::scaled_dot_product::{
    AttentionScale, attention_output, attention_scores, attention_weights_biased,
};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{FloatMask, Mask, Rng, Tensor};

/// The options of `nn.MultiheadAttention` that change its parameters:
/// key and value sizes and whether the projections have biases. The
/// default (`kdim = vdim = d_model`, biases) is the Transformer's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MhaOptions {
    /// Size of the keys handed in (PyTorch's `kdim`); `None` = `d_model`.
    pub kdim: Option<usize>,
    /// Size of the values handed in (`vdim`); `None` = `d_model`.
    pub vdim: Option<usize>,
    /// Whether $W^Q, W^K, W^V$ and $W^O$ have biases (`bias`).
    pub bias: bool,
}

impl Default for MhaOptions {
    fn default() -> MhaOptions {
        MhaOptions {
            kdim: None,
            vdim: None,
            bias: true,
        }
    }
}

/// The input projections $W^Q, W^K, W^V$, stored as PyTorch stores them.
#[derive(Clone, Debug)]
pub enum InProjection {
    /// Keys and values of size `d_model`: `in_proj_weight` `[3 d_model,
    /// d_model]` stacks them (rows `0..d`, `d..2d`, `2d..3d`).
    Packed(Param),
    /// Other key or value sizes: `q_proj_weight` `[d_model, d_model]`,
    /// `k_proj_weight` `[d_model, kdim]`, `v_proj_weight` `[d_model, vdim]`.
    Separate {
        /// $W^Q$.
        q: Param,
        /// $W^K$.
        k: Param,
        /// $W^V$.
        v: Param,
    },
}

/// Multi-head attention with `n_heads` heads of size $d_k = d_{model}/h$:
///
/// $$ \mathrm{head}\_h = \mathrm{softmax}\Big(\frac{(Q W^Q_h)(K W^K_h)^\top}{\sqrt{d_k}}\Big) V W^V_h,\qquad
///    \mathrm{MHA}(Q, K, V) = [\mathrm{head}\_1; \dots; \mathrm{head}\_h] W^O $$
///
/// Parameters as PyTorch: `in_proj_weight` `[3 d_model, d_model]` stacks
/// $W^Q, W^K, W^V$ (rows `0..d`, `d..2d`, `2d..3d`), `in_proj_bias` likewise,
/// and `out_proj.weight`, `out_proj.bias` make $W^O$. Head $h$ uses columns
/// `h d_k .. (h+1) d_k` of each projection. With [`MhaOptions`]: keys of
/// size `kdim` or values of size `vdim` other than `d_model` give three
/// matrices `q_proj_weight`, `k_proj_weight` `[d_model, kdim]`,
/// `v_proj_weight` `[d_model, vdim]` instead of `in_proj_weight` (as
/// PyTorch); `bias = false` drops `in_proj_bias` and `out_proj.bias`.
///
/// With a float mask $M$ ([`FloatMask`], [`MultiHeadAttention::forward_with`])
/// each head is $\mathrm{softmax}\big((Q W^Q_h)(K W^K_h)^\top/\sqrt{d_k} + M_h\big) V W^V_h$.
///
/// # Backward
/// Through [`crate::nn::scaled_dot_product_attention`] for each head, the concatenation
/// (each head gets its slice of the gradient back) and the three linear maps.
///
/// # Shapes
/// `query` `[batch, n_q, d_model]`, `key` `[batch, n_k, kdim]`, `value`
/// `[batch, n_k, vdim]`, `mask` broadcasting to `[batch, n_q, n_k]`, float
/// mask as [`FloatMask`] -> (`[batch, n_q, d_model]`, per-head weights
/// `[batch, n_heads, n_q, n_k]`)
///
/// # Panics
/// If `d_model` is not a multiple of `n_heads` (at creation), or the shapes do not fit.
///
/// Checked by `tests/nn/attention.rs::multi_head_attention_gradcheck`,
/// `tests/nn/parity.rs::mha_cross_matches_pytorch`, `mha_self_causal_matches_pytorch`,
/// and for the options `tests/nn/attention_options.rs::kv_sizes_no_bias_matches_pytorch`, `per_head_float_mask_matches_pytorch`
/// and `options_gradcheck`.
#[derive(Clone, Debug)]
pub struct MultiHeadAttention {
    /// $W^Q, W^K, W^V$: `in_proj_weight`, or three matrices.
    pub in_proj: InProjection,
    /// Their biases stacked, `[3 d_model]`; `None` without biases.
    pub in_proj_bias: Option<Param>,
    /// $W^O$ and its bias (none without biases).
    pub out_proj: Linear,
    /// $h$.
    pub n_heads: usize,
    /// $1/\sqrt{d_k}$ (the default) or no scale.
    pub scale: AttentionScale,
}

impl MultiHeadAttention {
    /// Attention of width `d_model` with `n_heads` heads (keys and values of
    /// size `d_model`, biases), as `nn.MultiheadAttention(d_model, n_heads)`.
    ///
    /// # Panics
    /// If `n_heads` is 0 or does not divide `d_model`.
    pub fn new(prefix: &str, d_model: usize, n_heads: usize, rng: &mut Rng) -> MultiHeadAttention {
        MultiHeadAttention::with_options(prefix, d_model, n_heads, MhaOptions::default(), rng)
    }

    /// Attention with `kdim`, `vdim` and `bias` as in [`MhaOptions`]. Weights
    /// are Xavier-uniform (each separate matrix on its own shape, as
    /// PyTorch), biases zero.
    ///
    /// # Panics
    /// If `n_heads` is 0 or does not divide `d_model`, or `kdim`/`vdim` is 0.
    pub fn with_options(
        prefix: &str,
        d_model: usize,
        n_heads: usize,
        options: MhaOptions,
        rng: &mut Rng,
    ) -> MultiHeadAttention {
        assert!(
            n_heads > 0 && d_model.is_multiple_of(n_heads),
            "MultiHeadAttention: d_model {d_model} is not a multiple of n_heads {n_heads}"
        );
        let kdim = options.kdim.unwrap_or(d_model);
        let vdim = options.vdim.unwrap_or(d_model);
        assert!(
            kdim > 0 && vdim > 0,
            "MultiHeadAttention: kdim {kdim} and vdim {vdim} must be positive"
        );
        let join = |name: &str| super::join(prefix, name);
        let xavier = |name: &str, cols: usize, rng: &mut Rng| {
            Param::new(&join(name), Tensor::xavier_uniform(&[d_model, cols], rng))
        };
        let in_proj = if kdim == d_model && vdim == d_model {
            InProjection::Packed(Param::new(
                &join("in_proj_weight"),
                Tensor::xavier_uniform(&[3 * d_model, d_model], rng),
            ))
        } else {
            InProjection::Separate {
                q: xavier("q_proj_weight", d_model, rng),
                k: xavier("k_proj_weight", kdim, rng),
                v: xavier("v_proj_weight", vdim, rng),
            }
        };
        MultiHeadAttention {
            in_proj,
            in_proj_bias: options
                .bias
                .then(|| Param::new(&join("in_proj_bias"), Tensor::zeros(&[3 * d_model]))),
            out_proj: Linear::new(&join("out_proj"), d_model, d_model, options.bias, rng),
            n_heads,
            scale: AttentionScale::default(),
        }
    }

    /// The model width $d_{model}$.
    pub fn d_model(&self) -> usize {
        self.out_proj.weight.shape()[0]
    }

    /// Attends from `query` to `key`/`value`; see the type's documentation.
    ///
    /// The heads run as one fused node ([`Var::attention`]); the result
    /// equals [`MultiHeadAttention::forward_composed`], the §4.2 functions
    /// head by head, to rounding
    /// (`tests/core/fused.rs::fused_multi_head_attention_equals_the_composed_heads`).
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        query: Var<'t>,
        key: Var<'t>,
        value: Var<'t>,
        mask: Option<&Mask>,
    ) -> (Var<'t>, Var<'t>) {
        self.forward_with(tape, query, key, value, mask, None)
    }

    /// [`MultiHeadAttention::forward`] with an optional additive mask $M$
    /// ([`FloatMask`]) added to every head's scaled scores (or head $h$'s
    /// own slice of a `[batch, n_heads, n_q, n_k]` mask) before the softmax,
    /// as PyTorch's float `attn_mask`; the boolean `mask` still applies.
    /// With a float mask the heads run composed
    /// ([`MultiHeadAttention::forward_composed`]'s path).
    ///
    /// # Backward
    /// $M$ is a constant: the gradient passes through the addition to the
    /// scores unchanged (see [`crate::nn::attention_weights_biased`]).
    ///
    /// # Panics
    /// If the shapes do not fit or a mask does not broadcast to `[batch, n_q, n_k]`.
    pub fn forward_with<'t>(
        &self,
        tape: &'t Tape,
        query: Var<'t>,
        key: Var<'t>,
        value: Var<'t>,
        mask: Option<&Mask>,
        float_mask: Option<&FloatMask>,
    ) -> (Var<'t>, Var<'t>) {
        if float_mask.is_some() {
            return self.composed(tape, query, key, value, mask, float_mask);
        }
        let (q, k, v) = self.project(tape, query, key, value);
        self.attend(tape, q, (k, v), mask)
    }

    /// The fused heads over projections already made, then $W^O$ (shared
    /// with the cached decoding step, [`crate::nn::KvCache`]).
    pub(super) fn attend<'t>(
        &self,
        tape: &'t Tape,
        q: Var<'t>,
        (k, v): (Var<'t>, Var<'t>),
        mask: Option<&Mask>,
    ) -> (Var<'t>, Var<'t>) {
        let d_k = self.d_model() / self.n_heads;
        let scale = self.scale.factor(d_k);
        let (z, weights) = q.attention(k, v, self.n_heads, scale, mask);
        (self.out_proj.forward(tape, z), weights)
    }

    /// The reference: [`crate::nn::scaled_dot_product_attention`] on each
    /// head's slice of the projections, then the heads concatenated, as the
    /// formula reads. Same contract as [`MultiHeadAttention::forward`].
    pub fn forward_composed<'t>(
        &self,
        tape: &'t Tape,
        query: Var<'t>,
        key: Var<'t>,
        value: Var<'t>,
        mask: Option<&Mask>,
    ) -> (Var<'t>, Var<'t>) {
        self.composed(tape, query, key, value, mask, None)
    }

    /// The heads one by one, each with its part of the float mask.
    fn composed<'t>(
        &self,
        tape: &'t Tape,
        query: Var<'t>,
        key: Var<'t>,
        value: Var<'t>,
        mask: Option<&Mask>,
        float_mask: Option<&FloatMask>,
    ) -> (Var<'t>, Var<'t>) {
        let d_k = self.d_model() / self.n_heads;
        let (q, k, v) = self.project(tape, query, key, value);
        let head = |x: Var<'t>, h: usize| x.slice(2, h * d_k, (h + 1) * d_k);
        let (mut outputs, mut weights) = (vec![], vec![]);
        for h in 0..self.n_heads {
            let bias = float_mask.map(|m| tape.constant(m.head(h, self.n_heads)));
            let scores = attention_scores(head(q, h), head(k, h));
            let a = attention_weights_biased(scores, self.scale.d_k(d_k), mask, bias);
            let z = attention_output(a, head(v, h));
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
        let p = |x, part| self.projection(tape, x, part);
        (p(query, 0), p(key, 1), p(value, 2))
    }

    /// One of the three input projections with its bias: `part` 0 is
    /// $x W^Q$, 1 is $x W^K$, 2 is $x W^V$, `[batch, n, d_model]`.
    pub(super) fn projection<'t>(&self, tape: &'t Tape, x: Var<'t>, part: usize) -> Var<'t> {
        let d = self.d_model();
        let rows = |w: Var<'t>| w.slice(0, part * d, (part + 1) * d);
        let bias = self.in_proj_bias.as_ref().map(|b| rows(tape.param(b)));
        let w = match &self.in_proj {
            InProjection::Packed(w) => rows(tape.param(w)),
            InProjection::Separate { q, k, v } => tape.param([q, k, v][part]),
        };
        linear(x, w, bias)
    }
}

impl Module for MultiHeadAttention {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = match &mut self.in_proj {
            InProjection::Packed(w) => vec![w],
            InProjection::Separate { q, k, v } => vec![q, k, v],
        };
        p.extend(self.in_proj_bias.as_mut());
        p.extend(self.out_proj.params_mut());
        p
    }
}
