//! From a sentence to its translation (tutorial §4.3): tokenize, map words
//! to ids, decode, map ids back to words.

use super::beam::{beam_search, beam_search_n_best};
use super::checkpoint::Checkpoint;
use super::decode::{Hypothesis, decode_in_batches, greedy};
use super::model::Seq2Seq;
use super::sampling::{Sampling, sample};
use crate::tensor::{Float, Rng, Tensor};
use crate::text::EOS_ID;
use crate::text::{Tokenizer, detokenize_in};
use std::fmt;

/// Why an input could not be decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum DecodeError {
    /// Nothing to translate.
    Empty,
    /// Words the model never saw in training.
    UnknownWords(Vec<String>),
    /// A beam width of 0, or an n-best count not in `1..=beam`.
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
                crate::text::printable(&w.join(", "))
            ),
            DecodeError::BadBeam => write!(
                f,
                "the beam width must be at least 1, and --n-best at least 1 and at most the beam width"
            ),
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
        let max = self.max_output();
        let (tokens, mut hyps) = self.decode_with(sentence, allow_unknown, |m, ids| {
            vec![if beam == 1 {
                greedy(m, &[ids], max).remove(0)
            } else {
                beam_search(m, ids, beam, max, 1.0)
            }]
        })?;
        Ok(self.finish(tokens, hyps.remove(0)))
    }

    /// Decodes one input text by sampling ([`super::sample`]) with the
    /// draws taken from `rng`, unknown words as `<unk>` when `allow_unknown`.
    ///
    /// # Errors
    /// As [`Checkpoint::prepare_with`]; [`DecodeError::NonFinite`] if the
    /// model's scores are NaN.
    pub fn sample_text(
        &self,
        sentence: &str,
        sampling: &Sampling,
        rng: &mut Rng,
        allow_unknown: bool,
    ) -> Result<DecodedText, DecodeError> {
        let max = self.max_output();
        let (tokens, mut hyps) = self.decode_with(sentence, allow_unknown, |m, ids| {
            sample(m, &[ids], max, sampling, rng)
        })?;
        Ok(self.finish(tokens, hyps.remove(0)))
    }

    /// The `n` best outputs of beam search of width `beam` as text, best
    /// first, each with its length-normalised score ([`super::beam_search_n_best`], $\alpha = 1$).
    ///
    /// # Errors
    /// [`DecodeError::BadBeam`] if `beam` is 0 or `n` is not in `1..=beam`;
    /// as [`Checkpoint::decode_text_with`] otherwise.
    pub fn n_best_text(
        &self,
        sentence: &str,
        beam: usize,
        n: usize,
        allow_unknown: bool,
    ) -> Result<Vec<(String, Float)>, DecodeError> {
        if beam == 0 || n == 0 || n > beam {
            return Err(DecodeError::BadBeam);
        }
        let max = self.max_output();
        let mut scores = vec![];
        let (_, hyps) = self.decode_with(sentence, allow_unknown, |m, ids| {
            let best = beam_search_n_best(m, ids, beam, n, max, 1.0);
            scores = best.iter().map(|(_, s)| *s).collect();
            best.into_iter().map(|(h, _)| h).collect()
        })?;
        Ok(hyps
            .iter()
            .zip(scores)
            .map(|(h, s)| (self.detokenize(&self.words(&h.ids)), s))
            .collect())
    }

    /// Prepares `sentence` and decodes its ids with `run` (the model, the
    /// ids, the most tokens to write); refuses NaN scores.
    fn decode_with(
        &self,
        sentence: &str,
        allow_unknown: bool,
        run: impl FnOnce(&dyn Seq2Seq, &[usize]) -> Vec<Hypothesis>,
    ) -> Result<(Vec<String>, Vec<Hypothesis>), DecodeError> {
        let (tokens, ids) = self.prepare_with(sentence, allow_unknown)?;
        let hyps = run(self.model.as_ref(), &ids);
        if hyps.iter().any(|h| h.log_prob.is_nan()) {
            return Err(DecodeError::NonFinite);
        }
        Ok((tokens, hyps))
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
