//! The connection around each sub-layer of a Transformer layer: the
//! residual path and the layer norm, after the sub-layer (post-norm) or
//! before it (pre-norm).

use super::layer_norm::LayerNorm;
use crate::autograd::{Tape, Var};
use crate::tensor::{Float, Rng};

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
/// Checked by `tests/nn/transformer.rs::encoder_layer_gradcheck` and
/// `tests/nn/parity.rs::transformer_encoder_layer_matches_pytorch`.
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

/// A sub-layer inside its residual connection, post-norm or pre-norm:
///
/// $$ y_{\mathrm{post}} = \mathrm{LayerNorm}\big(x + \mathrm{Dropout}(\mathrm{Sublayer}(x))\big) $$
///
/// by default, and with `norm_first` (pre-norm)
///
/// $$ y_{\mathrm{pre}} = x + \mathrm{Dropout}\big(\mathrm{Sublayer}(\mathrm{LayerNorm}(x))\big) $$
///
/// `sublayer` gets its input (`x` or $\mathrm{LayerNorm}(x)$) and the
/// generator for its own dropout; post-norm is [`residual_norm`].
///
/// # Backward
/// Post-norm: as [`residual_norm`]. Pre-norm: $\bar x = \bar y + \bar x_{\mathrm{LN}}$,
/// the output gradient itself plus what flows back through the sub-layer
/// and the layer norm, so the identity path reaches every layer below
/// unscaled.
///
/// # Shapes
/// `x`: `[.., d_model]`; `sublayer` must return `[.., d_model]` -> `[.., d_model]`
///
/// Checked by `tests/nn/transformer_options.rs::encoder_layer_pre_norm_gelu_gradcheck`
/// and `tests/nn/transformer_options.rs::pre_norm_encoder_layer_matches_pytorch`.
pub fn sublayer_connection<'t>(
    tape: &'t Tape,
    norm: &LayerNorm,
    norm_first: bool,
    x: Var<'t>,
    (p, mut train): (Float, Option<&mut Rng>),
    sublayer: impl FnOnce(Var<'t>, Option<&mut Rng>) -> Var<'t>,
) -> Var<'t> {
    if norm_first {
        let s = sublayer(norm.forward(tape, x), train.as_deref_mut());
        x + s.dropout(p, train)
    } else {
        let s = sublayer(x, train.as_deref_mut());
        residual_norm(tape, norm, x, s, p, train)
    }
}
