//! Whole encoder–decoder models (tutorial §3, §4.3, §5, §6): what a model
//! is, the three models, training, decoding, scoring, and files.
//!
//! | room | what it holds | tutorial |
//! |---|---|---|
//! | [`config`] | [`config::ModelConfig`]: every model's kind, sizes and options, with their defaults | §5.1, §2.3, §4.2 |
//! | [`size`] | a model's exact parameter count and a training step's memory, from its config alone | |
//! | [`task`] | [`task::Task`]: translation, summarization, dialogue; how each task's text is handled | §6 |
//! | [`batch`] | [`batch::Batch`]: sentences padded into rectangles, with `<s>` and `</s>` | §3.1 |
//! | [`models`] | the §5.1 LSTM, the LSTM with attention, the Transformer; [`models::build`] | §2.3, §4.2, §5.1 |
//! | [`train`] | Keras's `fit`: batches, a step over gradient shards, epochs | §5.1 |
//! | [`decode`] | greedy decoding, beam search, sampling, the [`decode::Translator`], chat, what the explorer computes | §3.2, §4.3, §6.3 |
//! | [`eval`] | BLEU (also as sacreBLEU computes it), ROUGE, accuracy, one [`eval::EvalReport`] | §6 |
//! | [`io`] | checkpoints, safetensors under PyTorch's names, Keras §5.1 weights, word vectors | §5.1 |
//!
//! Inside the floor, imports point down the table's order of dependence:
//! `config`, `task` and `batch` import nothing of the others, `size` only
//! `config`; `models` reads
//! them; `train` and `decode` run models; `eval` scores what `decode`
//! writes; `io` saves and loads models and translators. The one way to do
//! the whole job — corpus to checkpoint to scores — is [`crate::pipeline`].

pub mod batch;
pub mod config;
pub mod decode;
pub mod eval;
pub mod io;
pub mod models;
mod pieces;
pub mod size;
pub mod task;
pub mod train;
