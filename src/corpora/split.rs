//! What the summarization and dialogue data sets share: a pair of texts,
//! a train/valid/test split, and the seeded draw of distinct pairs behind
//! both generators.

use crate::tensor::{Rng, rng};
use crate::text::TextPair;
use rand::seq::SliceRandom;
use std::collections::HashSet;

/// Distinct pairs split into training, validation and test sets; no pair
/// (and no source) is in two of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// The pairs to train on (about 80 %).
    pub train: Vec<TextPair>,
    /// The pairs to choose hyper-parameters and stop training on (about 10 %).
    pub valid: Vec<TextPair>,
    /// The pairs to report results on (about 10 %).
    pub test: Vec<TextPair>,
}

/// Draws pairs with `draw` from a generator seeded with `seed` until `n`
/// distinct ones have turned up, in the order they first turned up.
///
/// The caller caps `n` well below the number of pairs `draw` can produce,
/// or this never ends.
pub(crate) fn draw_distinct(
    n: usize,
    seed: u64,
    mut draw: impl FnMut(&mut Rng) -> TextPair,
) -> Vec<TextPair> {
    let mut rng = rng(seed);
    let mut seen = HashSet::new();
    let mut pairs = Vec::with_capacity(n.min(1 << 20));
    while pairs.len() < n {
        let pair = draw(&mut rng);
        if seen.insert(pair.clone()) {
            pairs.push(pair);
        }
    }
    pairs
}

/// Shuffles `pairs` (seeded with `seed`, another stream than the draw) and
/// splits them by the rule of [`super::translation_corpus`]: `valid` gets
/// `len / 10` pairs, `test` `max(len / 10, 1)`, `train` the rest.
///
/// The shuffle matters: when a generator runs short of new pairs of one
/// kind, the draw order is biased (rare kinds come late), and the test set
/// would inherit that bias.
pub(crate) fn split(mut pairs: Vec<TextPair>, seed: u64) -> Split {
    pairs.shuffle(&mut rng(seed ^ 0x5eed_5eed_5eed_5eed));
    let n = pairs.len();
    let n_valid = n / 10;
    let n_test = (n / 10).max(1).min(n);
    let mut rest = pairs.into_iter();
    let test = rest.by_ref().take(n_test).collect();
    let valid = rest.by_ref().take(n_valid).collect();
    let train = rest.collect();
    Split { train, valid, test }
}

/// Replaces each `{name}` of `template` with its value from `slots`.
pub(crate) fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (name, value) in slots {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// The position of `word` in `table` under `key`, or a grammar error
/// naming `what` was not found.
pub(crate) fn lookup<T>(
    table: &[T],
    word: &str,
    what: &str,
    key: impl Fn(&T) -> String,
) -> Result<usize, super::GrammarError> {
    table
        .iter()
        .position(|entry| key(entry) == word)
        .ok_or_else(|| super::GrammarError(format!("unknown {what} {word:?}")))
}
