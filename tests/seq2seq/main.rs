//! The tests of `src/seq2seq` (see the list of modules below).

#[path = "../support/data_support.rs"]
mod data_support;
mod bleu;
mod checkpoint;
#[path = "../support/cli_support.rs"]
mod cli_support;
mod config;
mod decode;
mod keras;
mod metrics;
#[path = "../support/model_support.rs"]
mod model_support;
mod models;
mod rnn_models;
mod threads;
mod transformer_arch;
mod weights;
