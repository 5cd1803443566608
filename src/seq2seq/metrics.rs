//! Metrics: token accuracy for training, corpus BLEU for translations.

use crate::data::PAD_ID;
use crate::tensor::{Float, Tensor};
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
        correct += usize::from(best == t);
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
