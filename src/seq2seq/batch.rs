//! Padding sentences into rectangular batches.

pub(crate) use crate::tensor::take_rows;
use crate::text::{BOS_ID, EOS_ID, PAD_ID};

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

    /// Checks the source side before a model encodes it.
    ///
    /// # Panics
    /// Naming `who` and the field, if the batch has no sentence, a source
    /// length of 0 (a source always ends in `</s>`), `src` of a size other
    /// than `size × src_len`, or a true length outside `1..=src_len`.
    pub fn check_source(&self, who: &str) {
        assert!(self.size > 0, "{who}: the batch has no sentence");
        assert!(
            self.src_len > 0,
            "{who}: the batch's source length is 0 (a source ends in </s>, so it has at least one token)"
        );
        assert!(
            self.src.len() == self.size * self.src_len && self.src_lengths.len() == self.size,
            "{who}: src has {} ids and src_lengths {} entries; a batch of {} sentences of length {} needs {} and {}",
            self.src.len(),
            self.src_lengths.len(),
            self.size,
            self.src_len,
            self.size * self.src_len,
            self.size
        );
        assert!(
            self.src_lengths
                .iter()
                .all(|&n| (1..=self.src_len).contains(&n)),
            "{who}: src_lengths {:?} must each be in 1..={}",
            self.src_lengths,
            self.src_len
        );
    }

    /// Checks the target side before a model decodes it.
    ///
    /// # Panics
    /// Naming `who` and the field, if the target length is 0 (the decoder
    /// reads at least `<s>`) or `tgt_in`, `tgt_out` are not `size × tgt_len`.
    pub fn check_target(&self, who: &str) {
        assert!(
            self.tgt_len > 0,
            "{who}: the batch's target length is 0 (the decoder reads at least <s>)"
        );
        let n = self.size * self.tgt_len;
        assert!(
            self.tgt_in.len() == n && self.tgt_out.len() == n,
            "{who}: tgt_in has {} ids and tgt_out {}; a batch of {} sentences of length {} needs {n}",
            self.tgt_in.len(),
            self.tgt_out.len(),
            self.size,
            self.tgt_len
        );
    }

    /// The sentences `rows` of the batch, in that order (a sentence may come
    /// more than once): sentence `r` of the result is sentence `rows[r]`.
    /// Decoding uses it to give each live prefix a copy of its source.
    ///
    /// # Panics
    /// If an index is not below `size`.
    pub fn select(&self, rows: &[usize]) -> Batch {
        Batch {
            size: rows.len(),
            src: take_rows(&self.src, self.src_len, rows),
            src_len: self.src_len,
            src_lengths: take_rows(&self.src_lengths, 1, rows),
            tgt_in: take_rows(&self.tgt_in, self.tgt_len, rows),
            tgt_out: take_rows(&self.tgt_out, self.tgt_len, rows),
            tgt_len: self.tgt_len,
        }
    }

    /// Rows `range` of the batch, as a batch of their own (same padded
    /// lengths): the shards of a data-parallel training step.
    ///
    /// # Panics
    /// If the range is empty or ends past the batch.
    pub fn rows(&self, range: std::ops::Range<usize>) -> Batch {
        assert!(
            range.start < range.end && range.end <= self.size,
            "Batch::rows: rows {range:?} of a batch of {}",
            self.size
        );
        let cut = |v: &[usize], len: usize| v[range.start * len..range.end * len].to_vec();
        Batch {
            size: range.len(),
            src: cut(&self.src, self.src_len),
            src_len: self.src_len,
            src_lengths: cut(&self.src_lengths, 1),
            tgt_in: cut(&self.tgt_in, self.tgt_len),
            tgt_out: cut(&self.tgt_out, self.tgt_len),
            tgt_len: self.tgt_len,
        }
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
