//! Where a training step's time goes: forward (with the loss), backward,
//! reading the gradients, and the Adam update, for one benchmark model
//! (`lstm` or `transformer`, as `encdec bench`), one thread.
//!
//! With a third argument `threads` above 1 it times whole data-parallel
//! steps (`train_step` with as many shards as threads) instead of the phases.
//!
//! ```sh
//! cargo run --release --example step_profile -- lstm 200
//! cargo run --release --example step_profile -- transformer 200 2
//! ```

use encdec::autograd::Tape;
use encdec::checks::bench::{bench_batch, bench_config};
use encdec::optim::{Adam, Optimizer};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::models::build;
use encdec::tensor::rng;
use std::time::Instant;

// As the `encdec` binary: freed buffers are reused, not handed back to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kind = match args.get(1).map(String::as_str) {
        Some("transformer") => ModelKind::Transformer,
        _ => ModelKind::Lstm,
    };
    let steps: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let mut model = build(&bench_config(kind), &mut rng(0)).expect("valid config");
    let batch = bench_batch(encdec::checks::bench::LEN, 1);
    let mut opt = Adam::default();
    let mut r = rng(2);
    let threads: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    if threads > 1 {
        let mut config = encdec::seq2seq::train::TrainConfig::new(kind);
        config.schedule = encdec::optim::Schedule::Constant(1e-3);
        (config.clip, config.shards, config.threads) = (None, threads, threads);
        let mut times = vec![];
        for step in 1..=steps + 5 {
            let t0 = Instant::now();
            encdec::seq2seq::train::train_step(
                model.as_mut(),
                &batch,
                &mut opt,
                &config,
                step,
                &mut r,
            );
            times.push(t0.elapsed().as_secs_f64() * 1e3);
        }
        times.drain(..5);
        times.sort_by(f64::total_cmp);
        println!(
            "{kind} ms/step on {threads} threads: median {:.2}",
            times[times.len() / 2]
        );
        return;
    }
    let mut t = [0.0f64; 5];
    let mut nodes = 0;
    for step in 0..steps + 5 {
        let t0 = Instant::now();
        let tape = Tape::new();
        let out = model.forward(&tape, &batch, Some(&mut r));
        let v = out.logits.shape()[2];
        let flat = out.logits.reshape(&[batch.size * batch.tgt_len, v]);
        let loss = flat.cross_entropy(&batch.tgt_out, Some(0));
        let t1 = Instant::now();
        tape.backward(loss);
        let t2 = Instant::now();
        let grads: Vec<_> = model
            .params()
            .into_iter()
            .map(|p| tape.param_grad(p))
            .collect();
        nodes = tape.len();
        drop(tape);
        let t3 = Instant::now();
        opt.step(&mut model.params_mut(), &grads, 1e-3);
        let t4 = Instant::now();
        if step >= 5 {
            for (k, d) in [
                (0, t1 - t0),
                (1, t2 - t1),
                (2, t3 - t2),
                (3, t4 - t3),
                (4, t4 - t0),
            ] {
                t[k] += d.as_secs_f64() * 1e3 / steps as f64;
            }
        }
    }
    println!(
        "{kind} ms/step: forward+loss {:.2}  backward {:.2}  grads+drop tape {:.2}  adam {:.2}  total {:.2}  ({nodes} tape nodes)",
        t[0], t[1], t[2], t[3], t[4]
    );
}
