//! Models in and out of files: encdec's checkpoints (with the training
//! state that `--resume` needs), weights as safetensors under PyTorch's
//! names, the tutorial's Keras §5.1 model, and pre-trained word vectors.
//!
//! | file | what it holds |
//! |---|---|
//! | `checkpoint.rs`, `frame.rs`, `header.rs` | [`Checkpoint`]: the file format, saving and loading with every check |
//! | `config_json.rs` | a [`crate::seq2seq::config::ModelConfig`] as JSON, both layouts |
//! | `train_state.rs` | text settings, training progress, optimizer state in the header |
//! | `safetensors.rs` | [`export`] and [`import`] under PyTorch's names |
//! | `logits.rs` | a seeded batch and a model's logits on it, to compare with PyTorch |
//! | `subwords_json.rs` | a model's merge tables (`--subwords`) in a header or metadata |
//! | `keras.rs` | [`import_keras`]: the §5.1 Keras model's weights |
//! | `vectors.rs` | [`load_vectors`]: Word2Vec or GloVe vectors into an embedding |

mod checkpoint;
mod config_json;
mod frame;
mod header;
mod keras;
mod logits;
mod safetensors;
mod subwords_json;
mod train_state;
mod vectors;

pub use checkpoint::{Checkpoint, CheckpointError, OptimizerState, TrainProgress};
pub use config_json::{config_from, config_json};
pub use keras::{KERAS_FORMAT, import_keras, import_keras_bytes};
pub use logits::{logits_bytes, read_logits, sample_batch};
pub use safetensors::{
    WEIGHTS_FORMAT, WEIGHTS_FORMAT_1, WeightsError, export, export_bytes, import, import_bytes,
    torch_name,
};
pub use vectors::load_vectors;

/// The most a model file may hold (a checkpoint, a safetensors or a Keras
/// weights file): 4 GiB. Loading holds the file's bytes and the tensors
/// made from them, about twice its size, which a 16 GiB laptop can; 4 GiB
/// is some 180 million parameters with Adam's two moments beside them (or
/// 500 million without), far past what this `f64` tape trains in a day:
/// the tutorial's models have well under a million.
pub const MODEL_FILE_CAP: crate::files::ReadCap = crate::files::ReadCap {
    bytes: 4 << 30,
    what: "a model file",
    remedy: "check that this is a checkpoint or weights file written by encdec",
};
