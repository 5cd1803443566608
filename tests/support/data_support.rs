//! A task's built-in data through the pipeline, for tests that train a
//! model with `fit` directly.
#![allow(dead_code)]

use encdec::pipeline::{Prepared, TrainOptions, prepare};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::task::Task;
use encdec::seq2seq::train::TrainConfig;

/// The built-in corpus of `task` with `pairs` pairs split with `seed`,
/// prepared as `encdec train` prepares it.
pub fn prepared(task: Task, pairs: usize, seed: u64) -> Prepared {
    let mut o = TrainOptions::new(task, ModelKind::Attention);
    o.data.pairs = Some(pairs);
    o.run.seed = seed;
    prepare(&o, None, &mut |_| {}).expect("the built-in corpora are always readable")
}

/// encdec's training of `kind` ([`TrainConfig::new`]) for `epochs` epochs of
/// batches of `batch_size`, seeded with `seed`.
pub fn training(kind: ModelKind, epochs: usize, batch_size: usize, seed: u64) -> TrainConfig {
    let mut c = TrainConfig::new(kind);
    c.epochs = epochs;
    c.batch_size = batch_size;
    c.seed = seed;
    c
}
