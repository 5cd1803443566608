//! Training in the style of Keras (tutorial §5.1): `compile` chooses the
//! optimizer and the loss, `fit` runs epochs over batches with validation
//! data and keeps a history, `evaluate` measures loss and accuracy.

use super::Batch;
use super::batch::{Example, batches};
use super::metrics::token_accuracy;
use super::model::Seq2Seq;
use crate::autograd::{CrossEntropyOptions, Tape, Var};
use crate::optim::{Adam, Optimizer, Schedule, Sgd, clip_grad_norm};
use crate::tensor::{Float, Rng, Tensor, rng};
use crate::text::PAD_ID;
use indicatif::{ProgressBar, ProgressStyle};
use rand::RngExt;
use std::time::Instant;

/// Which optimizer `fit` uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerChoice {
    /// Adam with PyTorch's defaults ($\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$).
    Adam,
    /// Adam with L2 weight decay $\lambda$ added to the gradient of matrices
    /// (`torch.optim.Adam(weight_decay=λ)`; see [`Adam::with_weight_decay`]).
    AdamL2 {
        /// $\lambda$.
        weight_decay: Float,
    },
    /// AdamW: decoupled weight decay $\lambda$ of matrices (`torch.optim.AdamW`;
    /// see [`Adam::adamw`]).
    AdamW {
        /// $\lambda$.
        weight_decay: Float,
    },
    /// SGD with momentum.
    Sgd {
        /// $\mu$.
        momentum: Float,
    },
}

impl OptimizerChoice {
    /// A fresh optimizer of this kind.
    pub fn build(self) -> Box<dyn Optimizer> {
        match self {
            OptimizerChoice::Adam => Box::new(Adam::default()),
            OptimizerChoice::AdamL2 { weight_decay } => {
                Box::new(Adam::with_weight_decay(weight_decay))
            }
            OptimizerChoice::AdamW { weight_decay } => Box::new(Adam::adamw(weight_decay)),
            OptimizerChoice::Sgd { momentum } => Box::new(Sgd::new(momentum)),
        }
    }
}

/// How to train.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Sentences per batch.
    pub batch_size: usize,
    /// The optimizer.
    pub optimizer: OptimizerChoice,
    /// The learning rate per step.
    pub schedule: Schedule,
    /// Clip the global gradient norm to this value.
    pub clip: Option<Float>,
    /// Label smoothing $\varepsilon$ of the training loss (0: none; see
    /// [`crate::autograd::Var::cross_entropy_with`]). The validation loss
    /// stays the plain cross-entropy, so runs with and without compare.
    pub label_smoothing: Float,
    /// Seed of the batch order and of dropout.
    pub seed: u64,
    /// Show a progress bar (on a terminal) and print a line per epoch.
    pub verbose: bool,
}

/// Metrics of one epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochStats {
    /// Epoch number, from 1.
    pub epoch: usize,
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
    /// Whether the validation loss is the lowest so far (the checkpoint worth keeping).
    pub best: bool,
}

/// Where a run of [`fit_with`] starts and how it may stop early.
#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    /// Batches of sentences of similar length ([`super::bucketed_batches`]),
    /// instead of plain shuffled batches ([`super::batches`]).
    pub bucket: bool,
    /// Stop after this many epochs without a new lowest validation loss.
    pub patience: Option<usize>,
    /// Epochs already done (when resuming): numbering continues after them.
    pub epochs_done: usize,
    /// Optimizer steps already done (the learning-rate schedule continues).
    pub steps_done: usize,
    /// The lowest validation loss so far (`INFINITY` when starting).
    pub best_valid_loss: Float,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            bucket: false,
            patience: None,
            epochs_done: 0,
            steps_done: 0,
            best_valid_loss: Float::INFINITY,
        }
    }
}

/// The per-epoch record of a `fit`, as Keras's `History`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// One entry per epoch.
    pub epochs: Vec<EpochStats>,
}

/// Loss and token counts of one batch.
struct Tally {
    loss_sum: Float,
    correct: usize,
    counted: usize,
}

/// The masked cross-entropy of a forward pass, with label smoothing
/// `smoothing`, and its accuracy counts.
fn loss_of<'t>(logits: Var<'t>, batch: &Batch, smoothing: Float) -> (Var<'t>, Tally) {
    let v = logits.shape()[2];
    let flat = logits.reshape(&[batch.size * batch.tgt_len, v]);
    let options = CrossEntropyOptions {
        ignore_index: Some(PAD_ID),
        label_smoothing: smoothing,
        ..CrossEntropyOptions::default()
    };
    let loss = flat.cross_entropy_with(&batch.tgt_out, &options);
    let (correct, counted) = token_accuracy(&flat.value(), &batch.tgt_out);
    let tally = Tally {
        loss_sum: loss.item() * counted as Float,
        correct,
        counted,
    };
    (loss, tally)
}

/// One training step: forward, masked cross-entropy, backward, clip, update.
/// Returns the batch's mean loss.
pub fn train_step(
    model: &mut dyn Seq2Seq,
    batch: &Batch,
    opt: &mut dyn Optimizer,
    lr: Float,
    clip: Option<Float>,
    rng: &mut Rng,
) -> Float {
    let t = train_step_tally(model, batch, opt, lr, clip, 0.0, rng);
    t.loss_sum / t.counted.max(1) as Float
}

fn train_step_tally(
    model: &mut dyn Seq2Seq,
    batch: &Batch,
    opt: &mut dyn Optimizer,
    lr: Float,
    clip: Option<Float>,
    smoothing: Float,
    rng: &mut Rng,
) -> Tally {
    let shards = crate::parallel::threads().min(batch.size);
    // Which parameters take gradients, by identity (the shards hold the model shared).
    let ids: Vec<Option<u64>> = model
        .params()
        .iter()
        .map(|p| p.trainable.then(|| p.id()))
        .collect();
    let (mut grads, tally) = if shards <= 1 {
        shard_gradients(&*model, &ids, batch, None, smoothing, rng)
    } else {
        data_parallel_gradients(&*model, &ids, batch, shards, smoothing, rng)
    };
    if let Some(max) = clip {
        clip_grad_norm(&mut grads, max);
    }
    opt.step(&mut model.params_mut(), &grads, lr);
    tally
}

/// Forward and backward of one batch (or one shard of it) on a tape of its
/// own: every parameter's gradient (`None` if frozen or unreached) and the
/// loss tally. With `total = Some(n)`, the shard's mean loss is weighted by
/// its share of the `n` target tokens of the whole batch, so that the
/// shards' gradients sum to the whole batch's.
fn shard_gradients(
    model: &dyn Seq2Seq,
    ids: &[Option<u64>],
    batch: &Batch,
    total: Option<usize>,
    smoothing: Float,
    rng: &mut Rng,
) -> (Vec<Option<Tensor>>, Tally) {
    let tape = Tape::new();
    let out = model.forward(&tape, batch, Some(rng));
    let (mut loss, tally) = loss_of(out.logits, batch, smoothing);
    if let Some(n) = total {
        loss = loss.mul_scalar(tally.counted as Float / n.max(1) as Float);
    }
    tape.backward(loss);
    let grads = ids
        .iter()
        .map(|id| id.and_then(|id| tape.param_grad_by_id(id)))
        .collect();
    (grads, tally)
    // The tape is dropped here, so the parameters' buffers are no longer
    // shared with it and the update writes them in place.
}

/// The batch cut into `shards` consecutive groups of rows, each run on its
/// own thread and tape ([`shard_gradients`]); the gradients are summed in
/// shard order, so the result depends only on the seed and the number of
/// shards. Each shard draws its dropout from its own generator, seeded from
/// `rng` in shard order.
fn data_parallel_gradients(
    model: &dyn Seq2Seq,
    ids: &[Option<u64>],
    batch: &Batch,
    shards: usize,
    smoothing: Float,
    rng: &mut Rng,
) -> (Vec<Option<Tensor>>, Tally) {
    let total = batch.tgt_out.iter().filter(|&&t| t != PAD_ID).count();
    let parts: Vec<(Batch, Rng)> = (0..shards)
        .map(|s| {
            let rows = s * batch.size / shards..(s + 1) * batch.size / shards;
            (batch.rows(rows), crate::tensor::rng(rng.random()))
        })
        .collect();
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|(b, mut r)| {
                scope.spawn(move || shard_gradients(model, ids, &b, Some(total), smoothing, &mut r))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a training shard panicked"))
            .collect()
    });
    let mut results = results.into_iter();
    let (mut grads, mut tally) = results.next().expect("at least one shard");
    for (g, t) in results {
        for (acc, g) in grads.iter_mut().zip(g) {
            match (acc.as_mut(), g) {
                (Some(a), Some(g)) => a.add_assign(&g),
                (None, g) => *acc = g,
                (Some(_), None) => {}
            }
        }
        tally.loss_sum += t.loss_sum;
        tally.correct += t.correct;
        tally.counted += t.counted;
    }
    (grads, tally)
}

/// Mean loss per target token and token accuracy of `model` on `examples`
/// (no dropout, no update): Keras's `evaluate`.
pub fn evaluate(model: &dyn Seq2Seq, examples: &[Example], batch_size: usize) -> (Float, Float) {
    let (mut loss, mut correct, mut counted) = (0.0, 0, 0);
    // Sorted by length, so that batches hold little padding.
    for (_, batch) in super::sorted_batches(examples, batch_size) {
        let tape = Tape::new();
        let out = model.forward(&tape, &batch, None);
        let (_, t) = loss_of(out.logits, &batch, 0.0);
        loss += t.loss_sum;
        correct += t.correct;
        counted += t.counted;
    }
    if counted == 0 {
        return (Float::NAN, Float::NAN);
    }
    (loss / counted as Float, correct as Float / counted as Float)
}

fn progress(n: u64, epoch: usize, epochs: usize, verbose: bool) -> ProgressBar {
    if !verbose {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(n);
    let style = ProgressStyle::with_template(
        "epoch {prefix} [{bar:30}] {pos}/{len} batches  {msg}  ({elapsed}, ETA {eta})",
    )
    .expect("a valid progress template")
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(format!("{epoch}/{epochs}"));
    bar
}

/// Trains `model` on `train` for `config.epochs` epochs, shuffling the
/// batches each epoch with a seeded generator, and evaluates on `valid`
/// after each epoch: Keras's `fit`. The same seed gives bit-identical losses.
///
/// # Panics
/// If `config.batch_size` is 0.
pub fn fit(
    model: &mut dyn Seq2Seq,
    train: &[Example],
    valid: &[Example],
    config: &TrainConfig,
) -> History {
    let never = |_: &mut dyn Seq2Seq, _: &EpochStats, _: &dyn Optimizer| {
        Ok::<(), std::convert::Infallible>(())
    };
    let mut opt = config.optimizer.build();
    match fit_with(
        model,
        train,
        valid,
        config,
        &FitOptions::default(),
        opt.as_mut(),
        never,
    ) {
        Ok(h) => h,
        Err(e) => match e {},
    }
}

/// [`fit`] with bucketing, early stopping, a resumed start, an optimizer
/// of the caller's (which may hold a restored state), and a call after
/// every epoch: `after_epoch(model, stats, opt)` can save the model and the
/// optimizer's state when `stats.best` (it gets the model mutably only so
/// that it can walk its parameter list, [`crate::nn::Module::params`]; a
/// failure there stops training and is returned). `config.optimizer` is not read: `opt` is used.
///
/// With `options.patience = Some(n)`, training stops after `n` epochs in a
/// row without a new lowest validation loss. When resuming
/// (`options.epochs_done > 0`) the batch order and dropout draw from a
/// generator seeded with the seed and the epoch count, so a resumed run is
/// reproducible too.
///
/// # Panics
/// If `config.batch_size` is 0.
pub fn fit_with<E>(
    model: &mut dyn Seq2Seq,
    train: &[Example],
    valid: &[Example],
    config: &TrainConfig,
    options: &FitOptions,
    opt: &mut dyn Optimizer,
    mut after_epoch: impl FnMut(&mut dyn Seq2Seq, &EpochStats, &dyn Optimizer) -> Result<(), E>,
) -> Result<History, E> {
    let mut rng = match options.epochs_done {
        0 => rng(config.seed),
        done => rng(config.seed ^ (done as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
    };
    let mut history = History::default();
    let mut step = options.steps_done;
    let mut best = options.best_valid_loss;
    let mut stale = 0;
    let last = options.epochs_done + config.epochs;
    for epoch in options.epochs_done + 1..=last {
        let start = Instant::now();
        let epoch_batches = if options.bucket {
            super::bucketed_batches(train, config.batch_size, &mut rng)
        } else {
            batches(train, config.batch_size, Some(&mut rng))
        };
        let bar = progress(epoch_batches.len() as u64, epoch, last, config.verbose);
        let (mut loss, mut correct, mut counted, mut tokens) = (0.0, 0, 0, 0);
        for batch in &epoch_batches {
            step += 1;
            let t = train_step_tally(
                model,
                batch,
                opt,
                config.schedule.lr(step),
                config.clip,
                config.label_smoothing,
                &mut rng,
            );
            loss += t.loss_sum;
            correct += t.correct;
            counted += t.counted;
            tokens += super::real_tokens(batch);
            bar.inc(1);
            let (l, a) = (
                loss / counted.max(1) as Float,
                correct as Float / counted.max(1) as Float,
            );
            let rate = tokens as Float / start.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!("loss {l:.4}  acc {a:.4}  {rate:.0} tokens/s"));
        }
        bar.finish_and_clear();
        let seconds = start.elapsed().as_secs_f64();
        let (valid_loss, valid_accuracy) = evaluate(model, valid, config.batch_size);
        // Without validation data the last epoch counts as the best.
        let improved = if valid.is_empty() {
            true
        } else {
            valid_loss < best
        };
        if improved && !valid.is_empty() {
            best = valid_loss;
        }
        stale = if improved { 0 } else { stale + 1 };
        let stats = EpochStats {
            epoch,
            train_loss: loss / counted.max(1) as Float,
            train_accuracy: correct as Float / counted.max(1) as Float,
            valid_loss,
            valid_accuracy,
            seconds,
            tokens_per_second: tokens as Float / seconds.max(1e-9),
            step,
            best: improved,
        };
        if config.verbose {
            eprintln!(
                "epoch {epoch}/{last}: loss {:.4}  acc {:.4}  val_loss {:.4}  val_acc {:.4}  ({:.1} s, {:.0} tokens/s){}",
                stats.train_loss,
                stats.train_accuracy,
                stats.valid_loss,
                stats.valid_accuracy,
                stats.seconds,
                stats.tokens_per_second,
                if improved && !valid.is_empty() {
                    "  best so far"
                } else {
                    ""
                }
            );
        }
        after_epoch(model, &stats, opt)?;
        history.epochs.push(stats);
        if options.patience.is_some_and(|p| stale >= p) {
            if config.verbose {
                eprintln!(
                    "stopping early: no lower validation loss for {stale} epoch{}",
                    if stale == 1 { "" } else { "s" }
                );
            }
            break;
        }
    }
    Ok(history)
}

/// Keras's `predict` on the tutorial's model (§5.1, its last line): with
/// the source and the true previous target words given (teacher forcing),
/// the probability of every target word at every position — the softmax of
/// the logits. For translating without the answer, use greedy or beam
/// decoding ([`super::greedy`], [`super::Checkpoint::decode_text`]).
///
/// # Shapes
/// -> `[B, T, V]`, each row summing to 1.
pub fn predict(model: &dyn Seq2Seq, batch: &Batch) -> crate::tensor::Tensor {
    let tape = Tape::new();
    model.forward(&tape, batch, None).logits.softmax().value()
}
