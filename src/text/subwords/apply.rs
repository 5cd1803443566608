//! Cutting words into pieces by a merge table: replay the merges, lowest
//! rank first (Sennrich et al. 2016), or with BPE-dropout (Provilkov et
//! al. 2020) skip each possible merge with probability $p$, in training.
//!
//! Checked by `tests/text/subwords.rs`.

use super::{Merges, piece_of, symbols_of};
use crate::tensor::Rng;
use rand::RngExt;
use std::collections::HashMap;

/// BPE-dropout: at each step of splitting a word, every merge that could
/// apply is skipped with probability `p`, so the same word is cut in
/// different ways from epoch to epoch and the model sees its pieces.
/// Only training uses it; translating never drops a merge.
pub struct Dropout<'r> {
    /// The probability of skipping a merge, in $[0, 1)$.
    pub p: f64,
    /// The run's seeded generator.
    pub rng: &'r mut Rng,
}

impl Merges {
    /// The pieces of `word`: its characters ([`symbols_of`]), then, while
    /// some adjacent pair is in the table, the pair of lowest rank (the
    /// leftmost when it occurs twice) is merged; the symbols are then
    /// written as pieces ([`piece_of`]). A character never seen in
    /// training stays a piece of its own.
    ///
    /// ```
    /// use encdec::text::subwords::learn;
    /// let merges = learn([("aab".to_string(), 3)], 2);
    /// assert_eq!(merges.split("aab"), ["aab"]);
    /// assert_eq!(merges.split("baa"), ["b@@", "a@@", "a"]);
    /// ```
    pub fn split(&self, word: &str) -> Vec<String> {
        self.split_symbols(symbols_of(word), None)
    }

    /// As [`Merges::split`], each possible merge skipped with the
    /// probability `dropout` says.
    pub fn split_dropping(&self, word: &str, dropout: &mut Dropout<'_>) -> Vec<String> {
        self.split_symbols(symbols_of(word), Some(dropout))
    }

    /// The pieces of each word of a sentence, in order; `cache` keeps the
    /// pieces of words already split (splitting without dropout only
    /// depends on the word).
    pub fn split_words(
        &self,
        words: &[String],
        cache: &mut HashMap<String, Vec<String>>,
    ) -> Vec<String> {
        let mut out = Vec::with_capacity(words.len() * 2);
        for w in words {
            if let Some(pieces) = cache.get(w) {
                out.extend(pieces.iter().cloned());
            } else {
                let pieces = self.split(w);
                out.extend(pieces.iter().cloned());
                cache.insert(w.clone(), pieces);
            }
        }
        out
    }

    fn split_symbols(
        &self,
        mut symbols: Vec<String>,
        mut dropout: Option<&mut Dropout<'_>>,
    ) -> Vec<String> {
        loop {
            let mut best: Option<(usize, usize)> = None; // (rank, position)
            for i in 0..symbols.len().saturating_sub(1) {
                let Some(rank) = self.rank(&symbols[i], &symbols[i + 1]) else {
                    continue;
                };
                if let Some(d) = dropout.as_deref_mut()
                    && d.rng.random::<f64>() < d.p
                {
                    continue;
                }
                if best.is_none_or(|(r, _)| rank < r) {
                    best = Some((rank, i));
                }
            }
            let Some((_, i)) = best else { break };
            let right = symbols.remove(i + 1);
            symbols[i].push_str(&right);
        }
        symbols.iter().map(|s| piece_of(s)).collect()
    }
}
