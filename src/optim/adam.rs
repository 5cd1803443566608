//! Adam and AdamW, as `torch.optim.Adam` and `torch.optim.AdamW` compute
//! them (no AMSGrad), with weight decay only on parameters that [`decays`].

use super::{Optimizer, check_pairs, check_state};
use crate::autograd::Param;
use crate::tensor::{Float, Tensor};
use std::collections::HashMap;

/// Adam: per-parameter step sizes from running averages of the gradient and
/// of its square. With gradient $g_t$ at step $t$:
///
/// $$ m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 $$
/// $$ \theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t} \cdot \frac{m_t}{\sqrt{v_t}/\sqrt{1-\beta_2^t} + \epsilon} $$
///
/// The divisions by $1-\beta^t$ undo the bias of averages started at zero.
/// The order of operations is PyTorch's, so the two agree to rounding.
///
/// Weight decay $\lambda$ (0 by default) acts only on parameters that
/// [`decays`] (matrices, not biases or LayerNorm gains), in one of two ways:
/// L2, as `torch.optim.Adam(weight_decay=λ)` ([`Adam::with_weight_decay`]),
/// adds the decay to the gradient before the moments:
///
/// $$ g_t \leftarrow g_t + \lambda\theta_{t-1} $$
///
/// decoupled, as `torch.optim.AdamW` ([`Adam::adamw`]), first shrinks the
/// parameter, then takes the step above on the plain gradient:
///
/// $$ \theta_{t-1} \leftarrow \theta_{t-1}(1 - \eta\lambda) $$
///
/// # Shapes
/// Each gradient has its parameter's shape; $m$ and $v$ too.
///
/// # Panics
/// In [`Optimizer::step`], if a gradient's shape is not its parameter's.
///
/// Checked by `tests/core/optim.rs::adam_matches_pytorch_step_for_step`,
/// `adam_weight_decay_matches_pytorch_step_for_step` and
/// `adamw_matches_pytorch_step_for_step`.
#[derive(Clone, Debug)]
pub struct Adam {
    /// $\beta_1$, decay of the first moment (0.9).
    pub beta1: Float,
    /// $\beta_2$, decay of the second moment (0.999).
    pub beta2: Float,
    /// $\epsilon$ (1e-8).
    pub eps: Float,
    /// $\lambda$, weight decay of the parameters that [`decays`] (0).
    pub weight_decay: Float,
    /// Decoupled decay (AdamW) instead of L2 added to the gradient (Adam).
    pub decoupled: bool,
    /// Per parameter (by id): step count $t$, $m$, $v$.
    state: HashMap<u64, (i32, Tensor, Tensor)>,
}

impl Default for Adam {
    fn default() -> Self {
        Adam::new(0.9, 0.999, 1e-8)
    }
}

impl Adam {
    /// Adam with the given decays and $\epsilon$.
    pub fn new(beta1: Float, beta2: Float, eps: Float) -> Adam {
        Adam {
            beta1,
            beta2,
            eps,
            weight_decay: 0.0,
            decoupled: false,
            state: HashMap::new(),
        }
    }

    /// Adam with PyTorch's defaults and L2 weight decay $\lambda$ added to
    /// the gradient (`torch.optim.Adam(weight_decay=λ)`) of the parameters
    /// that [`decays`].
    pub fn with_weight_decay(weight_decay: Float) -> Adam {
        Adam {
            weight_decay,
            ..Adam::default()
        }
    }

    /// AdamW with PyTorch's defaults and decoupled weight decay $\lambda$
    /// (`torch.optim.AdamW(weight_decay=λ)`) of the parameters that [`decays`].
    pub fn adamw(weight_decay: Float) -> Adam {
        Adam {
            weight_decay,
            decoupled: true,
            ..Adam::default()
        }
    }
}

/// Whether weight decay applies to `p`: only to parameters of two or more
/// axes (weight matrices, embeddings, stacked projections). Biases and
/// LayerNorm's gain and shift have one axis and are never decayed, which
/// is the usual pair of parameter groups
/// (`[{"params": matrices, "weight_decay": λ}, {"params": vectors, "weight_decay": 0}]`).
/// The rule reads the shape, not the name, so it holds for every layer,
/// including `bias_ih_l0` and `in_proj_bias`.
///
/// Checked by `tests/core/optim.rs::only_matrices_decay`.
pub fn decays(p: &Param) -> bool {
    p.shape().len() >= 2
}

impl Optimizer for Adam {
    fn step(&mut self, params: &mut [&mut Param], grads: &[Option<Tensor>], lr: Float) {
        check_pairs("adam", params, grads);
        let (b1, b2, eps) = (self.beta1, self.beta2, self.eps);
        for (p, g) in params.iter_mut().zip(grads) {
            let Some(g) = g else { continue };
            let wd = if decays(p) { self.weight_decay } else { 0.0 };
            let (l2, decoupled) = if self.decoupled { (0.0, wd) } else { (wd, 0.0) };
            let (t, m, v) = self
                .state
                .entry(p.id())
                .or_insert_with(|| (0, Tensor::zeros(g.shape()), Tensor::zeros(g.shape())));
            *t += 1;
            let bias1 = 1.0 - b1.powi(*t);
            let bias2_sqrt = (1.0 - b2.powi(*t)).sqrt();
            let step = lr / bias1;
            let theta = p.value.data_mut();
            let (m, v) = (m.data_mut(), v.data_mut());
            for i in 0..theta.len() {
                // AdamW: theta *= 1 - lr*wd;  Adam: g += wd*theta
                theta[i] *= 1.0 - lr * decoupled;
                let gi = g.data()[i] + l2 * theta[i];
                m[i] = b1 * m[i] + (1.0 - b1) * gi;
                v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
                let denom = v[i].sqrt() / bias2_sqrt + eps;
                theta[i] -= step * (m[i] / denom);
            }
        }
    }

    fn name(&self) -> &'static str {
        if self.decoupled { "adamw" } else { "adam" }
    }

    fn state(&self, params: &[&Param]) -> Vec<Option<Vec<Tensor>>> {
        params
            .iter()
            .map(|p| {
                let (t, m, v) = self.state.get(&p.id())?;
                Some(vec![Tensor::scalar(*t as Float), m.clone(), v.clone()])
            })
            .collect()
    }

    fn set_state(
        &mut self,
        params: &[&Param],
        state: Vec<Option<Vec<Tensor>>>,
    ) -> Result<(), String> {
        for (p, s) in params.iter().zip(state) {
            let Some(s) = s else { continue };
            check_state(self.name(), p, &s, 3, 1)?;
            let t = s[0].data()[0];
            if !(t.is_finite() && t >= 1.0 && t <= i32::MAX as Float && t.fract() == 0.0) {
                return Err(format!(
                    "{} state of {}: step count {t} is not a whole number from 1",
                    self.name(),
                    p.name
                ));
            }
            self.state
                .insert(p.id(), (t as i32, s[1].clone(), s[2].clone()));
        }
        Ok(())
    }
}
