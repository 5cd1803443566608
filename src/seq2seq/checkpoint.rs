//! Saving and loading a model with its vocabularies.
//!
//! File layout (all integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | the magic `ENCDEC01` |
//! | 8 | header length $L$ (`u64`) |
//! | $L$ | header: JSON with the task, the model kind, its sizes, both vocabularies, the text settings (lowercasing, languages, longest sentence), the training progress (for `--resume`), and each parameter's name, shape and whether it is trainable (frozen pre-trained vectors stay frozen) |
//! | $8\sum n_i$ | the parameters' values as `f64`, in header order |
//! | 8 | FNV-1a 64-bit hash of everything before it |
//!
//! Saving writes the file atomically ([`crate::files::write_atomic`]): a
//! failure leaves an existing checkpoint as it was.
//!
//! Loading checks each part and says what is wrong: not a checkpoint, cut
//! short, damaged (hash mismatch), of another model kind, or inconsistent.

use super::architecture::Architecture;
use super::model::{ModelConfig, ModelKind, Seq2Seq, build};
use super::pipeline::Task;
pub use super::train_state::{OptimizerState, TextSettings, TrainProgress};
use super::train_state::{
    optimizer_json, optimizer_shapes, progress_from, progress_json, text_from, text_json,
};
use crate::tensor::{Tensor, rng};
use crate::text::Vocab;
use serde_json::{Value, json};
use std::fmt;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"ENCDEC01";

/// Why a checkpoint could not be saved or loaded.
#[derive(Debug)]
pub enum CheckpointError {
    /// The file could not be read or written.
    Io(PathBuf, std::io::Error),
    /// The file does not start with the checkpoint magic.
    NotACheckpoint(PathBuf),
    /// The file ends early.
    Truncated {
        /// The file.
        path: PathBuf,
        /// Bytes the header promises.
        expected: usize,
        /// Bytes present.
        found: usize,
    },
    /// The content is damaged or inconsistent; the string says how.
    Corrupt(PathBuf, String),
    /// The checkpoint would not load again, so it is not written; the string says why.
    Unsavable(PathBuf, String),
    /// A checkpoint of another model kind.
    WrongKind {
        /// The kind asked for.
        expected: ModelKind,
        /// The kind in the file.
        found: ModelKind,
    },
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckpointError::Io(p, e) => write!(f, "cannot access checkpoint {}: {e}", p.display()),
            CheckpointError::NotACheckpoint(p) => write!(
                f,
                "{} is not an encdec checkpoint (wrong magic bytes)",
                p.display()
            ),
            CheckpointError::Truncated {
                path,
                expected,
                found,
            } => write!(
                f,
                "checkpoint {} is truncated: expected {expected} bytes, found {found}",
                path.display()
            ),
            CheckpointError::Corrupt(p, why) => {
                write!(f, "checkpoint {} is corrupt: {why}", p.display())
            }
            CheckpointError::Unsavable(p, why) => {
                write!(f, "not saving checkpoint {}: {why}", p.display())
            }
            CheckpointError::WrongKind { expected, found } => {
                write!(
                    f,
                    "checkpoint holds a {found} model, not a {expected} model"
                )
            }
        }
    }
}

impl std::error::Error for CheckpointError {}

/// A model with the vocabularies it was trained with and the task it was trained for.
pub struct Checkpoint {
    /// The model.
    pub model: Box<dyn Seq2Seq>,
    /// Source vocabulary.
    pub src_vocab: Vocab,
    /// Target vocabulary.
    pub tgt_vocab: Vocab,
    /// What it was trained to do.
    pub task: Task,
    /// How its text is tokenized and written back.
    pub text: TextSettings,
    /// How far training got (`None` for a model not trained by the pipeline).
    pub progress: Option<TrainProgress>,
    /// The optimizer's running state, for `--resume` (`None`: not saved).
    pub optimizer: Option<OptimizerState>,
}

/// FNV-1a, 64 bits: a small hash that detects damaged bytes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

pub(super) fn config_json(c: &ModelConfig) -> Value {
    json!({
        "kind": c.kind.name(), "src_vocab": c.src_vocab, "tgt_vocab": c.tgt_vocab, "emb": c.emb,
        "hidden": c.hidden, "layers": c.layers, "heads": c.heads, "dropout": c.dropout,
        "arch": c.arch.to_json(),
    })
}

pub(super) fn config_from(v: &Value) -> Result<ModelConfig, String> {
    let int = |k: &str| {
        v[k].as_u64().map(|x| x as usize).ok_or(format!(
            "config field '{k}' is missing or not a whole number"
        ))
    };
    let kind = v["kind"]
        .as_str()
        .ok_or("config has no model kind")?
        .parse::<ModelKind>()?;
    let config = ModelConfig {
        kind,
        src_vocab: int("src_vocab")?,
        tgt_vocab: int("tgt_vocab")?,
        emb: int("emb")?,
        hidden: int("hidden")?,
        layers: int("layers")?,
        heads: int("heads")?,
        dropout: v["dropout"]
            .as_f64()
            .ok_or("config field 'dropout' is missing")?,
        arch: Architecture::from_json(&v["arch"])?,
    };
    config.validate()?;
    Ok(config)
}

/// The vocabulary stored under `key` in `header` (a list of tokens in id
/// order), which must hold `size` tokens.
pub(super) fn vocab_from(header: &Value, key: &str, size: usize) -> Result<Vocab, String> {
    let list = header[key]
        .as_array()
        .ok_or(format!("{key} is missing or not a list"))?;
    let tokens = list
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.as_str()
                .map(String::from)
                .ok_or(format!("{key}: token {i} is {t}, not a string"))
        })
        .collect::<Result<Vec<String>, _>>()?;
    let v = Vocab::from_tokens(tokens).map_err(|e| format!("{key}: {e}"))?;
    if v.len() != size {
        return Err(format!(
            "{key} has {} tokens but the model expects {size}",
            v.len()
        ));
    }
    Ok(v)
}

/// Refuses a config whose largest tables would not fit in the `stored`
/// values a file holds, before the model is built: a damaged file claiming
/// hidden $2^{62}$ must not exhaust memory.
pub(super) fn sizes_fit(config: &ModelConfig, stored: usize) -> Result<(), String> {
    let tables = [
        (config.src_vocab, config.emb),
        (config.tgt_vocab, config.emb),
        (config.tgt_vocab, config.hidden),
        (config.emb, config.hidden),
        (config.layers, 1),
        (config.heads, 1),
    ];
    if tables
        .iter()
        .any(|&(a, b)| a.checked_mul(b).is_none_or(|n| n > stored))
    {
        return Err(format!(
            "the model sizes (vocabularies {} and {}, emb {}, hidden {}, layers {}) do not fit the {stored} values stored",
            config.src_vocab, config.tgt_vocab, config.emb, config.hidden, config.layers
        ));
    }
    Ok(())
}

/// The header fields this version writes and reads.
const HEADER_FIELDS: [&str; 9] = [
    "format",
    "task",
    "config",
    "src_vocab",
    "tgt_vocab",
    "text",
    "training",
    "optimizer",
    "params",
];

/// Refuses a header of another format version or with fields this version
/// does not know (it would ignore what they say).
fn check_header_fields(header: &Value) -> Result<(), String> {
    let fields = header
        .as_object()
        .ok_or("the header is not a JSON object")?;
    match fields.get("format").and_then(Value::as_u64) {
        Some(1) => {}
        Some(v) => {
            return Err(format!(
                "format {v}: this encdec reads format 1; use the encdec version that wrote the file"
            ));
        }
        None => return Err("the header has no format number".into()),
    }
    if let Some(k) = fields.keys().find(|k| !HEADER_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown header field \"{k}\": written by another encdec version, or edited"
        ));
    }
    Ok(())
}

impl Checkpoint {
    /// A checkpoint with the built-in corpora's text settings
    /// ([`TextSettings::for_task`]) and no training progress.
    pub fn new(
        model: Box<dyn Seq2Seq>,
        src_vocab: Vocab,
        tgt_vocab: Vocab,
        task: Task,
    ) -> Checkpoint {
        Checkpoint {
            model,
            src_vocab,
            tgt_vocab,
            task,
            text: TextSettings::for_task(task),
            progress: None,
            optimizer: None,
        }
    }

    /// Writes the model, its vocabularies, its task, its text settings and
    /// its training progress to `path`, atomically. (It borrows `self`
    /// mutably only to walk the model's parameters, see
    /// [`crate::nn::Module::params`].)
    pub fn save(&mut self, path: &Path) -> Result<(), CheckpointError> {
        let unsavable = |why: String| CheckpointError::Unsavable(path.to_path_buf(), why);
        let c = self.model.config();
        if (self.src_vocab.len(), self.tgt_vocab.len()) != (c.src_vocab, c.tgt_vocab) {
            return Err(unsavable(format!(
                "vocabularies of {} and {} words for a model of {} and {}",
                self.src_vocab.len(),
                self.tgt_vocab.len(),
                c.src_vocab,
                c.tgt_vocab
            )));
        }
        let config = config_json(c);
        let params = self.model.params();
        if let Some(p) = params
            .iter()
            .find(|p| p.value.data().iter().any(|v| !v.is_finite()))
        {
            return Err(unsavable(format!(
                "parameter {} holds a non-finite value (training diverged; lower --lr)",
                p.name
            )));
        }
        let header = json!({
            "format": 1,
            "task": self.task.name(),
            "config": config,
            "src_vocab": self.src_vocab.tokens(),
            "tgt_vocab": self.tgt_vocab.tokens(),
            "text": text_json(&self.text),
            "training": progress_json(&self.progress),
            "optimizer": optimizer_json(&self.optimizer),
            "params": params.iter().map(|p| json!({"name": p.name, "shape": p.shape(), "trainable": p.trainable})).collect::<Vec<_>>(),
        });
        let header = header.to_string().into_bytes();
        let mut bytes = MAGIC.to_vec();
        bytes.extend((header.len() as u64).to_le_bytes());
        bytes.extend(&header);
        let state = self
            .optimizer
            .iter()
            .flat_map(|o| o.state.iter().flatten().flatten());
        for t in params.iter().map(|p| &p.value).chain(state) {
            for v in t.data() {
                bytes.extend(v.to_le_bytes());
            }
        }
        bytes.extend(fnv1a(&bytes).to_le_bytes());
        crate::files::write_atomic(path, &bytes)
            .map_err(|e| CheckpointError::Io(path.to_path_buf(), e))
    }

    /// Reads a checkpoint of any model kind.
    pub fn load(path: &Path) -> Result<Checkpoint, CheckpointError> {
        let bytes = std::fs::read(path).map_err(|e| CheckpointError::Io(path.to_path_buf(), e))?;
        let corrupt = |why: String| CheckpointError::Corrupt(path.to_path_buf(), why);
        let truncated = |expected: usize| CheckpointError::Truncated {
            path: path.to_path_buf(),
            expected,
            found: bytes.len(),
        };
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(CheckpointError::NotACheckpoint(path.to_path_buf()));
        }
        if bytes.len() < 16 {
            return Err(truncated(16));
        }
        let header_len = u64::from_le_bytes(bytes[8..16].try_into().unwrap());
        let header_end = usize::try_from(header_len)
            .ok()
            .and_then(|l| l.checked_add(16))
            .filter(|&e| e <= bytes.len());
        let header_end = header_end.ok_or_else(|| {
            corrupt(format!(
                "its header length field says {header_len} bytes but the whole file has {}: the file is damaged or was not written completely",
                bytes.len()
            ))
        })?;
        let header: Value = serde_json::from_slice(&bytes[16..header_end])
            .map_err(|e| corrupt(format!("unreadable header ({e})")))?;
        check_header_fields(&header).map_err(corrupt)?;
        let shapes = header["params"]
            .as_array()
            .ok_or_else(|| corrupt("header lists no parameters".into()))?;
        let mut named_shapes = vec![];
        for p in shapes {
            let name = p["name"]
                .as_str()
                .ok_or_else(|| corrupt("a parameter has no name".into()))?;
            let shape: Option<Vec<usize>> = p["shape"]
                .as_array()
                .and_then(|a| a.iter().map(|d| d.as_u64().map(|d| d as usize)).collect());
            let shape =
                shape.ok_or_else(|| corrupt(format!("parameter {name} has no valid shape")))?;
            // Older files have no flag: everything was trainable.
            let trainable = p["trainable"].as_bool().unwrap_or(true);
            named_shapes.push((name.to_string(), shape, trainable));
        }
        let optimizer = optimizer_shapes(&header["optimizer"]).map_err(corrupt)?;
        let all_shapes = named_shapes.iter().map(|(_, s, _)| s.as_slice()).chain(
            optimizer
                .iter()
                .flat_map(|(_, s)| s.iter().flatten().flatten().map(Vec::as_slice)),
        );
        // Checked arithmetic: a damaged header must not overflow or allocate.
        let expected = all_shapes
            .map(|s| s.iter().try_fold(1usize, |n, &d| n.checked_mul(d)))
            .try_fold(0usize, |sum, n| sum.checked_add(n?))
            .and_then(|count| count.checked_mul(8))
            .and_then(|b| b.checked_add(header_end + 8))
            .ok_or_else(|| {
                corrupt("the parameter shapes in the header are impossibly large".into())
            })?;
        if bytes.len() < expected {
            return Err(truncated(expected));
        }
        if bytes.len() > expected {
            return Err(corrupt(format!(
                "{} unexpected bytes after the end",
                bytes.len() - expected
            )));
        }
        let stored = u64::from_le_bytes(bytes[expected - 8..].try_into().unwrap());
        if fnv1a(&bytes[..expected - 8]) != stored {
            return Err(corrupt(
                "checksum mismatch: the file was damaged or edited".into(),
            ));
        }
        let config = config_from(&header["config"]).map_err(corrupt)?;
        // Before building (and allocating) the model: its largest tables must
        // fit in the values the file holds, so a header claiming hidden 2^62
        // is refused instead of exhausting memory.
        let stored = (expected - header_end - 8) / 8;
        sizes_fit(&config, stored).map_err(corrupt)?;
        // Files written before tasks existed hold a translation model.
        let task = match header["task"].as_str() {
            None => Task::Translation,
            Some(t) => t.parse::<Task>().map_err(corrupt)?,
        };
        let text = text_from(&header["text"], task).map_err(corrupt)?;
        let progress = progress_from(&header["training"]).map_err(corrupt)?;
        let src_vocab = vocab_from(&header, "src_vocab", config.src_vocab).map_err(corrupt)?;
        let tgt_vocab = vocab_from(&header, "tgt_vocab", config.tgt_vocab).map_err(corrupt)?;
        let mut model = build(&config, &mut rng(0)).map_err(corrupt)?;
        let mut params = model.params_mut();
        if params.len() != named_shapes.len() {
            return Err(corrupt(format!(
                "{} parameters stored, the {} model has {}",
                named_shapes.len(),
                config.kind,
                params.len()
            )));
        }
        let mut offset = header_end;
        for (p, (name, shape, trainable)) in params.iter_mut().zip(&named_shapes) {
            if &p.name != name || p.shape() != shape.as_slice() {
                return Err(corrupt(format!(
                    "stored parameter {name} {shape:?} does not match the model's {} {:?}",
                    p.name,
                    p.shape()
                )));
            }
            let n: usize = shape.iter().product();
            let values: Vec<f64> = bytes[offset..offset + 8 * n]
                .chunks(8)
                .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
                .collect();
            if values.iter().any(|v| !v.is_finite()) {
                return Err(corrupt(format!(
                    "parameter {name} holds a non-finite value"
                )));
            }
            p.value = Tensor::from_vec(values, shape);
            p.trainable = *trainable;
            offset += 8 * n;
        }
        let read = |offset: &mut usize, shape: &[usize]| -> Tensor {
            let n: usize = shape.iter().product();
            let values = bytes[*offset..*offset + 8 * n]
                .chunks(8)
                .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
                .collect();
            *offset += 8 * n;
            Tensor::from_vec(values, shape)
        };
        let optimizer = optimizer.map(|(name, shapes)| OptimizerState {
            name,
            state: shapes
                .iter()
                .map(|s| {
                    s.as_ref()
                        .map(|s| s.iter().map(|shape| read(&mut offset, shape)).collect())
                })
                .collect(),
        });
        Ok(Checkpoint {
            model,
            src_vocab,
            tgt_vocab,
            task,
            text,
            progress,
            optimizer,
        })
    }

    /// Reads a checkpoint that must hold a model of kind `kind`.
    pub fn load_as(path: &Path, kind: ModelKind) -> Result<Checkpoint, CheckpointError> {
        let c = Checkpoint::load(path)?;
        let found = c.model.config().kind;
        if found != kind {
            return Err(CheckpointError::WrongKind {
                expected: kind,
                found,
            });
        }
        Ok(c)
    }
}
