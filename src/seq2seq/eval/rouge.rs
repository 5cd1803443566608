//! ROUGE (Lin, 2004) for summaries (tutorial §6.2): the n-grams and the
//! longest common subsequence a summary shares with its reference.

use super::ngrams::clipped_matches;
use crate::tensor::Float;

/// Precision, recall and their harmonic mean $F_1 = \frac{2PR}{P+R}$ (0 when both are 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prf {
    /// Share of the candidate that matches.
    pub precision: Float,
    /// Share of the reference that is matched.
    pub recall: Float,
    /// $F_1$.
    pub f1: Float,
}

fn prf(matched: usize, candidate: usize, reference: usize) -> Prf {
    let p = if candidate == 0 {
        0.0
    } else {
        matched as Float / candidate as Float
    };
    let r = if reference == 0 {
        0.0
    } else {
        matched as Float / reference as Float
    };
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    Prf {
        precision: p,
        recall: r,
        f1,
    }
}

/// ROUGE-N (Lin, 2004) of one summary: with $o_n$ the n-grams it shares
/// with the reference (each counted at most as often as in the reference),
/// and $c_n$, $r_n$ the numbers of n-grams of the candidate and the reference,
///
/// $$ P = \frac{o_n}{c_n}, \qquad R = \frac{o_n}{r_n}, \qquad F_1 = \frac{2PR}{P + R} $$
///
/// # Panics
/// If `n` is 0 (there are no 0-grams): "rouge_n: n must be at least 1".
///
/// Checked by `tests/seq2seq/metrics.rs::rouge_by_hand`.
pub fn rouge_n(candidate: &[String], reference: &[String], n: usize) -> Prf {
    assert!(n >= 1, "rouge_n: n must be at least 1, got {n}");
    prf(
        clipped_matches(candidate, reference, n),
        candidate.len().saturating_sub(n - 1),
        reference.len().saturating_sub(n - 1),
    )
}

/// The length of the longest common subsequence of two token lists (not
/// necessarily contiguous), by dynamic programming:
/// $L_{i,j} = L_{i-1,j-1} + 1$ if $a_i = b_j$, else $\max(L_{i-1,j}, L_{i,j-1})$.
///
/// Checked by `tests/seq2seq/metrics.rs::rouge_by_hand`.
pub fn lcs_len(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut row = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            row[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(row[j])
            };
        }
        prev = row;
    }
    prev[b.len()]
}

/// ROUGE-L: precision $\mathrm{LCS}/\lvert c\rvert$, recall $\mathrm{LCS}/\lvert r\rvert$ and $F_1$, from the
/// longest common subsequence ([`lcs_len`]): word order counts, gaps do not.
///
/// Checked by `tests/seq2seq/metrics.rs::rouge_by_hand`.
pub fn rouge_l(candidate: &[String], reference: &[String]) -> Prf {
    prf(
        lcs_len(candidate, reference),
        candidate.len(),
        reference.len(),
    )
}

/// Mean ROUGE-1, ROUGE-2 and ROUGE-L $F_1$ over a set of summaries.
///
/// # Panics
/// If the two lists differ in length.
pub fn mean_rouge(candidates: &[Vec<String>], references: &[Vec<String>]) -> [Float; 3] {
    assert_eq!(
        candidates.len(),
        references.len(),
        "mean_rouge: candidates and references differ in number"
    );
    let n = candidates.len().max(1) as Float;
    let mut sums = [0.0; 3];
    for (c, r) in candidates.iter().zip(references) {
        sums[0] += rouge_n(c, r, 1).f1;
        sums[1] += rouge_n(c, r, 2).f1;
        sums[2] += rouge_l(c, r).f1;
    }
    sums.map(|s| s / n)
}
