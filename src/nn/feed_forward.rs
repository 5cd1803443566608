//! The Transformer's position-wise feed-forward network.

use super::Module;
use super::linear::{Linear, linear};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Float, Rng};

/// The feed-forward block's nonlinearity $g$ (PyTorch's `activation=` of
/// `nn.TransformerEncoderLayer`): ReLU, the original paper's, or GELU, the
/// one of BERT and GPT.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FfnActivation {
    /// $g(x) = \max(0, x)$ ([`Var::relu`]).
    #[default]
    Relu,
    /// $g(x) = x \Phi(x)$ ([`Var::gelu`], the exact form).
    Gelu,
}

impl FfnActivation {
    /// $g$ applied element-wise.
    pub fn apply(self, x: Var<'_>) -> Var<'_> {
        match self {
            FfnActivation::Relu => x.relu(),
            FfnActivation::Gelu => x.gelu(),
        }
    }
}

/// Two linear maps with a nonlinearity $g$ between (ReLU by default, or
/// GELU; see [`FfnActivation`]), applied to each position alone:
///
/// $$ \mathrm{FFN}(x) = g(x W_1^\top + b_1) W_2^\top + b_2, \qquad g(u) = \max(0, u) \text{ or } u \Phi(u) $$
///
/// In training (`train` holds the generator) dropout of rate `p` acts on
/// the hidden layer $g(\cdot)$, as in `nn.TransformerEncoderLayer`; in
/// evaluation (`train` is `None`) this is exactly the formula.
///
/// # Backward
/// Through [`linear`] twice, $g$ ([`Var::relu`]: gradient passes where
/// $xW_1^\top + b_1 > 0$; [`Var::gelu`]: times $\Phi(u) + u\varphi(u)$) and
/// [`Var::dropout`] (the same mask).
///
/// # Shapes
/// `x`: `[.., d_model]`, `w1`: `[d_ff, d_model]`, `b1`: `[d_ff]`, `w2`: `[d_model, d_ff]`,
/// `b2`: `[d_model]` -> `[.., d_model]`
///
/// # Panics
/// If the shapes do not fit.
///
/// Checked by `tests/nn/transformer.rs::feed_forward_gradcheck` and, with GELU,
/// `tests/nn/transformer_options.rs::encoder_layer_pre_norm_gelu_gradcheck`.
pub fn feed_forward<'t>(
    x: Var<'t>,
    (w1, b1): (Var<'t>, Var<'t>),
    (w2, b2): (Var<'t>, Var<'t>),
    g: FfnActivation,
    p: Float,
    train: Option<&mut Rng>,
) -> Var<'t> {
    let hidden = g.apply(linear(x, w1, Some(b1))).dropout(p, train);
    linear(hidden, w2, Some(b2))
}

/// The feed-forward block with PyTorch's names `linear1`, `linear2` and dropout
/// after the activation (as `nn.TransformerEncoderLayer`).
#[derive(Clone, Debug)]
pub struct FeedForward {
    /// $W_1, b_1$: `d_model -> d_ff`.
    pub linear1: Linear,
    /// $W_2, b_2$: `d_ff -> d_model`.
    pub linear2: Linear,
    /// $g$: ReLU (the default) or GELU.
    pub activation: FfnActivation,
}

impl FeedForward {
    /// A block `d_model -> d_ff -> d_model` with ReLU (set
    /// [`FeedForward::activation`] for GELU).
    pub fn new(prefix: &str, d_model: usize, d_ff: usize, rng: &mut Rng) -> FeedForward {
        FeedForward {
            linear1: Linear::new(&super::join(prefix, "linear1"), d_model, d_ff, true, rng),
            linear2: Linear::new(&super::join(prefix, "linear2"), d_ff, d_model, true, rng),
            activation: FfnActivation::Relu,
        }
    }

    /// [`feed_forward`] with this block's parameters.
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        p: Float,
        train: Option<&mut Rng>,
    ) -> Var<'t> {
        let param = |l: &Linear| {
            let bias = l
                .bias
                .as_ref()
                .expect("FeedForward's linear maps have biases");
            (tape.param(&l.weight), tape.param(bias))
        };
        feed_forward(
            x,
            param(&self.linear1),
            param(&self.linear2),
            self.activation,
            p,
            train,
        )
    }
}

impl Module for FeedForward {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.linear1.params_mut();
        p.extend(self.linear2.params_mut());
        p
    }
}
