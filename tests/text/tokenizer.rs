//! Tokenizer: worked examples in several scripts, and properties over
//! arbitrary strings.

use encdec::text::{Language, Tokenizer, detokenize, detokenize_in};
use proptest::prelude::*;

fn lower(text: &str) -> Vec<String> {
    Tokenizer::new(true).tokenize(text)
}

fn keep(text: &str) -> Vec<String> {
    Tokenizer::new(false).tokenize(text)
}

#[test]
fn french_accents_and_final_punctuation() {
    assert_eq!(
        lower("Le garçon mange."),
        toks(&["le", "garçon", "mange", "."])
    );
    assert_eq!(
        keep("Le garçon mange."),
        toks(&["Le", "garçon", "mange", "."])
    );
    assert_eq!(
        lower("ÉTÉ, Noël à Besançon!"),
        toks(&["été", ",", "noël", "à", "besançon", "!"])
    );
}

#[test]
fn internal_hyphens_and_apostrophes_join_words() {
    assert_eq!(
        lower("Il saute par-dessus aujourd'hui."),
        toks(&["il", "saute", "par-dessus", "aujourd'hui", "."])
    );
    assert_eq!(lower("I don't know"), toks(&["i", "don't", "know"]));
    assert_eq!(lower("rock'n'roll"), toks(&["rock'n'roll"]));
    // The typographic apostrophe U+2019 joins too, and is written '.
    assert_eq!(lower("aujourd’hui"), toks(&["aujourd'hui"]));
}

#[test]
fn french_elision_splits_after_the_apostrophe() {
    assert_eq!(
        lower("L'homme qu'il voit jusqu'à aujourd'hui"),
        toks(&[
            "l'",
            "homme",
            "qu'",
            "il",
            "voit",
            "jusqu'",
            "à",
            "aujourd'hui"
        ])
    );
    // Both apostrophes give the same tokens; case is kept without lowercasing.
    assert_eq!(keep("L’École d’été"), toks(&["L'", "École", "d'", "été"]));
    // After the split the rest is an ordinary word: hyphens still join.
    assert_eq!(lower("c'est-à-dire"), toks(&["c'", "est-à-dire"]));
    // An apostrophe not followed by a word character is punctuation.
    assert_eq!(lower("l' homme"), toks(&["l", "'", "homme"]));
}

#[test]
fn leading_trailing_and_doubled_hyphens_are_punctuation() {
    assert_eq!(
        lower("-bonjour- a--b 'oui' x-"),
        toks(&[
            "-", "bonjour", "-", "a", "-", "-", "b", "'", "oui", "'", "x", "-"
        ])
    );
    assert_eq!(lower("a - b"), toks(&["a", "-", "b"]));
}

#[test]
fn punctuation_is_one_token_per_character() {
    assert_eq!(
        lower("«Bonjour», dit-il... (vraiment?)"),
        toks(&[
            "«", "bonjour", "»", ",", "dit-il", "...", "(", "vraiment", "?", ")"
        ])
    );
    // Two dots are two tokens; three or more, or U+2026, one ellipsis.
    assert_eq!(
        lower("a.. b.... c…"),
        toks(&["a", ".", ".", "b", "....", "c", "…"])
    );
}

#[test]
fn numbers_keep_their_decimal_point_or_comma() {
    assert_eq!(lower("pi = 3.14"), toks(&["pi", "=", "3.14"]));
    assert_eq!(
        lower("2,5 kilos, 1,000.5 m."),
        toks(&["2,5", "kilos", ",", "1,000.5", "m", "."])
    );
    // Not between two digits: ordinary punctuation.
    assert_eq!(
        lower("3. 4 ,5 a.b"),
        toks(&["3", ".", "4", ",", "5", "a", ".", "b"])
    );
}

#[test]
fn french_quotes_and_no_break_spaces() {
    // U+202F before "?" and U+00A0 inside the guillemets, as French typography writes them.
    assert_eq!(
        lower("«\u{A0}Tu viens\u{202F}?\u{A0}»"),
        toks(&["«", "tu", "viens", "?", "»"])
    );
}

#[test]
fn cjk_characters_are_one_token_each() {
    assert_eq!(lower("我爱你"), toks(&["我", "爱", "你"]));
    assert_eq!(lower("我爱你。"), toks(&["我", "爱", "你", "。"]));
    assert_eq!(lower("こんにちはカタカナ").len(), 9);
    assert_eq!(lower("안녕하세요"), toks(&["안", "녕", "하", "세", "요"]));
}

#[test]
fn mixed_scripts_split_where_the_script_changes() {
    assert_eq!(
        lower("Rust是一种语言, très RAPIDE!"),
        toks(&[
            "rust", "是", "一", "种", "语", "言", ",", "très", "rapide", "!"
        ])
    );
    assert_eq!(lower("Привет, Мир"), toks(&["привет", ",", "мир"]));
    assert_eq!(lower("東京Tokyo"), toks(&["東", "京", "tokyo"]));
}

#[test]
fn emoji_are_single_tokens_and_variation_selectors_are_dropped() {
    // "❤️" is U+2764 followed by the variation selector U+FE0F, which is dropped.
    assert_eq!(
        lower("I ❤\u{FE0F} Rust 🦀"),
        toks(&["i", "❤", "rust", "🦀"])
    );
    assert_eq!(
        keep("I \u{2764}\u{FE0F} Rust 🦀"),
        toks(&["I", "\u{2764}", "Rust", "🦀"])
    );
    assert_eq!(lower("🦀🦀!"), toks(&["🦀", "🦀", "!"]));
    assert_eq!(lower("ok👍"), toks(&["ok", "👍"]));
    // The zero-width joiner is dropped, leaving one token per emoji; a
    // skin-tone modifier is its own token.
    assert_eq!(lower("👨\u{200D}👩\u{200D}👧"), toks(&["👨", "👩", "👧"]));
    assert_eq!(lower("👍🏽"), toks(&["👍", "🏽"]));
    // A variation selector alone leaves nothing.
    assert!(lower("\u{FE0F}").is_empty());
}

#[test]
fn combining_accents_stay_in_their_word() {
    // "café" written with e + U+0301 COMBINING ACUTE ACCENT: one token.
    assert_eq!(lower("Cafe\u{301} noir"), toks(&["cafe\u{301}", "noir"]));
    // With no word before it, a combining accent is a token on its own.
    assert_eq!(lower("\u{301}a"), toks(&["\u{301}", "a"]));
}

#[test]
fn whitespace_of_every_kind_separates() {
    assert!(lower("").is_empty());
    assert!(lower(" \t\n\u{A0}\u{3000}").is_empty());
    assert_eq!(lower("a\u{A0}b\u{200B}c\td"), toks(&["a", "b", "c", "d"]));
}

#[test]
fn detokenize_glues_punctuation_and_brackets() {
    let words = toks(&["le", "chien", ",", "la", "vache", "(", "blanche", ")", "!"]);
    assert_eq!(detokenize(&words), "le chien, la vache (blanche)!");
    assert_eq!(detokenize(&[]), "");
    assert_eq!(
        detokenize(&toks(&["«", "oui", "»", ";", "non", ":", "peut-être", "?"])),
        "« oui »; non: peut-être?"
    );
    // An elided word is glued to the next word; a dot is never glued to a dot.
    assert_eq!(
        detokenize(&toks(&["l'", "homme", ".", ".", "...", "3.5", "!"])),
        "l'homme. . ... 3.5!"
    );
}

#[test]
fn french_detokenize_puts_no_break_spaces() {
    let words = toks(&[
        "«", "l'", "homme", "»", ":", "tu", "viens", "?", "oui", "!", ";",
    ]);
    assert_eq!(
        detokenize_in(&words, Language::French),
        "«\u{A0}l'homme\u{A0}»\u{A0}: tu viens\u{202F}? oui\u{202F}!\u{202F};"
    );
}

/// Words with optional internal joins, and punctuation, glued or spaced.
fn words_and_punctuation() -> impl Strategy<Value = String> {
    let word = "[a-zA-Zéèçàôü0-9]{1,6}([-'’][a-zé]{1,4})?";
    let punct = "[.,!?;:()«»'’…\\-\\[\\]{}]";
    let french = "([lLdjnsc]|qu|jusqu)['’][aeéiouh][a-z]{0,5}|[0-9]{1,3}[.,][0-9]{1,3}|\\.{2,5}";
    let piece = prop_oneof![word, punct, french, "[我爱你はカ안🦀❤]"];
    prop::collection::vec((piece, prop_oneof![Just(""), Just(" "), Just("  ")]), 0..16)
        .prop_map(|v| v.into_iter().map(|(p, sep)| p + sep).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_and_tokens_are_nonempty_without_whitespace(s in any::<String>(), lc in any::<bool>()) {
        for token in Tokenizer::new(lc).tokenize(&s) {
            prop_assert!(!token.is_empty());
            prop_assert!(!token.chars().any(char::is_whitespace), "{token:?}");
            let invisible = token.contains('\u{FE0F}') || token.contains('\u{200D}');
            prop_assert!(!invisible, "{:?}", token);
        }
    }

    #[test]
    fn detokenize_then_tokenize_gives_the_tokens_back(s in words_and_punctuation(), lc in any::<bool>()) {
        let tok = Tokenizer::new(lc);
        let tokens = tok.tokenize(&s);
        prop_assert_eq!(tok.tokenize(&detokenize(&tokens)), tokens.clone());
        prop_assert_eq!(tok.tokenize(&detokenize_in(&tokens, Language::French)), tokens);
    }

    #[test]
    fn round_trip_holds_for_arbitrary_strings_too(s in any::<String>(), lc in any::<bool>()) {
        let tok = Tokenizer::new(lc);
        let tokens = tok.tokenize(&s);
        prop_assert_eq!(tok.tokenize(&detokenize(&tokens)), tokens.clone());
        prop_assert_eq!(tok.tokenize(&detokenize_in(&tokens, Language::French)), tokens);
    }

    #[test]
    fn lowercasing_commutes_with_tokenizing(s in words_and_punctuation()) {
        let lowered: Vec<String> = keep(&s).iter().map(|t| t.to_lowercase()).collect();
        prop_assert_eq!(lower(&s), lowered);
    }
}

#[test]
fn soft_hyphens_and_direction_marks_are_invisible() {
    // A soft hyphen inside a word, and bidirectional marks and isolates
    // around it, neither split it nor become tokens of their own.
    assert_eq!(lower("co\u{AD}operate"), toks(&["cooperate"]));
    assert_eq!(
        lower("\u{200E}le\u{200F} \u{202B}chat\u{202C} \u{2067}dort\u{2069}"),
        toks(&["le", "chat", "dort"])
    );
    assert!(lower("\u{AD}\u{200E}\u{202E}").is_empty());
}

/// Owned tokens from string literals.
pub fn toks(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

#[test]
fn control_characters_separate_tokens() {
    let t = Tokenizer::new(false);
    assert_eq!(
        t.tokenize("a\u{1b}]0;x\u{7}b"),
        ["a", "]", "0", ";", "x", "b"]
    );
    assert_eq!(t.tokenize("fox\0dog\u{85}cat"), ["fox", "dog", "cat"]);
    // The turn mark stays the turn token.
    assert_eq!(t.tokenize("a\u{1e}b"), ["a", encdec::text::TURN, "b"]);
}

#[test]
fn only_tokens_it_makes_are_produced() {
    let lower = Tokenizer::new(true);
    for token in [
        "fox",
        "l'",
        "qu'",
        "par-dessus",
        "2,5",
        "...",
        "«",
        "狐",
        "🦊",
        "<turn>",
    ] {
        assert!(lower.produces(token), "{token:?}");
    }
    for token in [
        "Fox",
        "a b",
        "<x>",
        "l\u{2019}",
        "a\u{1b}",
        "\u{202e}fox",
        "\u{200b}",
        "fox\0",
        "-fox",
    ] {
        assert!(!lower.produces(token), "{token:?}");
    }
    assert!(Tokenizer::new(false).produces("Fox"));
}

proptest! {
    /// Every token the tokenizer makes from any text, it produces; and
    /// none holds whitespace, a control or a bidirectional control.
    #[test]
    fn every_token_of_any_text_is_produced(text in "\\PC{0,30}|[\\x00-\\x20a-z'.<>\u{202a}-\u{202e}-]{0,30}") {
        let t = Tokenizer::new(true);
        for token in t.tokenize(&text) {
            prop_assert!(t.produces(&token), "{:?} from {:?}", token, text);
            let bad = |c: char| c.is_whitespace() || (c.is_control() && c != '\u{1e}') || ('\u{202a}'..='\u{202e}').contains(&c);
            prop_assert!(!token.chars().any(bad), "{:?}", token);
        }
    }
}
