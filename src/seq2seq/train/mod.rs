//! Training a model (tutorial §5.1's `compile` and `fit`): batches, one
//! step of gradient descent cut into shards that threads run side by side,
//! and the epochs of [`fit`].
//!
//! | file | what it holds |
//! |---|---|
//! | `config.rs` | [`TrainConfig`]: every setting of a run and its default |
//! | `batches.rs` | shuffled, bucketed and sorted batches |
//! | `step.rs` | [`train_step`]: forward, loss, backward, clip, update, over gradient shards |
//! | `fit.rs` | [`fit`], [`evaluate`], [`predict`]: Keras's names |
//! | `fitting.rs` | [`Fitting`]: a run between two batches, one batch or one epoch's end at a time ([`fit`] loops over it) |

mod batches;
mod config;
mod fit;
mod fitting;
mod step;

pub use batches::{batches, bucketed_batches, padding_share, real_tokens, sorted_batches};
pub use config::{
    ADAMW_DEFAULT_DECAY, BATCH_SIZE, Batching, DEFAULT_SHARDS, EPOCHS, OptimizerChoice,
    TrainConfig, available_threads,
};
pub use fit::{
    EpochStats, History, Observer, POINT_EVERY, Progress, TrainPoint, evaluate, fit, fit_with,
    predict,
};
pub use fitting::{Fitting, Phase, StepReport};
pub use step::{Tally, train_step};
