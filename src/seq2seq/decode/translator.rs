//! From a sentence to its translation (tutorial §4.3): tokenize, map words
//! to ids, decode, map ids back to words — a [`Translator`] does it for any
//! task: a sentence to translate, a document to summarize, a conversation
//! to answer.

use super::batches::decode_in_batches;
use super::beam::{beam_search, beam_search_n_best};
use super::greedy::{Hypothesis, greedy};
use super::sampling::{Sampling, sample};
use super::{DecodeError, MAX_INPUT_TOKENS, UnknownWords};
use crate::seq2seq::models::Seq2Seq;
use crate::seq2seq::task::{Task, TextSettings};
use crate::tensor::{Float, Rng, Tensor};
use crate::text::subwords::{Subwords, join};
use crate::text::{EOS_ID, Tokenizer, Trigrams, Vocab, detokenize_in};

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

/// A trained model with what it needs to turn text into text: its
/// vocabularies, its task, and how its text is tokenized and written back.
pub struct Translator {
    /// The model.
    pub model: Box<dyn Seq2Seq>,
    /// Source vocabulary.
    pub src_vocab: Vocab,
    /// Target vocabulary.
    pub tgt_vocab: Vocab,
    /// What it was trained to do.
    pub task: Task,
    /// How its text is tokenized and written back.
    pub text: TextSettings,
    /// The word trigrams of its training sources (`None`: not known), to
    /// mark an input outside them ([`Translator::marks`]).
    pub src_trigrams: Option<Trigrams>,
    /// Its merge tables when it reads and writes subword pieces
    /// (`train --subwords N`), `None` when it reads whole words.
    pub subwords: Option<Subwords>,
}

impl Translator {
    /// A translator with the built-in corpora's text settings
    /// ([`TextSettings::for_task`]).
    pub fn new(model: Box<dyn Seq2Seq>, src_vocab: Vocab, tgt_vocab: Vocab, task: Task) -> Self {
        Translator {
            model,
            src_vocab,
            tgt_vocab,
            task,
            text: TextSettings::for_task(task),
            src_trigrams: None,
            subwords: None,
        }
    }

    /// Turns a decoded hypothesis into text.
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

    /// The target words of decoded ids, `</s>` left out: the tokens, or
    /// with subwords the pieces joined into words ([`join`]).
    fn words(&self, ids: &[usize]) -> Vec<String> {
        let tokens: Vec<String> = ids
            .iter()
            .filter(|&&y| y != EOS_ID)
            .map(|&y| self.tgt_vocab.token(y).to_string())
            .collect();
        match self.subwords {
            Some(_) => join(&tokens),
            None => tokens,
        }
    }

    /// What the encoder reads of some words: the words themselves, or
    /// with subwords their pieces ([`crate::text::subwords::Merges::split`]).
    pub fn source_tokens(&self, words: Vec<String>) -> Vec<String> {
        match &self.subwords {
            Some(s) => words.iter().flat_map(|w| s.src.split(w)).collect(),
            None => words,
        }
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

    /// Tokenizes a sentence as in training (into subword pieces, for a
    /// model trained with them) and maps it to source ids; a token the
    /// vocabulary lacks is refused or read as `<unk>`, as `unknown` says.
    ///
    /// # Errors
    /// No words (nothing [`visible`](crate::text::visible)), more than
    /// [`MAX_INPUT_TOKENS`], or unknown words refused.
    pub fn prepare(
        &self,
        sentence: &str,
        unknown: UnknownWords,
    ) -> Result<(Vec<String>, Vec<usize>), DecodeError> {
        let tokens = self.tokenizer().tokenize(sentence);
        if tokens.is_empty() || !crate::text::visible(sentence) {
            return Err(DecodeError::Empty);
        }
        let tokens = self.source_tokens(tokens);
        if tokens.len() > MAX_INPUT_TOKENS {
            return Err(DecodeError::TooLong(tokens.len()));
        }
        let missing = self.src_vocab.unknown(&tokens);
        if !missing.is_empty() && unknown == UnknownWords::Refuse {
            return Err(DecodeError::UnknownWords(missing));
        }
        let ids = self.src_vocab.encode(&tokens);
        Ok((tokens, ids))
    }

    /// Decodes one input text (a sentence to translate, a document to
    /// summarize, a conversation to answer) with the model's task: greedy
    /// decoding when `beam == 1`, beam search (length-normalised with
    /// $\alpha = 1$) otherwise.
    ///
    /// # Errors
    /// As [`Translator::prepare`]; [`DecodeError::BadBeam`] for a beam of 0;
    /// [`DecodeError::NonFinite`] if the model's scores are NaN.
    pub fn decode_text(
        &self,
        sentence: &str,
        beam: usize,
        unknown: UnknownWords,
    ) -> Result<DecodedText, DecodeError> {
        if beam == 0 {
            return Err(DecodeError::BadBeam);
        }
        let max = self.max_output();
        let (tokens, mut hyps) = self.decode_with(sentence, unknown, |m, ids| {
            vec![if beam == 1 {
                greedy(m, &[ids], max).remove(0)
            } else {
                beam_search(m, ids, beam, max, 1.0)
            }]
        })?;
        Ok(self.finish(tokens, hyps.remove(0)))
    }

    /// Decodes one input text by sampling ([`sample`]) with the
    /// draws taken from `rng`, unknown words as `unknown` says.
    ///
    /// # Errors
    /// As [`Translator::prepare`]; [`DecodeError::NonFinite`] if the
    /// model's scores are NaN.
    pub fn sample_text(
        &self,
        sentence: &str,
        sampling: &Sampling,
        rng: &mut Rng,
        unknown: UnknownWords,
    ) -> Result<DecodedText, DecodeError> {
        let max = self.max_output();
        let (tokens, mut hyps) = self.decode_with(sentence, unknown, |m, ids| {
            sample(m, &[ids], max, sampling, rng)
        })?;
        Ok(self.finish(tokens, hyps.remove(0)))
    }

    /// The `n` best outputs of beam search of width `beam` as text, best
    /// first, each with its length-normalised score ([`beam_search_n_best`], $\alpha = 1$).
    ///
    /// # Errors
    /// [`DecodeError::BadBeam`] if `beam` is 0 or `n` is not in `1..=beam`;
    /// as [`Translator::decode_text`] otherwise.
    pub fn n_best_text(
        &self,
        sentence: &str,
        beam: usize,
        n: usize,
        unknown: UnknownWords,
    ) -> Result<Vec<(String, Float)>, DecodeError> {
        if beam == 0 || n == 0 || n > beam {
            return Err(DecodeError::BadBeam);
        }
        let max = self.max_output();
        let mut scores = vec![];
        let (_, hyps) = self.decode_with(sentence, unknown, |m, ids| {
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
        unknown: UnknownWords,
        run: impl FnOnce(&dyn Seq2Seq, &[usize]) -> Vec<Hypothesis>,
    ) -> Result<(Vec<String>, Vec<Hypothesis>), DecodeError> {
        let (tokens, ids) = self.prepare(sentence, unknown)?;
        let hyps = run(self.model.as_ref(), &ids);
        if hyps.iter().any(|h| h.log_prob.is_nan()) {
            return Err(DecodeError::NonFinite);
        }
        Ok((tokens, hyps))
    }

    /// Decodes many sources (as ids) and returns each output as text, in
    /// input order ([`decode_in_batches`]: greedy when `beam == 1`,
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
