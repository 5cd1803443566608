//! A seeded batch and a model's logits on it, as safetensors: what
//! `encdec export --logits` writes for `scripts/weights/torch_weights.py` to
//! compare PyTorch's logits with, and what the tests read back.

use super::safetensors::{f64_bytes, float_values, serialize};
use crate::autograd::Tape;
use crate::seq2seq::batch::{Batch, Example};
use crate::seq2seq::config::ModelConfig;
use crate::seq2seq::decode::Translator;
use crate::tensor::{Rng, Tensor, rng};
use rand::RngExt;
use safetensors::tensor::{Dtype, SafeTensors};

/// A seeded batch of `size` random sentences for comparing logits across
/// frameworks: ids drawn from the non-special words, sources of 1 to
/// `max_len` words (the first sentence the longest, so padding shows up),
/// targets likewise.
///
/// # Panics
/// If `size` or `max_len` is 0.
pub fn sample_batch(config: &ModelConfig, size: usize, max_len: usize, seed: u64) -> Batch {
    assert!(
        size > 0 && max_len > 0,
        "sample_batch: size {size} and max_len {max_len} must be positive"
    );
    let mut r: Rng = rng(seed);
    let mut words = |vocab: usize, first: bool| {
        let n = if first {
            max_len
        } else {
            r.random_range(1..=max_len)
        };
        let low = if vocab > 4 { 4 } else { 0 };
        (0..n)
            .map(|_| r.random_range(low..vocab))
            .collect::<Vec<_>>()
    };
    let examples: Vec<Example> = (0..size)
        .map(|i| Example {
            src: words(config.src_vocab, i == 0),
            tgt: words(config.tgt_vocab, i == 0),
        })
        .collect();
    Batch::new(&examples.iter().collect::<Vec<_>>())
}

/// The logits file: the batch (`src` `[B, S]`, `src_lengths` `[B]`,
/// `tgt_in` `[B, T]`, as `I64`) and the model's logits on it without
/// dropout (`logits` `[B, T, V]`, `F64`), as safetensors bytes.
///
/// # Errors
/// Only if serialization fails (it does not for well-formed batches).
pub fn logits_bytes(c: &Translator, batch: &Batch) -> Result<Vec<u8>, String> {
    let tape = Tape::new();
    let logits = c.model.forward(&tape, batch, None).logits.value();
    let ids = |v: &[usize]| {
        v.iter()
            .flat_map(|&i| (i as i64).to_le_bytes())
            .collect::<Vec<u8>>()
    };
    let (b, s, t) = (batch.size, batch.src_len, batch.tgt_len);
    let tensors = vec![
        ("src".to_string(), Dtype::I64, vec![b, s], ids(&batch.src)),
        (
            "src_lengths".to_string(),
            Dtype::I64,
            vec![b],
            ids(&batch.src_lengths),
        ),
        (
            "tgt_in".to_string(),
            Dtype::I64,
            vec![b, t],
            ids(&batch.tgt_in),
        ),
        (
            "logits".to_string(),
            Dtype::F64,
            logits.shape().to_vec(),
            f64_bytes(logits.data()),
        ),
    ];
    serialize(&tensors, None)
}

/// Reads a logits file ([`logits_bytes`]): the batch (with `tgt_out` all
/// padding) and the logits.
///
/// # Errors
/// If a tensor is missing, of the wrong type, or the shapes disagree.
pub fn read_logits(bytes: &[u8]) -> Result<(Batch, Tensor), String> {
    let st = SafeTensors::deserialize(bytes)
        .map_err(|e| format!("not a readable safetensors file ({e})"))?;
    let get = |name: &str, dtype: Dtype| {
        let v = st
            .tensor(name)
            .map_err(|_| format!("tensor {name} is missing"))?;
        if v.dtype() != dtype {
            return Err(format!(
                "tensor {name} is {:?}, expected {dtype:?}",
                v.dtype()
            ));
        }
        Ok(v)
    };
    let ids = |name: &str| -> Result<(Vec<usize>, Vec<usize>), String> {
        let v = get(name, Dtype::I64)?;
        let ids = v
            .data()
            .chunks_exact(8)
            .map(|c| i64::from_le_bytes(c.try_into().unwrap()) as usize);
        Ok((ids.collect(), v.shape().to_vec()))
    };
    let (src, s) = ids("src")?;
    let (src_lengths, _) = ids("src_lengths")?;
    let (tgt_in, t) = ids("tgt_in")?;
    let logits = get("logits", Dtype::F64)?;
    let values = float_values("logits", &logits)?;
    if s.len() != 2 || t.len() != 2 || s[0] != t[0] || src_lengths.len() != s[0] {
        return Err(format!(
            "src {s:?}, src_lengths [{}] and tgt_in {t:?} disagree",
            src_lengths.len()
        ));
    }
    let batch = Batch {
        size: s[0],
        src,
        src_len: s[1],
        src_lengths,
        tgt_out: vec![0; tgt_in.len()],
        tgt_in,
        tgt_len: t[1],
    };
    Ok((batch, Tensor::from_vec(values, logits.shape())))
}
