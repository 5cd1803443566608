//! Subword units by byte-pair encoding (Sennrich, Haddow and Birch 2016):
//! a rare word is read as a few frequent pieces instead of `<unk>`, so a
//! new word made of known pieces can still be read and written.
//!
//! 1. [`learn`] counts the words of the training text and merges, again
//!    and again, the most frequent pair of adjacent symbols
//!    ([`most_frequent_pair`]); `--subwords N` asks for N merges. The
//!    ordered list of merges is a [`Merges`] table.
//! 2. [`Merges::split`] cuts a word into pieces by replaying the merges in
//!    the order they were learned; every piece but the last of a word ends
//!    with the continuation mark [`CONTINUES`] (`@@`), as subword-nmt writes them.
//! 3. [`join`] glues pieces back into words.
//!
//! A symbol is a string of characters (Unicode scalar values); the last
//! symbol of a word carries the end-of-word mark [`WORD_END`], so that
//! `st` inside `stone` and the word-final `st` of `best` are different
//! symbols and learn different merges. `</w>` never occurs in a token
//! (the tokenizer makes `<` a token of its own), so the mark is unambiguous.
//!
//! ```
//! use encdec::text::subwords::{learn, join};
//!
//! let words = [("lower", 2), ("newest", 6), ("widest", 3)];
//! let merges = learn(words.iter().map(|&(w, n)| (w.to_string(), n)), 3);
//! let pieces = merges.split("lowest");
//! assert_eq!(pieces, ["l@@", "o@@", "w@@", "est"]);
//! assert_eq!(join(&pieces), ["lowest"]);
//! ```

mod apply;
mod join;
mod learn;
mod table;

pub use apply::Dropout;
pub use join::join;
pub use learn::{learn, merge_pair, most_frequent_pair};
pub use table::{MAX_MERGES, Merges, SubwordError, SubwordTable, Subwords, piece_is_possible};

/// The mark ending every piece of a word but its last: `low@@ est` is `lowest`.
pub const CONTINUES: &str = "@@";

/// The mark ending the last symbol of a word, in learning and in stored
/// merge tables: `t</w>` is a `t` that ends a word.
pub const WORD_END: &str = "</w>";

/// The symbols a word starts as: its characters, the last one marked with
/// [`WORD_END`]. The turn token `<turn>` is never cut: it is one symbol.
pub fn symbols_of(word: &str) -> Vec<String> {
    if word == super::TURN {
        return vec![format!("{word}{WORD_END}")];
    }
    let mut symbols: Vec<String> = word.chars().map(String::from).collect();
    if let Some(last) = symbols.last_mut() {
        last.push_str(WORD_END);
    }
    symbols
}

/// A symbol as a piece: a word-final symbol loses its [`WORD_END`], any
/// other gains [`CONTINUES`].
pub fn piece_of(symbol: &str) -> String {
    match symbol.strip_suffix(WORD_END) {
        Some(last) => last.to_string(),
        None => format!("{symbol}{CONTINUES}"),
    }
}
