//! The dense layer, $y = x W^\top + b$ (the `Dense` of tutorial §5.1).

use super::Module;
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Rng, Tensor};

/// An affine map applied to the last axis: $y = x W^\top + b$, i.e.
/// $y_{j} = \sum_i x_i W_{ji} + b_j$ for each row $x$.
///
/// # Backward
/// $\bar x = \bar y W$, $\bar W = \bar y^\top x$ and $\bar b = \sum_{\text{rows}} \bar y$
/// (from [`Var::matmul_nt`] and the broadcast add).
///
/// # Shapes
/// `x`: `[.., in]`, `w`: `[out, in]`, `b`: `[out]` -> `[.., out]`
///
/// # Panics
/// If `x`'s last axis is not `in` (`matmul: shapes [..] and [..] do not match`).
///
/// Checked by `tests/nn/layers_basic.rs::linear_gradcheck` and
/// `tests/nn/parity.rs::linear_matches_pytorch`.
pub fn linear<'t>(x: Var<'t>, w: Var<'t>, b: Option<Var<'t>>) -> Var<'t> {
    let xw = if x.shape().len() == 2 {
        x.matmul_nt(w)
    } else {
        // Fold the leading axes into one so the weight is shared by every row.
        let shape = x.shape();
        let rows: usize = shape[..shape.len() - 1].iter().product();
        let y = x.reshape(&[rows, shape[shape.len() - 1]]).matmul_nt(w);
        let mut out = shape.clone();
        *out.last_mut().unwrap() = y.shape()[1];
        y.reshape(&out)
    };
    match b {
        Some(b) => xw + b,
        None => xw,
    }
}

/// How a dense layer's parameters start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LinearInit {
    /// Xavier-uniform weight ([`Tensor::xavier_uniform`]), zero bias: every
    /// layer of encdec starts so.
    #[default]
    Xavier,
    /// Weight and bias from $U(\pm 1/\sqrt{n_{in}})$ ([`Tensor::fan_in_uniform`]),
    /// PyTorch's `nn.Linear`.
    FanIn,
}

impl LinearInit {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            LinearInit::Xavier => "xavier",
            LinearInit::FanIn => "fan-in",
        }
    }
}

/// A dense layer with PyTorch's parameter names and layout:
/// `weight` `[out, in]`, `bias` `[out]`.
#[derive(Clone, Debug)]
pub struct Linear {
    /// $W$, `[out, in]`, Xavier-uniform at creation.
    pub weight: Param,
    /// $b$, `[out]`, zero at creation; `None` for a layer without bias.
    pub bias: Option<Param>,
}

impl Linear {
    /// A layer `in_features -> out_features`; parameter names are
    /// `{prefix}.weight` and `{prefix}.bias` (or `weight`, `bias` for an empty prefix).
    pub fn new(
        prefix: &str,
        in_features: usize,
        out_features: usize,
        bias: bool,
        rng: &mut Rng,
    ) -> Linear {
        let w = Tensor::xavier_uniform(&[out_features, in_features], rng);
        Linear {
            weight: Param::new(&super::join(prefix, "weight"), w),
            bias: bias
                .then(|| Param::new(&super::join(prefix, "bias"), Tensor::zeros(&[out_features]))),
        }
    }

    /// Draws the weight and bias anew as `init` says, keeping their names.
    ///
    /// Checked by `tests/nn/layers_basic.rs::linear_restarts_as_told`.
    pub fn restart(&mut self, init: LinearInit, rng: &mut Rng) {
        let shape = self.weight.shape().to_vec();
        let fan_in = shape[1];
        self.weight.value = match init {
            LinearInit::Xavier => Tensor::xavier_uniform(&shape, rng),
            LinearInit::FanIn => Tensor::fan_in_uniform(&shape, fan_in, rng),
        };
        if let Some(b) = &mut self.bias {
            b.value = match init {
                LinearInit::Xavier => Tensor::zeros(&[shape[0]]),
                LinearInit::FanIn => Tensor::fan_in_uniform(&[shape[0]], fan_in, rng),
            };
        }
    }

    /// Applies [`linear`] with this layer's parameters.
    ///
    /// # Shapes
    /// `[.., in] -> [.., out]`
    pub fn forward<'t>(&self, tape: &'t Tape, x: Var<'t>) -> Var<'t> {
        linear(
            x,
            tape.param(&self.weight),
            self.bias.as_ref().map(|b| tape.param(b)),
        )
    }
}

impl Module for Linear {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = vec![&mut self.weight];
        p.extend(self.bias.as_mut());
        p
    }
}
