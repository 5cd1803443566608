//! The one rule for text that shows nothing (`src/text/visible.rs`): a
//! side, a turn or a line to decode needs a letter, digit, punctuation
//! mark or symbol.

use encdec::text::corpus_files::read_tsv_pairs;
use encdec::text::{INVISIBLE, ReadOptions, is_visible, visible};
use proptest::prelude::*;

#[test]
fn the_table_is_sorted_and_disjoint() {
    for w in INVISIBLE.windows(2) {
        assert!(w[0].0 <= w[0].1 && w[0].1 + 1 < w[1].0, "{w:x?}");
    }
}

/// Every code point of the blocks the documentation names as invisible.
const NAMED_INVISIBLE: &[(u32, u32)] = &[
    (0xE0000, 0xE007F), // tags
    (0x0300, 0x036F),   // combining diacritical marks
    (0x1AB0, 0x1AFF),   // ... extended
    (0x1DC0, 0x1DFF),   // ... supplement
    (0x20D0, 0x20FF),   // ... for symbols
    (0xFE20, 0xFE2F),   // combining half marks
    (0xFE00, 0xFE0F),   // variation selectors
    (0xE0100, 0xE01EF), // variation selectors supplement
    (0x200B, 0x200F),   // zero-width space, joiners, direction marks
    (0x202A, 0x202E),   // bidi embeddings and overrides
    (0x2060, 0x2064),   // word joiner, invisible operators
    (0x2066, 0x2069),   // bidi isolates
    (0xFEFF, 0xFEFF),   // byte-order mark
    (0x00AD, 0x00AD),   // soft hyphen
    (0x3164, 0x3164),   // Hangul filler
    (0xE000, 0xF8FF),   // private use
];

#[test]
fn the_named_blocks_are_invisible() {
    for &(lo, hi) in NAMED_INVISIBLE {
        for c in (lo..=hi).filter_map(char::from_u32) {
            assert!(!is_visible(c), "U+{:04X} counted as visible", c as u32);
        }
    }
    for c in [
        ' ', '\t', '\u{A0}', '\u{3000}', '\u{1b}', '\u{1e}', '\u{2028}',
    ] {
        assert!(!is_visible(c), "U+{:04X}", c as u32);
    }
}

#[test]
fn letters_digits_punctuation_symbols_cjk_and_emoji_are_visible() {
    let text = "aZéßΩЖ٣7«».,!?€$+→我爱你あア한🐈❤😀🇫🇷ि";
    for c in text.chars().filter(|&c| c != 'ि') {
        assert!(is_visible(c), "U+{:04X} counted as invisible", c as u32);
    }
    // A Devanagari vowel sign is a mark: invisible alone, fine in a word.
    assert!(!visible("ि") && visible("कि"));
    // An emoji with its presentation selector, a flag with its tags.
    assert!(visible("❤\u{FE0F}") && visible("\u{1F3F4}\u{E0067}\u{E0062}\u{E007F}"));
}

/// Strings of only invisible characters: the named blocks, whitespace, controls.
fn invisible_text() -> impl Strategy<Value = String> {
    let named = prop::sample::select(NAMED_INVISIBLE.to_vec())
        .prop_flat_map(|(lo, hi)| lo..=hi)
        .prop_filter_map("not a char", char::from_u32);
    let other = prop::sample::select(vec![
        ' ', '\u{A0}', '\u{1}', '\u{7f}', '\u{2800}', '\u{180E}',
    ]);
    prop::collection::vec(prop_oneof![named, other], 1..12).prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn only_invisible_characters_show_nothing(text in invisible_text()) {
        prop_assert!(!visible(&text), "{:?}", text);
        // As a side of a pair: refused, naming the file and the line.
        let p = std::env::temp_dir().join(format!("encdec-visible-{}.tsv", std::process::id()));
        std::fs::write(&p, format!("a\tb\nthe cat\t{text}\n")).unwrap();
        let e = read_tsv_pairs(&p, ReadOptions::default()).unwrap_err();
        prop_assert_eq!(e.line, Some(2), "{}", e);
        prop_assert!(e.to_string().contains("is empty"), "{}", e);
    }

    #[test]
    fn one_visible_letter_among_invisible_characters_is_text(
        before in invisible_text(),
        letter in prop::char::range('a', 'z').prop_union(prop::char::range('一', '鿿')),
        after in invisible_text(),
    ) {
        let text = format!("{before}{letter}{after}");
        prop_assert!(visible(&text), "{:?}", text);
        let p = std::env::temp_dir().join(format!("encdec-visible-ok-{}.tsv", std::process::id()));
        std::fs::write(&p, format!("a\tb\nthe cat\t{text}\n")).unwrap();
        let f = read_tsv_pairs(&p, ReadOptions::default());
        prop_assert!(f.is_ok(), "{:?}", f.err());
    }
}
