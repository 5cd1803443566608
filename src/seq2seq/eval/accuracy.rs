//! Token accuracy: the share of target positions whose highest score is
//! the reference word, what training reports beside the loss.

use crate::tensor::Tensor;
use crate::text::PAD_ID;

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
