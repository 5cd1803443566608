//! From a sentence to its translation (tutorial §4.3): tokenize, map words
//! to ids, decode, map ids back to words.

use super::checkpoint::Checkpoint;
use super::decode::{Hypothesis, beam_search, greedy};
use crate::data::EOS_ID;
use crate::data::{Tokenizer, detokenize};
use crate::tensor::Tensor;
use std::fmt;

/// Why a sentence could not be translated.
#[derive(Clone, Debug, PartialEq)]
pub enum TranslateError {
    /// Nothing to translate.
    Empty,
    /// Words the model never saw in training.
    UnknownWords(Vec<String>),
    /// A beam width of 0.
    BadBeam,
}

impl fmt::Display for TranslateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TranslateError::Empty => write!(f, "the sentence is empty: nothing to translate"),
            TranslateError::UnknownWords(w) => write!(
                f,
                "unknown words (not in the training vocabulary): {}",
                w.join(", ")
            ),
            TranslateError::BadBeam => write!(f, "the beam width must be at least 1"),
        }
    }
}

impl std::error::Error for TranslateError {}

/// A translation with what is needed to plot its attention.
#[derive(Clone, Debug, PartialEq)]
pub struct Translation {
    /// The source tokens, `</s>` included (the heatmap's x axis).
    pub src_tokens: Vec<String>,
    /// The target tokens, `</s>` included when produced (the y axis).
    pub tgt_tokens: Vec<String>,
    /// The translation as text, without special tokens.
    pub text: String,
    /// Attention per layer, `[heads, target, source]`.
    pub attention: Vec<Tensor>,
}

/// Longest translation produced, in tokens.
pub const MAX_LEN: usize = 30;

impl Checkpoint {
    /// Turns a batch of hypotheses into translations.
    fn finish(&self, src_tokens: Vec<String>, h: Hypothesis) -> Translation {
        let tgt_tokens = self.tgt_vocab.decode(&h.ids);
        let words: Vec<String> = h
            .ids
            .iter()
            .filter(|&&y| y != EOS_ID)
            .map(|&y| self.tgt_vocab.token(y).to_string())
            .collect();
        let mut src_tokens = src_tokens;
        src_tokens.push(self.src_vocab.token(EOS_ID).to_string());
        Translation {
            src_tokens,
            tgt_tokens,
            text: detokenize(&words),
            attention: h.attention,
        }
    }

    /// Tokenizes (lowercased) and checks a sentence against the source vocabulary.
    pub fn prepare(&self, sentence: &str) -> Result<(Vec<String>, Vec<usize>), TranslateError> {
        let tokens = Tokenizer::new(true).tokenize(sentence);
        if tokens.is_empty() {
            return Err(TranslateError::Empty);
        }
        let unknown = self.src_vocab.unknown(&tokens);
        if !unknown.is_empty() {
            return Err(TranslateError::UnknownWords(unknown));
        }
        let ids = self.src_vocab.encode(&tokens);
        Ok((tokens, ids))
    }

    /// Translates one sentence: greedy decoding when `beam == 1`, beam
    /// search (length-normalised with $\alpha = 1$) otherwise.
    pub fn translate(&self, sentence: &str, beam: usize) -> Result<Translation, TranslateError> {
        if beam == 0 {
            return Err(TranslateError::BadBeam);
        }
        let (tokens, ids) = self.prepare(sentence)?;
        let h = if beam == 1 {
            greedy(self.model.as_ref(), &[&ids], MAX_LEN).remove(0)
        } else {
            beam_search(self.model.as_ref(), &ids, beam, MAX_LEN, 1.0)
        };
        Ok(self.finish(tokens, h))
    }
}
