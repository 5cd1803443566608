//! The three encoder–decoder models and what every one of them offers
//! ([`Seq2Seq`]): encode a batch's sources, decode its targets with teacher
//! forcing, score the next word after a prefix.
//!
//! | model | file | tutorial |
//! |---|---|---|
//! | [`LstmSeq2Seq`] | `lstm_seq2seq.rs` | §5.1: the encoder's final state starts the decoder (LSTM, GRU or §4.1 RNN cells) |
//! | [`AttentionSeq2Seq`] | `attention_seq2seq.rs` | §2.3: the decoder also attends to every encoder output (any cell) |
//! | [`TransformerSeq2Seq`] | `transformer_seq2seq.rs` | §2.1.2, §4.2: self-attention and cross-attention stacks |
//!
//! `bridge.rs` holds how a recurrent decoder starts from a bidirectional
//! encoder. [`build`] makes any of them from its [`ModelConfig`].

mod attention_seq2seq;
mod bridge;
mod lstm_seq2seq;
mod transformer_seq2seq;

pub use attention_seq2seq::AttentionSeq2Seq;
pub use bridge::{DecoderReads, StateBridge, decoder_hidden, project_state};
pub use lstm_seq2seq::{LstmSeq2Seq, WordRnn};
pub use transformer_seq2seq::TransformerSeq2Seq;

use super::batch::Batch;
use super::config::{Arch, ModelConfig};
use crate::autograd::{Tape, Var};
use crate::nn::{Embedding, Linear, Module};
use crate::tensor::Rng;

/// The encoder's result for a batch.
pub struct Encoded<'t> {
    /// Encoder outputs `[B, S, H]` (what attention looks at; as wide as the
    /// decoder for the recurrent models, `[B, S, 2H]` with the concat bridge); `None` for the
    /// models of the §5.1 wiring (`lstm`, `gru`, `rnn`), whose decoder sees only the final state.
    pub memory: Option<Var<'t>>,
    /// Recurrent models: the decoder's first state, each `[B, decoder hidden]`:
    /// the encoder's final states through the bridge
    /// (`src/seq2seq/models/bridge.rs`). With LSTM cells
    /// `[h_0, c_0, h_1, c_1, ..]` for its layers (`[h, c]` of the one-layer,
    /// one-direction default); with GRU or RNN cells, which carry no $c$,
    /// `[h_0, h_1, ..]`. Empty for the Transformer.
    pub state: Vec<Var<'t>>,
    /// True source lengths (positions at or past them are padding).
    pub src_lengths: Vec<usize>,
    /// The encoder's self-attention weights, per layer, `[B, heads, S, S]`
    /// (the Transformer; none for the LSTM models).
    pub attention: Vec<Var<'t>>,
}

/// The decoder's result for a batch.
pub struct Decoded<'t> {
    /// Scores over the target vocabulary `[B, T, V]` (before the softmax).
    pub logits: Var<'t>,
    /// Attention over the source, per layer, `[B, heads, T, S]` (one layer
    /// with one head for the LSTM with attention; none for the plain LSTM).
    pub attention: Vec<Var<'t>>,
    /// The decoder's masked self-attention weights, per layer,
    /// `[B, heads, T, T]` (the Transformer; none for the LSTM models).
    pub self_attention: Vec<Var<'t>>,
}

/// An encoder–decoder model on the tape.
pub trait Seq2Seq: Module + Sync {
    /// Its sizes.
    fn config(&self) -> &ModelConfig;

    /// Encodes the batch's sources. Dropout applies when `train` is given.
    ///
    /// # Panics
    /// If the source side is malformed ([`Batch::check_source`]).
    fn encode<'t>(&self, tape: &'t Tape, batch: &Batch, train: Option<&mut Rng>) -> Encoded<'t>;

    /// Decodes with teacher forcing: reads `batch.tgt_in`, returns the logits
    /// for each next token.
    ///
    /// # Panics
    /// If the target side is malformed ([`Batch::check_target`]).
    fn decode<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        batch: &Batch,
        train: Option<&mut Rng>,
    ) -> Decoded<'t>;

    /// The scores of the next word after each whole prefix: [`Seq2Seq::decode`]
    /// without dropout, but with logits for the last target position only,
    /// `[B, 1, V]` (attention still covers every position). Decoding reads
    /// nothing else, and the output layer over the earlier positions is most
    /// of a decoding step's work when the vocabulary is large. This default
    /// slices [`Seq2Seq::decode`]'s logits; the models skip that work.
    ///
    /// # Panics
    /// As [`Seq2Seq::decode`].
    fn decode_next<'t>(&self, tape: &'t Tape, enc: &Encoded<'t>, batch: &Batch) -> Decoded<'t> {
        let out = self.decode(tape, enc, batch, None);
        Decoded {
            logits: last_position(out.logits),
            ..out
        }
    }

    /// The model as a Transformer, whose decoding steps may use a
    /// [`crate::nn::KvCache`] ([`TransformerSeq2Seq::decode_step`]); `None`
    /// for the other models (and for wrappers, which decode as the
    /// reference does).
    fn as_transformer(&self) -> Option<&TransformerSeq2Seq> {
        None
    }

    /// The source and target word-vector tables, for loading pre-trained
    /// vectors ([`crate::seq2seq::io::load_vectors`]).
    fn embeddings_mut(&mut self) -> (&mut Embedding, &mut Embedding);

    /// The output layer over the target vocabulary (`decoder.output.*`), to
    /// start it another way ([`Linear::restart`]).
    fn output_mut(&mut self) -> &mut Linear;

    /// Encode then decode.
    fn forward<'t>(
        &self,
        tape: &'t Tape,
        batch: &Batch,
        mut train: Option<&mut Rng>,
    ) -> Decoded<'t> {
        let enc = self.encode(tape, batch, train.as_deref_mut());
        self.decode(tape, &enc, batch, train)
    }
}

/// The last position of a sequence: `[B, T, D]` → `[B, 1, D]`.
fn last_position(v: Var<'_>) -> Var<'_> {
    let t = v.shape()[1];
    v.slice(1, t.saturating_sub(1), t)
}

/// Builds a freshly initialised model from its config.
///
/// # Errors
/// If the config is invalid.
pub fn build(config: &ModelConfig, rng: &mut Rng) -> Result<Box<dyn Seq2Seq>, String> {
    config.validate()?;
    Ok(match config.arch {
        Arch::Lstm(_) => Box::new(LstmSeq2Seq::new(config.clone(), rng)),
        Arch::Attention(_) => Box::new(AttentionSeq2Seq::new(config.clone(), rng)),
        Arch::Transformer(_) => Box::new(TransformerSeq2Seq::new(config.clone(), rng)),
    })
}
