//! Decoding (tutorial §3.2): from `<s>`, score the next word, choose one,
//! until `</s>` — and everything built on it.
//!
//! | file | what it holds |
//! |---|---|
//! | `greedy.rs` | the decoding loop over many sentences at once, and [`greedy`] |
//! | `batches.rs` | many sources decoded in batches of similar length, each within [`DECODE_BYTES`] |
//! | `beam.rs` | beam search: the `k` best prefixes, the n best outputs, the beam as a tree |
//! | `beam_step.rs` | one sentence's beam and one step of it |
//! | `cached.rs` | how each step runs the decoder: the Transformer's key/value cache, or the whole prefix again ([`Steps`]) |
//! | `sampling.rs` | temperature, top-k and top-p sampling |
//! | `translator.rs` | [`Translator`]: text in, text out, for any task |
//! | `known.rs` | what the model knows of an input: rare words, word sequences outside its training sources ([`Mark`]), final punctuation set aside |
//! | `chat.rs` | a conversation that keeps its history |
//! | `explore.rs` | what the explorer shows: every attention and every step of one decoding |
//! | `arithmetic.rs` | every number of one attention row, read back from the model's tape (`tapped.rs`) |

mod arithmetic;
mod batches;
mod beam;
mod beam_step;
mod cached;
mod chat;
mod explore;
mod forced;
mod greedy;
mod known;
mod sampling;
mod tapped;
mod translator;

pub use arithmetic::{
    AttentionRow, Formula, RowArithmetic, Score, attention_arithmetic, row_scores,
};
pub use batches::{DECODE_BYTES, decode_in_batches};
pub use beam::{
    BeamEntry, BeamTrace, beam_search, beam_search_batch, beam_search_batch_by, beam_search_n_best,
    beam_search_traced, normalised_score,
};
pub use cached::Steps;
pub use chat::{ChatReply, ChatSession, MAX_HISTORY_TOKENS};
pub use explore::{
    AttentionKind, AttentionMap, BeamNode, Exploration, ExploreOptions, MAX_SHOWN_TOKENS, Step,
};
pub use forced::{GreedyStep, greedy_steps};
pub use greedy::{Hypothesis, choosable, greedy, greedy_by};
pub use known::{FINAL_MARKS, Mark, RARE_BELOW, Unit};
pub use sampling::{
    Sampling, SamplingError, draw, sample, sample_by, temperature_probs, top_k_cut, top_p_cut,
};
pub use translator::{DecodedText, Translator};

use std::fmt;

/// What to do with a source word the vocabulary lacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnknownWords {
    /// Refuse the input, naming the words ([`DecodeError::UnknownWords`]).
    #[default]
    Refuse,
    /// Read each as `<unk>` (`--allow-unknown`).
    AsUnk,
}

/// The longest input decoded, in tokens: the time and memory of one
/// decoding grow with the input's length (the Transformer's attention with
/// its square), so a longer input is refused (by `translate`) or cut (by
/// `evaluate`, which says how many it cut).
pub const MAX_INPUT_TOKENS: usize = 1000;

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
    /// The model wrote `</s>` first: an output without words, which is
    /// reported, never shown as if it were an output (an empty line, a
    /// picture without rows). Checked by
    /// `tests/cli/outputs.rs::an_empty_output_is_never_printed_or_drawn_as_one`.
    NothingWritten,
    /// More tokens than a page or an export shows (`(tokens, limit)`,
    /// [`MAX_SHOWN_TOKENS`]): its matrices grow with the square.
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
            DecodeError::NothingWritten => write!(
                f,
                "the model wrote nothing for this input (it ended its output at once); a model trained longer may do better"
            ),
            DecodeError::NonFinite => write!(
                f,
                "the model's scores are not finite numbers (NaN or infinity): its weights are damaged or too large; retrain it"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}
