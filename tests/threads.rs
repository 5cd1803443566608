//! The data-parallel training step: with `parallel::set_threads(n)` a step
//! splits its batch into `n` shards on `n` threads. Without dropout this is
//! the same computation as one thread up to the order of the sums; with
//! dropout each shard draws its own masks, so results depend on the thread
//! count, but never on the run.
//!
//! One test only: the thread count is process-wide, and the tests of one
//! file run in parallel threads.

use encdec::checks::bench::{bench_batch, bench_config};
use encdec::optim::Adam;
use encdec::parallel::set_threads;
use encdec::seq2seq::{ModelKind, Seq2Seq, build, train_step};
use encdec::tensor::{Tensor, rng};

/// Parameters after three training steps of a fresh model on `threads` threads.
fn after_three_steps(kind: ModelKind, dropout: f64, threads: usize) -> (Vec<Tensor>, Vec<f64>) {
    set_threads(threads);
    let mut config = bench_config(kind);
    config.dropout = dropout;
    let mut model: Box<dyn Seq2Seq> = build(&config, &mut rng(0)).unwrap();
    let batch = bench_batch(encdec::checks::bench::LEN, 1);
    let (mut opt, mut r) = (Adam::default(), rng(2));
    let losses = (0..3)
        .map(|_| train_step(model.as_mut(), &batch, &mut opt, 1e-3, Some(1.0), &mut r))
        .collect();
    set_threads(1);
    (
        model.params().iter().map(|p| p.value.clone()).collect(),
        losses,
    )
}

#[test]
fn shards_sum_to_the_whole_batch_and_runs_repeat_bit_for_bit() {
    for kind in [
        ModelKind::Lstm,
        ModelKind::Attention,
        ModelKind::Transformer,
    ] {
        // No dropout: 1, 2 and 3 threads train the same model, up to rounding.
        let (one, loss_one) = after_three_steps(kind, 0.0, 1);
        for threads in [2, 3] {
            let (many, loss_many) = after_three_steps(kind, 0.0, threads);
            for (a, b) in one.iter().zip(&many) {
                let d = a.max_abs_diff(b);
                assert!(
                    d < 1e-11,
                    "{kind} {threads} threads: parameters differ by {d:e}"
                );
            }
            for (a, b) in loss_one.iter().zip(&loss_many) {
                assert!(
                    (a - b).abs() < 1e-11,
                    "{kind} {threads} threads: loss {a} vs {b}"
                );
            }
        }
        // With dropout: the same thread count gives the same bits, run after run.
        let first = after_three_steps(kind, 0.2, 2);
        let again = after_three_steps(kind, 0.2, 2);
        assert_eq!(first, again, "{kind}: two runs on 2 threads differ");
    }
}
