//! One training step: forward, the masked cross-entropy, backward, clip,
//! update — with the batch cut into gradient shards that threads may run
//! side by side.

use super::config::TrainConfig;
use crate::autograd::{CrossEntropyOptions, Tape, Var};
use crate::optim::{Optimizer, clip_grad_norm};
use crate::seq2seq::batch::Batch;
use crate::seq2seq::eval::token_accuracy;
use crate::seq2seq::models::Seq2Seq;
use crate::tensor::{Float, Rng, Tensor};
use crate::text::PAD_ID;
use rand::RngExt;

/// Loss and token counts of one batch (or shard).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// The summed cross-entropy over the real target tokens.
    pub loss_sum: Float,
    /// Target tokens predicted right (argmax).
    pub correct: usize,
    /// Real (non-padding) target tokens.
    pub counted: usize,
}

impl Tally {
    /// Adds another batch's counts.
    pub fn add(&mut self, other: &Tally) {
        self.loss_sum += other.loss_sum;
        self.correct += other.correct;
        self.counted += other.counted;
    }

    /// Mean loss per target token.
    pub fn loss(&self) -> Float {
        self.loss_sum / self.counted.max(1) as Float
    }

    /// Share of target tokens predicted right.
    pub fn accuracy(&self) -> Float {
        self.correct as Float / self.counted.max(1) as Float
    }
}

/// The masked cross-entropy of a forward pass, with label smoothing
/// `smoothing`, and its counts.
pub(super) fn loss_of<'t>(logits: Var<'t>, batch: &Batch, smoothing: Float) -> (Var<'t>, Tally) {
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

/// One training step at optimizer step `step` (counted from 1, which sets
/// the learning rate): every shard's forward and backward pass, the
/// gradients summed in shard order, clipped and applied. Returns the
/// batch's counts.
///
/// With `config.shards` = $n > 1$ the batch's rows are cut into $n$
/// consecutive groups; each shard's mean loss is weighted by its share of
/// the batch's target tokens, so that the shards' gradients sum to the
/// gradient of the batch's mean loss, and each shard draws its dropout
/// from a generator seeded from `rng` in shard order. The result depends on
/// the seed and on $n$; `config.threads` only decides how many shards run
/// at once (`tests/seq2seq/train.rs::threads_change_nothing_but_speed`).
pub fn train_step(
    model: &mut dyn Seq2Seq,
    batch: &Batch,
    opt: &mut dyn Optimizer,
    config: &TrainConfig,
    step: usize,
    rng: &mut Rng,
) -> Tally {
    // Which parameters take gradients, by identity (the shards hold the model shared).
    let ids: Vec<Option<u64>> = model
        .params()
        .iter()
        .map(|p| p.trainable.then(|| p.id()))
        .collect();
    let shards = config.shards.clamp(1, batch.size.max(1));
    let smoothing = config.label_smoothing;
    let (mut grads, tally) = if shards == 1 {
        shard_gradients(&*model, &ids, batch, None, smoothing, rng)
    } else {
        sharded_gradients(
            &*model,
            &ids,
            batch,
            (shards, config.threads),
            smoothing,
            rng,
        )
    };
    if let Some(max) = config.clip {
        clip_grad_norm(&mut grads, max);
    }
    opt.step(&mut model.params_mut(), &grads, config.schedule.lr(step));
    tally
}

/// Forward and backward of one batch (or one shard of it) on a tape of its
/// own: every parameter's gradient (`None` if frozen or unreached) and the
/// counts. With `total = Some(n)`, the shard's mean loss is weighted by
/// its share of the `n` target tokens of the whole batch.
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

/// A shard: its rows of the batch and its own dropout generator.
type Shard = (Batch, Rng);

/// The batch cut into `shards` consecutive groups of rows, run by at most
/// `threads` threads (each a consecutive run of shards, in order), the
/// gradients and counts summed in shard order.
fn sharded_gradients(
    model: &dyn Seq2Seq,
    ids: &[Option<u64>],
    batch: &Batch,
    (shards, threads): (usize, usize),
    smoothing: Float,
    rng: &mut Rng,
) -> (Vec<Option<Tensor>>, Tally) {
    let total = batch.tgt_out.iter().filter(|&&t| t != PAD_ID).count();
    let parts: Vec<Shard> = (0..shards)
        .map(|s| {
            let rows = s * batch.size / shards..(s + 1) * batch.size / shards;
            (batch.rows(rows), crate::tensor::rng(rng.random()))
        })
        .collect();
    let run = |group: Vec<Shard>| -> Vec<_> {
        group
            .into_iter()
            .map(|(b, mut r)| shard_gradients(model, ids, &b, Some(total), smoothing, &mut r))
            .collect()
    };
    // A page's worker on wasm32 has one thread and cannot start another;
    // the thread count changes no result.
    let threads = if cfg!(target_arch = "wasm32") {
        1
    } else {
        threads
    };
    let groups = consecutive_groups(parts, threads.max(1));
    let results: Vec<_> = if groups.len() == 1 {
        groups.into_iter().flat_map(run).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = groups
                .into_iter()
                .map(|g| scope.spawn(move || run(g)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a training shard panicked"))
                .collect()
        })
    };
    sum_in_order(results)
}

/// `items` cut into at most `n` runs of consecutive items, as even as can be.
fn consecutive_groups<T>(mut items: Vec<T>, n: usize) -> Vec<Vec<T>> {
    let n = n.clamp(1, items.len().max(1));
    let mut groups = Vec::with_capacity(n);
    for g in (0..n).rev() {
        let take = items.len() / (g + 1);
        let rest = items.split_off(take);
        groups.push(std::mem::replace(&mut items, rest));
    }
    groups
}

/// The shards' gradients and counts summed in shard order.
fn sum_in_order(results: Vec<(Vec<Option<Tensor>>, Tally)>) -> (Vec<Option<Tensor>>, Tally) {
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
        tally.add(&t);
    }
    (grads, tally)
}
