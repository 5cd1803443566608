//! Learning the merges: the merge rule ([`most_frequent_pair`]), as the
//! ledger states it, and [`learn`], which applies it N times while keeping
//! the pair counts up to date instead of recounting every word.
//!
//! Checked by `tests/text/subwords.rs`.

use super::{Merges, symbols_of};
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A word as symbols, with how often it occurs.
pub type CountedWord = (Vec<String>, usize);

/// The merge rule of byte-pair encoding: the pair of adjacent symbols that
/// occurs most often in the word-frequency table (Sennrich et al. 2016).
///
/// $$ (a^\ast, b^\ast) = \mathrm{argmax}\_{(a,b)} \sum_{w} n_w \cdot c_w(a, b) $$
///
/// where $n_w$ is how often word $w$ occurs and $c_w(a, b)$ how many times
/// symbol $a$ stands directly before symbol $b$ in $w$'s current symbols.
/// Ties go to the smallest pair: the smaller $a$, then the smaller $b$,
/// comparing strings byte by byte (`str`'s order), so one table always
/// gives the same merges. Returns the pair and its count (the sum), or
/// `None` when no word has two symbols left.
///
/// # Backward
/// None: a count and an argmax over whole numbers, not a differentiable op.
///
/// # Shapes
/// `words`: any number of (symbols, count) entries → one pair.
///
/// # Panics
/// Never.
///
/// Checked by `tests/text/subwords.rs::merges_of_a_hand_worked_corpus`.
pub fn most_frequent_pair(words: &[CountedWord]) -> Option<((String, String), usize)> {
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for (symbols, n) in words {
        for pair in symbols.windows(2) {
            *counts.entry((&pair[0], &pair[1])).or_insert(0) += n;
        }
    }
    let ((a, b), n) = counts
        .into_iter()
        .min_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)))?;
    Some(((a.to_string(), b.to_string()), n))
}

/// `symbols` with every occurrence of `pair`, read from left to right,
/// replaced by the two symbols joined (`a a a` with `(a, a)` gives `aa a`).
pub fn merge_pair(symbols: &[String], pair: (&str, &str)) -> Vec<String> {
    let mut out = Vec::with_capacity(symbols.len());
    let mut i = 0;
    while i < symbols.len() {
        if i + 1 < symbols.len() && symbols[i] == pair.0 && symbols[i + 1] == pair.1 {
            out.push(format!("{}{}", pair.0, pair.1));
            i += 2;
        } else {
            out.push(symbols[i].clone());
            i += 1;
        }
    }
    out
}

/// Learns up to `n_merges` merges from word counts (each word a token of
/// the training text; a word listed twice counts twice): starting from
/// characters ([`symbols_of`]), it merges the pair [`most_frequent_pair`]
/// names, again and again. It stops early when the most frequent pair
/// occurs only once — merging it would learn one word by heart, not a
/// piece — so [`Merges::len`] may be below `n_merges`.
///
/// The result is the one repeating [`most_frequent_pair`] and
/// [`merge_pair`] would give (`tests/text/subwords.rs::fast_learning_is_the_rule_repeated`),
/// but only the words holding the merged pair are recounted.
pub fn learn<I: IntoIterator<Item = (String, usize)>>(words: I, n_merges: usize) -> Merges {
    let mut table: HashMap<String, usize> = HashMap::new();
    for (w, n) in words {
        if !w.is_empty() && n > 0 {
            *table.entry(w).or_insert(0) += n;
        }
    }
    let mut sorted: Vec<(String, usize)> = table.into_iter().collect();
    sorted.sort();
    let words: Vec<CountedWord> = sorted.iter().map(|(w, n)| (symbols_of(w), *n)).collect();
    Learner::new(words).run(n_merges)
}

/// The state of [`learn`]: the words as symbols, each pair's count, the
/// words that may hold each pair, and the pairs ordered by the merge rule.
struct Learner {
    words: Vec<CountedWord>,
    counts: HashMap<(String, String), usize>,
    holders: HashMap<(String, String), HashSet<usize>>,
    order: BTreeSet<(Reverse<usize>, String, String)>,
}

impl Learner {
    fn new(words: Vec<CountedWord>) -> Learner {
        let mut l = Learner {
            words,
            counts: HashMap::new(),
            holders: HashMap::new(),
            order: BTreeSet::new(),
        };
        for w in 0..l.words.len() {
            l.count_word(w, Sign::Add);
        }
        l
    }

    fn run(mut self, n_merges: usize) -> Merges {
        let mut merges = Vec::new();
        while merges.len() < n_merges {
            let Some((Reverse(n), a, b)) = self.order.first().cloned() else {
                break;
            };
            if n < 2 {
                break;
            }
            let pair = (a, b);
            let mut holders: Vec<usize> =
                self.holders.remove(&pair).into_iter().flatten().collect();
            holders.sort_unstable();
            for w in holders {
                let merged = merge_pair(&self.words[w].0, (&pair.0, &pair.1));
                if merged.len() != self.words[w].0.len() {
                    self.count_word(w, Sign::Remove);
                    self.words[w].0 = merged;
                    self.count_word(w, Sign::Add);
                }
            }
            merges.push(pair);
        }
        Merges::from_learned(merges)
    }

    /// Adds or removes word `w`'s pairs from the counts and the order.
    fn count_word(&mut self, w: usize, sign: Sign) {
        let n = self.words[w].1;
        let symbols = self.words[w].0.clone();
        for p in symbols.windows(2) {
            let pair = (p[0].clone(), p[1].clone());
            let old = self.counts.get(&pair).copied().unwrap_or(0);
            let new = match sign {
                Sign::Add => old + n,
                Sign::Remove => old - n,
            };
            self.order
                .remove(&(Reverse(old), pair.0.clone(), pair.1.clone()));
            if new > 0 {
                self.order
                    .insert((Reverse(new), pair.0.clone(), pair.1.clone()));
                self.counts.insert(pair.clone(), new);
            } else {
                self.counts.remove(&pair);
            }
            if sign == Sign::Add {
                self.holders.entry(pair).or_default().insert(w);
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sign {
    Add,
    Remove,
}
