//! Transformer encoder and decoder layers, and stacks of them.
//!
//! **Post-norm**, as the original paper and PyTorch's default
//! (`norm_first=False`): each sub-layer is wrapped as
//! $x \leftarrow \mathrm{LayerNorm}(x + \mathrm{Dropout}(\mathrm{Sublayer}(x)))$,
//! the residual connection first, the normalisation after it.

use super::Module;
use super::feed_forward::FeedForward;
use super::layer_norm::LayerNorm;
use super::multi_head::MultiHeadAttention;
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Float, Mask, Rng};

/// The residual connection around a sub-layer, then layer norm (post-norm):
///
/// $$ y = \mathrm{LayerNorm}\big(x + \mathrm{Dropout}(s)\big) $$
///
/// where $s$ is the sub-layer's output. Dropout applies only when `train` is given.
///
/// # Backward
/// $\bar x = \bar u$ and $\bar s = \bar u$ (through dropout's mask), with $\bar u$
/// the gradient of the layer norm's input: the residual path hands the
/// gradient straight to $x$.
///
/// # Shapes
/// `x`, `s`: `[.., d_model]` -> `[.., d_model]`
///
/// Checked by `tests/transformer.rs::encoder_layer_gradcheck` and
/// `tests/parity.rs::transformer_encoder_layer_matches_pytorch`.
pub fn residual_norm<'t>(
    tape: &'t Tape,
    norm: &LayerNorm,
    x: Var<'t>,
    s: Var<'t>,
    p: Float,
    train: Option<&mut Rng>,
) -> Var<'t> {
    norm.forward(tape, x + s.dropout(p, train))
}

/// One encoder layer: self-attention, then the feed-forward block, each
/// inside [`residual_norm`]. Names as `nn.TransformerEncoderLayer`.
#[derive(Clone, Debug)]
pub struct EncoderLayer {
    /// Self-attention.
    pub self_attn: MultiHeadAttention,
    /// `linear1`, `linear2`.
    pub ff: FeedForward,
    /// After self-attention.
    pub norm1: LayerNorm,
    /// After the feed-forward block.
    pub norm2: LayerNorm,
    /// Dropout rate (used only in training).
    pub dropout: Float,
}

impl EncoderLayer {
    /// An encoder layer of width `d_model`, `n_heads` heads, feed-forward size `d_ff`.
    pub fn new(
        prefix: &str,
        d_model: usize,
        n_heads: usize,
        d_ff: usize,
        dropout: Float,
        rng: &mut Rng,
    ) -> EncoderLayer {
        let join = |n: &str| super::join(prefix, n);
        EncoderLayer {
            self_attn: MultiHeadAttention::new(&join("self_attn"), d_model, n_heads, rng),
            ff: FeedForward::new(prefix, d_model, d_ff, rng),
            norm1: LayerNorm::new(&join("norm1"), d_model),
            norm2: LayerNorm::new(&join("norm2"), d_model),
            dropout,
        }
    }

    /// $x \leftarrow \mathrm{LN}(x + \mathrm{MHA}(x, x, x))$, then
    /// $x \leftarrow \mathrm{LN}(x + \mathrm{FFN}(x))$. `mask` hides keys
    /// (padding, `[batch, 1, len]`). Returns the output and the per-head
    /// self-attention weights `[batch, heads, len, len]`.
    ///
    /// # Shapes
    /// `x`: `[batch, len, d_model]` -> `[batch, len, d_model]`
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        mask: Option<&Mask>,
        mut train: Option<&mut Rng>,
    ) -> (Var<'t>, Var<'t>) {
        let (a, weights) = self.self_attn.forward(tape, x, x, x, mask);
        let x = residual_norm(tape, &self.norm1, x, a, self.dropout, train.as_deref_mut());
        let f = self.ff.forward(tape, x, self.dropout, train.as_deref_mut());
        (
            residual_norm(tape, &self.norm2, x, f, self.dropout, train),
            weights,
        )
    }
}

/// One decoder layer: masked self-attention, cross-attention over the
/// encoder's output (the "memory"), then the feed-forward block, each inside
/// [`residual_norm`]. Names as `nn.TransformerDecoderLayer`.
#[derive(Clone, Debug)]
pub struct DecoderLayer {
    /// Masked self-attention.
    pub self_attn: MultiHeadAttention,
    /// Cross-attention (queries from the decoder, keys and values from the memory).
    pub multihead_attn: MultiHeadAttention,
    /// `linear1`, `linear2`.
    pub ff: FeedForward,
    /// After self-attention.
    pub norm1: LayerNorm,
    /// After cross-attention.
    pub norm2: LayerNorm,
    /// After the feed-forward block.
    pub norm3: LayerNorm,
    /// Dropout rate (used only in training).
    pub dropout: Float,
}

/// What a decoder layer returns.
#[derive(Clone, Copy, Debug)]
pub struct DecoderOutput<'t> {
    /// `[batch, tgt, d_model]`.
    pub y: Var<'t>,
    /// Masked self-attention weights `[batch, heads, tgt, tgt]`.
    pub self_weights: Var<'t>,
    /// Cross-attention weights `[batch, heads, tgt, src]`: which source words
    /// each target word looked at.
    pub cross_weights: Var<'t>,
}

impl DecoderLayer {
    /// A decoder layer of width `d_model`, `n_heads` heads, feed-forward size `d_ff`.
    pub fn new(
        prefix: &str,
        d_model: usize,
        n_heads: usize,
        d_ff: usize,
        dropout: Float,
        rng: &mut Rng,
    ) -> DecoderLayer {
        let join = |n: &str| super::join(prefix, n);
        DecoderLayer {
            self_attn: MultiHeadAttention::new(&join("self_attn"), d_model, n_heads, rng),
            multihead_attn: MultiHeadAttention::new(&join("multihead_attn"), d_model, n_heads, rng),
            ff: FeedForward::new(prefix, d_model, d_ff, rng),
            norm1: LayerNorm::new(&join("norm1"), d_model),
            norm2: LayerNorm::new(&join("norm2"), d_model),
            norm3: LayerNorm::new(&join("norm3"), d_model),
            dropout,
        }
    }

    /// `tgt_mask` hides future (and padded) target positions, e.g.
    /// [`Mask::causal`]; `memory_mask` hides padded source positions.
    ///
    /// # Shapes
    /// `x`: `[batch, tgt, d_model]`, `memory`: `[batch, src, d_model]` -> [`DecoderOutput`]
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        memory: Var<'t>,
        (tgt_mask, memory_mask): (Option<&Mask>, Option<&Mask>),
        mut train: Option<&mut Rng>,
    ) -> DecoderOutput<'t> {
        let p = self.dropout;
        let (a, self_weights) = self.self_attn.forward(tape, x, x, x, tgt_mask);
        let x = residual_norm(tape, &self.norm1, x, a, p, train.as_deref_mut());
        let (c, cross_weights) = self
            .multihead_attn
            .forward(tape, x, memory, memory, memory_mask);
        let x = residual_norm(tape, &self.norm2, x, c, p, train.as_deref_mut());
        let f = self.ff.forward(tape, x, p, train.as_deref_mut());
        let y = residual_norm(tape, &self.norm3, x, f, p, train);
        DecoderOutput {
            y,
            self_weights,
            cross_weights,
        }
    }
}

impl Module for EncoderLayer {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.self_attn.params_mut();
        p.extend(self.ff.params_mut());
        p.extend(self.norm1.params_mut());
        p.extend(self.norm2.params_mut());
        p
    }
}

impl Module for DecoderLayer {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.self_attn.params_mut();
        p.extend(self.multihead_attn.params_mut());
        p.extend(self.ff.params_mut());
        for n in [&mut self.norm1, &mut self.norm2, &mut self.norm3] {
            p.extend(n.params_mut());
        }
        p
    }
}
