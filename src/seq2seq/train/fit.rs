//! Training in the style of Keras (tutorial §5.1): [`fit`] runs epochs over
//! batches with validation data and keeps a [`History`], [`evaluate`]
//! measures loss and accuracy, [`predict`] gives the next-word
//! probabilities. Keras's `compile` is [`TrainConfig`]: the optimizer, the
//! loss's label smoothing, the schedule.

use super::batches::sorted_batches;
use super::config::TrainConfig;
use super::fitting::{Fitting, Phase, StepReport};
use super::step::{Tally, loss_of};
use crate::autograd::Tape;
use crate::optim::Optimizer;
use crate::seq2seq::batch::{Batch, Example};
use crate::seq2seq::io::TrainProgress;
use crate::seq2seq::models::Seq2Seq;
use crate::tensor::Float;

/// Metrics of one epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochStats {
    /// Epoch number, from 1.
    pub epoch: usize,
    /// The last epoch this run will reach (for "epoch 3/10").
    pub last: usize,
    /// Mean cross-entropy per target token over the epoch's batches.
    pub train_loss: Float,
    /// Token accuracy on the training batches.
    pub train_accuracy: Float,
    /// Loss on the validation data (NaN without validation data).
    pub valid_loss: Float,
    /// Token accuracy on the validation data.
    pub valid_accuracy: Float,
    /// Wall-clock seconds.
    pub seconds: Float,
    /// Real (non-padding) source and target tokens trained on per second.
    pub tokens_per_second: Float,
    /// Optimizer steps done so far, this epoch's included (what a resumed run continues from).
    pub step: usize,
    /// Whether this epoch's model is the one to keep: the lowest validation
    /// loss so far (without validation data, every epoch is).
    pub best: bool,
}

impl EpochStats {
    /// The epoch as one line, as Keras prints it:
    /// `epoch 2/4: loss 0.0644  acc 0.9821  val_loss 0.0092  val_acc 0.9996  (4.2 s, 15000 tokens/s)  best so far`.
    pub fn line(&self) -> String {
        let best = if self.best && self.valid_loss.is_finite() {
            "  best so far"
        } else {
            ""
        };
        format!(
            "epoch {}/{}: loss {:.4}  acc {:.4}  val_loss {:.4}  val_acc {:.4}  ({:.1} s, {:.0} tokens/s){best}",
            self.epoch,
            self.last,
            self.train_loss,
            self.train_accuracy,
            self.valid_loss,
            self.valid_accuracy,
            self.seconds,
            self.tokens_per_second,
        )
    }
}

/// How often a run records its training loss and accuracy in
/// [`History::points`]: every this many batches, and at each epoch's end.
pub const POINT_EVERY: usize = 10;

/// The training loss and accuracy at one moment of a run: the means over
/// the batches since the previous point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainPoint {
    /// Where, in epochs: the epochs before this one and the share of this
    /// one done (batch 30 of 60 in epoch 2 is 1.5; an epoch's end is whole).
    pub at: Float,
    /// Optimizer steps done.
    pub step: usize,
    /// Mean cross-entropy per target token over those batches.
    pub loss: Float,
    /// Token accuracy over those batches.
    pub accuracy: Float,
}

/// The record of a `fit`, as Keras's `History`: one entry per epoch, and
/// the training loss and accuracy every few batches.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// One entry per epoch.
    pub epochs: Vec<EpochStats>,
    /// A point every [`POINT_EVERY`] batches and at each epoch's end
    /// ([`History::record_batch`]).
    pub points: Vec<TrainPoint>,
    /// The batches since the last point.
    since: Tally,
}

impl History {
    /// Counts a batch; after every [`POINT_EVERY`]-th batch of an epoch and
    /// after its last one, adds a [`TrainPoint`] with the mean loss and
    /// accuracy of the batches since the previous point.
    ///
    /// Checked by `tests/seq2seq/fitting.rs::history_has_points_between_epochs`.
    pub fn record_batch(&mut self, r: &StepReport) {
        self.since.add(&r.tally);
        if r.batch.is_multiple_of(POINT_EVERY) || r.batch == r.batches_per_epoch {
            let share = r.batch as Float / r.batches_per_epoch.max(1) as Float;
            self.points.push(TrainPoint {
                at: (r.epoch - 1) as Float + share,
                step: r.step,
                loss: self.since.loss(),
                accuracy: self.since.accuracy(),
            });
            self.since = Tally::default();
        }
    }
}

/// What a training run tells as it goes. The command line draws a progress
/// bar and prints the lines ([`Progress::line`]), a notebook prints the
/// lines, a test listens to none of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress<'a> {
    /// An epoch of `batches` batches begins.
    EpochStarted {
        /// Its number, from 1.
        epoch: usize,
        /// The last epoch of the run.
        last: usize,
        /// How many batches it has.
        batches: usize,
    },
    /// A batch is done.
    BatchDone {
        /// The epoch's counts so far.
        so_far: Tally,
        /// Real tokens trained on per second so far in the epoch.
        tokens_per_second: Float,
    },
    /// An epoch is done and evaluated.
    EpochDone(&'a EpochStats),
    /// Training stops: `stale` epochs in a row without a lower validation loss.
    StoppedEarly {
        /// How many.
        stale: usize,
    },
    /// Anything else worth a line (what the data holds, what was saved).
    Note(String),
}

impl Progress<'_> {
    /// The line to print, for the events worth one.
    pub fn line(&self) -> Option<String> {
        match self {
            Progress::EpochDone(stats) => Some(stats.line()),
            Progress::StoppedEarly { stale } => Some(format!(
                "stopping early: no lower validation loss for {stale} epoch{}",
                if *stale == 1 { "" } else { "s" }
            )),
            Progress::Note(text) => Some(text.clone()),
            _ => None,
        }
    }
}

/// Whoever listens to a training run's [`Progress`].
pub type Observer<'o> = dyn FnMut(Progress<'_>) + 'o;

/// Mean loss per target token and token accuracy of `model` on `examples`
/// (no dropout, no update): Keras's `evaluate`. NaN for no examples.
pub fn evaluate(model: &dyn Seq2Seq, examples: &[Example], batch_size: usize) -> (Float, Float) {
    let mut all = Tally::default();
    // Sorted by length, so that batches hold little padding.
    for (_, batch) in sorted_batches(examples, batch_size) {
        let tape = Tape::new();
        let out = model.forward(&tape, &batch, None);
        all.add(&loss_of(out.logits, &batch, 0.0).1);
    }
    if all.counted == 0 {
        return (Float::NAN, Float::NAN);
    }
    (all.loss(), all.accuracy())
}

/// Trains `model` on `train` for `config.epochs` epochs from scratch, with
/// a fresh optimizer of `config`'s kind, and evaluates on `valid` after each
/// epoch: Keras's `fit`. The batches are shuffled each epoch with a seeded
/// generator, so the same seed gives the same bits. [`fit_with`] is the
/// same loop with a resumed start, an observer and a call after each epoch.
///
/// # Panics
/// If `config.batch_size` is 0.
pub fn fit(
    model: &mut dyn Seq2Seq,
    train: &[Example],
    valid: &[Example],
    config: &TrainConfig,
) -> History {
    let mut opt = config.optimizer.build();
    let never = |_: &mut dyn Seq2Seq, _: &EpochStats, _: &dyn Optimizer| {
        Ok::<(), std::convert::Infallible>(())
    };
    match fit_with(
        model,
        (train, valid),
        config,
        (None, opt.as_mut()),
        &mut |_| {},
        never,
    ) {
        Ok(h) => h,
        Err(e) => match e {},
    }
}

/// [`fit`] from `start` (`None`: from scratch), with the optimizer `opt`,
/// which may hold a restored state, telling `observer` how it goes.
///
/// Training starts from `start` (`None`: from scratch; a resumed run
/// continues the numbering of epochs and steps, the learning-rate
/// schedule and the lowest validation loss) with the optimizer `opt`,
/// which may hold a restored state. After every epoch, `after_epoch(model,
/// stats, opt)` may save the model when `stats.best` (it gets the model
/// mutably only to walk its parameter list, [`crate::nn::Module::params`]);
/// its error stops training and is returned. With `config.patience = Some(n)`,
/// training stops after `n` epochs in a row without a new lowest
/// validation loss. When resuming, the batch order and dropout draw from a
/// generator seeded with the seed and the epoch count, so a resumed run is
/// reproducible too.
///
/// # Panics
/// If `config.batch_size` is 0.
pub fn fit_with<E>(
    model: &mut dyn Seq2Seq,
    (train, valid): (&[Example], &[Example]),
    config: &TrainConfig,
    (start, opt): (Option<TrainProgress>, &mut dyn Optimizer),
    observer: &mut Observer<'_>,
    mut after_epoch: impl FnMut(&mut dyn Seq2Seq, &EpochStats, &dyn Optimizer) -> Result<(), E>,
) -> Result<History, E> {
    let mut fitting = Fitting::new(config, start, train);
    let mut history = History::default();
    loop {
        match fitting.phase() {
            Phase::Batch => {
                if let Some(started) = fitting.epoch_starting() {
                    observer(started);
                }
                let report = fitting.step(model, opt);
                history.record_batch(&report);
                observer(report.progress());
            }
            Phase::EpochEnd => {
                let stats = fitting.end_epoch(model, (train, valid));
                observer(Progress::EpochDone(&stats));
                after_epoch(model, &stats, opt)?;
                history.epochs.push(stats);
                if let Some(stale) = fitting.stopped_early() {
                    observer(Progress::StoppedEarly { stale });
                }
            }
            Phase::Finished => return Ok(history),
        }
    }
}

/// Keras's `predict` on the tutorial's model (§5.1, its last line): with
/// the source and the true previous target words given (teacher forcing),
/// the probability of every target word at every position — the softmax of
/// the logits. For translating without the answer, use greedy or beam
/// decoding ([`crate::seq2seq::decode`]).
///
/// # Shapes
/// -> `[B, T, V]`, each row summing to 1.
pub fn predict(model: &dyn Seq2Seq, batch: &Batch) -> crate::tensor::Tensor {
    let tape = Tape::new();
    model.forward(&tape, batch, None).logits.softmax().value()
}
