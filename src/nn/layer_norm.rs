//! Layer normalisation over the last axis.

use super::Module;
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Float, Tensor};

/// Layer normalisation of each vector $x$ along the last axis, as PyTorch's
/// `nn.LayerNorm` (biased variance, $\varepsilon$ inside the square root):
///
/// $$ \mu = \frac1D \sum_i x_i,\quad \sigma^2 = \frac1D \sum_i (x_i - \mu)^2,\quad
///    y_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \varepsilon}} \gamma_i + \beta_i $$
///
/// # Backward
/// With $\hat x = (x - \mu)/\sqrt{\sigma^2+\varepsilon}$ and $\bar{\hat x} = \bar y \odot \gamma$:
/// $\bar x = \frac{1}{\sqrt{\sigma^2+\varepsilon}}\big(\bar{\hat x} - \mathrm{mean}(\bar{\hat x}) -
/// \hat x \mathrm{mean}(\bar{\hat x} \odot \hat x)\big)$,
/// $\bar\gamma = \sum_{\text{rows}} \bar y \odot \hat x$, $\bar\beta = \sum_{\text{rows}} \bar y$.
/// The tape derives this from the composition of mean, subtract, square,
/// square root and divide. The mean is taken in two passes ($\mu$, then the
/// mean of $x - \mu$, which is 0 in exact arithmetic), so that rows far
/// from 0 keep their precision.
///
/// # Shapes
/// `x`: `[.., D]`, `gamma`, `beta`: `[D]` -> `[.., D]`
///
/// # Panics
/// If `gamma` or `beta` is not `[D]`.
///
/// Checked by `tests/nn/transformer.rs::layer_norm_by_hand`, `layer_norm_gradcheck`,
/// `layer_norm_keeps_its_precision_on_rows_with_a_large_offset`,
/// `layer_norm_refuses_a_gamma_that_is_not_one_per_feature`
/// and `tests/nn/parity.rs::layer_norm_matches_pytorch`.
pub fn layer_norm<'t>(x: Var<'t>, gamma: Var<'t>, beta: Var<'t>, eps: Float) -> Var<'t> {
    let shape = x.shape();
    let d = shape[shape.len() - 1];
    for (name, p) in [("gamma", gamma), ("beta", beta)] {
        assert!(
            p.shape() == [d],
            "layer_norm: {name} has shape {:?}, expected [{d}] (one per feature of x {shape:?})",
            p.shape()
        );
    }
    let last = shape.len() - 1;
    // Two passes: the mean of x - mean(x) is 0 in exact arithmetic, and
    // subtracting it recovers what one pass lost on rows far from 0.
    let shifted = x - x.mean_axis(last, true);
    let centered = shifted - shifted.mean_axis(last, true);
    let var = (centered * centered).mean_axis(last, true);
    centered / (var + eps).sqrt() * gamma + beta
}

/// A layer norm with PyTorch's names: `weight` ($\gamma$, ones at creation)
/// and `bias` ($\beta$, zeros), and $\varepsilon = 10^{-5}$.
#[derive(Clone, Debug)]
pub struct LayerNorm {
    /// $\gamma$, `[D]`.
    pub weight: Param,
    /// $\beta$, `[D]`.
    pub bias: Param,
    /// $\varepsilon$.
    pub eps: Float,
}

impl LayerNorm {
    /// A layer norm over vectors of size `d`.
    pub fn new(prefix: &str, d: usize) -> LayerNorm {
        LayerNorm {
            weight: Param::new(&super::join(prefix, "weight"), Tensor::ones(&[d])),
            bias: Param::new(&super::join(prefix, "bias"), Tensor::zeros(&[d])),
            eps: 1e-5,
        }
    }

    /// Applies the formula of [`layer_norm`] as one fused node
    /// ([`Var::layer_norm_fused`]), equal to [`layer_norm`] to rounding.
    ///
    /// # Shapes
    /// `x`: `[.., D]` -> `[.., D]`
    pub fn forward<'t>(&self, tape: &'t Tape, x: Var<'t>) -> Var<'t> {
        x.layer_norm_fused(tape.param(&self.weight), tape.param(&self.bias), self.eps)
    }
}

impl Module for LayerNorm {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![&mut self.weight, &mut self.bias]
    }
}
