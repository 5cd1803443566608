//! What a model knows of its input: words it saw too rarely in training,
//! word sequences its training sources never held ("outside what this
//! model was trained on"), and sentence-final punctuation its source
//! vocabulary lacks, which is set aside and put back on the output.
//!
//! Checked by `tests/text/trigrams.rs` and `tests/cli/knows.rs`.

use super::Translator;
use crate::text::{Tokenizer, Trigram, describe_unseen, detokenize_in};
use std::fmt;

/// A word seen fewer times than this in the training sources is marked
/// as rare: the model has had few chances to learn it.
pub const RARE_BELOW: usize = 5;

/// The sentence-final marks the tokenizer makes as tokens of their own.
pub const FINAL_MARKS: [&str; 3] = [".", "?", "!"];

/// One thing worth telling about an input before trusting its output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A word (or, for a model of subword pieces, a piece) seen fewer than
    /// [`RARE_BELOW`] times in training (0: never).
    Rare {
        /// The word or piece.
        word: String,
        /// Its training count.
        count: usize,
        /// Whether the model reads words or pieces.
        unit: Unit,
    },
    /// The first trigram of the input no training source held.
    Outside(Trigram),
    /// The checkpoint keeps no word counts (written before they were kept,
    /// or imported from weights), so rare words cannot be marked.
    CountsNotStored,
    /// The checkpoint keeps no trigrams, so inputs outside the training
    /// corpus cannot be marked.
    TrigramsNotStored,
    /// A sentence-final mark the source vocabulary lacks, set aside and put
    /// back after the output.
    SetAside(String),
}

/// What the model's source vocabulary holds: whole words, or the pieces of
/// `train --subwords N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Whole words.
    Word,
    /// Subword pieces (`te@@` `n`).
    Piece,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Word => "word",
            Unit::Piece => "piece",
        })
    }
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mark::Rare {
                word,
                count: 0,
                unit,
            } => {
                write!(f, "rare {unit}: '{word}' never occurs in training")
            }
            Mark::Rare { word, count, unit } => write!(
                f,
                "rare {unit}: '{word}' occurs {count} time{} in training (fewer than {RARE_BELOW})",
                if *count == 1 { "" } else { "s" }
            ),
            Mark::Outside(g) => write!(
                f,
                "outside what this model was trained on: {} (a confident output may still be wrong)",
                describe_unseen(g)
            ),
            Mark::CountsNotStored => write!(
                f,
                "counts not stored in this checkpoint: rare words are not marked"
            ),
            Mark::TrigramsNotStored => write!(
                f,
                "trigrams not stored in this checkpoint: inputs outside the training corpus are not marked"
            ),
            Mark::SetAside(m) => write!(
                f,
                "the model was not trained with '{m}': it is set aside and put back after the output"
            ),
        }
    }
}

impl Translator {
    /// What to tell about an input before trusting its output: the final
    /// marks [`Translator::set_aside_final_marks`] sets aside, then, on
    /// the words left, each rare word once (in order), then the first
    /// trigram no training source held — or, for a checkpoint that keeps
    /// no counts or no trigrams, that it does not.
    pub fn marks(&self, input: &str) -> Vec<Mark> {
        let (text, set_aside) = self.set_aside_final_marks(input);
        let tokens = self.source_tokens(self.tokenizer().tokenize(&text));
        let mut marks: Vec<Mark> = set_aside.into_iter().map(Mark::SetAside).collect();
        match self.src_vocab.counts() {
            None => marks.push(Mark::CountsNotStored),
            Some(_) => {
                let unit = match self.subwords {
                    Some(_) => Unit::Piece,
                    None => Unit::Word,
                };
                let mut seen: Vec<&String> = vec![];
                for word in &tokens {
                    let count = self.src_vocab.count(word).unwrap_or(0);
                    if count < RARE_BELOW && !seen.contains(&word) {
                        seen.push(word);
                        let word = word.clone();
                        marks.push(Mark::Rare { word, count, unit });
                    }
                }
            }
        }
        match &self.src_trigrams {
            None => marks.push(Mark::TrigramsNotStored),
            Some(t) => marks.extend(t.first_unseen(&tokens).map(Mark::Outside)),
        }
        marks
    }

    /// `input` without the sentence-final marks ([`FINAL_MARKS`]) at its
    /// end that the source vocabulary lacks, and those marks in order. A
    /// mark is only set aside with words before it, so `?` alone is left
    /// (and refused as unknown).
    pub fn set_aside_final_marks(&self, input: &str) -> (String, Vec<String>) {
        let mut text = input.to_string();
        let mut tokens = self.tokenizer().tokenize(input);
        let mut marks = vec![];
        while tokens.len() > 1 {
            let last = tokens[tokens.len() - 1].as_str();
            if !FINAL_MARKS.contains(&last) || self.src_vocab.get(last).is_some() {
                break;
            }
            // Nothing after the mark makes a token: cutting at its last
            // occurrence keeps every other token.
            let at = text.rfind(last).expect("the mark is in the text");
            text.truncate(at);
            marks.insert(0, tokens.pop().expect("a last token"));
        }
        (text, marks)
    }

    /// `output` with `marks` put back at its end, in the target language's
    /// typography, unless the output is empty or already ends with them.
    pub fn put_back_final_marks(&self, output: &str, marks: &[String]) -> String {
        let mut tokens = Tokenizer::new(false).tokenize(output);
        if marks.is_empty() || tokens.is_empty() || tokens.ends_with(marks) {
            return output.to_string();
        }
        tokens.extend(marks.iter().cloned());
        detokenize_in(&tokens, self.text.tgt_lang)
    }
}
