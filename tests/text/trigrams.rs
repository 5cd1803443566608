//! The rule that marks an input outside what a model was trained on
//! (`src/text/trigrams.rs`): the word trigrams of the training sources,
//! with sentence-boundary marks, as sorted hashes.

use encdec::text::{Tokenizer, Trigrams, Vocab, describe_unseen, trigram_hash, trigrams_of};

fn words(s: &str) -> Vec<String> {
    Tokenizer::new(true).tokenize(s)
}

fn strings(g: &[&str; 3]) -> [String; 3] {
    g.map(String::from)
}

/// Worked by hand. The two training sentences, with their marks,
///   `<s> the dog sleeps under the cat </s>`  (6 words: 6 trigrams)
///   `<s> the cat sleeps </s>`                (3 words: 3 trigrams)
/// give 9 trigrams, all distinct:
///   <s> the dog · the dog sleeps · dog sleeps under · sleeps under the ·
///   under the cat · the cat </s> · <s> the cat · the cat sleeps · cat sleeps </s>
/// `the dog sleeps` alone has `<s> the dog` (seen), `the dog sleeps` (seen)
/// and `dog sleeps </s>` (never seen: no training sentence ends with
/// `dog sleeps`). `the cat sleeps under the dog` has `cat sleeps under`,
/// never seen, as its first unseen trigram.
#[test]
fn an_input_is_outside_at_its_first_trigram_no_training_source_held() {
    let train = [
        words("the dog sleeps under the cat"),
        words("the cat sleeps"),
    ];
    assert_eq!(trigrams_of(&train[0]).len(), 6);
    assert_eq!(trigrams_of(&train[1]).len(), 3);
    let t = Trigrams::of_sentences(train.iter().map(Vec::as_slice)).unwrap();
    assert_eq!(t.len(), 9);
    for s in &train {
        assert_eq!(t.first_unseen(s), None, "a training sentence is inside");
    }
    let unseen = t.first_unseen(&words("the dog sleeps")).unwrap();
    assert_eq!(unseen, strings(&["dog", "sleeps", "</s>"]));
    assert_eq!(
        describe_unseen(&unseen),
        "no training sentence ends with 'dog sleeps'"
    );
    let unseen = t
        .first_unseen(&words("the cat sleeps under the dog"))
        .unwrap();
    assert_eq!(unseen, strings(&["cat", "sleeps", "under"]));
    assert_eq!(
        describe_unseen(&unseen),
        "'cat sleeps under' never occurs in a training sentence"
    );
    let unseen = t.first_unseen(&words("dog")).unwrap();
    assert_eq!(
        describe_unseen(&unseen),
        "no training sentence is the single word 'dog'"
    );
    let unseen = t.first_unseen(&words("cat sleeps")).unwrap();
    assert_eq!(
        describe_unseen(&unseen),
        "no training sentence starts with 'cat sleeps'"
    );
}

/// Two halves of different training sentences pass: the rule is one-sided.
#[test]
fn every_trigram_seen_does_not_make_a_sentence_seen() {
    let train = [words("a b c d"), words("x b c y")];
    let t = Trigrams::of_sentences(train.iter().map(Vec::as_slice)).unwrap();
    // `<s> a b`, `a b c`, `b c y`, `c y </s>`: each is in one of them.
    assert_eq!(t.first_unseen(&words("a b c y")), None);
}

/// FNV-1a of the bytes `a 0x1F b 0x1F c 0x1F`, computed step by step
/// outside the crate (Python: `h = ((h ^ b) * 0x100000001b3) % 2**64`
/// from `h = 0xcbf29ce484222325`): 0x0d169e543dad0cdc.
#[test]
fn trigram_hash_by_hand() {
    assert_eq!(
        trigram_hash(&strings(&["a", "b", "c"])),
        0x0d16_9e54_3dad_0cdc
    );
    // The separator keeps `ab c` and `a bc` apart.
    assert_ne!(
        trigram_hash(&strings(&["ab", "c", "d"])),
        trigram_hash(&strings(&["a", "bc", "d"]))
    );
}

#[test]
fn trigrams_written_as_hex_read_back_the_same() {
    let train = [words("the dog sleeps"), words("a cat runs fast")];
    let t = Trigrams::of_sentences(train.iter().map(Vec::as_slice)).unwrap();
    let hex = t.to_hex();
    assert_eq!(hex.len(), 16 * t.len());
    assert_eq!(Trigrams::from_hex(&hex).unwrap(), t);
    assert_eq!(Trigrams::from_hex("").unwrap().len(), 0);
}

#[test]
fn hostile_trigram_tables_are_refused() {
    let t = Trigrams::of_sentences([words("the dog sleeps").as_slice()]).unwrap();
    let hex = t.to_hex();
    let (first, second) = hex.split_at(16);
    for (bad, why) in [
        (hex[..15].to_string(), "not a multiple of 16"),
        (format!("{second}{first}"), "sorted and distinct"),
        (format!("{first}{first}"), "sorted and distinct"),
        (hex.to_uppercase(), "hexadecimal digit"),
        (
            format!("{}\u{1b}", &hex[..hex.len() - 1]),
            "hexadecimal digit",
        ),
        ("0".repeat(16 * ((1 << 20) + 1)), "more than the"),
    ] {
        let e = Trigrams::from_hex(&bad).unwrap_err();
        assert!(e.contains(why), "{e}");
        assert!(!e.contains('\u{1b}'), "{e}");
    }
}

#[test]
fn a_built_vocabulary_keeps_its_counts_and_a_listed_one_does_not() {
    let s = [words("the dog sees the cat"), words("the cat")];
    let v = Vocab::build(s.iter().map(Vec::as_slice), 1);
    // the: 3, cat: 2, dog: 1, sees: 1 (ties alphabetical)
    assert_eq!(v.counts(), Some(&[0, 0, 0, 0, 3, 2, 1, 1][..]));
    assert_eq!(v.count("the"), Some(3));
    assert_eq!(v.count("zebra"), Some(0));
    let listed = Vocab::from_tokens(v.tokens().to_vec()).unwrap();
    assert_eq!(listed.counts(), None);
    assert_eq!(listed.count("the"), None);
    let e = listed.clone().with_counts(vec![0; 3]).unwrap_err();
    assert!(e.to_string().contains("3 counts for 8 tokens"), "{e}");
    let e = listed
        .with_counts(vec![1, 0, 0, 0, 3, 2, 1, 1])
        .unwrap_err();
    assert!(e.to_string().contains("special token 0"), "{e}");
}
