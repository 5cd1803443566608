//! Whole encoder–decoder models (tutorial §3, §4.3, §5, §6.1): batching,
//! the three models, Keras-style training, decoding, metrics, checkpoints
//! and translation.

mod architecture;
mod attention;
mod batch;
mod beam;
mod bleu;
mod chat;
mod checkpoint;
pub mod corpus;
mod decode;
mod eval;
mod fit;
mod lstm;
mod metrics;
mod model;
mod optim_options;
pub mod pipeline;
mod pretrained;
pub mod run;
pub mod sampling;
mod train_state;
mod transformer;
mod translate;
pub mod weights;

pub use architecture::{Architecture, Bridge, MAX_RNN_LAYERS};
pub use attention::AttentionSeq2Seq;
pub use batch::{
    Batch, Example, batches, bucketed_batches, padding_share, real_tokens, sorted_batches,
};
pub use beam::{
    BeamEntry, BeamTrace, beam_search, beam_search_batch, beam_search_n_best, beam_search_traced,
    normalised_score,
};
pub use bleu::{SacreBleu, sacre_bleu, tokenize_13a};
pub use chat::{ChatReply, ChatSession, MAX_HISTORY_TOKENS};
pub use checkpoint::{Checkpoint, CheckpointError, OptimizerState, TextSettings, TrainProgress};
pub use decode::{Hypothesis, choosable, decode_in_batches, greedy};
pub use eval::{EvalReport, evaluate_turns};
pub use fit::{
    EpochStats, FitOptions, History, OptimizerChoice, TrainConfig, evaluate, fit, fit_with,
    predict, train_step,
};
pub use lstm::{LstmSeq2Seq, WordLstm};
pub use metrics::{Prf, corpus_bleu, lcs_len, mean_rouge, rouge_l, rouge_n, token_accuracy};
pub use model::{Decoded, Encoded, ModelConfig, ModelKind, Seq2Seq, build};
pub use optim_options::{ADAMW_DEFAULT_DECAY, OptimOptions};
pub use pipeline::Task;
pub use pretrained::load_vectors;
pub use sampling::{Sampling, SamplingError, sample};
pub use transformer::TransformerSeq2Seq;
pub use translate::{DecodeError, DecodedText, MAX_INPUT_TOKENS, MAX_LEN};
