//! The loss and optimizer settings of `encdec train` (`--label-smoothing`,
//! `--weight-decay`, `--adamw`): checked, then applied to a [`TrainConfig`].
//!
//! Checked by `tests/optim.rs::optim_options_reach_the_training_config` and
//! `tests/cli_seq2seq.rs::train_refuses_bad_optimizer_flags`.

use super::fit::{OptimizerChoice, TrainConfig};
use crate::tensor::Float;

/// AdamW's weight decay when `--adamw` is given without `--weight-decay`
/// (`torch.optim.AdamW`'s default).
pub const ADAMW_DEFAULT_DECAY: Float = 0.01;

/// Regularisation of the training loss and of the update; the default is
/// plain cross-entropy and Adam without decay.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OptimOptions {
    /// Label smoothing $\varepsilon$ of the training loss, in $[0, 1)$.
    pub label_smoothing: Option<Float>,
    /// Weight decay $\lambda \ge 0$ of matrices ([`crate::optim::decays`]):
    /// L2 added to Adam's gradient, or AdamW's decoupled decay.
    pub weight_decay: Option<Float>,
    /// AdamW (decoupled decay) instead of Adam.
    pub adamw: bool,
}

impl OptimOptions {
    /// Checks the values a user handed in.
    ///
    /// # Errors
    /// Names the flag and the range it must lie in.
    pub fn check(&self) -> Result<(), String> {
        if self
            .label_smoothing
            .is_some_and(|e| !(e.is_finite() && (0.0..1.0).contains(&e)))
        {
            return Err("--label-smoothing must be at least 0 and below 1 (0.1 is usual)".into());
        }
        if self
            .weight_decay
            .is_some_and(|w| !(w.is_finite() && w >= 0.0))
        {
            return Err("--weight-decay must be a number at least 0 (0.01 is usual)".into());
        }
        Ok(())
    }

    /// Sets the loss's smoothing and the optimizer of `config` (which must
    /// use Adam, as every model's default training does).
    ///
    /// # Errors
    /// If a decay is asked for and `config` does not train with Adam.
    pub fn apply(&self, config: &mut TrainConfig) -> Result<(), String> {
        config.label_smoothing = self.label_smoothing.unwrap_or(0.0);
        let decay = self.weight_decay;
        if decay.is_none() && !self.adamw {
            return Ok(());
        }
        if config.optimizer != OptimizerChoice::Adam {
            return Err("--weight-decay and --adamw need training with Adam".into());
        }
        config.optimizer = match (self.adamw, decay) {
            (true, d) => OptimizerChoice::AdamW {
                weight_decay: d.unwrap_or(ADAMW_DEFAULT_DECAY),
            },
            (false, d) => OptimizerChoice::AdamL2 {
                weight_decay: d.unwrap_or(0.0),
            },
        };
        Ok(())
    }
}
