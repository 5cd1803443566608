//! Gradient clipping by global norm, against exploding gradients in RNNs.

use crate::tensor::{Float, Tensor};

/// The global norm of all gradients, $\lVert g \rVert = \sqrt{\sum_k \sum_i g_{k,i}^2}$.
/// When the plain sum of squares overflows (gradients of 1e200) or
/// underflows to 0, it is computed as $m \sqrt{\sum (g/m)^2}$ with
/// $m = \max |g|$ instead; NaN stays NaN.
pub fn global_norm(grads: &[Option<Tensor>]) -> Float {
    let values = || grads.iter().flatten().flat_map(|g| g.data());
    let sum: Float = values().map(|v| v * v).sum();
    if sum.is_nan() || (sum.is_finite() && sum > 0.0) {
        return sum.sqrt();
    }
    let m = values().fold(0.0, |m: Float, v| crate::tensor::max_or_nan(m, v.abs()));
    if m == 0.0 || !m.is_finite() {
        return m;
    }
    m * values().map(|v| (v / m) * (v / m)).sum::<Float>().sqrt()
}

/// Rescales all gradients together when their global norm exceeds $c$ = `max_norm`:
///
/// $$ g \leftarrow g \cdot \min\Big(1, \frac{c}{\lVert g \rVert + 10^{-6}}\Big) $$
///
/// (PyTorch's `clip_grad_norm_`). The direction of the update is kept; only
/// its length is capped. A NaN norm makes every gradient NaN, as in PyTorch,
/// rather than passing for a small one. Returns the norm before clipping.
///
/// Checked by `tests/core/optim.rs::clipping_caps_the_global_norm` and
/// `tests/core/nan.rs::clip_by_norm_spreads_a_nan_norm_to_every_gradient`.
pub fn clip_grad_norm(grads: &mut [Option<Tensor>], max_norm: Float) -> Float {
    let norm = global_norm(grads);
    let coef = max_norm / (norm + 1e-6);
    // A NaN norm gives a NaN coefficient, which `coef < 1.0` would skip:
    // like PyTorch, it scales (so NaNs) every gradient instead.
    if coef < 1.0 || coef.is_nan() {
        for g in grads.iter_mut().flatten() {
            g.data_mut().iter_mut().for_each(|v| *v *= coef);
        }
    }
    norm
}
