//! A merge table ([`Merges`]), checked when it comes from a file, and the
//! tables of a model's two sides ([`Subwords`]).
//!
//! Checked by `tests/text/subwords.rs` and `tests/cli/subwords.rs`.

use super::{CONTINUES, WORD_END};
use crate::text::Tokenizer;
use crate::text::tokenizer::{Class, class};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The most merges `--subwords` may ask for and a stored table may hold.
pub const MAX_MERGES: usize = 1_000_000;

/// An ordered list of merges: merge $r$ (its rank) joins two symbols into
/// one, and splitting a word replays them lowest rank first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merges {
    pairs: Vec<(String, String)>,
    ranks: HashMap<(String, String), usize>,
}

/// Whether the two sides of a model share one merge table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SubwordTable {
    /// One table learned from the source and target words together: a
    /// name or a number copied from source to target is cut the same way
    /// on both sides.
    #[default]
    Joint,
    /// A table per side, each learned from its side's words only.
    Separate,
}

impl SubwordTable {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            SubwordTable::Joint => "joint",
            SubwordTable::Separate => "separate",
        }
    }
}

/// A model's merge tables: what cuts its source words and its target words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subwords {
    /// Joint or separate.
    pub table: SubwordTable,
    /// The source side's merges.
    pub src: Merges,
    /// The target side's merges (equal to `src` when joint).
    pub tgt: Merges,
}

/// Why a stored merge table was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubwordError {
    /// More merges than [`MAX_MERGES`].
    TooMany(usize),
    /// Merge `rank` has a part that is neither a character nor the result
    /// of an earlier merge; the string says which.
    UnknownPart(usize, String),
    /// Merge `rank` repeats an earlier one.
    Repeated(usize),
}

impl fmt::Display for SubwordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubwordError::TooMany(n) => {
                write!(f, "{n} merges, more than the {MAX_MERGES} a table may hold")
            }
            SubwordError::UnknownPart(r, why) => write!(f, "merge {r}: {why}"),
            SubwordError::Repeated(r) => write!(f, "merge {r} repeats an earlier merge"),
        }
    }
}

impl std::error::Error for SubwordError {}

impl Subwords {
    /// One table for both sides.
    pub fn joint(merges: Merges) -> Subwords {
        let src = merges.clone();
        Subwords {
            table: SubwordTable::Joint,
            src,
            tgt: merges,
        }
    }

    /// A table per side.
    pub fn separate(src: Merges, tgt: Merges) -> Subwords {
        Subwords {
            table: SubwordTable::Separate,
            src,
            tgt,
        }
    }
}

impl Merges {
    /// The table of merges [`super::learn`] found, in order.
    pub(super) fn from_learned(pairs: Vec<(String, String)>) -> Merges {
        let ranks = pairs.iter().cloned().zip(0..).collect();
        Merges { pairs, ranks }
    }

    /// A table from stored merges, in rank order, each part checked: a
    /// part is one character (the right part may end with `</w>`) or a
    /// symbol an earlier merge made; a left part never ends a word.
    ///
    /// # Errors
    /// More than [`MAX_MERGES`] merges, a part that is not a known symbol,
    /// or a merge listed twice.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Result<Merges, SubwordError> {
        if pairs.len() > MAX_MERGES {
            return Err(SubwordError::TooMany(pairs.len()));
        }
        let mut made: HashSet<String> = HashSet::new();
        let mut ranks = HashMap::with_capacity(pairs.len());
        for (r, (a, b)) in pairs.iter().enumerate() {
            let known = |s: &str, may_end: bool| {
                let body = match s.strip_suffix(WORD_END) {
                    Some(body) if may_end => body,
                    Some(_) => return false,
                    None => s,
                };
                body.chars().count() == 1 || body == crate::text::TURN || made.contains(s)
            };
            for (part, may_end, side) in [(a, false, "left"), (b, true, "right")] {
                if !known(part, may_end) {
                    let what = crate::text::printable(part);
                    return Err(SubwordError::UnknownPart(
                        r,
                        format!(
                            "its {side} part '{what}' is not a character or an earlier merge's result"
                        ),
                    ));
                }
            }
            if ranks.insert((a.clone(), b.clone()), r).is_some() {
                return Err(SubwordError::Repeated(r));
            }
            made.insert(format!("{a}{b}"));
        }
        Ok(Merges { pairs, ranks })
    }

    /// The merges in rank order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The number of merges.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no merges (every word is cut into characters).
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The rank of merging `a` then `b`, if the table has it.
    pub(super) fn rank(&self, a: &str, b: &str) -> Option<usize> {
        // A lookup by borrowed pair would need a custom key; pairs are short.
        self.ranks.get(&(a.to_string(), b.to_string())).copied()
    }
}

/// Whether a vocabulary of pieces may hold `piece`: without its
/// continuation mark it is a token `tokenizer` makes, or a run of word
/// characters (letters, digits, accents, and `-`, `'`, `.`, `,` as they
/// occur inside words and numbers) that tokenizes into itself. So a piece
/// can never carry a control, bidirectional or invisible character, a
/// capital when lowercasing, or text like `=cmd` or `<script>`.
pub fn piece_is_possible(tokenizer: &Tokenizer, piece: &str) -> bool {
    let body = piece.strip_suffix(CONTINUES).unwrap_or(piece);
    if body.is_empty() {
        return false;
    }
    if tokenizer.produces(body) {
        return true;
    }
    let inside_word = |c: char| {
        matches!(class(c), Class::Word | Class::Mark)
            || matches!(c, '-' | '\u{2010}' | '\'' | '.' | ',')
    };
    body.chars().all(inside_word) && tokenizer.tokenize(body).concat() == body
}
