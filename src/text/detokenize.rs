//! Putting tokens back together as text (tutorial §3.2, the last step of
//! decoding): spacing by the rules of each [`Language`], and making any text
//! safe to print on a terminal ([`printable`]).

use super::tokenizer::{Class, class, is_elision};

/// The language of a text, for putting its tokens back together with the
/// right typography.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Language {
    /// English, and any language without the French spacing rules.
    #[value(name = "en")]
    English,
    /// French: a no-break space before `: ; ! ?` and inside `« »`.
    #[value(name = "fr")]
    French,
}

impl Language {
    /// The code used on the command line and in checkpoints: `en` or `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::French => "fr",
        }
    }
}

impl std::str::FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Language::English),
            "fr" => Ok(Language::French),
            _ => Err(format!(
                "unknown language '{s}': expected en (English spacing, also right for most other languages) or fr"
            )),
        }
    }
}

/// Tokens that are written straight after the previous token, with no space
/// (in French, after a no-break space for `; ! ? :`).
const NO_SPACE_BEFORE: &[&str] = &[
    ".", ",", "!", "?", ";", ":", ")", "]", "}", "...", "\u{2026}",
];

/// Tokens after which the next token follows with no space.
const NO_SPACE_AFTER: &[&str] = &["(", "[", "{"];

/// Joins tokens back into English text: one space between tokens, except
/// before `.` `,` `!` `?` `;` `:`, an ellipsis and the closing brackets
/// `)` `]` `}`, after the opening brackets `(` `[` `{`, and after an
/// elided word (`l'homme`). Same as [`detokenize_in`] with
/// [`Language::English`].
///
/// ```
/// use encdec::text::{Tokenizer, detokenize};
/// let tokens = Tokenizer::new(false).tokenize("Bonjour , le monde ( vraiment ) !");
/// assert_eq!(detokenize(&tokens), "Bonjour, le monde (vraiment)!");
/// ```
pub fn detokenize(tokens: &[String]) -> String {
    detokenize_in(tokens, Language::English)
}

/// Joins tokens back into text with the typography of `lang`: the rules of
/// [`detokenize`], and in French a narrow no-break space (U+202F) before
/// `;` `!` `?`, a no-break space (U+00A0) before `:` and `»` and after `«`.
///
/// Tokenizing the result gives the tokens back, for tokens made by
/// [`Tokenizer::tokenize`](super::Tokenizer::tokenize) (`tests/text/tokenizer.rs::detokenize_then_tokenize_gives_the_tokens_back`):
/// a dot is never glued to a dot (that would make an ellipsis), and an
/// elided word is glued only to a word.
///
/// ```
/// use encdec::text::{Language, Tokenizer, detokenize_in};
/// let tokens = Tokenizer::new(false).tokenize("« L'homme ? » , dit-il");
/// assert_eq!(detokenize_in(&tokens, Language::French), "«\u{a0}L'homme\u{202f}?\u{a0}», dit-il");
/// ```
pub fn detokenize_in(tokens: &[String], lang: Language) -> String {
    let mut text = String::new();
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            let prev = tokens[i - 1].as_str();
            let starts_word = token
                .chars()
                .next()
                .is_some_and(|c| class(c) == Class::Word);
            let glued = (NO_SPACE_BEFORE.contains(&token.as_str())
                && !(prev.ends_with('.') && token.starts_with('.')))
                || NO_SPACE_AFTER.contains(&prev)
                || (is_elision(prev) && starts_word);
            let french = lang == Language::French;
            match token.as_str() {
                ";" | "!" | "?" if french => text.push('\u{202F}'),
                ":" | "\u{BB}" if french => text.push('\u{A0}'),
                _ if french && prev == "\u{AB}" => text.push('\u{A0}'),
                _ if !glued => text.push(' '),
                _ => {}
            }
        }
        text.push_str(token);
    }
    text
}

/// `text` safe to print on a terminal, and to put in an XML or CSV file:
/// control characters (C0 and C1: ESC, BEL, NUL, tab, line ends, …), the
/// bidirectional controls that reorder what follows them (U+200E, U+200F,
/// U+061C, U+202A–U+202E, U+2066–U+2069) and the two characters XML 1.0
/// forbids that are not controls (U+FFFE, U+FFFF) are written as `\u{..}`
/// escapes; everything else is kept.
///
/// This one function escapes everything encdec shows a person: the user's
/// input when an error echoes it, and the model's output on standard output
/// and standard error, in `evaluate --hypotheses` files, in CSV text cells
/// and in the labels of pictures. Its output holds none of the characters
/// it escapes, so escaping twice changes nothing. Checked by
/// `tests/viz/hostile_labels.rs::text_as_printed_holds_no_control_or_bidi_character`
/// and, command by command, `tests/cli/outputs.rs`.
///
/// ```
/// use encdec::text::printable;
/// assert_eq!(printable("a\u{1b}[31mb\u{202e}c"), "a\\u{1b}[31mb\\u{202e}c");
/// assert_eq!(printable(&printable("\u{7}")), "\\u{7}");
/// ```
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if unprintable(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether [`printable`] escapes `c`: a control character, a bidirectional
/// control, U+FFFE or U+FFFF.
///
/// ```
/// use encdec::text::unprintable;
/// assert!(unprintable('\u{1b}') && unprintable('\u{202e}') && unprintable('\u{9b}'));
/// assert!(!unprintable('é') && !unprintable(' '));
/// ```
pub fn unprintable(c: char) -> bool {
    let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    c.is_control() || bidi || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}
