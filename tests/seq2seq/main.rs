//! The tests of `src/seq2seq` (see the list of modules below).

mod bench;
mod bleu;
mod checkpoint;
#[path = "../support/cli_support.rs"]
mod cli_support;
mod config;
#[path = "../support/data_support.rs"]
mod data_support;
mod decode;
mod fitting;
mod keras;
mod keras_trained;
mod kv_cache;
mod legacy;
mod metrics;
#[path = "../support/model_support.rs"]
mod model_support;
mod models;
mod pieces;
mod rnn_models;
mod size;
mod threads;
mod torch_trained;
mod transformer_arch;
mod weights;
