//! Stacks of N Transformer layers (PyTorch's `nn.TransformerEncoder` and
//! `nn.TransformerDecoder`, parameter names `layers.{i}.…`), optionally
//! closed by a final layer norm (their `norm=` argument, names `norm.…`).

use super::Module;
use super::layer_norm::LayerNorm;
use super::transformer_layer::{DecoderLayer, EncoderLayer, LayerOptions};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Float, Mask, Rng};

/// The shape of a Transformer stack.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StackConfig {
    /// Number of layers $N$.
    pub layers: usize,
    /// Width $d_{model}$.
    pub d_model: usize,
    /// Heads $h$.
    pub n_heads: usize,
    /// Feed-forward size $d_{ff}$.
    pub d_ff: usize,
    /// Dropout rate in training.
    pub dropout: Float,
    /// Pre-norm or post-norm, ReLU or GELU, for every layer.
    pub options: LayerOptions,
    /// A layer norm after the last layer ([`final_norm`]). Pre-norm stacks
    /// want it (PyTorch's examples and the Annotated Transformer use it):
    /// without it their output is an un-normalised sum of residuals. The two
    /// flags are independent all the same.
    pub final_norm: bool,
}

/// The stack's output, through the final layer norm when there is one:
///
/// $$ y = \mathrm{LayerNorm}(x_N) $$
///
/// where $x_N$ is the last layer's output; without a final norm $y = x_N$.
///
/// # Backward
/// Through [`LayerNorm::forward`] when present, else the identity.
///
/// # Shapes
/// `x`: `[.., d_model]` -> `[.., d_model]`
///
/// Checked by `tests/nn/transformer_options.rs::encoder_stack_final_norm_gradcheck`
/// and `tests/nn/transformer_options.rs::pre_norm_encoder_stack_matches_pytorch`.
pub fn final_norm<'t>(tape: &'t Tape, norm: Option<&LayerNorm>, x: Var<'t>) -> Var<'t> {
    match norm {
        Some(n) => n.forward(tape, x),
        None => x,
    }
}

/// $N$ encoder layers applied in turn.
#[derive(Clone, Debug)]
pub struct TransformerEncoder {
    /// The layers, first to last.
    pub layers: Vec<EncoderLayer>,
    /// The final layer norm `{prefix}.norm`, if any.
    pub norm: Option<LayerNorm>,
}

/// $N$ decoder layers applied in turn, each attending to the same memory.
#[derive(Clone, Debug)]
pub struct TransformerDecoder {
    /// The layers, first to last.
    pub layers: Vec<DecoderLayer>,
    /// The final layer norm `{prefix}.norm`, if any.
    pub norm: Option<LayerNorm>,
}

impl TransformerEncoder {
    /// A stack named `{prefix}.layers.{i}.…` (and `{prefix}.norm.…`).
    pub fn new(prefix: &str, c: StackConfig, rng: &mut Rng) -> TransformerEncoder {
        let layers = (0..c.layers)
            .map(|i| {
                EncoderLayer::new(
                    &super::join(prefix, &format!("layers.{i}")),
                    c.d_model,
                    c.n_heads,
                    c.d_ff,
                    c.dropout,
                    rng,
                )
                .with_options(c.options)
            })
            .collect();
        TransformerEncoder {
            layers,
            norm: stack_norm(prefix, c),
        }
    }

    /// Runs every layer; returns the output and each layer's self-attention weights.
    ///
    /// # Shapes
    /// `x`: `[batch, src, d_model]` -> `[batch, src, d_model]`
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        mut x: Var<'t>,
        mask: Option<&Mask>,
        mut train: Option<&mut Rng>,
    ) -> (Var<'t>, Vec<Var<'t>>) {
        let mut weights = vec![];
        for layer in &self.layers {
            let (y, w) = layer.forward(tape, x, mask, train.as_deref_mut());
            x = y;
            weights.push(w);
        }
        (final_norm(tape, self.norm.as_ref(), x), weights)
    }
}

impl TransformerDecoder {
    /// A stack named `{prefix}.layers.{i}.…` (and `{prefix}.norm.…`).
    pub fn new(prefix: &str, c: StackConfig, rng: &mut Rng) -> TransformerDecoder {
        let layers = (0..c.layers)
            .map(|i| {
                DecoderLayer::new(
                    &super::join(prefix, &format!("layers.{i}")),
                    c.d_model,
                    c.n_heads,
                    c.d_ff,
                    c.dropout,
                    rng,
                )
                .with_options(c.options)
            })
            .collect();
        TransformerDecoder {
            layers,
            norm: stack_norm(prefix, c),
        }
    }

    /// Runs every layer; returns the output and each layer's attention
    /// weights.
    ///
    /// # Shapes
    /// `x`: `[batch, tgt, d_model]`, `memory`: `[batch, src, d_model]` -> [`StackOutput`]
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        mut x: Var<'t>,
        memory: Var<'t>,
        masks: (Option<&Mask>, Option<&Mask>),
        mut train: Option<&mut Rng>,
    ) -> StackOutput<'t> {
        let (mut self_weights, mut cross_weights) = (vec![], vec![]);
        for layer in &self.layers {
            let out = layer.forward(tape, x, memory, masks, train.as_deref_mut());
            x = out.y;
            self_weights.push(out.self_weights);
            cross_weights.push(out.cross_weights);
        }
        StackOutput {
            y: final_norm(tape, self.norm.as_ref(), x),
            self_weights,
            cross_weights,
        }
    }
}

/// What a decoder stack returns: its output and, first layer first, each
/// layer's attention weights (for looking inside the model).
pub struct StackOutput<'t> {
    /// `[batch, tgt, d_model]`.
    pub y: Var<'t>,
    /// Masked self-attention weights, each `[batch, heads, tgt, tgt]`.
    pub self_weights: Vec<Var<'t>>,
    /// Cross-attention weights, each `[batch, heads, tgt, src]`.
    pub cross_weights: Vec<Var<'t>>,
}

/// The final norm of a stack configured by `c`, named `{prefix}.norm`.
fn stack_norm(prefix: &str, c: StackConfig) -> Option<LayerNorm> {
    c.final_norm
        .then(|| LayerNorm::new(&super::join(prefix, "norm"), c.d_model))
}

impl Module for TransformerEncoder {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p: Vec<&mut Param> = self
            .layers
            .iter_mut()
            .flat_map(|l| l.params_mut())
            .collect();
        p.extend(self.norm.iter_mut().flat_map(|n| n.params_mut()));
        p
    }
}

impl Module for TransformerDecoder {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p: Vec<&mut Param> = self
            .layers
            .iter_mut()
            .flat_map(|l| l.params_mut())
            .collect();
        p.extend(self.norm.iter_mut().flat_map(|n| n.params_mut()));
        p
    }
}
