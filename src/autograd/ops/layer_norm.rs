//! Fused layer normalisation: the mean, the variance, the normalisation and
//! the affine map in one node, with the backward pass written out.
//!
//! The composed version, [`crate::nn::layer_norm`] (two means, a subtraction,
//! a square, a mean, a square root, a division, a product and a sum, each a
//! node), is the reference this op is tested equal to.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor};

/// What the backward pass reads: $\hat x$ `[rows, D]` and $1/\sqrt{\sigma^2+\varepsilon}$ per row.
pub(crate) struct LayerNormSaved {
    x_hat: Vec<Float>,
    inv_std: Vec<Float>,
}

impl<'t> Var<'t> {
    /// Layer normalisation over the last axis in one node:
    ///
    /// $$ \hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \qquad y_i = \hat x_i \gamma_i + \beta_i $$
    ///
    /// with $\mu$ and the biased $\sigma^2$ of the row, the mean taken in two
    /// passes as [`crate::nn::layer_norm`] does.
    ///
    /// # Backward
    /// With $\bar{\hat x} = \bar y \odot \gamma$ and $r = 1/\sqrt{\sigma^2+\varepsilon}$:
    /// $\bar x = r\big(\bar{\hat x} - \mathrm{mean}(\bar{\hat x}) - \hat x \cdot \mathrm{mean}(\bar{\hat x} \odot \hat x)\big)$,
    /// $\bar\gamma = \sum_{\text{rows}} \bar y \odot \hat x$, $\bar\beta = \sum_{\text{rows}} \bar y$.
    ///
    /// # Shapes
    /// `self`: `[.., D]`, `gamma`, `beta`: `[D]` -> `[.., D]`
    ///
    /// # Panics
    /// If `gamma` or `beta` is not `[D]` (`layer_norm: ...` with the shapes).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::layer_norm_fused_gradcheck` and
    /// `tests/core/fused.rs::fused_layer_norm_equals_the_composed_formula`.
    pub fn layer_norm_fused(self, gamma: Var<'t>, beta: Var<'t>, eps: Float) -> Var<'t> {
        let (y, saved) = {
            let nodes = self.tape.nodes();
            let v = |x: Var| &nodes[x.index].value;
            layer_norm_forward(v(self), v(gamma), v(beta), eps)
        };
        self.tape
            .push(Op::LayerNorm(Box::new(saved)), &[self, gamma, beta], y)
    }
}

fn layer_norm_forward(
    x: &Tensor,
    gamma: &Tensor,
    beta: &Tensor,
    eps: Float,
) -> (Tensor, LayerNormSaved) {
    let d = x.shape().last().copied().unwrap_or(1);
    for (name, p) in [("gamma", gamma), ("beta", beta)] {
        assert!(
            p.shape() == [d],
            "layer_norm: {name} has shape {:?}, expected [{d}] (one per feature of x {:?})",
            p.shape(),
            x.shape()
        );
    }
    let n = d as Float;
    let mut x_hat = vec![0.0; x.numel()];
    let mut y = vec![0.0; x.numel()];
    let mut inv_std = Vec::with_capacity(x.numel() / d.max(1));
    for ((row, xh), out) in x
        .data()
        .chunks(d)
        .zip(x_hat.chunks_mut(d))
        .zip(y.chunks_mut(d))
    {
        // Two passes: subtracting the mean of (x - mean) recovers what one pass lost.
        let mu = row.iter().sum::<Float>() / n;
        let mu2 = row.iter().map(|v| v - mu).sum::<Float>() / n;
        for (c, &v) in xh.iter_mut().zip(row) {
            *c = v - mu - mu2;
        }
        let var = xh.iter().map(|c| c * c).sum::<Float>() / n;
        let std = (var + eps).sqrt();
        inv_std.push(1.0 / std);
        for (((c, o), g), b) in xh
            .iter_mut()
            .zip(out.iter_mut())
            .zip(gamma.data())
            .zip(beta.data())
        {
            *c /= std;
            *o = *c * g + b;
        }
    }
    (
        Tensor::from_vec(y, x.shape()),
        LayerNormSaved { x_hat, inv_std },
    )
}

/// Backward of [`Var::layer_norm_fused`]: gradients for `x`, `gamma`, `beta`.
pub(crate) fn layer_norm_backward(
    saved: &LayerNormSaved,
    x: &[&Tensor],
    gy: &Tensor,
) -> Vec<Option<Tensor>> {
    let d = x[1].numel();
    let n = d as Float;
    let gamma = x[1].data();
    let mut dx = vec![0.0; x[0].numel()];
    let (mut dgamma, mut dbeta) = (vec![0.0; d], vec![0.0; d]);
    let rows = gy
        .data()
        .chunks(d)
        .zip(saved.x_hat.chunks(d))
        .zip(dx.chunks_mut(d));
    for (((g, xh), dxr), &r) in rows.zip(&saved.inv_std) {
        // forward: y = x_hat * gamma + beta
        let mut mean_g = 0.0;
        let mut mean_gx = 0.0;
        for j in 0..d {
            dgamma[j] += g[j] * xh[j];
            dbeta[j] += g[j];
            let gh = g[j] * gamma[j];
            mean_g += gh;
            mean_gx += gh * xh[j];
        }
        (mean_g, mean_gx) = (mean_g / n, mean_gx / n);
        // forward: x_hat = (x - mu) r  =>  dx = r (dx_hat - mean(dx_hat) - x_hat mean(dx_hat x_hat))
        for j in 0..d {
            dxr[j] = r * (g[j] * gamma[j] - mean_g - xh[j] * mean_gx);
        }
    }
    vec![
        Some(Tensor::from_vec(dx, x[0].shape())),
        Some(Tensor::from_vec(dgamma, &[d])),
        Some(Tensor::from_vec(dbeta, &[d])),
    ]
}
