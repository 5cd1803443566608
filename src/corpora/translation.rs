//! The built-in English→French parallel corpus: distinct pairs drawn from
//! the grammar of [`Sentence`], nothing downloaded.

use super::{Sentence, Split};
use crate::tensor::rng;
use crate::text::TextPair;
use rand::RngExt;
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

/// The most clauses a sentence of [`generate_clauses`] may join.
pub const MAX_CLAUSES: usize = 8;

/// `n` distinct pairs drawn with [`Sentence::random`] from a generator
/// seeded with `seed`, in the order drawn: the same seed gives the same
/// list, and a longer list starts with the shorter one. The fox pair may be
/// among them.
///
/// `n` is capped at [`super::SENTENCE_COUNT`] (46 656 000). Duplicates are
/// drawn again, which stays fast while `n` is a small fraction of that.
pub fn generate(n: usize, seed: u64) -> Vec<TextPair> {
    generate_clauses(n, seed, 1)
}

/// As [`generate`], but each pair joins 1 to `clauses` sentences (as many
/// of each count) with `and` / `et`: the grammar's length knob, `train
/// --clauses K`. A clause has 3 to 11 words, so `clauses` 4 gives sentences
/// of 3 to 47 words. With `clauses` 1 no count is drawn, so the pairs are
/// exactly [`generate`]'s.
///
/// # Panics
/// If `clauses` is 0 or above [`MAX_CLAUSES`].
pub fn generate_clauses(n: usize, seed: u64, clauses: usize) -> Vec<TextPair> {
    assert!(
        (1..=MAX_CLAUSES).contains(&clauses),
        "generate_clauses: clauses {clauses} is not from 1 to {MAX_CLAUSES}"
    );
    let n = n.min(usize::try_from(super::SENTENCE_COUNT).unwrap_or(usize::MAX));
    let mut rng = rng(seed);
    let mut seen = HashSet::new();
    let mut pairs = Vec::with_capacity(n.min(1 << 20));
    while pairs.len() < n {
        let count = match clauses {
            1 => 1,
            k => rng.random_range(1..=k),
        };
        let sentence: Vec<Sentence> = (0..count).map(|_| Sentence::random(&mut rng)).collect();
        if !seen.contains(&sentence) {
            pairs.push(joined(&sentence));
            seen.insert(sentence);
        }
    }
    pairs
}

/// Clauses joined by `and` in English and `et` in French.
fn joined(clauses: &[Sentence]) -> TextPair {
    let side = |f: fn(&Sentence) -> String, and: &str| {
        let parts: Vec<String> = clauses.iter().map(f).collect();
        parts.join(and)
    };
    TextPair {
        source: side(Sentence::to_english, " and "),
        target: side(Sentence::to_french, " et "),
    }
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
    translation_corpus_clauses(n, seed, 1)
}

/// [`translation_corpus`] of sentences of 1 to `clauses` clauses
/// ([`generate_clauses`]); the fox pair is still `test[0]`.
///
/// # Panics
/// If `clauses` is 0 or above [`MAX_CLAUSES`].
pub fn translation_corpus_clauses(n: usize, seed: u64, clauses: usize) -> Split {
    let n = n.max(1);
    let fox = fox();
    let mut others = generate_clauses(n, seed, clauses);
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
