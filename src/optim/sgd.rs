//! Stochastic gradient descent with momentum, as `torch.optim.SGD`.

use super::{Optimizer, check_pairs, check_state};
use crate::autograd::Param;
use crate::tensor::{Float, Tensor};
use std::collections::HashMap;

/// SGD with (heavy-ball) momentum $\mu$. The velocity starts as the first
/// gradient, then
///
/// $$ b_t = \mu b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \eta b_t $$
///
/// With $\mu = 0$ this is plain gradient descent, $\theta \leftarrow \theta - \eta g$.
///
/// Checked by `tests/core/optim.rs::sgd_momentum_matches_pytorch_step_for_step`.
#[derive(Clone, Debug, Default)]
pub struct Sgd {
    /// $\mu$.
    pub momentum: Float,
    velocity: HashMap<u64, Tensor>,
}

impl Sgd {
    /// SGD with momentum $\mu$ (0 for none).
    pub fn new(momentum: Float) -> Sgd {
        Sgd {
            momentum,
            velocity: HashMap::new(),
        }
    }
}

impl Optimizer for Sgd {
    fn step(&mut self, params: &mut [&mut Param], grads: &[Option<Tensor>], lr: Float) {
        check_pairs("sgd", params, grads);
        for (p, g) in params.iter_mut().zip(grads) {
            let Some(g) = g else { continue };
            let b = match self.velocity.get_mut(&p.id()) {
                Some(b) => {
                    for (b, gi) in b.data_mut().iter_mut().zip(g.data()) {
                        *b = self.momentum * *b + gi;
                    }
                    b
                }
                None => self.velocity.entry(p.id()).or_insert_with(|| g.clone()),
            };
            for (theta, bi) in p.value.data_mut().iter_mut().zip(b.data()) {
                *theta -= lr * bi;
            }
        }
    }

    fn name(&self) -> &'static str {
        "sgd"
    }

    fn state(&self, params: &[&Param]) -> Vec<Option<Vec<Tensor>>> {
        params
            .iter()
            .map(|p| self.velocity.get(&p.id()).map(|b| vec![b.clone()]))
            .collect()
    }

    fn set_state(
        &mut self,
        params: &[&Param],
        state: Vec<Option<Vec<Tensor>>>,
    ) -> Result<(), String> {
        for (p, s) in params.iter().zip(state) {
            let Some(mut s) = s else { continue };
            check_state("sgd", p, &s, 1, 0)?;
            self.velocity.insert(p.id(), s.remove(0));
        }
        Ok(())
    }
}
