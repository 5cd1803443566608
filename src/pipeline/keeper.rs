//! Keeping the best model while training runs: a checkpoint updated after
//! every epoch that lowers the validation loss, and saved to `--out`; and
//! the training curves.

use super::options::TrainOptions;
use super::prepare::Prepared;
use super::train::RunError;
use crate::optim::Optimizer;
use crate::seq2seq::io::{Checkpoint, OptimizerState, TrainProgress};
use crate::seq2seq::models::{Seq2Seq, build};
use crate::seq2seq::train::{EpochStats, History, TrainPoint};
use crate::tensor::rng;
use crate::viz::Curve;
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

/// Plots the training loss (left axis) and accuracy (right axis, dashed)
/// of `history` every few batches ([`History::points`]), with the
/// validation loss and accuracy after each epoch, to `path` (.png or
/// .svg); without validation data (NaN) its curves are left out.
///
/// # Errors
/// A path that is not .png or .svg, a history with no batch, or a file
/// that cannot be written.
///
/// Checked by `tests/pipeline/session.rs::curves_have_a_point_every_few_batches`.
pub fn plot_history(
    path: &Path,
    title: &str,
    history: &History,
) -> Result<(), crate::viz::PlotError> {
    let points = |f: fn(&TrainPoint) -> f64| history.points.iter().map(|p| (p.at, f(p))).collect();
    let epochs = |f: fn(&EpochStats) -> f64| -> Vec<(f64, f64)> {
        history
            .epochs
            .iter()
            .map(|e| (e.epoch as f64, f(e)))
            .collect()
    };
    // Training points every few batches, validation points per epoch;
    // without validation data (NaN) the validation curves are left out.
    let finite = |pair: [Curve<'static>; 2]| -> Vec<Curve<'static>> {
        let drawable = |c: &Curve<'_>| c.1.iter().all(|(_, y)| y.is_finite());
        pair.into_iter().filter(drawable).collect()
    };
    let loss = finite([
        ("train loss", points(|p| p.loss)),
        ("validation loss", epochs(|e| e.valid_loss)),
    ]);
    let accuracy = finite([
        ("train accuracy", points(|p| p.accuracy)),
        ("validation accuracy", epochs(|e| e.valid_accuracy)),
    ]);
    crate::viz::loss_accuracy_curves(path, title, &loss, &accuracy)
}
