//! Adam, as `torch.optim.Adam` computes it (no weight decay, no AMSGrad).

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
/// Checked by `tests/optim.rs::adam_matches_pytorch_step_for_step`.
#[derive(Clone, Debug)]
pub struct Adam {
    /// $\beta_1$, decay of the first moment (0.9).
    pub beta1: Float,
    /// $\beta_2$, decay of the second moment (0.999).
    pub beta2: Float,
    /// $\epsilon$ (1e-8).
    pub eps: Float,
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
            state: HashMap::new(),
        }
    }
}

impl Optimizer for Adam {
    fn step(&mut self, params: &mut [&mut Param], grads: &[Option<Tensor>], lr: Float) {
        check_pairs("adam", params, grads);
        let (b1, b2, eps) = (self.beta1, self.beta2, self.eps);
        for (p, g) in params.iter_mut().zip(grads) {
            let Some(g) = g else { continue };
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
                let gi = g.data()[i];
                m[i] = b1 * m[i] + (1.0 - b1) * gi;
                v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
                let denom = v[i].sqrt() / bias2_sqrt + eps;
                theta[i] -= step * (m[i] / denom);
            }
        }
    }

    fn name(&self) -> &'static str {
        "adam"
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
            check_state("adam", p, &s, 3, 1)?;
            let t = s[0].data()[0];
            if !(t.is_finite() && t >= 1.0 && t <= i32::MAX as Float && t.fract() == 0.0) {
                return Err(format!(
                    "adam state of {}: step count {t} is not a whole number from 1",
                    p.name
                ));
            }
            self.state
                .insert(p.id(), (t as i32, s[1].clone(), s[2].clone()));
        }
        Ok(())
    }
}
