//! The data-parallel training step: a batch cut into a fixed number of
//! gradient shards (`TrainConfig::shards`), which any number of threads run.
//! The shards' gradients sum to the whole batch's, up to the order of the
//! sums; the thread count changes nothing at all — the same seed and
//! shards give the same bits on one thread and on several, dropout
//! included.

use encdec::checks::bench::{LEN, bench_batch, bench_config};
use encdec::optim::Adam;
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::models::{Seq2Seq, build};
use encdec::seq2seq::train::train_step;
use encdec::tensor::{Tensor, rng};

use crate::model_support::step_config;

const KINDS: [ModelKind; 3] = [
    ModelKind::Lstm,
    ModelKind::Attention,
    ModelKind::Transformer,
];

/// Parameters and losses after three training steps of a fresh model, the
/// batch cut into `shards` shards run on `threads` threads.
fn after_three_steps(
    kind: ModelKind,
    dropout: f64,
    (shards, threads): (usize, usize),
) -> (Vec<Tensor>, Vec<u64>) {
    let mut config = bench_config(kind);
    config.dropout = dropout;
    let mut model: Box<dyn Seq2Seq> = build(&config, &mut rng(0)).unwrap();
    let batch = bench_batch(LEN, 1);
    let mut steps = step_config(1e-3, Some(1.0));
    (steps.shards, steps.threads) = (shards, threads);
    let (mut opt, mut r) = (Adam::default(), rng(2));
    let losses = (1..=3)
        .map(|s| {
            train_step(model.as_mut(), &batch, &mut opt, &steps, s, &mut r)
                .loss()
                .to_bits()
        })
        .collect();
    (
        model.params().iter().map(|p| p.value.clone()).collect(),
        losses,
    )
}

#[test]
fn threads_change_nothing_but_speed() {
    for kind in KINDS {
        for shards in [2, 4] {
            let one = after_three_steps(kind, 0.2, (shards, 1));
            for threads in [2, 3, 8] {
                let many = after_three_steps(kind, 0.2, (shards, threads));
                assert_eq!(
                    one, many,
                    "{kind}, {shards} shards: 1 and {threads} threads differ"
                );
            }
        }
    }
}

#[test]
fn shards_sum_to_the_whole_batch() {
    for kind in KINDS {
        // No dropout: 1, 2 and 3 shards train the same model, up to rounding.
        let (one, _) = after_three_steps(kind, 0.0, (1, 1));
        for shards in [2, 3] {
            let (many, _) = after_three_steps(kind, 0.0, (shards, 2));
            for (a, b) in one.iter().zip(&many) {
                let d = a.max_abs_diff(b);
                assert!(
                    d < 1e-11,
                    "{kind} {shards} shards: parameters differ by {d:e}"
                );
            }
        }
    }
}
