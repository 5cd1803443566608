//! The built-in English→French parallel corpus: distinct pairs drawn from
//! the grammar of [`Sentence`], nothing downloaded.

use super::{Sentence, Split};
use crate::tensor::rng;
use crate::text::TextPair;
use rand::seq::SliceRandom;
use std::collections::HashSet;

/// The tutorial's example sentence (§4.3), in English.
pub const FOX_EN: &str = "the quick brown fox jumps over the lazy dog";
/// The tutorial's example sentence, in French. Two adjectives come after
/// the noun in reverse order: `quick brown fox` → `renard brun rapide`.
pub const FOX_FR: &str = "le renard brun rapide saute par-dessus le chien paresseux";

/// The fox pair.
fn fox() -> TextPair {
    TextPair {
        source: FOX_EN.to_string(),
        target: FOX_FR.to_string(),
    }
}

/// `n` distinct pairs drawn with [`Sentence::random`] from a generator
/// seeded with `seed`, in the order drawn: the same seed gives the same
/// list, and a longer list starts with the shorter one. The fox pair may be
/// among them.
///
/// `n` is capped at [`super::SENTENCE_COUNT`] (46 656 000). Duplicates are
/// drawn again, which stays fast while `n` is a small fraction of that.
pub fn generate(n: usize, seed: u64) -> Vec<TextPair> {
    let n = n.min(usize::try_from(super::SENTENCE_COUNT).unwrap_or(usize::MAX));
    let mut rng = rng(seed);
    let mut seen = HashSet::new();
    let mut pairs = Vec::with_capacity(n.min(1 << 20));
    while pairs.len() < n {
        let sentence = Sentence::random(&mut rng);
        if !seen.contains(&sentence) {
            pairs.push(sentence.to_pair());
            seen.insert(sentence);
        }
    }
    pairs
}

/// The built-in translation corpus: `n` distinct English→French pairs (the demo uses 6000), split
/// 80/10/10 after a shuffle seeded with `seed`.
///
/// The fox pair ([`FOX_EN`] → [`FOX_FR`]) is always `test[0]` and never in
/// `train` or `valid`, so the tutorial's example is a sentence the model
/// has not seen. `valid` holds `n / 10` pairs, `test` `max(n / 10, 1)`,
/// `train` the rest; `n` below 1 counts as 1 (the fox pair alone).
///
/// ```
/// use encdec::corpora::{FOX_EN, translation_corpus};
/// let split = translation_corpus(6000, 0);
/// assert_eq!((split.train.len(), split.valid.len(), split.test.len()), (4800, 600, 600));
/// assert_eq!(split.test[0].source, FOX_EN);
/// ```
pub fn translation_corpus(n: usize, seed: u64) -> Split {
    let n = n.max(1);
    let fox = fox();
    let mut others = generate(n, seed);
    match others.iter().position(|p| *p == fox) {
        Some(i) => {
            others.remove(i);
        }
        None => {
            others.pop();
        }
    }
    // A different stream from the one that drew the sentences.
    others.shuffle(&mut rng(seed ^ 0x5eed_5eed_5eed_5eed));
    let n_valid = n / 10;
    let n_test = (n / 10).max(1);
    let mut rest = others.into_iter();
    let test = std::iter::once(fox)
        .chain(rest.by_ref().take(n_test - 1))
        .collect();
    let valid = rest.by_ref().take(n_valid).collect();
    let train = rest.collect();
    Split { train, valid, test }
}
