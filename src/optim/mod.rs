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

pub use adam::{Adam, decays};
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

    /// The optimizer's name in checkpoints (`adam`, `sgd`).
    fn name(&self) -> &'static str;

    /// The running state of each of `params`, in order: the tensors a
    /// resumed run needs to continue exactly (`None` for a parameter never
    /// updated). Adam: the step count (a scalar), $m$ and $v$; SGD: the velocity.
    fn state(&self, params: &[&Param]) -> Vec<Option<Vec<Tensor>>>;

    /// Restores a state that [`Optimizer::state`] returned for the same
    /// parameters (e.g. read back from a checkpoint).
    ///
    /// # Errors
    /// If a parameter's state does not have the optimizer's tensors in the
    /// parameter's shape.
    fn set_state(
        &mut self,
        params: &[&Param],
        state: Vec<Option<Vec<Tensor>>>,
    ) -> Result<(), String>;
}

/// Checks one parameter's saved state: `n` tensors, the first `scalars` of
/// them of one element, the others of the parameter's shape.
pub(crate) fn check_state(
    op: &str,
    p: &Param,
    s: &[Tensor],
    n: usize,
    scalars: usize,
) -> Result<(), String> {
    let ok = s.len() == n
        && s.iter().enumerate().all(|(i, t)| {
            if i < scalars {
                t.numel() == 1
            } else {
                t.shape() == p.shape()
            }
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{op} state of {} does not fit it: expected {n} tensors of shape {:?}, found shapes {:?}",
            p.name,
            p.shape(),
            s.iter().map(|t| t.shape().to_vec()).collect::<Vec<_>>()
        ))
    }
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
