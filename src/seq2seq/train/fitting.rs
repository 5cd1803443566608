//! [`fit`](super::fit) cut open: the state of a training run between two
//! batches, so that a caller (a web page training batch by batch, the
//! command line recording snapshots) can run one batch, look, and go on.
//! [`super::fit_with`] is a loop over it, so both give the same bits.
//!
//! Checked by `tests/seq2seq/fitting.rs::fitting_batch_by_batch_gives_the_plain_loops_bits`.

use super::batches::{batches, bucketed_batches, real_tokens};
use super::config::{Batching, TrainConfig};
use super::fit::{EpochStats, Progress, evaluate};
use super::step::{Tally, train_step};
use crate::optim::Optimizer;
use crate::seq2seq::batch::{Batch, Example};
use crate::seq2seq::io::TrainProgress;
use crate::seq2seq::models::Seq2Seq;
use crate::tensor::{Float, Rng, rng};

/// What comes next in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// A batch of the current epoch: [`Fitting::step`].
    Batch,
    /// Every batch of the epoch is done: [`Fitting::end_epoch`].
    EpochEnd,
    /// Every epoch is done, or training stopped early.
    Finished,
}

/// What one batch did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepReport {
    /// The epoch, from 1 (a resumed run continues the count).
    pub epoch: usize,
    /// The last epoch of the run.
    pub last_epoch: usize,
    /// The batch within the epoch, from 1.
    pub batch: usize,
    /// The epoch's batches.
    pub batches_per_epoch: usize,
    /// Optimizer steps done, this one included.
    pub step: usize,
    /// This batch's counts: [`Tally::loss`] is its mean loss per target token.
    pub tally: Tally,
    /// The epoch's counts so far, this batch included.
    pub so_far: Tally,
    /// Real tokens trained on per second so far in the epoch (NaN where
    /// there is no clock, as on `wasm32`).
    pub tokens_per_second: Float,
}

impl StepReport {
    /// The batch's mean loss per target token.
    pub fn loss(&self) -> Float {
        self.tally.loss()
    }

    /// The batch's token accuracy.
    pub fn accuracy(&self) -> Float {
        self.tally.accuracy()
    }

    /// The batch as a training run tells it ([`Progress::BatchDone`]).
    pub fn progress(&self) -> Progress<'static> {
        Progress::BatchDone {
            so_far: self.so_far,
            tokens_per_second: self.tokens_per_second,
        }
    }
}

/// A training run between batches: the configuration, the generator of the
/// batch order and dropout, the step count, the epoch's batches and counts,
/// the lowest validation loss.
pub struct Fitting {
    config: TrainConfig,
    rng: Rng,
    step: usize,
    best: Float,
    stale: usize,
    epoch: usize,
    last: usize,
    batches: Vec<Batch>,
    done: usize,
    tally: Tally,
    tokens: usize,
    seconds: Option<Float>,
    phase: Phase,
}

impl Fitting {
    /// A run of `config.epochs` epochs on `train` from `start` (`None`: from
    /// scratch; a resumed run continues the numbering of epochs and steps,
    /// the learning-rate schedule and the lowest validation loss), with the
    /// first epoch's batches drawn. When resuming, the batch order and
    /// dropout draw from a generator seeded with the seed and the epoch
    /// count, so a resumed run is reproducible too.
    ///
    /// # Panics
    /// If `config.batch_size` is 0.
    pub fn new(config: &TrainConfig, start: Option<TrainProgress>, train: &[Example]) -> Fitting {
        let start = start.unwrap_or(TrainProgress::START);
        let rng = match start.epochs {
            0 => rng(config.seed),
            done => rng(config.seed ^ (done as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        };
        let mut f = Fitting {
            config: config.clone(),
            rng,
            step: start.steps,
            best: start.best_valid_loss,
            stale: 0,
            epoch: start.epochs,
            last: start.epochs + config.epochs,
            batches: vec![],
            done: 0,
            tally: Tally::default(),
            tokens: 0,
            seconds: Some(0.0),
            phase: Phase::Finished,
        };
        f.begin_epoch(train);
        f
    }

    /// What comes next.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The current epoch (from 1; before any, the epochs already done),
    /// the last one, the batches done in it and its batches.
    pub fn position(&self) -> (usize, usize, usize, usize) {
        (self.epoch, self.last, self.done, self.batches.len())
    }

    /// [`Progress::EpochStarted`] when the next batch is its epoch's first.
    pub fn epoch_starting(&self) -> Option<Progress<'static>> {
        (self.phase == Phase::Batch && self.done == 0).then_some(Progress::EpochStarted {
            epoch: self.epoch,
            last: self.last,
            batches: self.batches.len(),
        })
    }

    /// The training settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Trains `model` on the epoch's next batch with `opt` (one optimizer step).
    ///
    /// # Panics
    /// Unless [`Fitting::phase`] is [`Phase::Batch`]
    /// (`tests/seq2seq/fitting.rs::stepping_a_finished_run_panics`).
    pub fn step(&mut self, model: &mut dyn Seq2Seq, opt: &mut dyn Optimizer) -> StepReport {
        assert_eq!(self.phase, Phase::Batch, "Fitting::step: no batch is due");
        let clock = Stopwatch::start();
        let batch = &self.batches[self.done];
        self.step += 1;
        let tally = train_step(model, batch, opt, &self.config, self.step, &mut self.rng);
        self.tally.add(&tally);
        self.tokens += real_tokens(batch);
        self.done += 1;
        self.seconds = clock.add_to(self.seconds);
        if self.done == self.batches.len() {
            self.phase = Phase::EpochEnd;
        }
        StepReport {
            epoch: self.epoch,
            last_epoch: self.last,
            batch: self.done,
            batches_per_epoch: self.batches.len(),
            step: self.step,
            tally,
            so_far: self.tally,
            tokens_per_second: self.tokens_per_second(),
        }
    }

    /// Ends the epoch: evaluates `model` on `valid`, decides whether it is
    /// the best so far and whether training stops early (`config.patience`
    /// epochs in a row without a new lowest validation loss), and draws the
    /// next epoch's batches from `train`.
    ///
    /// # Panics
    /// Unless [`Fitting::phase`] is [`Phase::EpochEnd`]
    /// (`tests/seq2seq/fitting.rs::ending_an_epoch_before_its_batches_panics`).
    pub fn end_epoch(
        &mut self,
        model: &dyn Seq2Seq,
        (train, valid): (&[Example], &[Example]),
    ) -> EpochStats {
        assert_eq!(
            self.phase,
            Phase::EpochEnd,
            "Fitting::end_epoch: the epoch is not done"
        );
        let (valid_loss, valid_accuracy) = evaluate(model, valid, self.config.batch_size);
        // Without validation data every epoch counts as the best.
        let improved = valid.is_empty() || valid_loss < self.best;
        if improved && !valid.is_empty() {
            self.best = valid_loss;
        }
        self.stale = if improved { 0 } else { self.stale + 1 };
        let seconds = self.seconds.unwrap_or(Float::NAN);
        let stats = EpochStats {
            epoch: self.epoch,
            last: self.last,
            train_loss: self.tally.loss(),
            train_accuracy: self.tally.accuracy(),
            valid_loss,
            valid_accuracy,
            seconds,
            tokens_per_second: self.tokens_per_second(),
            step: self.step,
            best: improved,
        };
        self.begin_epoch(train);
        stats
    }

    /// Whether the run stopped early: `Some(stale)` epochs without a lower
    /// validation loss ended it.
    pub fn stopped_early(&self) -> Option<usize> {
        let stopped = self.config.patience.is_some_and(|p| self.stale >= p);
        stopped.then_some(self.stale)
    }

    /// Starts the next epoch (drawing its batches), or finishes the run.
    fn begin_epoch(&mut self, train: &[Example]) {
        if self.epoch >= self.last || self.stopped_early().is_some() {
            self.phase = Phase::Finished;
            self.batches = vec![];
            return;
        }
        let clock = Stopwatch::start();
        self.epoch += 1;
        let (size, rng) = (self.config.batch_size, &mut self.rng);
        self.batches = match self.config.batching {
            Batching::Bucketed => bucketed_batches(train, size, rng),
            Batching::Shuffled => batches(train, size, Some(rng)),
        };
        (self.done, self.tally, self.tokens) = (0, Tally::default(), 0);
        self.seconds = clock.add_to(Some(0.0));
        self.phase = match self.batches.is_empty() {
            true => Phase::EpochEnd,
            false => Phase::Batch,
        };
    }

    fn tokens_per_second(&self) -> Float {
        match self.seconds {
            Some(s) => self.tokens as Float / s.max(1e-9),
            None => Float::NAN,
        }
    }
}

/// Wall-clock time where there is a clock; on `wasm32` there is none
/// (`std::time::Instant::now` panics there), and the time is unknown.
struct Stopwatch {
    #[cfg(not(target_arch = "wasm32"))]
    begun: std::time::Instant,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            #[cfg(not(target_arch = "wasm32"))]
            begun: std::time::Instant::now(),
        }
    }

    /// `seconds` plus the time since the start (`None` without a clock).
    #[cfg(not(target_arch = "wasm32"))]
    fn add_to(&self, seconds: Option<Float>) -> Option<Float> {
        seconds.map(|s| s + self.begun.elapsed().as_secs_f64())
    }

    #[cfg(target_arch = "wasm32")]
    fn add_to(&self, _: Option<Float>) -> Option<Float> {
        None
    }
}
