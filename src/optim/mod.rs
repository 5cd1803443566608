//! Optimizers (tutorial §5.1's `optimizer='adam'`), gradient clipping and
//! learning-rate schedules.
//!
//! A training step: one forward pass on a fresh tape, `backward`, read each
//! parameter's gradient with [`gradients`], optionally [`clip_grad_norm`],
//! then [`Optimizer::step`] updates the parameters in place.

mod adam;
mod clip;
mod schedule;
mod sgd;

pub use adam::Adam;
pub use clip::{clip_grad_norm, global_norm};
pub use schedule::Schedule;
pub use sgd::Sgd;

use crate::autograd::{Param, Tape};
use crate::tensor::Tensor;

/// Updates parameters from their gradients.
pub trait Optimizer {
    /// Applies one update with learning rate `lr`. `grads[i]` is the gradient
    /// of `params[i]`; a parameter with no gradient (`None`) is left alone.
    ///
    /// # Panics
    /// If the lengths differ or a gradient's shape is not its parameter's.
    fn step(&mut self, params: &mut [&mut Param], grads: &[Option<Tensor>], lr: f64);
}

/// The gradient of each parameter after `tape.backward(..)` (`None` for a
/// parameter the loss does not reach, or a frozen one).
pub fn gradients(tape: &Tape, params: &[&mut Param]) -> Vec<Option<Tensor>> {
    params
        .iter()
        .map(|p| {
            if p.trainable {
                tape.param_grad(p)
            } else {
                None
            }
        })
        .collect()
}

/// Checks the pairing of parameters and gradients; `op` names the optimizer.
pub(crate) fn check_pairs(op: &str, params: &[&mut Param], grads: &[Option<Tensor>]) {
    assert!(
        params.len() == grads.len(),
        "{op}: {} parameters but {} gradients",
        params.len(),
        grads.len()
    );
    for (p, g) in params.iter().zip(grads) {
        if let Some(g) = g {
            crate::tensor::assert_same_shape(op, p.shape(), g.shape());
        }
    }
}
