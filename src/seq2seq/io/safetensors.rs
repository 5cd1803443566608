// Long file: the weights format both ways, export and import sharing its metadata and checks.
//! Weights in and out: a [`Checkpoint`]'s parameters as a
//! [safetensors](https://huggingface.co/docs/safetensors) file under the
//! names PyTorch's modules give them, so that `torch.nn` code (and Hugging
//! Face tooling) can read a model trained here, and a model made in
//! PyTorch can be run here.
//!
//! # Names
//! encdec names its parameters as the equal `torch.nn` modules do; one
//! rename remains. PyTorch's `nn.LSTM` numbers all its layers, encdec
//! leaves the first layer's forward direction unnumbered (so that one-layer
//! checkpoints keep their names), so `*.weight_ih` is stored as
//! `*.weight_ih_l0` (likewise `weight_hh`, `bias_ih`, `bias_hh`; see
//! [`torch_name`]); `*_l1`, `*_l0_reverse`, ... are PyTorch's names already.
//!
//! | encdec | `torch.nn` module | tensors |
//! |---|---|---|
//! | [`crate::nn::Embedding`] | `nn.Embedding` | `weight` |
//! | [`crate::nn::Linear`] | `nn.Linear` | `weight`, `bias` |
//! | [`crate::nn::Lstm`] | `nn.LSTM(batch_first=True)` | `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0` |
//! | [`crate::nn::RecurrentStack`] (`--layers`, `--bidirectional`) | `nn.LSTM(num_layers=L, bidirectional=B, batch_first=True)` | the same, and `weight_ih_l1`, ..., `weight_ih_l0_reverse`, ... (encdec's names already) |
//! | [`crate::seq2seq::models::StateBridge`] (`--bridge project`) | `nn.Linear` each | `bridge.h.*`, `bridge.c.*`, `bridge.memory.*` |
//! | [`crate::nn::EncoderLayer`] | `nn.TransformerEncoderLayer(batch_first=True)` | `self_attn.in_proj_weight`, `self_attn.in_proj_bias`, `self_attn.out_proj.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*` |
//! | [`crate::nn::DecoderLayer`] | `nn.TransformerDecoderLayer(batch_first=True)` | the same plus `multihead_attn.*` and `norm3.*` |
//! | final norm of a stack (`final_norm`) | the `norm=` of `nn.TransformerEncoder`/`nn.TransformerDecoder`: `nn.LayerNorm` | `encoder.norm.weight`, `encoder.norm.bias`, `decoder.norm.weight`, `decoder.norm.bias` |
//!
//! Pre-norm (`norm_first`) and GELU (`activation`) add no tensor: the
//! same names load into `nn.TransformerEncoderLayer(norm_first=True,
//! activation="gelu")`, which `scripts/weights/torch_weights.py` builds from
//! the config metadata (checked by
//! `tests/seq2seq/weights.rs::a_pytorch_made_transformer_with_every_option_gives_pytorchs_logits`).
//!
//! # Metadata
//! The file's string metadata carries what `import` needs besides the
//! tensors, so one file is enough: `format` (`encdec-weights-2`), `task`,
//! `config` (the [`ModelConfig`] as JSON, `config_json.rs`), `text` (the text settings) and
//! `src_vocab`, `tgt_vocab` (JSON lists of tokens in id order). Training
//! progress, optimizer state and frozen flags are not carried: an imported
//! model starts fresh, every parameter trainable.
//!
//! Values are written as `F64`. Import reads `F64` and widens `F32`
//! (PyTorch's default) exactly; other types are refused.

use super::checkpoint::Checkpoint;
use super::config_json::{config_from, config_json};
use super::header::{metadata_json, sizes_fit, vocab_from};
use super::subwords_json::{subwords_from, subwords_json};
use super::train_state::{text_from, text_json};
use crate::seq2seq::config::ModelConfig;
use crate::seq2seq::decode::Translator;
use crate::seq2seq::models::{Seq2Seq, build};
use crate::seq2seq::task::Task;
use crate::tensor::{Tensor, rng};
use crate::text::Tokenizer;
use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The `format` metadata value this version writes; it reads this one and
/// [`WEIGHTS_FORMAT_1`].
pub const WEIGHTS_FORMAT: &str = "encdec-weights-2";

/// The `format` of files whose config is in layout 1 (`config_json.rs`).
pub const WEIGHTS_FORMAT_1: &str = "encdec-weights-1";

/// The recurrent tensors that PyTorch numbers by layer.
const LAYERED: [&str; 4] = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"];

/// Why weights could not be exported or imported: the file, and what is
/// wrong with it (naming the tensor) and what to do.
#[derive(Debug)]
pub struct WeightsError {
    /// The file read or written.
    pub path: PathBuf,
    /// What went wrong.
    pub what: String,
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.what)
    }
}

impl std::error::Error for WeightsError {}

/// PyTorch's name for the encdec parameter `name`: `_l0` appended to an
/// LSTM's four tensors, every other name unchanged.
///
/// Checked by `tests/seq2seq/weights.rs::lstm_tensors_gain_l0_and_every_other_name_stays`.
pub fn torch_name(name: &str) -> String {
    let last = name.rsplit('.').next().unwrap_or(name);
    if LAYERED.contains(&last) {
        format!("{name}_l0")
    } else {
        name.to_string()
    }
}

/// The safetensors bytes of `c`: every parameter as `F64` under
/// [`torch_name`], and the metadata described in the module doc.
///
/// # Errors
/// If a parameter holds a non-finite value (training diverged).
pub fn export_bytes(c: &mut Translator) -> Result<Vec<u8>, String> {
    let mut meta = HashMap::new();
    meta.insert("format".to_string(), WEIGHTS_FORMAT.to_string());
    meta.insert("task".to_string(), c.task.name().to_string());
    meta.insert("config".into(), config_json(c.model.config()).to_string());
    meta.insert("text".into(), text_json(&c.text).to_string());
    meta.insert(
        "src_vocab".into(),
        Value::from(c.src_vocab.tokens()).to_string(),
    );
    meta.insert(
        "tgt_vocab".into(),
        Value::from(c.tgt_vocab.tokens()).to_string(),
    );
    if let Some(sw) = &c.subwords {
        meta.insert("subwords".into(), subwords_json(sw).to_string());
    }
    let mut tensors = vec![];
    for p in c.model.params() {
        if p.value.data().iter().any(|v| !v.is_finite()) {
            return Err(format!(
                "parameter {} holds a non-finite value (training diverged; lower --lr)",
                p.name
            ));
        }
        tensors.push((
            torch_name(&p.name),
            Dtype::F64,
            p.shape().to_vec(),
            f64_bytes(p.value.data()),
        ));
    }
    serialize(&tensors, Some(meta))
}

/// Writes `c`'s weights to `path` ([`export_bytes`]), atomically.
///
/// # Errors
/// As [`export_bytes`], or if the file cannot be written.
pub fn export(c: &mut Translator, path: &Path) -> Result<(), WeightsError> {
    let bytes = export_bytes(c).map_err(|what| error(path, what))?;
    crate::files::write_atomic(path, &bytes).map_err(|e| error(path, format!("cannot write: {e}")))
}

/// Reads a model written by [`export`] (or by `scripts/weights/torch_weights.py`)
/// into a [`Checkpoint`] with no training progress.
///
/// # Errors
/// If the file cannot be read or is not safetensors, its metadata lacks a
/// field or holds a bad one, or a tensor the model needs is missing, of
/// another shape, of a type other than `F64`/`F32`, not finite, or left over.
pub fn import(path: &Path) -> Result<Checkpoint, WeightsError> {
    let bytes = crate::files::read_capped(path, super::MODEL_FILE_CAP)
        .map_err(|e| error(path, format!("cannot read: {e}")))?;
    import_bytes(&bytes).map_err(|what| error(path, what))
}

/// [`import`] from the file's bytes; the error names the tensor or field.
///
/// # Errors
/// As [`import`].
pub fn import_bytes(bytes: &[u8]) -> Result<Checkpoint, String> {
    let remedy = "encdec needs its config and vocabularies there (write the file with `encdec export` or scripts/weights/torch_weights.py)";
    let (st, meta) = open_weights(bytes, &[WEIGHTS_FORMAT, WEIGHTS_FORMAT_1], remedy)?;
    let field = |k: &str| {
        meta.get(k)
            .ok_or(format!("metadata has no \"{k}\": {remedy}"))
    };
    let json = |k: &str| -> Result<Value, String> { metadata_json(k, field(k)?) };
    let task: Task = field("task")?.parse()?;
    let config: ModelConfig = config_from(&json("config")?)?;
    let mut vocabs = serde_json::Map::new();
    for k in ["src_vocab", "tgt_vocab"] {
        vocabs.insert(k.into(), json(k)?);
    }
    let vocabs = Value::Object(vocabs);
    let text = text_from(&json("text")?, task)?;
    let tokenizer = Tokenizer::new(text.lowercase);
    let subwords = match meta.get("subwords") {
        None => None,
        Some(t) => subwords_from(&metadata_json("subwords", t)?)?,
    };
    let made_by = (&tokenizer, subwords.as_ref());
    let src_vocab = vocab_from(&vocabs, "src_vocab", config.src_vocab, made_by)?;
    let tgt_vocab = vocab_from(&vocabs, "tgt_vocab", config.tgt_vocab, made_by)?;
    let stored = st
        .tensors()
        .iter()
        .map(|(_, v)| v.shape().iter().product::<usize>())
        .sum();
    sizes_fit(&config, stored)?;
    let mut model = build(&config, &mut rng(0))?;
    fill_params(model.as_mut(), &st, &config)?;
    let translator = Translator {
        text,
        subwords,
        ..Translator::new(model, src_vocab, tgt_vocab, task)
    };
    Ok(Checkpoint::new(translator))
}

/// Sets every parameter of `model` from the tensor of its PyTorch name;
/// refuses a missing tensor, a wrong shape and a tensor left over.
fn fill_params(
    model: &mut dyn Seq2Seq,
    st: &SafeTensors<'_>,
    config: &ModelConfig,
) -> Result<(), String> {
    let mut wanted = vec![];
    for p in model.params_mut() {
        let name = torch_name(&p.name);
        let view = st.tensor(&name).map_err(|_| {
            format!(
                "tensor {name} is missing: a {} model with this config needs it",
                config.kind()
            )
        })?;
        if view.shape() != p.shape() {
            return Err(format!(
                "tensor {name} has shape {:?}, the model needs {:?} (the config in the metadata does not match the tensors)",
                view.shape(),
                p.shape()
            ));
        }
        let values = float_values(&name, &view)?;
        p.value = Tensor::from_vec(values, p.shape());
        wanted.push(name);
    }
    if let Some(extra) = st
        .names()
        .into_iter()
        .find(|n| !wanted.iter().any(|w| w == n))
    {
        return Err(format!(
            "tensor {extra} is not a parameter of a {} model: remove it, or check the model kind in the metadata",
            config.kind()
        ));
    }
    Ok(())
}

/// A safetensors file's tensors and string metadata, once its `format`
/// metadata is one of `formats`; errors end with `remedy` (what to do).
pub(super) fn open_weights<'a>(
    bytes: &'a [u8],
    formats: &[&str],
    remedy: &str,
) -> Result<(SafeTensors<'a>, HashMap<String, String>), String> {
    let damaged = |e| format!("not a readable safetensors file ({e}); {remedy}");
    let (_, metadata) = SafeTensors::read_metadata(bytes).map_err(damaged)?;
    let st = SafeTensors::deserialize(bytes).map_err(damaged)?;
    let meta = metadata.metadata().clone().unwrap_or_default();
    match meta.get("format") {
        None => Err(format!("metadata has no \"format\": {remedy}")),
        Some(f) if !formats.contains(&f.as_str()) => Err(format!(
            "metadata format is \"{f}\", expected \"{}\": {remedy}",
            formats[0]
        )),
        Some(_) => Ok((st, meta)),
    }
}

/// A tensor's values as `f64`: `F64` as stored, `F32` widened exactly.
pub(super) fn float_values(name: &str, view: &TensorView<'_>) -> Result<Vec<f64>, String> {
    let data = view.data();
    let values: Vec<f64> = match view.dtype() {
        Dtype::F64 => data
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect(),
        Dtype::F32 => data
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()) as f64)
            .collect(),
        d => {
            return Err(format!(
                "tensor {name} is {d:?}; encdec reads F64 or F32 (convert it with tensor.double() before saving)"
            ));
        }
    };
    if values.iter().any(|v| !v.is_finite()) {
        return Err(format!("tensor {name} holds a non-finite value"));
    }
    Ok(values)
}

pub(super) fn f64_bytes(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A named tensor's type, shape and little-endian bytes.
pub(super) type Named = (String, Dtype, Vec<usize>, Vec<u8>);

pub(super) fn serialize(
    tensors: &[Named],
    meta: Option<HashMap<String, String>>,
) -> Result<Vec<u8>, String> {
    let views = tensors
        .iter()
        .map(|(name, dtype, shape, data)| {
            TensorView::new(*dtype, shape.clone(), data).map(|v| (name.clone(), v))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    safetensors::serialize(views, meta).map_err(|e| e.to_string())
}

pub(super) fn error(path: &Path, what: String) -> WeightsError {
    WeightsError {
        path: path.to_path_buf(),
        what,
    }
}
