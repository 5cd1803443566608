//! Reading a checkpoint's header: its errors, its parameter list, its
//! vocabularies, and the size check made before any model is built.

use super::subwords_json::subwords_json;
use crate::seq2seq::config::{ModelConfig, ModelKind};
use crate::seq2seq::decode::Translator;
use crate::seq2seq::size::parameter_count;
use crate::text::subwords::Subwords;
use crate::text::{Tokenizer, Trigrams, Vocab};
use serde_json::Value;
use std::fmt;
use std::path::PathBuf;

/// Why a checkpoint could not be saved or loaded.
#[derive(Debug)]
pub enum CheckpointError {
    /// The file could not be read.
    Io(PathBuf, std::io::Error),
    /// The file could not be written (a full disk, a file too large, a
    /// folder that went away); the old file, if any, is as it was.
    Write(PathBuf, std::io::Error),
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
            CheckpointError::Io(p, e) => write!(f, "cannot read checkpoint {}: {e}", p.display()),
            CheckpointError::Write(p, e) => {
                write!(f, "cannot write checkpoint {}: {e}", p.display())
            }
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

/// The longest JSON a checkpoint's header or a weights file's metadata
/// field may be: 32 MiB, about two vocabularies of a million words.
/// Parsed, JSON takes up to 16 times its length, so a longer one is
/// refused before it is parsed.
pub(crate) const HEADER_CAP: usize = 32 << 20;

/// The metadata field `key` of a weights file, parsed as JSON.
///
/// # Errors
/// Longer than [`HEADER_CAP`], or not JSON.
pub(crate) fn metadata_json(key: &str, text: &str) -> Result<Value, String> {
    if text.len() > HEADER_CAP {
        return Err(format!(
            "metadata \"{key}\" is {} bytes, more than the {HEADER_CAP} a weights file's field may hold",
            text.len()
        ));
    }
    serde_json::from_str(text).map_err(|e| format!("metadata \"{key}\" is not JSON ({e})"))
}

/// The vocabulary stored under `key` in `header` (a list of tokens in id
/// order), which must hold `size` tokens, each one `tokenizer` can make
/// ([`Vocab::check_tokens`]), or for a model with `subwords` a piece of
/// one ([`Vocab::check_pieces`]).
pub(crate) fn vocab_from(
    header: &Value,
    key: &str,
    size: usize,
    (tokenizer, subwords): (&Tokenizer, Option<&Subwords>),
) -> Result<Vocab, String> {
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
    match subwords {
        None => v.check_tokens(tokenizer),
        Some(_) => v.check_pieces(tokenizer),
    }
    .map_err(|e| format!("{key}: {e}"))?;
    if v.len() != size {
        return Err(format!(
            "{key} has {} tokens but the model expects {size}",
            v.len()
        ));
    }
    Ok(v)
}

/// What a checkpoint keeps of its training text, beside the vocabularies:
/// each vocabulary's counts, the source trigrams and the merge tables, as
/// header fields (left out when not known, or for a model of words).
pub(crate) fn training_text_json(header: &mut Value, t: &Translator) {
    if let Some(c) = t.src_vocab.counts() {
        header["src_counts"] = c.into();
    }
    if let Some(c) = t.tgt_vocab.counts() {
        header["tgt_counts"] = c.into();
    }
    if let Some(g) = &t.src_trigrams {
        header["src_trigrams"] = g.to_hex().into();
    }
    if let Some(s) = &t.subwords {
        header["subwords"] = subwords_json(s);
    }
}

/// `vocab` with the counts stored under `key`, if the header has them:
/// a list of whole numbers, one per token, whose length is checked against
/// the vocabulary before any is read, so a count table is bounded by the
/// vocabulary it belongs to.
pub(crate) fn counts_from(header: &Value, key: &str, vocab: Vocab) -> Result<Vocab, String> {
    let list = match &header[key] {
        Value::Null => return Ok(vocab),
        Value::Array(list) => list,
        _ => return Err(format!("{key} is not a list")),
    };
    if list.len() != vocab.len() {
        return Err(format!(
            "{key} holds {} counts for a vocabulary of {} tokens",
            list.len(),
            vocab.len()
        ));
    }
    let counts = list
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.as_u64()
                .and_then(|c| usize::try_from(c).ok())
                .ok_or(format!("{key}: count {i} is {c}, not a whole number"))
        })
        .collect::<Result<Vec<usize>, _>>()?;
    vocab.with_counts(counts).map_err(|e| format!("{key}: {e}"))
}

/// The source trigrams stored in the header, if it has them.
pub(crate) fn trigrams_from(header: &Value) -> Result<Option<Trigrams>, String> {
    match &header["src_trigrams"] {
        Value::Null => Ok(None),
        Value::String(hex) => Trigrams::from_hex(hex)
            .map(Some)
            .map_err(|e| format!("src_trigrams: {e}")),
        _ => Err("src_trigrams is not a string of hexadecimal digits".into()),
    }
}

/// Refuses a config unless the model it describes holds exactly the
/// `stored` parameter values a file holds, before the model is built: its
/// exact count ([`parameter_count`], checked arithmetic) is compared with
/// the file's, so a file of a few megabytes claiming 100,000 layers or
/// hidden $2^{62}$ is refused instead of exhausting memory.
///
/// Checked by `tests/memory/claims.rs`.
pub(crate) fn sizes_fit(config: &ModelConfig, stored: usize) -> Result<(), String> {
    let vocabs = format!("vocabularies {} and {}", config.src_vocab, config.tgt_vocab);
    match parameter_count(config) {
        Some(count) if count == stored => Ok(()),
        Some(count) => {
            let (n, which) = if count > stored {
                (
                    count - stored,
                    "fewer: a tensor is missing or smaller than the config says",
                )
            } else {
                (
                    stored - count,
                    "more: a tensor is left over or larger than the config says",
                )
            };
            Err(format!(
                "the config describes a model of {count} parameters ({config}, {vocabs}) but the file holds {stored} values, {n} {which} (write the config and the tensors from one model)"
            ))
        }
        None => Err(format!(
            "the config describes a model of more parameters than this machine can count ({config}, {vocabs}); the file holds {stored} values"
        )),
    }
}

/// A parameter's entry in the header: name, shape, trainable.
pub(super) type ParamEntry = (String, Vec<usize>, bool);

/// The header's parameter list.
pub(super) fn param_entries(header: &Value) -> Result<Vec<ParamEntry>, String> {
    let list = header["params"]
        .as_array()
        .ok_or("header lists no parameters")?;
    let mut entries = vec![];
    for p in list {
        let name = p["name"].as_str().ok_or("a parameter has no name")?;
        let shape: Option<Vec<usize>> = p["shape"]
            .as_array()
            .and_then(|a| a.iter().map(|d| d.as_u64().map(|d| d as usize)).collect());
        let shape = shape.ok_or(format!("parameter {name} has no valid shape"))?;
        // Older files have no flag: everything was trainable.
        let trainable = p["trainable"].as_bool().unwrap_or(true);
        entries.push((name.to_string(), shape, trainable));
    }
    Ok(entries)
}
