//! Transformer encoder and decoder layers (stacks of them: `transformer_stack.rs`).
//!
//! **Post-norm** by default, as the original paper and PyTorch's default
//! (`norm_first=False`): each sub-layer is wrapped as
//! $x \leftarrow \mathrm{LayerNorm}(x + \mathrm{Dropout}(\mathrm{Sublayer}(x)))$,
//! the residual connection first, the normalisation after it.
//! **Pre-norm** (`norm_first`, as the Annotated Transformer and GPT-2) wraps
//! it as $x \leftarrow x + \mathrm{Dropout}(\mathrm{Sublayer}(\mathrm{LayerNorm}(x)))$:
//! the residual path then carries $x$ untouched from the first layer to the
//! last, which is why pre-norm stacks end with a final layer norm
//! ([`super::StackConfig::final_norm`]); see [`sublayer_connection`]
//! (`sublayer.rs`).

use super::Module;
use super::feed_forward::{FeedForward, FfnActivation};
use super::layer_norm::LayerNorm;
use super::multi_head::MultiHeadAttention;
use super::sublayer::sublayer_connection;
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Float, Mask, Rng};

/// An attention sub-layer in its [`sublayer_connection`]: self-attention
/// when `memory` is `None`, else cross-attention whose keys and values are
/// the memory (never normalised here; the queries are). Returns the new `x`
/// and the weights `[batch, heads, n_q, n_k]`.
fn attention_block<'t>(
    (tape, norm, norm_first): (&'t Tape, &LayerNorm, bool),
    attn: &MultiHeadAttention,
    x: Var<'t>,
    memory: Option<Var<'t>>,
    mask: Option<&Mask>,
    dropout: (Float, Option<&mut Rng>),
) -> (Var<'t>, Var<'t>) {
    let mut weights = None;
    let y = sublayer_connection(tape, norm, norm_first, x, dropout, |h, _| {
        let kv = memory.unwrap_or(h);
        let (a, w) = attn.forward(tape, h, kv, kv, mask);
        weights = Some(w);
        a
    });
    (y, weights.expect("the attention sub-layer ran"))
}

/// How a layer is wired: post-norm or pre-norm, ReLU or GELU. The default
/// is post-norm with ReLU (PyTorch's defaults).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LayerOptions {
    /// Pre-norm (`norm_first=True` in PyTorch): see [`sublayer_connection`].
    pub norm_first: bool,
    /// The feed-forward block's activation.
    pub activation: FfnActivation,
}

/// One encoder layer: self-attention, then the feed-forward block, each
/// inside [`sublayer_connection`]. Names as `nn.TransformerEncoderLayer`.
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
    /// Pre-norm instead of post-norm.
    pub norm_first: bool,
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
            norm_first: false,
        }
    }

    /// The layer rewired by `options` (no parameter changes: pre-norm and
    /// GELU have the same weights as post-norm and ReLU).
    pub fn with_options(mut self, options: LayerOptions) -> EncoderLayer {
        self.norm_first = options.norm_first;
        self.ff.activation = options.activation;
        self
    }

    /// Post-norm: $x \leftarrow \mathrm{LN}_1(x + \mathrm{MHA}(x, x, x))$, then
    /// $x \leftarrow \mathrm{LN}_2(x + \mathrm{FFN}(x))$; pre-norm:
    /// $x \leftarrow x + \mathrm{MHA}(h, h, h)$ with $h = \mathrm{LN}_1(x)$, then
    /// $x \leftarrow x + \mathrm{FFN}(\mathrm{LN}_2(x))$. `mask` hides keys
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
        let (p, first) = (self.dropout, self.norm_first);
        let sub = (tape, &self.norm1, first);
        let (x, weights) = attention_block(
            sub,
            &self.self_attn,
            x,
            None,
            mask,
            (p, train.as_deref_mut()),
        );
        let y = sublayer_connection(tape, &self.norm2, first, x, (p, train), |h, r| {
            self.ff.forward(tape, h, p, r)
        });
        (y, weights)
    }
}

/// One decoder layer: masked self-attention, cross-attention over the
/// encoder's output (the "memory"), then the feed-forward block, each inside
/// [`sublayer_connection`]. Names as `nn.TransformerDecoderLayer`.
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
    /// Pre-norm instead of post-norm.
    pub norm_first: bool,
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
            norm_first: false,
        }
    }

    /// The layer rewired by `options` (no parameter changes).
    pub fn with_options(mut self, options: LayerOptions) -> DecoderLayer {
        self.norm_first = options.norm_first;
        self.ff.activation = options.activation;
        self
    }

    /// Three sub-layers, each in [`sublayer_connection`]: masked
    /// self-attention, cross-attention (pre-norm: the queries are
    /// $\mathrm{LN}_2(x)$, the memory is used as given), feed-forward.
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
        let (p, first) = (self.dropout, self.norm_first);
        let sub = (tape, &self.norm1, first);
        let (x, self_weights) = attention_block(
            sub,
            &self.self_attn,
            x,
            None,
            tgt_mask,
            (p, train.as_deref_mut()),
        );
        let sub = (tape, &self.norm2, first);
        let (x, cross_weights) = attention_block(
            sub,
            &self.multihead_attn,
            x,
            Some(memory),
            memory_mask,
            (p, train.as_deref_mut()),
        );
        let y = sublayer_connection(tape, &self.norm3, first, x, (p, train), |h, r| {
            self.ff.forward(tape, h, p, r)
        });
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
