//! `encdec export` and `encdec import`: a checkpoint's weights as
//! safetensors under PyTorch's names, and back ([`encdec::seq2seq::weights`]).

use super::{CliResult, print_line};
use encdec::files::{check_distinct, check_output};
use encdec::seq2seq::Checkpoint;
use encdec::seq2seq::keras::import_keras;
use encdec::seq2seq::weights::{
    export as export_weights, import as import_weights, logits_bytes, sample_batch,
};
use std::path::Path;

/// Writes the checkpoint's weights to `out`, and with `logits` a seeded
/// batch of 4 sentences and the model's logits on it (for
/// `scripts/torch_weights.py` to compare).
pub fn export(checkpoint: &Path, out: &Path, logits: Option<&Path>) -> CliResult {
    check_output("--out", out, &["safetensors"])?;
    let mut outputs = vec![("--out", out)];
    if let Some(l) = logits {
        check_output("--logits", l, &["safetensors"])?;
        outputs.push(("--logits", l));
    }
    check_distinct(&outputs, &[("--checkpoint", checkpoint)])?;
    let mut c = Checkpoint::load(checkpoint)?;
    export_weights(&mut c, out)?;
    let tensors = c.model.params().len();
    let kind = c.model.config().kind;
    print_line(&format!(
        "{kind} model: {tensors} tensors written to {}",
        out.display()
    ));
    if let Some(l) = logits {
        let batch = sample_batch(c.model.config(), 4, 6, 0);
        let bytes = logits_bytes(&c, &batch)?;
        encdec::files::write_atomic(l, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", l.display()))?;
        print_line(&format!(
            "a batch of 4 and its logits written to {}",
            l.display()
        ));
    }
    Ok(())
}

/// Reads safetensors weights (with encdec's metadata, or with `keras` the
/// §5.1 Keras model's, [`encdec::seq2seq::keras`]) and saves them as a checkpoint.
pub fn import(weights: Option<&Path>, keras: Option<&Path>, out: &Path) -> CliResult {
    let (flag, file) = match (weights, keras) {
        (Some(w), None) => ("--weights", w),
        (None, Some(k)) => ("--keras", k),
        _ => return Err("give one of --weights and --keras".into()),
    };
    check_output("--out", out, &["ckpt"])?;
    check_distinct(&[("--out", out)], &[(flag, file)])?;
    let mut c = match keras {
        Some(k) => import_keras(k)?,
        None => import_weights(file)?,
    };
    c.save(out)?;
    print_line(&format!(
        "{} model from {} saved as {}",
        c.model.config().kind,
        file.display(),
        out.display()
    ));
    Ok(())
}
