//! What a model is trained to do (tutorial §6): the [`Task`], and how its
//! text is tokenized and written back ([`TextSettings`]).

use crate::text::Language;
use std::fmt;
use std::str::FromStr;

/// The three applications of tutorial §6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Task {
    /// §6.1: English → French.
    Translation,
    /// §6.2: a news-like document → its headline.
    Summarization,
    /// §6.3: the dialogue so far → the next reply.
    Dialogue,
}

impl Task {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            Task::Translation => "translation",
            Task::Summarization => "summarization",
            Task::Dialogue => "dialogue",
        }
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Task {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "translation" => Ok(Task::Translation),
            "summarization" => Ok(Task::Summarization),
            "dialogue" => Ok(Task::Dialogue),
            _ => Err(format!(
                "unknown task '{s}': expected translation, summarization or dialogue"
            )),
        }
    }
}

/// How a model's text is tokenized and written back, as it was trained.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextSettings {
    /// Whether the tokenizer lowercases.
    pub lowercase: bool,
    /// The source language (for its typography).
    pub src_lang: Language,
    /// The target language: outputs are detokenized with its typography.
    pub tgt_lang: Language,
    /// The longest sentence, in tokens, the model was trained on; decoding
    /// writes at most `max_len + 1` tokens (the sentence and `</s>`).
    pub max_len: usize,
}

impl TextSettings {
    /// The settings of the built-in corpora: lowercased, English to French
    /// for translation (English to English otherwise), 29 tokens, so that
    /// decoding stops at [`MAX_LEN`] tokens.
    pub fn for_task(task: Task) -> TextSettings {
        TextSettings {
            lowercase: true,
            src_lang: Language::English,
            tgt_lang: match task {
                Task::Translation => Language::French,
                _ => Language::English,
            },
            max_len: MAX_LEN - 1,
        }
    }
}

/// Longest output of a model trained on the built-in corpora, in tokens
/// (`</s>` included); a model trained on files writes at most its
/// [`TextSettings::max_len`] + 1.
pub const MAX_LEN: usize = 30;
