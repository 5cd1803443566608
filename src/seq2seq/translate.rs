//! From a sentence to its translation (tutorial §4.3): tokenize, map words
//! to ids, decode, map ids back to words.

use super::beam::beam_search;
use super::checkpoint::Checkpoint;
use super::decode::{Hypothesis, decode_in_batches, greedy};
use crate::data::EOS_ID;
use crate::data::{Tokenizer, detokenize_in};
use crate::tensor::Tensor;
use std::fmt;

/// Why an input could not be decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum DecodeError {
    /// Nothing to translate.
    Empty,
    /// Words the model never saw in training.
    UnknownWords(Vec<String>),
    /// A beam width of 0.
    BadBeam,
    /// The model's scores were not finite numbers (NaN or infinite).
    NonFinite,
    /// More tokens than [`MAX_INPUT_TOKENS`].
    TooLong(usize),
    /// More tokens than a page or an export shows (`(tokens, limit)`,
    /// [`crate::explore::MAX_SHOWN_TOKENS`]): its matrices grow with the square.
    TooLongToShow(usize, usize),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the input has no words: nothing to decode"),
            DecodeError::UnknownWords(w) => write!(
                f,
                "unknown words (not in the training vocabulary): {}; pass --allow-unknown to translate them as <unk>",
                crate::data::printable(&w.join(", "))
            ),
            DecodeError::BadBeam => write!(f, "the beam width must be at least 1"),
            DecodeError::TooLong(n) => write!(
                f,
                "the input has {n} tokens; at most {MAX_INPUT_TOKENS} are decoded at once (split it into sentences)"
            ),
            DecodeError::TooLongToShow(n, limit) => write!(
                f,
                "the input has {n} tokens; the explorer and the attention exports show at most {limit} (each attention matrix grows with the square of the length): give a shorter input"
            ),
            DecodeError::NonFinite => write!(
                f,
                "the model's scores are not finite numbers (NaN or infinity): its weights are damaged or too large; retrain it"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A decoded output (a translation, a headline or a reply) with what is
/// needed to plot its attention.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedText {
    /// The source tokens, `</s>` included (the heatmap's x axis).
    pub src_tokens: Vec<String>,
    /// The target tokens, `</s>` included when produced (the y axis).
    pub tgt_tokens: Vec<String>,
    /// The translation as text, without special tokens.
    pub text: String,
    /// Attention per layer, `[heads, target, source]`.
    pub attention: Vec<Tensor>,
}

/// The longest input decoded, in tokens: the time and memory of one
/// decoding grow with the input's length (the Transformer's attention with
/// its square), so a longer input is refused (by `translate`) or cut (by
/// `evaluate`, which says how many it cut).
pub const MAX_INPUT_TOKENS: usize = 1000;

/// Longest output of a model trained on the built-in corpora, in tokens
/// (`</s>` included); a model trained on files writes at most its
/// [`super::TextSettings::max_len`] + 1.
pub const MAX_LEN: usize = 30;

impl Checkpoint {
    /// Turns a batch of hypotheses into translations.
    fn finish(&self, src_tokens: Vec<String>, h: Hypothesis) -> DecodedText {
        let tgt_tokens = self.tgt_vocab.decode(&h.ids);
        let words = self.words(&h.ids);
        let mut src_tokens = src_tokens;
        src_tokens.push(self.src_vocab.token(EOS_ID).to_string());
        DecodedText {
            src_tokens,
            tgt_tokens,
            text: self.detokenize(&words),
            attention: h.attention,
        }
    }

    /// The target words of decoded ids, `</s>` left out.
    fn words(&self, ids: &[usize]) -> Vec<String> {
        ids.iter()
            .filter(|&&y| y != EOS_ID)
            .map(|&y| self.tgt_vocab.token(y).to_string())
            .collect()
    }

    /// The tokenizer the model was trained with.
    pub fn tokenizer(&self) -> Tokenizer {
        Tokenizer::new(self.text.lowercase)
    }

    /// The most tokens decoding writes, `</s>` included.
    pub fn max_output(&self) -> usize {
        self.text.max_len + 1
    }

    /// Target tokens back to text, with the target language's typography.
    pub fn detokenize(&self, tokens: &[String]) -> String {
        detokenize_in(tokens, self.text.tgt_lang)
    }

    /// Tokenizes a sentence as in training and maps it to source ids; a word
    /// the vocabulary lacks is an error, or `<unk>` when `allow_unknown`.
    pub fn prepare_with(
        &self,
        sentence: &str,
        allow_unknown: bool,
    ) -> Result<(Vec<String>, Vec<usize>), DecodeError> {
        let tokens = self.tokenizer().tokenize(sentence);
        if tokens.is_empty() {
            return Err(DecodeError::Empty);
        }
        if tokens.len() > MAX_INPUT_TOKENS {
            return Err(DecodeError::TooLong(tokens.len()));
        }
        let unknown = self.src_vocab.unknown(&tokens);
        if !unknown.is_empty() && !allow_unknown {
            return Err(DecodeError::UnknownWords(unknown));
        }
        let ids = self.src_vocab.encode(&tokens);
        Ok((tokens, ids))
    }

    /// [`Checkpoint::prepare_with`], unknown words refused.
    pub fn prepare(&self, sentence: &str) -> Result<(Vec<String>, Vec<usize>), DecodeError> {
        self.prepare_with(sentence, false)
    }

    /// Decodes one input text (a sentence to translate, a document to
    /// summarize, a conversation to answer) with the model's task: greedy
    /// decoding when `beam == 1`, beam
    /// search (length-normalised with $\alpha = 1$) otherwise.
    pub fn decode_text(&self, sentence: &str, beam: usize) -> Result<DecodedText, DecodeError> {
        self.decode_text_with(sentence, beam, false)
    }

    /// [`Checkpoint::decode_text`], with unknown words as `<unk>` when `allow_unknown`.
    pub fn decode_text_with(
        &self,
        sentence: &str,
        beam: usize,
        allow_unknown: bool,
    ) -> Result<DecodedText, DecodeError> {
        if beam == 0 {
            return Err(DecodeError::BadBeam);
        }
        let (tokens, ids) = self.prepare_with(sentence, allow_unknown)?;
        let h = if beam == 1 {
            greedy(self.model.as_ref(), &[&ids], self.max_output()).remove(0)
        } else {
            beam_search(self.model.as_ref(), &ids, beam, self.max_output(), 1.0)
        };
        if h.log_prob.is_nan() {
            return Err(DecodeError::NonFinite);
        }
        Ok(self.finish(tokens, h))
    }

    /// Decodes many sources (as ids) and returns each output as text, in
    /// input order ([`super::decode_in_batches`]: greedy when `beam == 1`,
    /// beam search otherwise, about `batch_size` decoder rows at a time).
    ///
    /// # Errors
    /// [`DecodeError::NonFinite`] if the model's scores are NaN.
    pub fn decode_all(
        &self,
        sources: &[Vec<usize>],
        beam: usize,
        batch_size: usize,
    ) -> Result<Vec<String>, DecodeError> {
        let hyps = decode_in_batches(
            self.model.as_ref(),
            sources,
            beam,
            self.max_output(),
            batch_size,
        );
        hyps.iter()
            .map(|h| {
                if h.log_prob.is_nan() {
                    return Err(DecodeError::NonFinite);
                }
                Ok(self.detokenize(&self.words(&h.ids)))
            })
            .collect()
    }
}
