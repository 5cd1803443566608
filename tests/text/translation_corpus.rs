//! The built-in corpus: French agreement and word order checked by hand,
//! the size of the grammar, and the generator's and splitter's guarantees.

use encdec::corpora::*;
use encdec::text::*;
use proptest::prelude::*;
use std::collections::HashSet;

fn np(article: Article, number: Number, adjectives: &[&str], noun: &str) -> NounPhrase {
    NounPhrase::new(article, number, adjectives, noun).unwrap()
}

use Article::{A, The};
use Number::{Plural as Pl, Singular as Sg};

/// Builds the sentence, checks its English, returns its French.
fn french(subject: NounPhrase, verb: &str, object: NounPhrase, english: &str) -> String {
    let s = Sentence::new(subject, verb, object).unwrap();
    assert_eq!(s.to_english(), english);
    assert_eq!(
        s.to_pair(),
        TextPair {
            source: s.to_english(),
            target: s.to_french()
        }
    );
    s.to_french()
}

#[test]
fn the_grammar_makes_the_fox_sentence() {
    let fox = np(The, Sg, &["quick", "brown"], "fox");
    let dog = np(The, Sg, &["lazy"], "dog");
    assert_eq!(french(fox, "jumps over", dog, FOX_EN), FOX_FR);
}

#[test]
fn french_agreement_and_word_order_checked_by_hand() {
    // Feminine nouns: la / une, adjectives in the feminine.
    let s = french(
        np(The, Sg, &["white"], "cow"),
        "sees",
        np(A, Sg, &["black"], "hen"),
        "the white cow sees a black hen",
    );
    assert_eq!(s, "la vache blanche voit une poule noire");
    // Irregular plurals (chevaux, invariable souris); "looks at" has no preposition.
    let s = french(
        np(The, Pl, &[], "horse"),
        "look at",
        np(The, Pl, &[], "mouse"),
        "the horses look at the mice",
    );
    assert_eq!(s, "les chevaux regardent les souris");
    // Two adjectives reversed after a feminine singular noun; "a" → "une".
    let s = french(
        np(The, Pl, &["hungry"], "wolf"),
        "chases",
        np(A, Sg, &["lazy", "brown"], "mouse"),
        "the hungry wolves chase a lazy brown mouse",
    );
    assert_eq!(s, "les loups affamés chassent une souris brune paresseuse");
    // Feminine plural with two adjectives; verb plural.
    let s = french(
        np(The, Pl, &["green"], "frog"),
        "sleeps under",
        np(The, Pl, &["quick", "white"], "goat"),
        "the green frogs sleep under the quick white goats",
    );
    assert_eq!(
        s,
        "les grenouilles vertes dorment sous les chèvres blanches rapides"
    );
    // "a" → "un"; masculine plural with two adjectives.
    let s = french(
        np(A, Sg, &["lazy"], "pig"),
        "plays with",
        np(The, Pl, &["happy", "black"], "cat"),
        "a lazy pig plays with the happy black cats",
    );
    assert_eq!(s, "un cochon paresseux joue avec les chats noirs heureux");
    // Plural subject with an irregular object plural and two adjectives.
    let s = french(
        np(A, Sg, &["happy"], "girl"),
        "dances in front of",
        np(The, Pl, &["tired", "red"], "horse"),
        "a happy girl dances in front of the tired red horses",
    );
    assert_eq!(
        s,
        "une fille heureuse danse devant les chevaux rouges fatigués"
    );
    let s = french(
        np(The, Pl, &["tired"], "hen"),
        "walks behind",
        np(A, Sg, &[], "turtle"),
        "the tired hens walk behind a turtle",
    );
    assert_eq!(s, "les poules fatiguées marchent derrière une tortue");
    let s = french(
        np(The, Pl, &["quick", "brown"], "fox"),
        "runs towards",
        np(The, Pl, &["white"], "mouse"),
        "the quick brown foxes run towards the white mice",
    );
    assert_eq!(
        s,
        "les renards bruns rapides courent vers les souris blanches"
    );
    let s = french(
        np(A, Sg, &[], "boy"),
        "watches",
        np(The, Pl, &["hungry"], "lion"),
        "a boy watches the hungry lions",
    );
    assert_eq!(s, "un garçon observe les lions affamés");
}

#[test]
fn ungrammatical_phrases_are_errors_with_a_reason() {
    let err = |r: Result<NounPhrase, GrammarError>| r.unwrap_err().to_string();
    assert_eq!(
        err(NounPhrase::new(A, Pl, &[], "dog")),
        r#"grammar: the article "a" has no plural"#
    );
    assert_eq!(
        err(NounPhrase::new(The, Sg, &[], "unicorn")),
        r#"grammar: unknown noun "unicorn""#
    );
    assert_eq!(
        err(NounPhrase::new(The, Sg, &["blue"], "dog")),
        r#"grammar: unknown adjective "blue""#
    );
    assert_eq!(
        err(NounPhrase::new(The, Sg, &["brown", "quick"], "fox")),
        r#"grammar: two adjectives must be a quality then a colour, as in "quick brown"; got "brown quick""#
    );
    assert_eq!(
        err(NounPhrase::new(The, Sg, &["quick", "lazy", "brown"], "fox")),
        "grammar: at most 2 adjectives, got 3"
    );
    let dog = np(The, Sg, &[], "dog");
    let e = Sentence::new(dog.clone(), "eats", dog).unwrap_err();
    assert_eq!(e.to_string(), r#"grammar: unknown verb "eats""#);
}

/// Every noun phrase the constructor accepts, found by trying every
/// combination of article, number, noun and up to two adjectives.
fn all_noun_phrases() -> Vec<NounPhrase> {
    let adj: Vec<&str> = ADJECTIVES.iter().map(|a| a.en).collect();
    let mut lists: Vec<Vec<&str>> = vec![vec![]];
    lists.extend(adj.iter().map(|&a| vec![a]));
    for &a in &adj {
        lists.extend(adj.iter().map(|&b| vec![a, b]));
    }
    let mut out = Vec::new();
    for article in [The, A] {
        for number in [Sg, Pl] {
            for noun in &NOUNS {
                for list in &lists {
                    out.extend(NounPhrase::new(article, number, list, noun.en).ok());
                }
            }
        }
    }
    out
}

#[test]
fn the_grammar_can_make_46_656_000_distinct_pairs() {
    let phrases = all_noun_phrases();
    let en: HashSet<String> = phrases.iter().map(NounPhrase::to_english).collect();
    let fr: HashSet<String> = phrases.iter().map(NounPhrase::to_french).collect();
    // 3 article/number choices × 20 nouns × (1 + 10 + 5 × 5) adjective choices.
    assert_eq!((phrases.len(), en.len(), fr.len()), (2160, 2160, 2160));
    assert_eq!(SENTENCE_COUNT, 2160 * VERBS.len() as u64 * 2160);
    assert_eq!(SENTENCE_COUNT, 46_656_000);
}

#[test]
fn generate_is_deterministic_distinct_and_prefix_stable() {
    let a = generate(2000, 7);
    assert_eq!(a.len(), 2000);
    assert_eq!(a, generate(2000, 7));
    assert_eq!(a[..300], generate(300, 7)[..]);
    assert_ne!(a, generate(2000, 8));
    assert_eq!(a.iter().collect::<HashSet<_>>().len(), 2000);
    assert_eq!(
        a.iter().map(|p| &p.source).collect::<HashSet<_>>().len(),
        2000
    );
    assert!(generate(0, 7).is_empty());
}

#[test]
fn the_standard_corpus_keeps_the_fox_for_the_test_split() {
    let split = translation_corpus(6000, 0);
    let sizes = (split.train.len(), split.valid.len(), split.test.len());
    assert_eq!(sizes, (4800, 600, 600));
    assert_eq!(
        split.test[0],
        TextPair {
            source: FOX_EN.into(),
            target: FOX_FR.into()
        }
    );
    let is_fox = |p: &TextPair| p.source == FOX_EN || p.target == FOX_FR;
    assert_eq!(split.test.iter().filter(|p| is_fox(p)).count(), 1);
    assert!(!split.train.iter().chain(&split.valid).any(is_fox));
    let all: HashSet<&TextPair> = split
        .train
        .iter()
        .chain(&split.valid)
        .chain(&split.test)
        .collect();
    assert_eq!(all.len(), 6000, "train, valid and test are disjoint");
    assert_eq!(split, translation_corpus(6000, 0));
}

#[test]
fn corpus_sentences_are_short_lowercase_and_single_spaced() {
    let tok = Tokenizer::new(true);
    let split = translation_corpus(6000, 0);
    let (mut en_words, mut fr_words) = (HashSet::new(), HashSet::new());
    for p in split.train.iter().chain(&split.valid).chain(&split.test) {
        for (text, words) in [(&p.source, &mut en_words), (&p.target, &mut fr_words)] {
            let tokens = tok.tokenize(text);
            assert!(tokens.len() <= 12, "{text}");
            assert_eq!(tokens, text.split(' ').collect::<Vec<_>>(), "{text}");
            assert_eq!(*text, text.to_lowercase());
            words.extend(tokens);
        }
        assert!(tok.tokenize(&p.target).len() <= 10, "{}", p.target);
    }
    // The whole grammar has 81 English and 104 French words; 6000 pairs use them all.
    assert_eq!((en_words.len(), fr_words.len()), (81, 104));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_split_adds_up_and_holds_the_fox_once(n in 0usize..400, seed in any::<u64>()) {
        let s = translation_corpus(n, seed);
        prop_assert_eq!(s.train.len() + s.valid.len() + s.test.len(), n.max(1));
        prop_assert_eq!(s.valid.len(), n / 10);
        prop_assert_eq!(&s.test[0].source, FOX_EN);
        let all: HashSet<&TextPair> = s.train.iter().chain(&s.valid).chain(&s.test).collect();
        prop_assert_eq!(all.len(), n.max(1));
    }
}
