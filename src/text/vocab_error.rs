//! Why a list of tokens (and its counts) is not a vocabulary.

use super::printable;
use super::vocab::{BOS, EOS, PAD, UNK};
use std::fmt;

/// Why a list of tokens is not a vocabulary (one loaded from a checkpoint
/// or a weights file).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VocabError {
    /// The vocabulary does not start with `<pad>`, `<unk>`, `<s>`, `</s>` in
    /// that order; `found` holds its first (at most four) tokens.
    MissingSpecials {
        /// The first tokens of the rejected vocabulary.
        found: Vec<String>,
    },
    /// The token at position `index` is the empty string.
    EmptyToken {
        /// Its position (its would-be id).
        index: usize,
    },
    /// The token at position `index` already appeared at position `first`.
    DuplicateToken {
        /// The repeated token.
        token: String,
        /// Where it first appears.
        first: usize,
        /// Where it appears again.
        index: usize,
    },
    /// A list of counts whose length is not the vocabulary's.
    CountsLength {
        /// How many counts.
        counts: usize,
        /// How many tokens.
        tokens: usize,
    },
    /// A special token (`index` below 4) with a count other than 0.
    SpecialCounted {
        /// Its id.
        index: usize,
    },
    /// The token at position `index` is not one the tokenizer makes.
    NotAToken {
        /// The token.
        token: String,
        /// Its position.
        index: usize,
        /// What the tokenizer makes of it.
        tokens: Vec<String>,
    },
}

impl fmt::Display for VocabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VocabError::MissingSpecials { found } => write!(
                f,
                "vocabulary must start with {PAD}, {UNK}, {BOS}, {EOS}; it starts with {found:?}"
            ),
            VocabError::EmptyToken { index } => write!(f, "vocabulary: token {index} is empty"),
            VocabError::DuplicateToken {
                token,
                first,
                index,
            } => write!(
                f,
                "vocabulary: token {index} {token:?} repeats token {first}"
            ),
            VocabError::CountsLength { counts, tokens } => write!(
                f,
                "vocabulary: {counts} counts for {tokens} tokens (there must be one per token)"
            ),
            VocabError::SpecialCounted { index } => write!(
                f,
                "vocabulary: the special token {index} has a count (specials are never counted)"
            ),
            VocabError::NotAToken {
                token,
                index,
                tokens,
            } => write!(
                f,
                "token {index} \"{}\" is not a word the tokenizer makes (it reads it as {} tokens: {}): a vocabulary may hold only what tokenizing text gives; rebuild it with encdec's tokenizer",
                printable(token),
                tokens.len(),
                printable(&tokens.join(" ")),
            ),
        }
    }
}

impl std::error::Error for VocabError {}
