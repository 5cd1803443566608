//! Keeping the best model while training runs: a checkpoint updated after
//! every epoch that lowers the validation loss, and saved to `--out`; and
//! the training curves.

use super::options::TrainOptions;
use super::prepare::Prepared;
use super::train::RunError;
use crate::optim::Optimizer;
use crate::seq2seq::io::{Checkpoint, OptimizerState, TrainProgress};
use crate::seq2seq::models::{Seq2Seq, build};
use crate::seq2seq::train::{EpochStats, History};
use crate::tensor::rng;
use std::path::{Path, PathBuf};

/// The best model so far, kept as a checkpoint and saved to `--out`.
pub(super) struct Keeper {
    pub(super) checkpoint: Checkpoint,
    out: Option<PathBuf>,
    has_valid: bool,
}

impl Keeper {
    /// Until an epoch improves on it, the best model is the one training
    /// starts from (a resumed one with its progress and optimizer state).
    pub(super) fn new(
        o: &TrainOptions,
        data: &Prepared,
        model: &mut dyn Seq2Seq,
        (start, state): (Option<TrainProgress>, Option<OptimizerState>),
    ) -> Result<Keeper, RunError> {
        let copy = build(&model.config().clone(), &mut rng(0))?;
        let mut checkpoint = Checkpoint::new(data.translator(copy));
        set_values(checkpoint.translator.model.as_mut(), model);
        checkpoint.progress = start;
        checkpoint.optimizer = state;
        Ok(Keeper {
            checkpoint,
            out: o.files.out.clone(),
            has_valid: !data.valid.is_empty(),
        })
    }

    /// After an epoch: keeps (and saves) the model if it is the best so far.
    pub(super) fn keep_if_best(
        &mut self,
        m: &mut dyn Seq2Seq,
        stats: &EpochStats,
        opt: &dyn Optimizer,
    ) -> Result<(), RunError> {
        if !stats.best {
            return Ok(());
        }
        let c = &mut self.checkpoint;
        c.optimizer = Some(OptimizerState {
            name: opt.name().into(),
            state: opt.state(&m.params()),
        });
        set_values(c.translator.model.as_mut(), m);
        c.progress = Some(TrainProgress {
            epochs: stats.epoch,
            steps: stats.step,
            best_valid_loss: if self.has_valid {
                stats.valid_loss
            } else {
                f64::INFINITY
            },
        });
        if let Some(out) = &self.out {
            c.save(out)?;
        }
        Ok(())
    }

    /// What was saved to `--out`, or why nothing was.
    pub(super) fn saved_line(
        &self,
        history: &History,
        start: Option<TrainProgress>,
    ) -> Option<String> {
        let out = self.out.as_ref()?;
        let improved = history.epochs.iter().any(|e| e.best);
        Some(match (self.checkpoint.progress, start) {
            (Some(p), _) if improved => {
                let why = match self.has_valid {
                    true => "the lowest validation loss",
                    false => "the last one: no validation data",
                };
                format!("saved {} (epoch {}, {why})", out.display(), p.epochs)
            }
            (_, Some(p)) => format!(
                "no epoch lowered the validation loss of the resumed checkpoint ({:.4}); {} was not written, and the scores below are the resumed model's",
                p.best_valid_loss,
                out.display()
            ),
            (_, None) => format!(
                "no epoch had a finite validation loss (training diverged; lower --lr); {} was not written",
                out.display()
            ),
        })
    }
}

/// Copies the parameters of `from` into `to` (a model of the same config),
/// with their trainable flags.
fn set_values(to: &mut dyn Seq2Seq, from: &mut dyn Seq2Seq) {
    for (p, q) in to.params_mut().into_iter().zip(from.params()) {
        p.value = q.value.clone();
        p.trainable = q.trainable;
    }
}

/// Plots loss and accuracy per epoch of `history` to `path` (.png or .svg);
/// without validation data its curves (NaN) are left out.
///
/// # Errors
/// A path that is not .png or .svg, or a file that cannot be written.
pub fn plot_history(
    path: &Path,
    title: &str,
    history: &History,
) -> Result<(), crate::viz::PlotError> {
    let col = |f: fn(&EpochStats) -> f64| history.epochs.iter().map(f).collect::<Vec<_>>();
    let (tl, vl, ta, va) = (
        col(|e| e.train_loss),
        col(|e| e.valid_loss),
        col(|e| e.train_accuracy),
        col(|e| e.valid_accuracy),
    );
    let series: Vec<(&str, &[f64])> = [
        ("train loss", &tl[..]),
        ("validation loss", &vl[..]),
        ("train accuracy", &ta[..]),
        ("validation accuracy", &va[..]),
    ]
    .into_iter()
    .filter(|(_, v)| v.iter().all(|x| x.is_finite()))
    .collect();
    crate::viz::line_chart(path, title, "loss / accuracy", &series)
}
