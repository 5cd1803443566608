//! Byte-pair encoding (`src/text/subwords/`): the merge rule on a corpus
//! worked by hand, the fast learner against the rule repeated, splitting
//! and joining, dropout, and stored tables refused.

use encdec::tensor::rng;
use encdec::text::Tokenizer;
use encdec::text::subwords::{
    Dropout, MAX_MERGES, Merges, join, learn, merge_pair, most_frequent_pair, piece_is_possible,
    symbols_of,
};
use proptest::prelude::*;

fn words(list: &[(&str, usize)]) -> Vec<(String, usize)> {
    list.iter().map(|&(w, n)| (w.to_string(), n)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|&(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The corpus `tea` ×4, `ten` ×3, `net` ×2, `eat` ×1, as symbols
/// (`</w>` ends a word): `t e a</w>`, `t e n</w>`, `n e t</w>`, `e a t</w>`.
///
/// Pair counts: (t,e) 4+3 = 7, (e,a</w>) 4, (e,n</w>) 3, (n,e) 2,
/// (e,t</w>) 2, (e,a) 1, (a,t</w>) 1.
/// - merge 0: (t, e), 7 → `te a</w>`, `te n</w>`, `n e t</w>`, `e a t</w>`
/// - merge 1: (te, a</w>), 4 → `tea</w>`
/// - merge 2: (te, n</w>), 3 → `ten</w>`
/// - merge 3: (n,e) and (e,t</w>) both 2; "e" < "n" byte by byte, so
///   (e, t</w>) → `n et</w>` (in `e a t</w>` the `t` follows `a`)
/// - merge 4: (n, et</w>), 2 → `net</w>`
/// - left: (e,a) 1 and (a,t</w>) 1: no pair occurs twice, learning stops
///   at 5 merges though 10 were asked.
#[test]
fn merges_of_a_hand_worked_corpus() {
    let corpus = words(&[("tea", 4), ("ten", 3), ("net", 2), ("eat", 1)]);
    let table: Vec<(Vec<String>, usize)> =
        corpus.iter().map(|(w, n)| (symbols_of(w), *n)).collect();
    assert_eq!(
        most_frequent_pair(&table),
        Some((("t".to_string(), "e".to_string()), 7))
    );
    let merges = learn(corpus, 10);
    let expected = pairs(&[
        ("t", "e"),
        ("te", "a</w>"),
        ("te", "n</w>"),
        ("e", "t</w>"),
        ("n", "et</w>"),
    ]);
    assert_eq!(merges.pairs(), expected.as_slice());
}

/// Splits by the table above, lowest rank first:
/// - `teen` = `t e e n</w>`: only (t,e) is a merge → `te@@ e@@ n`
/// - `tent` = `t e n t</w>`: (t,e) → `te n t</w>`; (te,n) is not a merge
///   (merge 2 joins `te` with a word-final `n`) → `te@@ n@@ t`
/// - `bet`: (e,t</w>) → `b et</w>`; `b` was never seen and stays alone
/// - `neat`: no pair is a merge → four characters
#[test]
fn splits_of_the_hand_worked_table() {
    let merges = learn(words(&[("tea", 4), ("ten", 3), ("net", 2), ("eat", 1)]), 10);
    let split = |w: &str| merges.split(w);
    assert_eq!(split("ten"), ["ten"]);
    assert_eq!(split("net"), ["net"]);
    assert_eq!(split("teen"), ["te@@", "e@@", "n"]);
    assert_eq!(split("tent"), ["te@@", "n@@", "t"]);
    assert_eq!(split("bet"), ["b@@", "et"]);
    assert_eq!(split("neat"), ["n@@", "e@@", "a@@", "t"]);
    assert_eq!(join(&split("tent")), ["tent"]);
}

#[test]
fn a_stray_mark_at_the_end_of_an_output_ends_the_word() {
    let pieces = ["la", "mai@@", "son", "ver@@"].map(String::from);
    assert_eq!(join(&pieces), ["la", "maison", "ver"]);
    assert!(join(&[]).is_empty());
}

/// Learning by repeating the rule: recount every word, merge the argmax.
fn learn_by_the_rule(corpus: &[(String, usize)], n: usize) -> Vec<(String, String)> {
    let mut table: std::collections::BTreeMap<String, usize> = Default::default();
    for (w, c) in corpus {
        *table.entry(w.clone()).or_insert(0) += c;
    }
    let mut words: Vec<(Vec<String>, usize)> =
        table.iter().map(|(w, c)| (symbols_of(w), *c)).collect();
    let mut merges = vec![];
    while merges.len() < n {
        match most_frequent_pair(&words) {
            Some(((a, b), count)) if count >= 2 => {
                for (s, _) in &mut words {
                    *s = merge_pair(s, (&a, &b));
                }
                merges.push((a, b));
            }
            _ => break,
        }
    }
    merges
}

fn corpus_strategy() -> impl Strategy<Value = Vec<(String, usize)>> {
    prop::collection::vec(("[abcé]{1,7}", 1usize..6), 1..12)
}

proptest! {
    #[test]
    fn fast_learning_is_the_rule_repeated(corpus in corpus_strategy(), n in 0usize..30) {
        let fast = learn(corpus.clone(), n);
        let slow = learn_by_the_rule(&corpus, n);
        prop_assert_eq!(fast.pairs(), slow.as_slice());
    }

    /// Any text the tokenizer reads, characters never seen in training
    /// included: each of its words, split and joined, is the word again.
    #[test]
    fn split_then_join_gives_back_the_word(text in "\\PC{0,40}", corpus in corpus_strategy(), n in 0usize..20) {
        let merges = learn(corpus, n);
        for tokenizer in [Tokenizer::new(true), Tokenizer::new(false)] {
            for word in tokenizer.tokenize(&text) {
                let pieces = merges.split(&word);
                prop_assert!(pieces.iter().all(|p| piece_is_possible(&tokenizer, p)), "{:?}", pieces);
                prop_assert_eq!(join(&pieces), vec![word.clone()]);
            }
        }
    }

    #[test]
    fn dropout_cuts_a_word_into_pieces_that_join_back(word in "[abc]{1,9}", seed in 0u64..1000) {
        let merges = learn(words(&[("abcabc", 5), ("cab", 3), ("bca", 2)]), 8);
        let mut r = rng(seed);
        let mut dropout = Dropout { p: 0.5, rng: &mut r };
        let pieces = merges.split_dropping(&word, &mut dropout);
        prop_assert_eq!(join(&pieces), vec![word]);
    }
}

#[test]
fn dropout_of_zero_is_the_plain_split_and_of_nearly_one_gives_characters() {
    let merges = learn(words(&[("abcabc", 5), ("cab", 3)]), 8);
    let mut r = rng(1);
    let mut none = Dropout {
        p: 0.0,
        rng: &mut r,
    };
    assert_eq!(
        merges.split_dropping("abcabc", &mut none),
        merges.split("abcabc")
    );
    let mut r = rng(1);
    let mut all = Dropout {
        p: 0.999_999,
        rng: &mut r,
    };
    assert_eq!(merges.split_dropping("cab", &mut all), ["c@@", "a@@", "b"]);
}

#[test]
fn stored_tables_are_checked_merge_by_merge() {
    let ok = pairs(&[("t", "e"), ("te", "a</w>"), ("<turn>", "x</w>")]);
    assert_eq!(Merges::from_pairs(ok).map(|m| m.len()), Ok(3));
    let refused = |p: &[(&str, &str)]| Merges::from_pairs(pairs(p)).unwrap_err().to_string();
    assert!(refused(&[("te", "a")]).contains("merge 0: its left part 'te'"));
    assert!(refused(&[("t</w>", "e")]).contains("merge 0: its left part"));
    assert!(refused(&[("t", "e"), ("tea", "x")]).contains("merge 1: its left part 'tea'"));
    assert!(refused(&[("t", "e"), ("t", "e")]).contains("merge 1 repeats"));
    assert!(refused(&[("t", "")]).contains("right part"));
    let many = vec![("a".to_string(), "b".to_string()); MAX_MERGES + 1];
    assert!(
        Merges::from_pairs(many)
            .unwrap_err()
            .to_string()
            .contains("more than")
    );
}

#[test]
fn pieces_that_no_word_could_hold_are_refused() {
    let t = Tokenizer::new(true);
    for good in ["hel@@", "lo", "3.@@", "'s", "-@@", ".", "<turn>", "é"] {
        assert!(piece_is_possible(&t, good), "{good}");
    }
    for bad in [
        "",
        "@@",
        "He@@",
        "a b",
        "=cmd",
        "<script>",
        "x\u{202e}",
        "a\u{1b}",
    ] {
        assert!(!piece_is_possible(&t, bad), "{bad:?}");
    }
}
