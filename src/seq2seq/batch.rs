//! Padding sentences into rectangular batches.

use crate::data::{BOS_ID, EOS_ID, PAD_ID};
use crate::tensor::Rng;
use rand::RngExt;

/// A source sentence and its target, as token ids without special tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// Source ids.
    pub src: Vec<usize>,
    /// Target ids.
    pub tgt: Vec<usize>,
}

/// A batch, padded with `<pad>` (id 0) to the longest sentence on each side.
///
/// The source is each sentence followed by `</s>`. For teacher forcing
/// (tutorial §5.1) the decoder reads `tgt_in = <s> y_1 .. y_n` and is trained
/// to predict `tgt_out = y_1 .. y_n </s>`, one position ahead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// Number of sentences $B$.
    pub size: usize,
    /// Source ids `[B, src_len]`, row-major.
    pub src: Vec<usize>,
    /// Padded source length $S$.
    pub src_len: usize,
    /// True source lengths, `</s>` included.
    pub src_lengths: Vec<usize>,
    /// Decoder inputs `[B, tgt_len]`: `<s>` then the target.
    pub tgt_in: Vec<usize>,
    /// Decoder targets `[B, tgt_len]`: the target then `</s>`, padded with `<pad>`.
    pub tgt_out: Vec<usize>,
    /// Padded target length $T$.
    pub tgt_len: usize,
}

impl Batch {
    /// Pads `examples` into one batch.
    ///
    /// # Panics
    /// If `examples` is empty.
    pub fn new(examples: &[&Example]) -> Batch {
        assert!(!examples.is_empty(), "Batch::new: no examples");
        let src_len = examples.iter().map(|e| e.src.len() + 1).max().unwrap();
        let tgt_len = examples.iter().map(|e| e.tgt.len() + 1).max().unwrap();
        let mut b = Batch {
            size: examples.len(),
            src: vec![],
            src_len,
            src_lengths: vec![],
            tgt_in: vec![],
            tgt_out: vec![],
            tgt_len,
        };
        for e in examples {
            let pad = |v: &mut Vec<usize>, n: usize| v.extend(std::iter::repeat_n(PAD_ID, n));
            b.src.extend(&e.src);
            b.src.push(EOS_ID);
            pad(&mut b.src, src_len - e.src.len() - 1);
            b.src_lengths.push(e.src.len() + 1);
            b.tgt_in.push(BOS_ID);
            b.tgt_in.extend(&e.tgt);
            pad(&mut b.tgt_in, tgt_len - e.tgt.len() - 1);
            b.tgt_out.extend(&e.tgt);
            b.tgt_out.push(EOS_ID);
            pad(&mut b.tgt_out, tgt_len - e.tgt.len() - 1);
        }
        b
    }

    /// A batch holding only sources (for decoding), with an empty target side.
    pub fn sources(sources: &[&[usize]]) -> Batch {
        let examples: Vec<Example> = sources
            .iter()
            .map(|s| Example {
                src: s.to_vec(),
                tgt: vec![],
            })
            .collect();
        Batch::new(&examples.iter().collect::<Vec<_>>())
    }
}

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
