//! Metrics: token accuracy for training, corpus BLEU for translations.

use crate::tensor::{Float, Tensor};
use crate::text::PAD_ID;
use std::collections::HashMap;

/// Counts the positions whose highest logit is the target, ignoring
/// `<pad>` targets: returns `(correct, counted)`.
///
/// # Panics
/// If `logits` (`[.., V]`) does not have one row per target.
pub fn token_accuracy(logits: &Tensor, targets: &[usize]) -> (usize, usize) {
    let v = *logits
        .shape()
        .last()
        .expect("token_accuracy: logits need a class axis");
    assert_eq!(
        logits.numel() / v.max(1),
        targets.len(),
        "token_accuracy: rows and targets differ"
    );
    let mut correct = 0;
    let mut counted = 0;
    for (row, &t) in logits.data().chunks(v).zip(targets) {
        if t == PAD_ID {
            continue;
        }
        counted += 1;
        let best = (0..v).fold(0, |b, i| if row[i] > row[b] { i } else { b });
        // `>` skips NaN: a row holding NaN has no best class and counts as wrong.
        correct += usize::from(best == t && !row.iter().any(|x| x.is_nan()));
    }
    (correct, counted)
}

/// The n-grams of a sentence with their counts.
fn ngrams(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    for g in tokens.windows(n) {
        *counts.entry(g).or_insert(0) += 1;
    }
    counts
}

/// Corpus BLEU-4 (Papineni et al., 2002) with one reference per sentence:
///
/// $$ \mathrm{BLEU} = \mathrm{BP} \cdot \exp\Big(\frac14 \sum_{n=1}^{4} \log p_n\Big),
///    \qquad \mathrm{BP} = \min\big(1, e^{1 - r/c}\big) $$
///
/// where $p_n$ is the clipped n-gram precision summed over the corpus (each
/// candidate n-gram counts at most as often as in its reference), $c$ the
/// total candidate length and $r$ the total reference length. In $[0, 1]$;
/// 0 when some $p_n$ is 0 (no smoothing).
///
/// # Panics
/// If the two lists differ in length.
///
/// Checked by `tests/metrics.rs::bleu_by_hand`.
pub fn corpus_bleu(candidates: &[Vec<String>], references: &[Vec<String>]) -> Float {
    assert_eq!(
        candidates.len(),
        references.len(),
        "corpus_bleu: candidates and references differ in number"
    );
    let (mut c, mut r) = (0usize, 0usize);
    let mut matches = [0usize; 4];
    let mut totals = [0usize; 4];
    for (cand, reference) in candidates.iter().zip(references) {
        c += cand.len();
        r += reference.len();
        for n in 1..=4 {
            let ref_counts = ngrams(reference, n);
            for (g, k) in ngrams(cand, n) {
                matches[n - 1] += k.min(*ref_counts.get(g).unwrap_or(&0));
            }
            totals[n - 1] += cand.len().saturating_sub(n - 1);
        }
    }
    if c == 0 || matches.contains(&0) {
        return 0.0;
    }
    let log_p: Float = (0..4)
        .map(|n| (matches[n] as Float / totals[n] as Float).ln())
        .sum::<Float>()
        / 4.0;
    let bp = if c >= r {
        1.0
    } else {
        (1.0 - r as Float / c as Float).exp()
    };
    bp * log_p.exp()
}

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
/// Checked by `tests/metrics.rs::rouge_by_hand`.
pub fn rouge_n(candidate: &[String], reference: &[String], n: usize) -> Prf {
    assert!(n >= 1, "rouge_n: n must be at least 1, got {n}");
    let ref_counts = ngrams(reference, n);
    let matched: usize = ngrams(candidate, n)
        .iter()
        .map(|(g, &k)| k.min(*ref_counts.get(g).unwrap_or(&0)))
        .sum();
    prf(
        matched,
        candidate.len().saturating_sub(n - 1),
        reference.len().saturating_sub(n - 1),
    )
}

/// The length of the longest common subsequence of two token lists (not
/// necessarily contiguous), by dynamic programming:
/// $L_{i,j} = L_{i-1,j-1} + 1$ if $a_i = b_j$, else $\max(L_{i-1,j}, L_{i,j-1})$.
///
/// Checked by `tests/metrics.rs::rouge_by_hand`.
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
/// Checked by `tests/metrics.rs::rouge_by_hand`.
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
