//! A dialogue session (tutorial §6.3): the encoder reads the conversation
//! so far, turns joined by the turn token [`TURN`], and the decoder writes the reply.

use super::{DecodeError, Translator, UnknownWords};
use crate::text::{TURN, TURN_MARK, Tokenizer, join_turns};

/// The longest history the encoder is shown, in tokens; older turns are
/// dropped first, so a very long conversation (or line) costs no more.
pub const MAX_HISTORY_TOKENS: usize = 60;

/// What one user line produced.
#[derive(Clone, Debug, PartialEq)]
pub enum ChatReply {
    /// The bot's reply (added to the history).
    Reply(String),
    /// The line held words the model never saw; the history is unchanged.
    Unknown(Vec<String>),
    /// A line that shows nothing (empty, or no [`visible`](crate::text::visible)
    /// character): nothing to answer.
    Nothing,
    /// The reply could not be decoded (for example, the model's scores are
    /// not finite); the history is unchanged.
    Failed(String),
}

/// A conversation with a dialogue model.
#[derive(Clone, Debug, Default)]
pub struct ChatSession {
    turns: Vec<String>,
}

impl ChatSession {
    /// An empty conversation.
    pub fn new() -> ChatSession {
        ChatSession::default()
    }

    /// Forgets the conversation.
    pub fn reset(&mut self) {
        self.turns.clear();
    }

    /// The turns so far, user and bot alternating.
    pub fn turns(&self) -> &[String] {
        &self.turns
    }

    /// The encoder's input: the turns joined by [`TURN`], cut to the last
    /// [`MAX_HISTORY_TOKENS`] tokens at a turn boundary when possible.
    pub fn history(&self) -> String {
        let tok = Tokenizer::new(true);
        let mut kept: Vec<&str> = vec![];
        let mut count = 0;
        for turn in self.turns.iter().rev() {
            let n = tok.tokenize(turn).len() + 1;
            if count + n > MAX_HISTORY_TOKENS && !kept.is_empty() {
                break;
            }
            count += n;
            kept.push(turn);
        }
        kept.reverse();
        let joined = join_turns(&kept);
        // A single turn longer than the limit keeps only its last tokens
        // (each turn token written back as the mark it came from).
        let tokens = tok.tokenize(&joined);
        tokens[tokens.len().saturating_sub(MAX_HISTORY_TOKENS)..]
            .iter()
            .map(|t| {
                if t == TURN {
                    TURN_MARK.to_string()
                } else {
                    t.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Adds the user's line and asks the model for the reply.
    pub fn respond(&mut self, model: &Translator, line: &str) -> ChatReply {
        let line = line.trim();
        if !crate::text::visible(line) {
            return ChatReply::Nothing;
        }
        self.turns.push(line.to_string());
        match model.decode_text(&self.history(), 1, UnknownWords::Refuse) {
            Ok(t) => {
                self.turns.push(t.text.clone());
                ChatReply::Reply(t.text)
            }
            Err(DecodeError::UnknownWords(words)) => {
                self.turns.pop();
                ChatReply::Unknown(words)
            }
            Err(e) => {
                self.turns.pop();
                ChatReply::Failed(e.to_string())
            }
        }
    }
}
