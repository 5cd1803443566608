//! Saving and loading a trained model: its [`Translator`] (the model, both
//! vocabularies, the task and the text settings), how far training got and
//! the optimizer's running state.
//!
//! File layout (all integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | the magic `ENCDEC01` |
//! | 8 | header length $L$ (`u64`) |
//! | $L$ | header: JSON with the format number (2), the task, the model's config (`config_json.rs`), both vocabularies (with their training counts, and the training sources' trigrams as hex, for a model trained since they were kept), the merge tables of a model of subword pieces (`subwords_json.rs`), the text settings (lowercasing, languages, longest sentence), the training progress (for `--resume`), the optimizer state's shapes, and each parameter's name, shape and whether it is trainable (frozen pre-trained vectors stay frozen) |
//! | $8\sum n_i$ | the parameters' values as `f64`, in header order, then the optimizer state's |
//! | 8 | FNV-1a 64-bit hash of everything before it |
//!
//! Saving writes the file atomically ([`crate::files::write_atomic`]): a
//! failure leaves an existing checkpoint as it was. A model that would not
//! load again (non-finite weights, vocabularies that do not fit it) is not
//! written.
//!
//! Loading checks each part and says what is wrong: not a checkpoint, cut
//! short, damaged (hash mismatch), of another model kind, or inconsistent.
//! Files of format 1 (written before the config named the Transformer's
//! sizes `d_model` and `d_ff`) load too.
//!
//! Checked by `tests/seq2seq/checkpoint.rs` and `tests/seq2seq/legacy.rs`.

use super::config_json::{config_from, config_json};
use super::frame::{self, FORMAT, FrameError};
pub use super::header::CheckpointError;
use super::header::{
    ParamEntry, counts_from, param_entries, sizes_fit, training_text_json, trigrams_from,
    vocab_from,
};
use super::subwords_json::subwords_from;
pub use super::train_state::{OptimizerState, TrainProgress};
use super::train_state::{
    optimizer_json, optimizer_shapes, progress_from, progress_json, text_from, text_json,
};
use crate::seq2seq::config::ModelKind;
use crate::seq2seq::decode::Translator;
use crate::seq2seq::models::build;
use crate::seq2seq::task::Task;
use crate::tensor::rng;
use crate::text::Tokenizer;
use serde_json::{Value, json};
use std::path::Path;

/// A trained model as a file holds it.
pub struct Checkpoint {
    /// The model with its vocabularies, task and text settings.
    pub translator: Translator,
    /// How far training got (`None` for a model not trained by the pipeline).
    pub progress: Option<TrainProgress>,
    /// The optimizer's running state, for `--resume` (`None`: not saved).
    pub optimizer: Option<OptimizerState>,
}

impl Checkpoint {
    /// A checkpoint of a translator that no training has touched.
    pub fn new(translator: Translator) -> Checkpoint {
        Checkpoint {
            translator,
            progress: None,
            optimizer: None,
        }
    }

    /// Writes everything to `path`, atomically: [`Checkpoint::to_bytes`]
    /// and [`crate::files::write_atomic`]. (It borrows `self` mutably only
    /// to walk the model's parameters, see [`crate::nn::Module::params`].)
    ///
    /// # Errors
    /// A model that would not load again ([`Checkpoint::unsavable`]), or a
    /// file that cannot be written.
    pub fn save(&mut self, path: &Path) -> Result<(), CheckpointError> {
        if let Some(why) = self.unsavable() {
            return Err(CheckpointError::Unsavable(path.to_path_buf(), why));
        }
        let bytes = self.to_bytes();
        crate::files::write_atomic(path, &bytes)
            .map_err(|e| CheckpointError::Write(path.to_path_buf(), e))
    }

    /// Why the checkpoint would not load again, if it would not:
    /// vocabularies that do not fit the model, or a non-finite parameter.
    pub fn unsavable(&mut self) -> Option<String> {
        let t = &mut self.translator;
        let c = t.model.config();
        if (t.src_vocab.len(), t.tgt_vocab.len()) != (c.src_vocab, c.tgt_vocab) {
            return Some(format!(
                "vocabularies of {} and {} words for a model of {} and {}",
                t.src_vocab.len(),
                t.tgt_vocab.len(),
                c.src_vocab,
                c.tgt_vocab
            ));
        }
        let params = t.model.params();
        let p = params
            .iter()
            .find(|p| p.value.data().iter().any(|v| !v.is_finite()))?;
        Some(format!(
            "parameter {} holds a non-finite value (training diverged; lower --lr)",
            p.name
        ))
    }

    /// The file's bytes, as [`Checkpoint::save`] writes them (for a page
    /// that hands them to JavaScript instead of writing a file). Bytes of a
    /// checkpoint that is [`Checkpoint::unsavable`] are refused by
    /// [`Checkpoint::from_bytes`]: check it first.
    pub fn to_bytes(&mut self) -> Vec<u8> {
        let t = &mut self.translator;
        let mut header = json!({
            "format": FORMAT,
            "task": t.task.name(),
            "config": config_json(t.model.config()),
            "src_vocab": t.src_vocab.tokens(),
            "tgt_vocab": t.tgt_vocab.tokens(),
            "text": text_json(&t.text),
            "training": progress_json(&self.progress),
            "optimizer": optimizer_json(&self.optimizer),
        });
        training_text_json(&mut header, t);
        let params = t.model.params();
        header["params"] = params
            .iter()
            .map(|p| json!({"name": p.name, "shape": p.shape(), "trainable": p.trainable}))
            .collect::<Vec<_>>()
            .into();
        let state = self
            .optimizer
            .iter()
            .flat_map(|o| o.state.iter().flatten().flatten());
        let values = params.iter().map(|p| &p.value).chain(state);
        frame::frame(header.to_string().as_bytes(), values)
    }

    /// Reads a checkpoint of any model kind: [`crate::files::read_capped`]
    /// and [`Checkpoint::from_bytes`].
    ///
    /// # Errors
    /// An unreadable file, or one that is not a whole, consistent checkpoint
    /// (the error says what is wrong).
    pub fn load(path: &Path) -> Result<Checkpoint, CheckpointError> {
        let bytes = crate::files::read_capped(path, super::MODEL_FILE_CAP)
            .map_err(|e| CheckpointError::Io(path.to_path_buf(), e))?;
        Checkpoint::from_bytes(&bytes, path)
    }

    /// A checkpoint from the bytes of a file; `name` is what errors call
    /// it (the file's path, or a name the page gave the bytes).
    ///
    /// # Errors
    /// Bytes that are not a whole, consistent checkpoint (the error says
    /// what is wrong; `tests/pipeline/session.rs::a_sessions_checkpoint_as_bytes_loads_in_the_command_line`).
    pub fn from_bytes(bytes: &[u8], name: &Path) -> Result<Checkpoint, CheckpointError> {
        let framing = |e: FrameError| match e {
            FrameError::NotACheckpoint => CheckpointError::NotACheckpoint(name.to_path_buf()),
            FrameError::Truncated(expected) => CheckpointError::Truncated {
                path: name.to_path_buf(),
                expected,
                found: bytes.len(),
            },
            FrameError::Corrupt(why) => CheckpointError::Corrupt(name.to_path_buf(), why),
        };
        let corrupt = |why: String| CheckpointError::Corrupt(name.to_path_buf(), why);
        let (header, header_end) = frame::header(bytes).map_err(framing)?;
        frame::check_header_fields(&header).map_err(corrupt)?;
        let entries = param_entries(&header).map_err(corrupt)?;
        let optimizer = optimizer_shapes(&header["optimizer"]).map_err(corrupt)?;
        let all_shapes = entries.iter().map(|(_, s, _)| s.as_slice()).chain(
            optimizer
                .iter()
                .flat_map(|(_, s)| s.iter().flatten().flatten().map(Vec::as_slice)),
        );
        // Checked arithmetic: a damaged header must not overflow or allocate.
        let stored = all_shapes
            .map(|s| s.iter().try_fold(1usize, |n, &d| n.checked_mul(d)))
            .try_fold(0usize, |sum, n| sum.checked_add(n?))
            .ok_or_else(|| {
                corrupt("the parameter shapes in the header are impossibly large".into())
            })?;
        frame::check_body(bytes, header_end, stored).map_err(framing)?;
        // Less than `stored`, which did not overflow.
        let param_values = entries
            .iter()
            .map(|(_, s, _)| s.iter().product::<usize>())
            .sum();
        let translator = read_translator(&header, param_values).map_err(corrupt)?;
        let mut c = Checkpoint {
            translator,
            progress: progress_from(&header["training"]).map_err(corrupt)?,
            optimizer: None,
        };
        let mut offset = header_end;
        c.fill_params(bytes, &entries, &mut offset)
            .map_err(corrupt)?;
        c.optimizer = optimizer.map(|(name, shapes)| OptimizerState {
            name,
            state: shapes
                .iter()
                .map(|s| {
                    s.as_ref().map(|s| {
                        s.iter()
                            .map(|shape| frame::read_tensor(bytes, &mut offset, shape))
                            .collect()
                    })
                })
                .collect(),
        });
        Ok(c)
    }

    /// Copies the stored parameter values into the model, which must list
    /// the same names and shapes in the same order.
    fn fill_params(
        &mut self,
        bytes: &[u8],
        entries: &[ParamEntry],
        offset: &mut usize,
    ) -> Result<(), String> {
        let model = &mut self.translator.model;
        let kind = model.config().kind();
        let mut params = model.params_mut();
        if params.len() != entries.len() {
            return Err(format!(
                "{} parameters stored, the {kind} model has {}",
                entries.len(),
                params.len()
            ));
        }
        for (p, (name, shape, trainable)) in params.iter_mut().zip(entries) {
            if &p.name != name || p.shape() != shape.as_slice() {
                return Err(format!(
                    "stored parameter {name} {shape:?} does not match the model's {} {:?}",
                    p.name,
                    p.shape()
                ));
            }
            let value = frame::read_tensor(bytes, offset, shape);
            if value.data().iter().any(|v| !v.is_finite()) {
                return Err(format!("parameter {name} holds a non-finite value"));
            }
            p.value = value;
            p.trainable = *trainable;
        }
        Ok(())
    }

    /// Reads a checkpoint that must hold a model of kind `kind`.
    ///
    /// # Errors
    /// As [`Checkpoint::load`], and a model of another kind.
    pub fn load_as(path: &Path, kind: ModelKind) -> Result<Checkpoint, CheckpointError> {
        let c = Checkpoint::load(path)?;
        let found = c.translator.model.config().kind();
        if found != kind {
            return Err(CheckpointError::WrongKind {
                expected: kind,
                found,
            });
        }
        Ok(c)
    }
}

/// The header's config, task, text settings and vocabularies, and a model
/// built for them (its values still the seed's). Before building (and
/// allocating) the model, its exact parameter count must be the
/// `param_values` the file holds ([`sizes_fit`]), so a header claiming
/// 100,000 layers is refused instead of exhausting memory.
fn read_translator(header: &Value, param_values: usize) -> Result<Translator, String> {
    let config = config_from(&header["config"])?;
    sizes_fit(&config, param_values)?;
    // Files written before tasks existed hold a translation model.
    let task = match header["task"].as_str() {
        None => Task::Translation,
        Some(t) => t.parse::<Task>()?,
    };
    let text = text_from(&header["text"], task)?;
    let tokenizer = Tokenizer::new(text.lowercase);
    let subwords = subwords_from(&header["subwords"])?;
    let made_by = (&tokenizer, subwords.as_ref());
    let src_vocab = vocab_from(header, "src_vocab", config.src_vocab, made_by)?;
    let tgt_vocab = vocab_from(header, "tgt_vocab", config.tgt_vocab, made_by)?;
    Ok(Translator {
        subwords,
        text,
        src_vocab: counts_from(header, "src_counts", src_vocab)?,
        tgt_vocab: counts_from(header, "tgt_counts", tgt_vocab)?,
        src_trigrams: trigrams_from(header)?,
        model: build(&config, &mut rng(0))?,
        task,
    })
}
