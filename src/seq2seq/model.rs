//! What every encoder–decoder model offers, and how to build one.

use super::Batch;
use super::architecture::Architecture;
use crate::autograd::{Tape, Var};
use crate::nn::{Embedding, Module};
use crate::tensor::Rng;
use std::fmt;
use std::str::FromStr;

/// The three models of encdec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelKind {
    /// The §5.1 LSTM encoder–decoder: the encoder's final state starts the decoder.
    Lstm,
    /// An LSTM encoder–decoder with attention over the encoder outputs (§2.3).
    Attention,
    /// A Transformer encoder–decoder (§2.1.2, §4.2).
    Transformer,
}

impl ModelKind {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Lstm => "lstm",
            ModelKind::Attention => "attention",
            ModelKind::Transformer => "transformer",
        }
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ModelKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "lstm" => Ok(ModelKind::Lstm),
            "attention" => Ok(ModelKind::Attention),
            "transformer" => Ok(ModelKind::Transformer),
            _ => Err(format!(
                "unknown model '{s}': expected lstm, attention or transformer"
            )),
        }
    }
}

/// Sizes of a model. Fields a kind does not use are ignored by it.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
    /// Which model.
    pub kind: ModelKind,
    /// Source vocabulary size.
    pub src_vocab: usize,
    /// Target vocabulary size.
    pub tgt_vocab: usize,
    /// Embedding size (LSTM models); $d_{model}$ for the Transformer.
    pub emb: usize,
    /// LSTM hidden size; the Transformer's feed-forward size $d_{ff}$.
    pub hidden: usize,
    /// Transformer layers per stack.
    pub layers: usize,
    /// Transformer heads.
    pub heads: usize,
    /// Dropout rate in training.
    pub dropout: f64,
    /// Architecture options (stacked and bidirectional LSTMs, pre-norm, GELU, ...);
    /// the default is each model as it always was.
    pub arch: Architecture,
}

impl ModelConfig {
    /// The Transformer's $d_{model}$ (stored in `emb`, which the two share).
    pub fn d_model(&self) -> usize {
        self.emb
    }

    /// The Transformer's feed-forward size $d_{ff}$ (stored in `hidden`).
    pub fn d_ff(&self) -> usize {
        self.hidden
    }

    /// Checks the sizes; the message says which is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let positive = [
            ("src_vocab", self.src_vocab),
            ("tgt_vocab", self.tgt_vocab),
            ("emb", self.emb),
            ("hidden", self.hidden),
        ];
        for (name, v) in positive {
            if v == 0 {
                return Err(format!("model config: {name} must be at least 1"));
            }
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(format!(
                "model config: dropout {} is not in [0, 1)",
                self.dropout
            ));
        }
        self.arch.validate(self.kind)?;
        if self.kind == ModelKind::Transformer
            && (self.heads == 0 || self.layers == 0 || !self.d_model().is_multiple_of(self.heads))
        {
            return Err(format!(
                "model config: transformer needs layers >= 1 and heads >= 1 dividing d_model (layers {}, heads {}, d_model {})",
                self.layers,
                self.heads,
                self.d_model()
            ));
        }
        Ok(())
    }
}

/// The encoder's result for a batch.
pub struct Encoded<'t> {
    /// Encoder outputs `[B, S, H]` (what attention looks at); `None` for the
    /// plain LSTM model, whose decoder sees only the final state.
    pub memory: Option<Var<'t>>,
    /// The encoder's final state (`[h, c]`, each `[B, H]`) for LSTM models.
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

    /// The source and target word-vector tables, for loading pre-trained
    /// vectors ([`super::load_vectors`]).
    fn embeddings_mut(&mut self) -> (&mut Embedding, &mut Embedding);

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
pub(super) fn last_position(v: Var<'_>) -> Var<'_> {
    let t = v.shape()[1];
    v.slice(1, t.saturating_sub(1), t)
}

/// Builds a freshly initialised model from its config.
///
/// # Errors
/// If the config is invalid.
pub fn build(config: &ModelConfig, rng: &mut Rng) -> Result<Box<dyn Seq2Seq>, String> {
    config.validate()?;
    Ok(match config.kind {
        ModelKind::Lstm => Box::new(super::lstm::LstmSeq2Seq::new(config.clone(), rng)),
        ModelKind::Attention => {
            Box::new(super::attention::AttentionSeq2Seq::new(config.clone(), rng))
        }
        ModelKind::Transformer => Box::new(super::transformer::TransformerSeq2Seq::new(
            config.clone(),
            rng,
        )),
    })
}
