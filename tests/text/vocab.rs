//! Vocabulary: building with a count threshold, fixed special ids,
//! encode/decode, unknown words, and loading errors.

use crate::tokenizer::toks;
use encdec::text::*;
use proptest::prelude::*;

fn sentences() -> Vec<Vec<String>> {
    vec![
        toks(&["le", "chat", "dort"]),
        toks(&["le", "chien", "dort"]),
        toks(&["le", "chat", "mange"]),
    ]
}

fn build(min_count: usize) -> Vocab {
    Vocab::build(sentences().iter().map(|s| s.as_slice()), min_count)
}

#[test]
fn specials_have_fixed_ids() {
    assert_eq!(SPECIALS, ["<pad>", "<unk>", "<s>", "</s>"]);
    let v = build(1);
    for (id, token) in SPECIALS.iter().enumerate() {
        assert_eq!(v.get(token), Some(id));
        assert_eq!(v.token(id), *token);
    }
    assert_eq!((PAD_ID, UNK_ID, BOS_ID, EOS_ID), (0, 1, 2, 3));
    assert_eq!(v.id(BOS), BOS_ID);
    assert_eq!(v.id(EOS), EOS_ID);
}

#[test]
fn build_orders_by_count_then_alphabetically_and_drops_rare_words() {
    // Counts: le 3, chat 2, dort 2, chien 1, mange 1.
    let v = build(2);
    assert_eq!(v.tokens()[4..], toks(&["le", "chat", "dort"]));
    assert_eq!(v.get("chien"), None, "seen once, dropped at min_count 2");
    let v = build(1);
    assert_eq!(
        v.tokens()[4..],
        toks(&["le", "chat", "dort", "chien", "mange"])
    );
    assert_eq!(v.len(), 9);
    assert!(!v.is_empty());
    // min_count 0 acts as 1; a threshold above every count leaves the specials.
    assert_eq!(build(0), build(1));
    assert_eq!(build(4).tokens(), SPECIALS);
}

#[test]
fn build_skips_empty_tokens_and_does_not_repeat_specials() {
    let odd = [toks(&["", "<unk>", "<pad>", "x"])];
    let v = Vocab::build(odd.iter().map(|s| s.as_slice()), 1);
    assert_eq!(v.tokens(), toks(&["<pad>", "<unk>", "<s>", "</s>", "x"]));
}

#[test]
fn encode_decode_round_trip_and_unknown_words() {
    let v = build(1);
    let s = toks(&["le", "chien", "mange"]);
    assert_eq!(v.encode(&s), [4, 7, 8]);
    assert_eq!(v.decode(&v.encode(&s)), s);
    let with_unknown = toks(&["le", "zèbre", "dort", "vite", "zèbre"]);
    assert_eq!(v.encode(&with_unknown), [4, UNK_ID, 6, UNK_ID, UNK_ID]);
    assert_eq!(v.unknown(&with_unknown), toks(&["zèbre", "vite"]));
    assert!(v.unknown(&s).is_empty());
    // decode maps every id, specials included; out of range gives <unk>.
    assert_eq!(
        v.decode(&[BOS_ID, 5, EOS_ID, PAD_ID, 999]),
        toks(&["<s>", "chat", "</s>", "<pad>", "<unk>"])
    );
}

#[test]
fn from_tokens_accepts_a_saved_vocabulary() {
    let v = build(1);
    assert_eq!(Vocab::from_tokens(v.tokens().to_vec()), Ok(v));
    assert_eq!(Vocab::from_tokens(toks(&SPECIALS)).unwrap().len(), 4);
}

fn error(tokens: &[&str]) -> String {
    Vocab::from_tokens(toks(tokens)).unwrap_err().to_string()
}

#[test]
fn from_tokens_rejects_bad_vocabularies_with_clear_messages() {
    assert_eq!(
        error(&["<unk>", "<pad>", "<s>", "</s>", "chat"]),
        r#"vocabulary must start with <pad>, <unk>, <s>, </s>; it starts with ["<unk>", "<pad>", "<s>", "</s>"]"#
    );
    assert_eq!(
        error(&["<pad>", "<unk>"]),
        r#"vocabulary must start with <pad>, <unk>, <s>, </s>; it starts with ["<pad>", "<unk>"]"#
    );
    assert!(error(&[]).starts_with("vocabulary must start with"));
    assert_eq!(
        error(&["<pad>", "<unk>", "<s>", "</s>", "chat", "chat"]),
        r#"vocabulary: token 5 "chat" repeats token 4"#
    );
    assert_eq!(
        error(&["<pad>", "<unk>", "<s>", "</s>", "chat", "<s>"]),
        r#"vocabulary: token 5 "<s>" repeats token 2"#
    );
    assert_eq!(
        error(&["<pad>", "<unk>", "<s>", "</s>", "chat", ""]),
        "vocabulary: token 5 is empty"
    );
    let e = Vocab::from_tokens(toks(&["<pad>", "<unk>", "<s>", "</s>", ""])).unwrap_err();
    assert_eq!(e, VocabError::EmptyToken { index: 4 });
    let _: &dyn std::error::Error = &e;
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn build_ignores_sentence_order_and_round_trips_its_words(
        sentences in prop::collection::vec(prop::collection::vec("[a-e]{1,2}", 0..6), 0..8),
        min_count in 0usize..3,
        rotate in 0usize..8,
    ) {
        let v = Vocab::build(sentences.iter().map(|s| s.as_slice()), min_count);
        let mut rotated = sentences.clone();
        if !rotated.is_empty() {
            let k = rotate % rotated.len();
            rotated.rotate_left(k);
        }
        prop_assert_eq!(&Vocab::build(rotated.iter().map(|s| s.as_slice()), min_count), &v);
        prop_assert_eq!(Vocab::from_tokens(v.tokens().to_vec()), Ok(v.clone()));
        for s in &sentences {
            let known: Vec<String> = s.iter().filter(|t| v.get(t).is_some()).cloned().collect();
            prop_assert_eq!(v.decode(&v.encode(&known)), known);
            for t in v.unknown(s) {
                prop_assert_eq!(v.id(&t), UNK_ID);
            }
        }
    }
}
