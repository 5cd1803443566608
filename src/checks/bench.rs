//! The training-step benchmark behind `encdec bench`, in the two
//! configurations that `scripts/bench_torch.py` measures in PyTorch.

use crate::optim::Adam;
use crate::seq2seq::{Batch, ModelConfig, ModelKind, build, train_step};
use crate::tensor::{Float, rng};
use rand::RngExt;
use std::time::Instant;

/// Batch size, sequence length and vocabulary of both configurations.
pub const BATCH: usize = 32;
/// Source and target length.
pub const LEN: usize = 12;
/// Source and target vocabulary.
pub const VOCAB: usize = 100;

/// (a) the §5.1 LSTM encoder–decoder: embedding 64, hidden 128;
/// (b) the Transformer: $d_{model}$ 64, 4 heads, feed-forward 256, 2 + 2 layers, no dropout.
pub fn bench_config(kind: ModelKind) -> ModelConfig {
    let (emb, hidden) = if kind == ModelKind::Transformer {
        (64, 256)
    } else {
        (64, 128)
    };
    ModelConfig {
        kind,
        src_vocab: VOCAB,
        tgt_vocab: VOCAB,
        emb,
        hidden,
        layers: 2,
        heads: 4,
        dropout: 0.0,
    }
}

/// A batch of random ids in `4..VOCAB` without padding: source `[32, 12]`,
/// decoder input and target `[32, 12]` (as the PyTorch script).
pub fn bench_batch(seed: u64) -> Batch {
    let mut r = rng(seed);
    let mut ids = |n: usize| (0..n).map(|_| r.random_range(4..VOCAB)).collect::<Vec<_>>();
    let tgt = ids(BATCH * (LEN + 1));
    let (mut tgt_in, mut tgt_out) = (vec![], vec![]);
    for row in tgt.chunks(LEN + 1) {
        tgt_in.extend(&row[..LEN]);
        tgt_out.extend(&row[1..]);
    }
    Batch {
        size: BATCH,
        src: ids(BATCH * LEN),
        src_len: LEN,
        src_lengths: vec![LEN; BATCH],
        tgt_in,
        tgt_out,
        tgt_len: LEN,
    }
}

/// Milliseconds of each timed training step (forward, backward, Adam
/// update), after `warmup` untimed steps; at least `min_steps` steps and
/// `min_seconds` seconds.
pub fn time_steps(
    kind: ModelKind,
    warmup: usize,
    min_steps: usize,
    min_seconds: Float,
) -> Vec<Float> {
    let mut model =
        build(&bench_config(kind), &mut rng(0)).expect("the benchmark configs are valid");
    let batch = bench_batch(1);
    let mut opt = Adam::default();
    let mut r = rng(2);
    for _ in 0..warmup {
        train_step(model.as_mut(), &batch, &mut opt, 1e-3, None, &mut r);
    }
    let start = Instant::now();
    let mut times = vec![];
    while times.len() < min_steps || start.elapsed().as_secs_f64() < min_seconds {
        let t = Instant::now();
        train_step(model.as_mut(), &batch, &mut opt, 1e-3, None, &mut r);
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times
}

/// The median of a list of timings.
pub fn median(times: &[Float]) -> Float {
    let mut t = times.to_vec();
    t.sort_by(Float::total_cmp);
    t[t.len() / 2]
}
