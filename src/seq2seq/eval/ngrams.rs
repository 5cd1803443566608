//! Counting n-grams: the one counter behind BLEU (both finishes) and ROUGE-N.

use crate::tensor::Float;
use std::collections::HashMap;

/// The n-grams of a token list with their counts.
pub fn ngram_counts(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    for g in tokens.windows(n) {
        *counts.entry(g).or_insert(0) += 1;
    }
    counts
}

/// The n-grams of `candidate` that its reference also has, each counted at
/// most as often as the reference has it (clipped counts).
pub fn clipped_matches(candidate: &[String], reference: &[String], n: usize) -> usize {
    let ref_counts = ngram_counts(reference, n);
    ngram_counts(candidate, n)
        .iter()
        .map(|(g, &k)| k.min(ref_counts.get(g).copied().unwrap_or(0)))
        .sum()
}

/// What corpus BLEU is made of, for $n = 1..4$, summed over the corpus.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NgramStats {
    /// Clipped matching n-grams ([`clipped_matches`]).
    pub matches: [usize; 4],
    /// The hypotheses' n-grams.
    pub totals: [usize; 4],
    /// The hypotheses' tokens, $c$.
    pub hyp_len: usize,
    /// The references' tokens, $r$.
    pub ref_len: usize,
}

impl NgramStats {
    /// The counts of a corpus of hypotheses with one reference each.
    pub fn of_corpus(hypotheses: &[Vec<String>], references: &[Vec<String>]) -> NgramStats {
        let mut s = NgramStats::default();
        for (h, r) in hypotheses.iter().zip(references) {
            s.hyp_len += h.len();
            s.ref_len += r.len();
            for n in 1..=4 {
                s.matches[n - 1] += clipped_matches(h, r, n);
                s.totals[n - 1] += h.len().saturating_sub(n - 1);
            }
        }
        s
    }

    /// The brevity penalty $\mathrm{BP} = \min\big(1, e^{1 - r/c}\big)$
    /// (0 for no hypothesis tokens).
    pub fn brevity_penalty(&self) -> Float {
        let (c, r) = (self.hyp_len as Float, self.ref_len as Float);
        if c >= r {
            1.0
        } else if c > 0.0 {
            (1.0 - r / c).exp()
        } else {
            0.0
        }
    }
}
