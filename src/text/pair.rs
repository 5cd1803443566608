//! What every sequence-to-sequence data set holds: a source text and the
//! text a model should write from it.

/// A source text and the text a model should produce from it: a document
/// and its headline, or a dialogue history and the bot's next reply.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextPair {
    /// What the encoder reads.
    pub source: String,
    /// What the decoder should write.
    pub target: String,
}
