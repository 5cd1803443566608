//! The summarization and dialogue data sets (`src/corpora/summaries.rs`,
//! `src/corpora/dialogue.rs`): properties of the generated pairs and of the
//! splits shared by both; hand-checked examples in `summaries.rs` and `dialogue.rs`.

use encdec::corpora::{Split, dialogue_corpus, summarization_corpus};
use encdec::text::{TextPair, Tokenizer};
use std::collections::HashSet;

/// The tokens of `text` by the crate's tokenizer (lowercasing).
pub fn tokens(text: &str) -> Vec<String> {
    Tokenizer::new(true).tokenize(text)
}

/// Every pair of a split, train first.
pub fn pairs(split: &Split) -> Vec<&TextPair> {
    split
        .train
        .iter()
        .chain(&split.valid)
        .chain(&split.test)
        .collect()
}

/// Lowercase, single spaces, and the tokenizer splits exactly at the spaces
/// (a dialogue's turn mark becoming the turn token).
pub fn assert_clean(text: &str) {
    assert_eq!(text, text.to_lowercase(), "{text:?}");
    let written = text.replace(encdec::text::TURN_MARK, encdec::text::TURN);
    assert_eq!(tokens(text).join(" "), written, "{text:?}");
}

type Corpus = fn(usize, u64) -> Split;
const CORPORA: [(&str, Corpus); 2] = [
    ("summarization", summarization_corpus),
    ("dialogue", dialogue_corpus),
];

#[test]
fn split_sizes_follow_the_translation_corpus_rule() {
    for (name, corpus) in CORPORA {
        for n in [0, 1, 9, 10, 11, 25, 1234] {
            let s = corpus(n, 3);
            let sizes = (s.train.len(), s.valid.len(), s.test.len());
            let n = n.max(1);
            let expected = (n - n / 10 - (n / 10).max(1), n / 10, (n / 10).max(1));
            // n = 1..9: no validation pair, one test pair, the rest to train.
            assert_eq!(sizes, expected, "{name}, n = {n}");
        }
    }
}

#[test]
fn splits_hold_distinct_pairs_and_are_disjoint() {
    for (name, corpus) in CORPORA {
        for seed in 0..3 {
            let s = corpus(3000, seed);
            let sources: Vec<&str> = pairs(&s).iter().map(|p| p.source.as_str()).collect();
            let distinct: HashSet<&str> = sources.iter().copied().collect();
            // Distinct sources across all three parts: no pair, and no
            // document or history, is in two of them.
            assert_eq!(distinct.len(), 3000, "{name}, seed {seed}");
        }
    }
}

#[test]
fn generation_is_deterministic_per_seed() {
    for (name, corpus) in CORPORA {
        assert_eq!(corpus(500, 7), corpus(500, 7), "{name}");
        assert_ne!(corpus(500, 7), corpus(500, 8), "{name}");
    }
}

#[test]
fn every_text_is_lowercase_with_single_spaces() {
    for (_, corpus) in CORPORA {
        for p in pairs(&corpus(2000, 0)) {
            assert_clean(&p.source);
            assert_clean(&p.target);
        }
    }
}

/// The length knob (`train --clauses K`): 1 clause draws exactly the pairs
/// of `generate`; K clauses join 1 to K sentences with "and" / "et", as
/// many of each count, from 3 to 11 K words.
#[test]
fn clauses_lengthen_the_translation_corpus() {
    use encdec::corpora::{generate, generate_clauses};
    assert_eq!(generate_clauses(300, 4, 1), generate(300, 4));
    let pairs = generate_clauses(2000, 4, 4);
    let mut seen = [0usize; 4];
    for p in &pairs {
        let ands = p.source.split(' ').filter(|w| *w == "and").count();
        let ets = p.target.split(' ').filter(|w| *w == "et").count();
        assert_eq!(ands, ets, "{p:?}");
        seen[ands] += 1;
        let words = p.source.split(' ').count();
        assert!((3..=47).contains(&words), "{words}: {p:?}");
    }
    assert!(seen.iter().all(|&n| n > 350), "{seen:?}");
    let longest = pairs.iter().map(|p| p.source.split(' ').count()).max();
    assert!(longest >= Some(30), "{longest:?}");
}
