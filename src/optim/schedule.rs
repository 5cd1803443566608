//! Learning-rate schedules.

use crate::tensor::Float;

/// How the learning rate changes with the step number $s = 1, 2, \dots$
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// A fixed rate.
    Constant(Float),
    /// The Transformer's warm-up ("Attention Is All You Need", §5.3):
    /// $\eta_s = \mathrm{factor} \cdot d_{model}^{-1/2} \cdot \min(s^{-1/2},\ s \cdot w^{-3/2})$,
    /// rising linearly for $w$ warm-up steps, then decaying as $1/\sqrt s$.
    Warmup {
        /// $d_{model}$.
        d_model: usize,
        /// $w$, the number of warm-up steps.
        warmup: usize,
        /// A scale factor (1 in the paper).
        factor: Float,
    },
    /// Multiply the rate by `gamma` every `every` steps (step decay).
    StepDecay {
        /// The initial rate.
        lr: Float,
        /// The factor.
        gamma: Float,
        /// The period, in steps.
        every: usize,
    },
}

impl Schedule {
    /// The learning rate at step `step` (counted from 1); for
    /// [`Schedule::Warmup`],
    /// $\eta_s = \mathrm{factor} \cdot d_{model}^{-1/2} \cdot \min(s^{-1/2},\ s \cdot w^{-3/2})$.
    ///
    /// Checked by `tests/core/optim.rs::warmup_schedule_by_hand`.
    pub fn lr(&self, step: usize) -> Float {
        let s = step.max(1) as Float;
        match *self {
            Schedule::Constant(lr) => lr,
            Schedule::Warmup {
                d_model,
                warmup,
                factor,
            } => {
                let w = warmup.max(1) as Float;
                factor * (d_model as Float).powf(-0.5) * s.powf(-0.5).min(s * w.powf(-1.5))
            }
            Schedule::StepDecay { lr, gamma, every } => {
                lr * gamma.powi(((step.max(1) - 1) / every.max(1)) as i32)
            }
        }
    }
}
