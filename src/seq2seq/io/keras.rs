//! The tutorial's §5.1 Keras model, loaded: its weights, saved as
//! safetensors under Keras's own names by `scripts/weights/keras_weights.py`,
//! become encdec's `lstm` model (`encdec import --keras FILE --out M.ckpt`).
//!
//! # The mapping
//! Keras writes a kernel as `[in, out]` and encdec (like PyTorch) a weight
//! as `[out, in]`, so kernels are transposed. Both stack the LSTM's gates in
//! the same order (Keras's i, f, c, o are encdec's i, f, g, o; see
//! [`crate::nn::Lstm`]), and Keras's one LSTM bias goes into `bias_ih` with
//! `bias_hh = 0`, since encdec adds the two. With `Vs`, `Vt` the
//! vocabularies, `E` the embedding and `H` the hidden size:
//!
//! | Keras tensor | shape | encdec parameter | shape | how |
//! |---|---|---|---|---|
//! | `encoder_embedding/embeddings` | `[Vs, E]` | `encoder.embedding.weight` | `[Vs, E]` | as is |
//! | `encoder_lstm/lstm_cell/kernel` | `[E, 4H]` | `encoder.lstm.weight_ih` | `[4H, E]` | transposed |
//! | `encoder_lstm/lstm_cell/recurrent_kernel` | `[H, 4H]` | `encoder.lstm.weight_hh` | `[4H, H]` | transposed |
//! | `encoder_lstm/lstm_cell/bias` | `[4H]` | `encoder.lstm.bias_ih` | `[4H]` | as is |
//! | (none) | | `encoder.lstm.bias_hh` | `[4H]` | zeros |
//! | `decoder_embedding/embeddings`, `decoder_lstm/lstm_cell/*` | | `decoder.embedding.*`, `decoder.lstm.*` | | as the encoder's |
//! | `decoder_dense/kernel` | `[H, Vt]` | `decoder.output.weight` | `[Vt, H]` | transposed |
//! | `decoder_dense/bias` | `[Vt]` | `decoder.output.bias` | `[Vt]` | as is |
//!
//! The Keras layer names are the ones `scripts/weights/keras_weights.py` gives
//! (`encoder_embedding`, `encoder_lstm`, `decoder_embedding`,
//! `decoder_lstm`, `decoder_dense`); a model built with other names loads
//! once its layers are renamed. The `Dense` layer's softmax is encdec's
//! softmax of the logits. The file's metadata carries `format`
//! (`keras-lstm-1`), `src_vocab`, `tgt_vocab` (JSON lists of tokens in id
//! order, encdec's special tokens first) and optionally `task`.
//!
//! Checked by `tests/seq2seq/keras.rs::keras_predictions_are_reproduced` and
//! `a_bad_keras_file_is_an_error_naming_the_tensor`.

use super::checkpoint::Checkpoint;
use super::header::{metadata_json, sizes_fit, vocab_from};
use super::safetensors::{WeightsError, error, float_values, open_weights};
use crate::seq2seq::config::{Arch, Cell, Directions, ModelConfig, RnnConfig};
use crate::seq2seq::decode::Translator;
use crate::seq2seq::models::{Seq2Seq, build};
use crate::seq2seq::task::{Task, TextSettings};
use crate::tensor::{Tensor, rng};
use crate::text::Tokenizer;
use safetensors::SafeTensors;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The `format` metadata value of a Keras §5.1 weights file.
pub const KERAS_FORMAT: &str = "keras-lstm-1";

/// How a Keras tensor becomes an encdec parameter.
#[derive(Clone, Copy, PartialEq)]
enum How {
    AsIs,
    Transposed,
}

/// The Keras tensor behind each encdec parameter (`None`: zeros).
fn keras_source(param: &str) -> Option<(String, How)> {
    let (side, rest) = param.split_once('.')?;
    let (keras, how) = match rest {
        "embedding.weight" => ("embedding/embeddings", How::AsIs),
        "lstm.weight_ih" => ("lstm/lstm_cell/kernel", How::Transposed),
        "lstm.weight_hh" => ("lstm/lstm_cell/recurrent_kernel", How::Transposed),
        "lstm.bias_ih" => ("lstm/lstm_cell/bias", How::AsIs),
        "output.weight" => ("dense/kernel", How::Transposed),
        "output.bias" => ("dense/bias", How::AsIs),
        _ => return None,
    };
    Some((format!("{side}_{keras}"), how))
}

/// Reads a Keras §5.1 weights file (see the module doc) into an `lstm`
/// [`Checkpoint`] with no training progress.
///
/// # Errors
/// If the file cannot be read or is not safetensors, its metadata lacks a
/// field, or a tensor is missing, of the wrong shape (the error names the
/// tensor, both shapes and what to do), not `F64`/`F32`, or left over.
pub fn import_keras(path: &Path) -> Result<Checkpoint, WeightsError> {
    let bytes = crate::files::read_capped(path, super::MODEL_FILE_CAP)
        .map_err(|e| error(path, format!("cannot read: {e}")))?;
    import_keras_bytes(&bytes).map_err(|what| error(path, what))
}

/// [`import_keras`] from the file's bytes.
///
/// # Errors
/// As [`import_keras`].
pub fn import_keras_bytes(bytes: &[u8]) -> Result<Checkpoint, String> {
    let (st, meta) = open_weights(bytes, &[KERAS_FORMAT], REMEDY)?;
    let config = config_of(&st)?;
    let mut vocabs = serde_json::Map::new();
    for k in ["src_vocab", "tgt_vocab"] {
        let text = meta
            .get(k)
            .ok_or(format!("metadata has no \"{k}\": {REMEDY}"))?;
        vocabs.insert(k.into(), metadata_json(k, text)?);
    }
    let vocabs = Value::Object(vocabs);
    let task: Task = task_of(&meta)?;
    let tokenizer = Tokenizer::new(TextSettings::for_task(task).lowercase);
    let src_vocab = vocab_from(&vocabs, "src_vocab", config.src_vocab, (&tokenizer, None))?;
    let tgt_vocab = vocab_from(&vocabs, "tgt_vocab", config.tgt_vocab, (&tokenizer, None))?;
    values_fit(&st, &config)?;
    let mut model = build(&config, &mut rng(0))?;
    fill_from_keras(model.as_mut(), &st, &config)?;
    Ok(Checkpoint::new(Translator::new(
        model, src_vocab, tgt_vocab, task,
    )))
}

/// Refuses the file unless it has every tensor of the §5.1 model and no
/// other (the error names the first missing or extra one), and their values are exactly the
/// model `config` describes ([`sizes_fit`]), before the model is built.
/// Keras keeps one bias per LSTM; encdec's second (`bias_hh`, $4H$ values
/// in each of the two LSTMs) is zero, so it is counted in.
fn values_fit(st: &SafeTensors<'_>, config: &ModelConfig) -> Result<(), String> {
    let layer = [
        "embedding/embeddings",
        "lstm/lstm_cell/kernel",
        "lstm/lstm_cell/recurrent_kernel",
        "lstm/lstm_cell/bias",
    ];
    let mut names: Vec<String> = ["encoder", "decoder"]
        .iter()
        .flat_map(|side| layer.iter().map(move |l| format!("{side}_{l}")))
        .collect();
    names.extend(["decoder_dense/kernel".into(), "decoder_dense/bias".into()]);
    for name in &names {
        shape_of(st, name)?;
    }
    if let Some(extra) = st
        .names()
        .into_iter()
        .find(|n| !names.iter().any(|m| m == n))
    {
        return Err(format!(
            "tensor {extra} is not part of the §5.1 model (embeddings, two LSTMs, a Dense): remove it"
        ));
    }
    let stored: usize = st
        .tensors()
        .iter()
        .map(|(_, v)| v.shape().iter().product::<usize>())
        .sum();
    let hidden = config.rnn().map_or(0, |r| r.hidden);
    sizes_fit(config, stored.saturating_add(hidden.saturating_mul(8)))
}

/// What to do when a file is not a Keras §5.1 weights file.
const REMEDY: &str = "a Keras §5.1 file has \"format\" keras-lstm-1, \"src_vocab\" and \"tgt_vocab\" (write it with scripts/weights/keras_weights.py; for `encdec export` files use `import --weights`)";

/// The task in the metadata; translation when there is none.
fn task_of(meta: &HashMap<String, String>) -> Result<Task, String> {
    meta.get("task")
        .map_or(Ok(Task::Translation), |t| t.parse())
}

/// A tensor's shape, or an error naming it as missing.
fn shape_of(st: &SafeTensors<'_>, name: &str) -> Result<Vec<usize>, String> {
    st.tensor(name).map(|v| v.shape().to_vec()).map_err(|_| {
        format!("tensor {name} is missing: the §5.1 Keras model has it (name the layers as scripts/weights/keras_weights.py does)")
    })
}

/// The `lstm` model the tensors' shapes describe: vocabularies and $E$ from
/// the embeddings, $H$ from the encoder's recurrent kernel, no dropout.
fn config_of(st: &SafeTensors<'_>) -> Result<ModelConfig, String> {
    let (src_emb, tgt_emb) = (
        shape_of(st, "encoder_embedding/embeddings")?,
        shape_of(st, "decoder_embedding/embeddings")?,
    );
    let recurrent = shape_of(st, "encoder_lstm/lstm_cell/recurrent_kernel")?;
    if src_emb.len() != 2
        || tgt_emb.len() != 2
        || recurrent.len() != 2
        || recurrent[0].checked_mul(4) != Some(recurrent[1])
    {
        return Err(format!(
            "embeddings {src_emb:?}, {tgt_emb:?} and encoder recurrent_kernel {recurrent:?} must be [vocab, emb], [vocab, emb] and [hidden, 4 hidden]"
        ));
    }
    let config = ModelConfig {
        src_vocab: src_emb[0],
        tgt_vocab: tgt_emb[0],
        dropout: 0.0,
        arch: Arch::Lstm(RnnConfig {
            cell: Cell::Lstm,
            emb: src_emb[1],
            hidden: recurrent[0],
            layers: 1,
            directions: Directions::Forward,
        }),
    };
    config.validate()?;
    Ok(config)
}

/// Every parameter of `model` from its Keras tensor ([`keras_source`]),
/// transposed where Keras stores `[in, out]`; `bias_hh` zero. Refuses a
/// tensor of another shape ([`values_fit`] has refused missing and extra
/// tensors).
fn fill_from_keras(
    model: &mut dyn Seq2Seq,
    st: &SafeTensors<'_>,
    config: &ModelConfig,
) -> Result<(), String> {
    let rnn = config.rnn().expect("an LSTM config");
    for p in model.params_mut() {
        let Some((name, how)) = keras_source(&p.name) else {
            if !p.name.ends_with("lstm.bias_hh") {
                return Err(format!(
                    "no Keras tensor maps to {} (an encdec bug)",
                    p.name
                ));
            }
            p.value = Tensor::zeros(p.shape()); // Keras has one bias, in bias_ih
            continue;
        };
        let got = shape_of(st, &name)?;
        let mut want = p.shape().to_vec();
        if how == How::Transposed {
            want.reverse();
        }
        if got != want {
            return Err(format!(
                "tensor {name} has shape {got:?}, but {} needs it as {want:?} (sizes from the embeddings: emb {}, vocabularies {} and {}; hidden {} from encoder_lstm/lstm_cell/recurrent_kernel): export every layer of one model with scripts/weights/keras_weights.py",
                p.name, rnn.emb, config.src_vocab, config.tgt_vocab, rnn.hidden
            ));
        }
        let view = st.tensor(&name).map_err(|e| e.to_string())?;
        let values = Tensor::from_vec(float_values(&name, &view)?, &got);
        p.value = match how {
            How::AsIs => values,
            How::Transposed => values.transpose_last2(),
        };
    }
    Ok(())
}
