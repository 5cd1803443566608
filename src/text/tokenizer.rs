//! Splitting text into words and putting words back together (tutorial
//! §3.1, step 1).
//!
//! The rules, applied character by character from left to right:
//!
//! 1. Whitespace (`char::is_whitespace`), the zero-width space U+200B and
//!    the control characters (`char::is_control`: NUL, ESC, BEL, …, except
//!    the turn mark of rule 10) separate tokens and never belong to one.
//! 2. Invisible formatting characters are dropped as if they were not
//!    there: the variation selectors U+FE00–U+FE0F (so `❤️`, which is
//!    U+2764 U+FE0F, becomes the token `❤`), the zero-width non-joiner and
//!    joiner U+200C, U+200D (so an emoji sequence joined by U+200D becomes
//!    one token per emoji), the word joiner U+2060, the byte-order mark
//!    U+FEFF, the soft hyphen U+00AD (so `co­operate` is one word), and the
//!    bidirectional marks, embeddings and isolates U+200E, U+200F,
//!    U+202A–U+202E, U+2066–U+2069.
//! 3. Emoji are one token each. "Emoji" here means a character in one of
//!    the blocks U+2300–U+23FF, U+2600–U+27BF, U+2B00–U+2BFF or
//!    U+1F000–U+1FAFF; skin-tone modifiers live there too and so become
//!    tokens of their own.
//! 4. CJK ideographs, Hiragana, Katakana, Bopomofo, Hangul syllables and
//!    jamo, and CJK punctuation (U+3001–U+303F) are one token per
//!    character, even when several stand side by side: `我爱你` gives three
//!    tokens.
//! 5. A word is a run of other alphanumeric characters
//!    (`char::is_alphanumeric`, so `é`, `ç`, `ß`, Greek and Cyrillic
//!    letters all count). Combining accents (U+0300–U+036F, U+1AB0–U+1AFF,
//!    U+1DC0–U+1DFF, U+20D0–U+20FF, U+FE20–U+FE2F) that follow a word
//!    character stay in the word, so a decomposed `e` + U+0301 is not cut.
//!    A single hyphen (`-`, U+2010) or apostrophe (`'`, U+2019) between two
//!    word characters joins them: `par-dessus`, `aujourd'hui`, `don't` and
//!    `rock'n'roll` are one token each (but see rule 8). A hyphen or
//!    apostrophe anywhere else (leading, trailing, doubled) is punctuation.
//! 6. Every other character (`.`, `,`, `«`, `-`, a lone combining accent,
//!    …) is a token of its own, except as rules 7–9 say.
//! 7. A `.` or `,` between two ASCII digits stays in the number: `3.14`,
//!    `2,5` and `1,000.5` are one token each.
//! 8. French elision: an apostrophe after one of the words of [`ELISIONS`]
//!    (`l`, `d`, `qu`, `jusqu`, …, in any case) ends that word, apostrophe
//!    included: `l'homme` gives `l'` and `homme`, `jusqu'à` gives `jusqu'`
//!    and `à`; `aujourd'hui` stays whole. The typographic apostrophe ’
//!    (U+2019) is written `'` in every token, so `l’homme` and `l'homme`
//!    give the same tokens.
//! 9. Three or more dots in a row are one token, an ellipsis (`...`); the
//!    character `…` is one token too.
//! 10. The record separator U+001E ([`super::TURN_MARK`]) is the turn token
//!     [`super::TURN`], `<turn>`, which dialogue histories put between turns
//!     ([`super::join_turns`]). No other text gives that token.
//!
//! No-break spaces (U+00A0, U+202F), which French puts before `? ! : ;`
//! and inside `« »`, are whitespace by rule 1.
//!
//! Marks that Rust does not count as alphanumeric and that are not in the
//! accent blocks above (for example the Devanagari virama) split a word;
//! the built-in corpus is English and French, where this never happens.

/// Splits text into tokens by the rules of this module's documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tokenizer {
    /// Whether every token is lowercased (`str::to_lowercase`, Unicode-aware).
    pub lowercase: bool,
}

/// What one character does to tokenization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Class {
    /// Ends the current token and is thrown away.
    Separator,
    /// Thrown away without ending the current token.
    Ignored,
    /// A token on its own: emoji, CJK characters, punctuation.
    Single,
    /// Starts or continues a word.
    Word,
    /// Continues a word, never starts one.
    Mark,
    /// A hyphen or apostrophe: inside a word only between two word characters.
    Joiner,
}

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

const EMOJI: &[(u32, u32)] = &[
    (0x2300, 0x23FF),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
    (0x1F000, 0x1FAFF),
];

const CJK: &[(u32, u32)] = &[
    (0x1100, 0x11FF),   // Hangul jamo
    (0x3001, 0x303F),   // CJK symbols and punctuation (U+3000 is whitespace)
    (0x3040, 0x30FF),   // Hiragana, Katakana
    (0x3100, 0x318F),   // Bopomofo, Hangul compatibility jamo
    (0x31A0, 0x31FF),   // Bopomofo extended, CJK strokes, Katakana extensions
    (0x3400, 0x4DBF),   // CJK extension A
    (0x4E00, 0x9FFF),   // CJK unified ideographs
    (0xA960, 0xA97F),   // Hangul jamo extended-A
    (0xAC00, 0xD7FF),   // Hangul syllables, jamo extended-B
    (0xF900, 0xFAFF),   // CJK compatibility ideographs
    (0xFF61, 0xFFDC),   // half-width CJK punctuation, Katakana, Hangul
    (0x20000, 0x323AF), // CJK extensions B to H, compatibility supplement
];

const MARKS: &[(u32, u32)] = &[
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
];

const IGNORED: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x200C, 0x200F),
    (0x202A, 0x202E),
    (0x2066, 0x2069),
    (0x2060, 0x2060),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
];

pub(super) fn class(c: char) -> Class {
    if c.is_whitespace() || c == '\u{200B}' || (c.is_control() && c != super::TURN_MARK) {
        Class::Separator
    } else if in_ranges(c, IGNORED) {
        Class::Ignored
    } else if in_ranges(c, EMOJI) || in_ranges(c, CJK) {
        Class::Single
    } else if c.is_alphanumeric() {
        Class::Word
    } else if in_ranges(c, MARKS) {
        Class::Mark
    } else if matches!(c, '-' | '\u{2010}' | '\'' | '\u{2019}') {
        Class::Joiner
    } else {
        Class::Single
    }
}

/// The French words that lose their last vowel before a vowel and keep an
/// apostrophe (elision): `l'homme` is `l'` + `homme`, `qu'il` is `qu'` +
/// `il`. A word not in this list keeps its apostrophe inside
/// (`aujourd'hui`, `don't`, `rock'n'roll`).
pub const ELISIONS: &[&str] = &[
    "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];

/// Whether `token` is an elided French word such as `l'` or `qu'` (any case).
pub fn is_elision(token: &str) -> bool {
    token
        .strip_suffix('\'')
        .is_some_and(|w| ELISIONS.contains(&w.to_lowercase().as_str()))
}

impl Tokenizer {
    /// A tokenizer that lowercases every token when `lowercase` is true.
    pub fn new(lowercase: bool) -> Tokenizer {
        Tokenizer { lowercase }
    }

    /// The tokens of `text`, in order. Works on any string: no token is
    /// empty and no token contains whitespace.
    ///
    /// ```
    /// use encdec::text::Tokenizer;
    /// let tokens = Tokenizer::new(true).tokenize("L’homme saute par-dessus 2,5 chiens...");
    /// assert_eq!(tokens, ["l'", "homme", "saute", "par-dessus", "2,5", "chiens", "..."]);
    /// ```
    pub fn tokenize(&self, text: &str) -> Vec<String> {
        // Drop ignored characters first, so that they never stand between a
        // joiner and the word character that follows it.
        let chars: Vec<(char, Class)> = text
            .chars()
            .map(|c| (c, class(c)))
            .filter(|&(_, k)| k != Class::Ignored)
            .collect();
        let at = |i: usize| chars.get(i).map(|&(c, _)| c);
        let mut tokens = Vec::new();
        let mut word = String::new();
        let mut i = 0;
        while i < chars.len() {
            let (c, k) = chars[i];
            let next_is_word = chars.get(i + 1).is_some_and(|&(_, k)| k == Class::Word);
            let between_digits = word.ends_with(|d: char| d.is_ascii_digit())
                && at(i + 1).is_some_and(|d| d.is_ascii_digit());
            match k {
                Class::Word => word.push(c),
                Class::Mark if !word.is_empty() => word.push(c),
                // Rule 7: a decimal point or comma inside a number.
                Class::Single if matches!(c, '.' | ',') && between_digits => word.push(c),
                // Rule 5: an apostrophe (both kinds, written `'`) or hyphen
                // between word characters; rule 8: elision ends the word.
                Class::Joiner if !word.is_empty() && next_is_word => {
                    let apostrophe = matches!(c, '\'' | '\u{2019}');
                    word.push(if apostrophe { '\'' } else { c });
                    if apostrophe && is_elision(&word) {
                        self.flush(&mut word, &mut tokens);
                    }
                }
                Class::Separator => self.flush(&mut word, &mut tokens),
                Class::Ignored => {} // filtered out above
                Class::Single | Class::Mark | Class::Joiner => {
                    self.flush(&mut word, &mut tokens);
                    // Rule 9: three or more dots are one token (an ellipsis).
                    let dots = chars[i..].iter().take_while(|&&(d, _)| d == '.').count();
                    if dots >= 3 {
                        word.push_str(&".".repeat(dots));
                        i += dots - 1;
                    } else if c == super::TURN_MARK {
                        word.push_str(super::TURN); // rule 10
                    } else {
                        word.push(if c == '\u{2019}' { '\'' } else { c });
                    }
                    self.flush(&mut word, &mut tokens);
                }
            }
            i += 1;
        }
        self.flush(&mut word, &mut tokens);
        tokens
    }

    /// Whether this tokenizer can make `token` from some text: `token` is
    /// what it makes of `token` alone, or an elided word (`l'`, rule 8)
    /// that it makes before a word, or the turn token (rule 10). A token
    /// with whitespace, a control or bidirectional character, `<` or, when
    /// lowercasing, a capital can never be made.
    ///
    /// Checked by `tests/text/tokenizer.rs::only_tokens_it_makes_are_produced`.
    pub fn produces(&self, token: &str) -> bool {
        let alone = self.tokenize(token);
        if alone.len() == 1 && alone[0] == token || token == super::TURN {
            return true;
        }
        is_elision(token)
            && self
                .tokenize(&format!("{token}a"))
                .first()
                .is_some_and(|t| t == token)
    }

    /// Moves the token being built, if any, into `tokens`.
    fn flush(&self, word: &mut String, tokens: &mut Vec<String>) {
        if word.is_empty() {
            return;
        }
        let token = std::mem::take(word);
        tokens.push(if self.lowercase {
            token.to_lowercase()
        } else {
            token
        });
    }
}
