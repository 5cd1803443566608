//! The vocabulary: a numbering of tokens, starting with four special tokens
//! at fixed ids.

use super::Tokenizer;
pub use super::vocab_error::VocabError;
use std::collections::HashMap;

/// Padding, to fill short sentences of a batch up to the longest (id 0).
pub const PAD: &str = "<pad>";
/// Stands for every token the vocabulary does not know (id 1).
pub const UNK: &str = "<unk>";
/// Beginning of sentence: the decoder's first input (id 2).
pub const BOS: &str = "<s>";
/// End of sentence: the decoder stops when it produces this (id 3).
pub const EOS: &str = "</s>";

/// The id of [`PAD`].
pub const PAD_ID: usize = 0;
/// The id of [`UNK`].
pub const UNK_ID: usize = 1;
/// The id of [`BOS`].
pub const BOS_ID: usize = 2;
/// The id of [`EOS`].
pub const EOS_ID: usize = 3;

/// The special tokens in id order: every vocabulary starts with them.
pub const SPECIALS: [&str; 4] = [PAD, UNK, BOS, EOS];

/// A numbering of tokens: token `i` of [`Vocab::tokens`] has id `i`.
/// Two vocabularies are equal when they number the same tokens the same
/// way; their training counts are not compared.
#[derive(Clone, Debug)]
pub struct Vocab {
    tokens: Vec<String>,
    index: HashMap<String, usize>,
    /// How often each token occurred in the training sentences, in id
    /// order (0 for the specials); `None` when not known (a vocabulary
    /// from a list of tokens, a checkpoint written before counts were kept).
    counts: Option<Vec<usize>>,
}

impl PartialEq for Vocab {
    fn eq(&self, other: &Vocab) -> bool {
        self.tokens == other.tokens
    }
}

impl Vocab {
    /// The vocabulary of some tokenized sentences: the four specials, then
    /// every token seen at least `min_count` times, most frequent first and
    /// alphabetically (by bytes) among equally frequent ones, so the same
    /// sentences always give the same ids. A `min_count` of 0 acts as 1.
    /// Empty tokens and tokens spelled like a special token are skipped.
    pub fn build<'a, I: IntoIterator<Item = &'a [String]>>(
        sentences: I,
        min_count: usize,
    ) -> Vocab {
        Vocab::build_capped(sentences, min_count, None)
    }

    /// As [`Vocab::build`], keeping at most `max_size` tokens, the four
    /// specials included: the most frequent words win, and every other word
    /// becomes `<unk>` when encoded. `None` keeps every word.
    ///
    /// # Panics
    /// If `max_size` is below 5 (the specials and one word); the command
    /// line checks `--max-vocab` before it gets here.
    pub fn build_capped<'a, I: IntoIterator<Item = &'a [String]>>(
        sentences: I,
        min_count: usize,
        max_size: Option<usize>,
    ) -> Vocab {
        if let Some(m) = max_size {
            assert!(
                m > SPECIALS.len(),
                "Vocab::build_capped: max_size {m} leaves no room for a word"
            );
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for sentence in sentences {
            for token in sentence {
                *counts.entry(token.as_str()).or_insert(0) += 1;
            }
        }
        let mut seen: Vec<(&str, usize)> = counts
            .into_iter()
            .filter(|&(t, c)| c >= min_count.max(1) && !t.is_empty() && !SPECIALS.contains(&t))
            .collect();
        seen.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        if let Some(m) = max_size {
            seen.truncate(m - SPECIALS.len());
        }
        let counts = (SPECIALS.iter().map(|_| 0))
            .chain(seen.iter().map(|&(_, c)| c))
            .collect();
        let tokens: Vec<String> = SPECIALS
            .iter()
            .copied()
            .chain(seen.into_iter().map(|(t, _)| t))
            .map(String::from)
            .collect();
        let index = tokens.iter().cloned().zip(0..).collect();
        Vocab {
            tokens,
            index,
            counts: Some(counts),
        }
    }

    /// A vocabulary from its tokens in id order, as saved with a model.
    ///
    /// # Errors
    /// If the tokens do not start with `<pad>`, `<unk>`, `<s>`, `</s>` in
    /// that order, if a token is empty, or if a token appears twice.
    pub fn from_tokens(tokens: Vec<String>) -> Result<Vocab, VocabError> {
        if tokens.len() < SPECIALS.len() || tokens.iter().zip(SPECIALS).any(|(t, s)| t != s) {
            return Err(VocabError::MissingSpecials {
                found: tokens.iter().take(SPECIALS.len()).cloned().collect(),
            });
        }
        let mut index = HashMap::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            if token.is_empty() {
                return Err(VocabError::EmptyToken { index: i });
            }
            if let Some(&first) = index.get(token) {
                return Err(VocabError::DuplicateToken {
                    token: token.clone(),
                    first,
                    index: i,
                });
            }
            index.insert(token.clone(), i);
        }
        Ok(Vocab {
            tokens,
            index,
            counts: None,
        })
    }

    /// This vocabulary with its training counts, in id order, as saved
    /// with a model.
    ///
    /// # Errors
    /// If there is not exactly one count per token, or a special token's
    /// count is not 0.
    pub fn with_counts(self, counts: Vec<usize>) -> Result<Vocab, VocabError> {
        if counts.len() != self.len() {
            return Err(VocabError::CountsLength {
                counts: counts.len(),
                tokens: self.len(),
            });
        }
        if let Some(index) = (0..SPECIALS.len()).find(|&i| counts[i] != 0) {
            return Err(VocabError::SpecialCounted { index });
        }
        Ok(Vocab {
            counts: Some(counts),
            ..self
        })
    }

    /// How often each token occurred in the training sentences, in id
    /// order, or `None` when this vocabulary does not know.
    pub fn counts(&self) -> Option<&[usize]> {
        self.counts.as_deref()
    }

    /// How often `token` occurred in the training sentences: `Some(0)` for
    /// a word the vocabulary lacks, `None` when counts are not known.
    pub fn count(&self, token: &str) -> Option<usize> {
        let counts = self.counts.as_ref()?;
        Some(self.get(token).map_or(0, |id| counts[id]))
    }

    /// Refuses a vocabulary holding a word `tokenizer` can never make
    /// ([`Tokenizer::produces`]; the four special tokens aside): such a
    /// word could never be read, and written out it could carry a
    /// terminal escape, a bidirectional override or a spreadsheet formula.
    ///
    /// # Errors
    /// The first such token, with its id.
    pub fn check_tokens(&self, tokenizer: &Tokenizer) -> Result<(), VocabError> {
        self.check_made_by(tokenizer, |t| tokenizer.produces(t))
    }

    /// As [`Vocab::check_tokens`] for a vocabulary of subword pieces: each
    /// token must be a piece of some word the tokenizer makes
    /// ([`super::subwords::piece_is_possible`]).
    ///
    /// # Errors
    /// The first such token, with its id.
    pub fn check_pieces(&self, tokenizer: &Tokenizer) -> Result<(), VocabError> {
        self.check_made_by(tokenizer, |t| {
            super::subwords::piece_is_possible(tokenizer, t)
        })
    }

    fn check_made_by(
        &self,
        tokenizer: &Tokenizer,
        can_make: impl Fn(&str) -> bool,
    ) -> Result<(), VocabError> {
        match (SPECIALS.len()..self.len()).find(|&i| !can_make(&self.tokens[i])) {
            Some(index) => Err(VocabError::NotAToken {
                token: self.tokens[index].clone(),
                index,
                tokens: tokenizer.tokenize(&self.tokens[index]),
            }),
            None => Ok(()),
        }
    }

    /// The tokens in id order.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The number of tokens, specials included.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether there are no tokens; never true, since the specials are always there.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The id of `token`, if the vocabulary has it.
    pub fn get(&self, token: &str) -> Option<usize> {
        self.index.get(token).copied()
    }

    /// The id of `token`, or [`UNK_ID`] if the vocabulary does not have it.
    pub fn id(&self, token: &str) -> usize {
        self.get(token).unwrap_or(UNK_ID)
    }

    /// The token of `id`, or `<unk>` if `id` is out of range.
    pub fn token(&self, id: usize) -> &str {
        self.tokens.get(id).map_or(UNK, String::as_str)
    }

    /// The ids of some tokens; unknown tokens become [`UNK_ID`].
    pub fn encode(&self, tokens: &[String]) -> Vec<usize> {
        tokens.iter().map(|t| self.id(t)).collect()
    }

    /// The tokens of some ids, specials included (filtering `<pad>`, `<s>`
    /// and `</s>` is the caller's choice); out-of-range ids become `<unk>`.
    pub fn decode(&self, ids: &[usize]) -> Vec<String> {
        ids.iter().map(|&id| self.token(id).to_string()).collect()
    }

    /// The tokens the vocabulary does not have, in order of first
    /// appearance, each once.
    pub fn unknown(&self, tokens: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in tokens {
            if self.get(t).is_none() && !out.contains(t) {
                out.push(t.clone());
            }
        }
        out
    }
}
