//! Weights in and out (`encdec export`, `encdec import`): a checkpoint's
//! parameters as safetensors under PyTorch's names, and back; the §5.1
//! Keras model's weights in.
//!
//! Checked by `tests/seq2seq/weights.rs`.

use super::train::RunError;
use crate::files::{check_distinct, check_output, write_atomic};
use crate::seq2seq::io::{
    Checkpoint, export as export_weights, import as import_weights, import_keras, logits_bytes,
    sample_batch,
};
use std::path::PathBuf;

/// What `encdec export` is asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct ExportOptions {
    /// A checkpoint written by `train`.
    #[arg(long)]
    pub checkpoint: PathBuf,
    /// Where to write the weights (.safetensors).
    #[arg(long)]
    pub out: PathBuf,
    /// Also write a seeded batch and the model's logits on it (.safetensors), for scripts/weights/torch_weights.py.
    #[arg(long)]
    pub logits: Option<PathBuf>,
}

/// Writes the checkpoint's weights, and with `--logits` a seeded batch of 4
/// sentences and the model's logits on it; returns the lines to print.
///
/// # Errors
/// Bad paths, an unreadable checkpoint, a file that cannot be written.
pub fn export(o: &ExportOptions) -> Result<Vec<String>, RunError> {
    check_output("--out", &o.out, &["safetensors"])?;
    let mut outputs = vec![("--out", o.out.as_path())];
    if let Some(l) = &o.logits {
        check_output("--logits", l, &["safetensors"])?;
        outputs.push(("--logits", l));
    }
    check_distinct(&outputs, &[("--checkpoint", &o.checkpoint)])?;
    let mut t = Checkpoint::load(&o.checkpoint)?.translator;
    export_weights(&mut t, &o.out)?;
    let tensors = t.model.params().len();
    let kind = t.model.config().kind();
    let mut lines = vec![format!(
        "{kind} model: {tensors} tensors written to {}",
        o.out.display()
    )];
    if let Some(l) = &o.logits {
        let batch = sample_batch(t.model.config(), 4, 6, 0);
        let bytes = logits_bytes(&t, &batch)?;
        write_atomic(l, &bytes).map_err(|e| format!("cannot write {}: {e}", l.display()))?;
        lines.push(format!(
            "a batch of 4 and its logits written to {}",
            l.display()
        ));
    }
    Ok(lines)
}

/// What `encdec import` is asked: one of `--weights` and `--keras`.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct ImportOptions {
    /// The weights, with encdec's metadata (config, vocabularies), as `export` or scripts/weights/torch_weights.py write them.
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// Instead: the §5.1 Keras model's weights, as scripts/weights/from_keras.py writes them.
    #[arg(long)]
    pub keras: Option<PathBuf>,
    /// Where to write the checkpoint (.ckpt).
    #[arg(long)]
    pub out: PathBuf,
}

/// Reads the weights into a checkpoint and saves it; returns the line to print.
///
/// # Errors
/// Not exactly one of `--weights` and `--keras`, bad paths, a weights file
/// that does not hold a model (the error names the tensor or field).
pub fn import(o: &ImportOptions) -> Result<Vec<String>, RunError> {
    let (flag, file) = match (&o.weights, &o.keras) {
        (Some(w), None) => ("--weights", w),
        (None, Some(k)) => ("--keras", k),
        _ => return Err("give one of --weights and --keras".into()),
    };
    check_output("--out", &o.out, &["ckpt"])?;
    check_distinct(&[("--out", &o.out)], &[(flag, file)])?;
    let mut c = match &o.keras {
        Some(k) => import_keras(k)?,
        None => import_weights(file)?,
    };
    c.save(&o.out)?;
    Ok(vec![format!(
        "{} model from {} saved as {}",
        c.translator.model.config().kind(),
        file.display(),
        o.out.display()
    )])
}
