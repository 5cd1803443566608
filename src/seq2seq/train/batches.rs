//! Cutting a data set into batches: shuffled for training, bucketed by
//! length for corpus files, sorted by length for evaluation.

use crate::seq2seq::batch::{Batch, Example};
use crate::tensor::Rng;
use crate::text::PAD_ID;
use rand::RngExt;
use rand::seq::SliceRandom;

/// Splits `examples` into batches of at most `batch_size`, in an order
/// shuffled by `rng` (Fisher–Yates), or in the given order when `rng` is `None`.
///
/// # Panics
/// If `batch_size` is 0.
pub fn batches(examples: &[Example], batch_size: usize, rng: Option<&mut Rng>) -> Vec<Batch> {
    assert!(batch_size > 0, "batches: batch size must be at least 1");
    let mut order: Vec<usize> = (0..examples.len()).collect();
    if let Some(r) = rng {
        for i in (1..order.len()).rev() {
            order.swap(i, r.random_range(0..=i));
        }
    }
    order
        .chunks(batch_size)
        .map(|idx| Batch::new(&idx.iter().map(|&i| &examples[i]).collect::<Vec<_>>()))
        .collect()
}

/// Splits `examples` into batches of sentences of similar length, so that
/// little of each batch is padding: shuffle (with `rng`), then sort each
/// pool of 100 batches' worth by source and target length, cut the pools
/// into batches, and shuffle the batches. Every example is in exactly one
/// batch; the order depends only on the seed of `rng`.
///
/// # Panics
/// If `batch_size` is 0.
pub fn bucketed_batches(examples: &[Example], batch_size: usize, rng: &mut Rng) -> Vec<Batch> {
    assert!(
        batch_size > 0,
        "bucketed_batches: batch size must be at least 1"
    );
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.shuffle(rng);
    let mut groups: Vec<Vec<usize>> = vec![];
    for pool in order.chunks_mut(100 * batch_size) {
        pool.sort_by_key(|&i| (examples[i].src.len(), examples[i].tgt.len()));
        groups.extend(pool.chunks(batch_size).map(<[usize]>::to_vec));
    }
    groups.shuffle(rng);
    groups
        .iter()
        .map(|idx| Batch::new(&idx.iter().map(|&i| &examples[i]).collect::<Vec<_>>()))
        .collect()
}

/// Batches for evaluation and decoding: the examples sorted by source
/// length (then target length), cut into batches; each batch comes with
/// the positions of its examples in `examples`, so results can be put
/// back in input order.
///
/// # Panics
/// If `batch_size` is 0.
pub fn sorted_batches(examples: &[Example], batch_size: usize) -> Vec<(Vec<usize>, Batch)> {
    assert!(
        batch_size > 0,
        "sorted_batches: batch size must be at least 1"
    );
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.sort_by_key(|&i| (examples[i].src.len(), examples[i].tgt.len()));
    order
        .chunks(batch_size)
        .map(|idx| {
            let batch = Batch::new(&idx.iter().map(|&i| &examples[i]).collect::<Vec<_>>());
            (idx.to_vec(), batch)
        })
        .collect()
}

/// The share of `<pad>` among all the positions of `batches`, source and
/// decoder-target sides together: 0 when every sentence of a batch has the
/// same length.
pub fn padding_share(batches: &[Batch]) -> f64 {
    let (mut pad, mut all) = (0usize, 0usize);
    for b in batches {
        pad += b
            .src
            .iter()
            .chain(&b.tgt_out)
            .filter(|&&id| id == PAD_ID)
            .count();
        all += b.src.len() + b.tgt_out.len();
    }
    if all == 0 {
        0.0
    } else {
        pad as f64 / all as f64
    }
}

/// The real (non-padding) tokens of a batch, both sides, `</s>` included:
/// what "tokens per second" counts.
pub fn real_tokens(batch: &Batch) -> usize {
    batch.src_lengths.iter().sum::<usize>()
        + batch.tgt_out.iter().filter(|&&id| id != PAD_ID).count()
}
