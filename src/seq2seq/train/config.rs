//! How to train: every setting of a training run and its default, once.

use crate::optim::{Adam, Optimizer, Schedule, Sgd};
use crate::seq2seq::config::ModelKind;
use crate::tensor::Float;

/// Which optimizer training uses.
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

/// AdamW's weight decay when none is given (`torch.optim.AdamW`'s default).
pub const ADAMW_DEFAULT_DECAY: Float = 0.01;

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

/// How the training examples are cut into batches each epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Batching {
    /// Shuffled, then cut ([`super::batches`]).
    #[default]
    Shuffled,
    /// Sentences of similar length together, so that little is padding
    /// ([`super::bucketed_batches`]): for corpus files, whose lengths vary.
    Bucketed,
}

/// Passes over the training data when none are asked for.
pub const EPOCHS: usize = 10;

/// Sentences per batch when no size is asked for.
pub const BATCH_SIZE: usize = 32;

/// The number of gradient shards a batch is cut into by default. The
/// result of training depends on it (as on the batch size), never on the
/// number of threads that run the shards.
pub const DEFAULT_SHARDS: usize = 2;

/// How to train: Keras's `compile` and `fit` arguments in one place.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Sentences per batch.
    pub batch_size: usize,
    /// How batches are made.
    pub batching: Batching,
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
    /// Stop after this many epochs in a row without a new lowest validation loss.
    pub patience: Option<usize>,
    /// Seed of the batch order and of dropout.
    pub seed: u64,
    /// Gradient shards per batch: the batch is cut into this many groups of
    /// rows, each runs forward and backward on a tape of its own, and the
    /// gradients are summed in shard order ([`super::train_step`]).
    pub shards: usize,
    /// Threads that run the shards (at most `shards` are busy). Changes the
    /// speed, never the result.
    pub threads: usize,
}

impl TrainConfig {
    /// encdec's defaults for a model of `kind`: 10 epochs of shuffled
    /// batches of 32, seed 0, Adam with the global gradient norm clipped to 5;
    /// the LSTM models at a constant rate of 0.005, the Transformer with
    /// its warm-up schedule scaled by 0.25 (peak rate about 0.002 at step
    /// 200: with the paper's factor of 1 it stalls on the summarization
    /// task); [`DEFAULT_SHARDS`] shards on every core.
    pub fn new(kind: ModelKind) -> TrainConfig {
        let schedule = match kind {
            ModelKind::Transformer => Schedule::Warmup {
                d_model: 64,
                warmup: 200,
                factor: 0.25,
            },
            _ => Schedule::Constant(0.005),
        };
        TrainConfig {
            epochs: EPOCHS,
            batch_size: BATCH_SIZE,
            batching: Batching::Shuffled,
            optimizer: OptimizerChoice::Adam,
            schedule,
            clip: Some(5.0),
            label_smoothing: 0.0,
            patience: None,
            seed: 0,
            shards: DEFAULT_SHARDS,
            threads: available_threads(),
        }
    }

    /// The schedule with its peak rate set to `lr`: a constant rate stays
    /// constant, the warm-up keeps its shape and peaks at `lr` at its last
    /// warm-up step $w$ (its factor becomes $\mathrm{lr} \sqrt{d_{model} w}$).
    pub fn with_peak_lr(mut self, lr: Float) -> TrainConfig {
        self.schedule = match self.schedule {
            Schedule::Warmup {
                d_model, warmup, ..
            } => Schedule::Warmup {
                d_model,
                warmup,
                factor: lr * ((d_model * warmup) as Float).sqrt(),
            },
            _ => Schedule::Constant(lr),
        };
        self
    }
}

/// The number of cores this process may use (1 if it cannot be told, and
/// on `wasm32`, where a page's worker runs one thread).
pub fn available_threads() -> usize {
    #[cfg(target_arch = "wasm32")]
    return 1;
    #[cfg(not(target_arch = "wasm32"))]
    std::thread::available_parallelism().map_or(1, usize::from)
}
