//! The training-step benchmark behind `encdec bench`, in the two
//! configurations that `scripts/bench/torch_steps.py` measures in PyTorch, at any
//! sequence length; `growth.rs` says how its time grows as the length doubles.

use super::growth::{growth, growth_words};
use super::heap::peak_during;
use crate::optim::{Adam, Schedule};
use crate::seq2seq::batch::Batch;
use crate::seq2seq::config::{Arch, ModelConfig, ModelKind};
use crate::seq2seq::models::build;
use crate::seq2seq::train::{TrainConfig, train_step};
use crate::tensor::{Float, rng};
use rand::RngExt;
use std::time::Instant;

/// Sentences per batch in both configurations.
pub const BATCH: usize = 32;
/// The default source and target length.
pub const LEN: usize = 12;
/// Source and target vocabulary.
pub const VOCAB: usize = 100;

/// (a) the §5.1 LSTM encoder–decoder: embedding 64, hidden 128;
/// (b) the Transformer: $d_{model}$ 64, 4 heads, feed-forward 256, 2 + 2 layers, no dropout.
pub fn bench_config(kind: ModelKind) -> ModelConfig {
    let mut config = ModelConfig::new(kind, VOCAB, VOCAB);
    config.dropout = 0.0;
    match &mut config.arch {
        Arch::Lstm(rnn) | Arch::Attention(rnn) => (rnn.emb, rnn.hidden) = (64, 128),
        Arch::Transformer(t) => t.d_ff = 256,
    }
    config
}

/// How a benchmark step is cut up and run: `shards` gradient shards on
/// `threads` threads ([`train_step`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parallel {
    /// Gradient shards per batch.
    pub shards: usize,
    /// Threads that run them.
    pub threads: usize,
}

/// A batch of random ids in `4..VOCAB` without padding: source `[32, len]`,
/// decoder input and target `[32, len]`, the target one position ahead of
/// the input (as the PyTorch script makes it).
pub fn bench_batch(len: usize, seed: u64) -> Batch {
    let mut r = rng(seed);
    let mut ids = |n: usize| (0..n).map(|_| r.random_range(4..VOCAB)).collect::<Vec<_>>();
    let tgt = ids(BATCH * (len + 1));
    let (mut tgt_in, mut tgt_out) = (vec![], vec![]);
    for row in tgt.chunks(len + 1) {
        tgt_in.extend(&row[..len]);
        tgt_out.extend(&row[1..]);
    }
    Batch {
        size: BATCH,
        src: ids(BATCH * len),
        src_len: len,
        src_lengths: vec![len; BATCH],
        tgt_in,
        tgt_out,
        tgt_len: len,
    }
}

/// How long to measure: untimed warm-up steps, then at least `min_steps`
/// timed steps and at least `min_seconds` seconds of them.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Untimed steps first.
    pub warmup: usize,
    /// At least this many timed steps.
    pub min_steps: usize,
    /// And at least this many seconds of timed steps.
    pub min_seconds: Float,
}

/// What [`time_steps`] measured for one model at one length.
#[derive(Clone, Debug)]
pub struct StepTimes {
    /// The source and target length of the batch.
    pub len: usize,
    /// Milliseconds of each timed step.
    pub ms: Vec<Float>,
    /// The most heap bytes one more step held at once above what was live
    /// before it (the tape's values and gradients, the temporaries, the
    /// optimizer's work), measured by [`super::heap::CountingAlloc`]; `None`
    /// when the program does not count its heap.
    pub peak_bytes: Option<usize>,
}

/// Times training steps (forward, backward, Adam update at a rate of
/// $10^{-3}$, no clipping) of the benchmark model `kind` on a batch of
/// length `len`, cut and run as `parallel` says; after the timed steps,
/// one more step measures the heap (counting slows the allocator a little,
/// so that step is not timed).
pub fn time_steps(kind: ModelKind, len: usize, budget: Budget, parallel: Parallel) -> StepTimes {
    let mut model =
        build(&bench_config(kind), &mut rng(0)).expect("the benchmark configs are valid");
    let batch = bench_batch(len, 1);
    let mut opt = Adam::default();
    let mut config = TrainConfig::new(kind);
    config.schedule = Schedule::Constant(1e-3);
    config.clip = None;
    config.shards = parallel.shards;
    config.threads = parallel.threads;
    let mut r = rng(2);
    let mut step = || {
        train_step(model.as_mut(), &batch, &mut opt, &config, 1, &mut r);
    };
    for _ in 0..budget.warmup {
        step();
    }
    let start = Instant::now();
    let mut ms = vec![];
    while ms.len() < budget.min_steps || start.elapsed().as_secs_f64() < budget.min_seconds {
        let t = Instant::now();
        step();
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let (_, peak_bytes) = peak_during(step);
    StepTimes {
        len,
        ms,
        peak_bytes,
    }
}

/// The median of a list of timings.
///
/// # Panics
/// If `times` is empty.
pub fn median(times: &[Float]) -> Float {
    let mut t = times.to_vec();
    t.sort_by(Float::total_cmp);
    t[t.len() / 2]
}

/// The models `encdec bench --model` times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchModels {
    /// (a) only.
    Lstm,
    /// (b) only.
    Transformer,
    /// Both.
    All,
}

/// What `encdec bench` is asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct BenchOptions {
    /// lstm, transformer or all.
    #[arg(long, value_enum, default_value_t = BenchModels::All)]
    pub model: BenchModels,
    /// Source and target lengths to time, e.g. 12,24,48,96 (each 1 to 1000); with several, how the time grows is reported.
    #[arg(long, value_delimiter = ',', default_value = "12")]
    pub lengths: Vec<usize>,
    /// Threads a training step may use, 1 to 256.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Gradient shards per batch, 1 to 64 (default: as many as threads).
    #[arg(long)]
    pub shards: Option<usize>,
    /// Untimed steps before the timed ones.
    #[arg(long, default_value_t = 5)]
    pub warmup: usize,
    /// Minimum number of timed steps per model and length (at least 1).
    #[arg(long, default_value_t = 30)]
    pub steps: usize,
    /// Minimum seconds of timing per model and length.
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
}

impl BenchOptions {
    /// Checks every value, naming the flag.
    ///
    /// # Errors
    /// A value out of its range.
    pub fn check(&self) -> Result<(), String> {
        if self.lengths.is_empty() || self.lengths.iter().any(|&n| !(1..=1000).contains(&n)) {
            return Err("--lengths must each be from 1 to 1000".into());
        }
        if !(1..=256).contains(&self.threads) {
            return Err("--threads must be from 1 to 256".into());
        }
        if self.shards.is_some_and(|s| !(1..=64).contains(&s)) {
            return Err("--shards must be from 1 to 64".into());
        }
        if self.steps == 0 {
            return Err("--steps must be at least 1".into());
        }
        if !(self.seconds.is_finite() && self.seconds >= 0.0) {
            return Err(format!(
                "--seconds {} must be a non-negative number",
                self.seconds
            ));
        }
        Ok(())
    }

    /// The models to time.
    pub fn kinds(&self) -> Vec<ModelKind> {
        match self.model {
            BenchModels::Lstm => vec![ModelKind::Lstm],
            BenchModels::Transformer => vec![ModelKind::Transformer],
            BenchModels::All => vec![ModelKind::Lstm, ModelKind::Transformer],
        }
    }

    fn budget(&self) -> (Budget, Parallel) {
        let budget = Budget {
            warmup: self.warmup,
            min_steps: self.steps,
            min_seconds: self.seconds,
        };
        let parallel = Parallel {
            shards: self.shards.unwrap_or(self.threads),
            threads: self.threads,
        };
        (budget, parallel)
    }
}

/// Runs the benchmark of each model at each length and says what it
/// measured, one line at a time as `encdec bench` prints them: a header,
/// one line per model and length, then how the time grew with the length.
///
/// # Errors
/// Bad options.
pub fn bench_report(o: &BenchOptions, say: &mut dyn FnMut(String)) -> Result<(), String> {
    o.check()?;
    let (budget, parallel) = o.budget();
    let mut lengths = o.lengths.clone();
    lengths.sort_unstable();
    lengths.dedup();
    say(format!(
        "median milliseconds per training step (forward + backward + Adam), f64, batch {BATCH}, vocabulary {VOCAB}; \
         peak_mb: the most heap one more step holds at once above what was live before it (MB = 10^6 bytes)"
    ));
    for kind in o.kinds() {
        let sizes = bench_config(kind).sizes();
        let mut runs = vec![];
        for &len in &lengths {
            let r = time_steps(kind, len, budget, parallel);
            let peak = r
                .peak_bytes
                .map_or("n/a".to_string(), |b| format!("{:.2}", b as f64 / 1e6));
            say(format!(
                "encdec {kind} len={len} threads={} shards={} median_ms={:.3} steps={} peak_mb={peak} ({sizes})",
                parallel.threads,
                parallel.shards,
                median(&r.ms),
                r.ms.len(),
            ));
            runs.push(r);
        }
        let all = growth(kind, &runs);
        for g in &all {
            say(format!(
                "encdec {kind} growth len={}..{} seen={:.2} expected={:.2}",
                g.from, g.to, g.seen, g.expected
            ));
        }
        if !all.is_empty() {
            say(growth_words(kind, &all));
        }
    }
    Ok(())
}
