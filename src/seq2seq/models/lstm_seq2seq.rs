//! The LSTM encoder–decoder of tutorial §5.1, layer for layer as its Keras
//! code: source embedding → encoder LSTM keeping only its final `(h, c)` →
//! that state starts the decoder LSTM, which reads the target embedding with
//! teacher forcing → a dense layer scores the target vocabulary (the softmax
//! is folded into the cross-entropy loss).
//!
//! With its [`RnnConfig`] the recurrent layers are stacks ([`RecurrentStack`],
//! PyTorch's `num_layers`) of the config's cell (the LSTM; or the GRU, or
//! the §4.1 RNN: `--model gru`, `--model rnn`), the encoder may read both
//! ways ([`Directions::Both`]), and the bridge (`bridge.rs`) says how the
//! decoder starts from it. The defaults (LSTM, one layer, one direction)
//! are the §5.1 model exactly: same parameters, same names, same draws
//! from the seed.

use super::bridge::{DecoderReads, StateBridge, decoder_hidden, decoder_start};
use super::{Decoded, Encoded, Seq2Seq, last_position};
use crate::autograd::{Param, Tape, Var};
use crate::nn::{Embedding, Linear, Module, RecurrentStack, RecurrentStackOutput};
use crate::seq2seq::batch::Batch;
use crate::seq2seq::config::{Directions, ModelConfig, RnnConfig};
use crate::tensor::Rng;

/// Word vectors, then a recurrent stack: the §5.1 encoder (`encoder.embedding.*`,
/// `encoder.lstm.*`) and, with its own weights, the §5.1 decoder
/// (`decoder.embedding.*`, `decoder.lstm.*`); `gru` or `rnn` in place of
/// `lstm` with those cells.
pub struct WordRnn {
    /// The word vectors.
    pub embedding: Embedding,
    /// The recurrent stack (`rnn.layers` layers of `rnn.cell`; one LSTM layer by default).
    pub rnn: RecurrentStack,
}

/// The shape of one side's [`WordRnn`].
struct Side {
    vocab: usize,
    hidden: usize,
    directions: Directions,
}

impl WordRnn {
    /// An embedding of `side.vocab` words of size `rnn.emb` and `rnn.layers`
    /// layers of `rnn.cell` with `side.hidden` units reading as
    /// `side.directions` say, with `dropout` between layers; named
    /// `{prefix}.embedding.*`, `{prefix}.{cell}.*` ([`RecurrentStack`]'s names).
    fn new(prefix: &str, rnn: &RnnConfig, side: Side, dropout: f64, rng: &mut Rng) -> WordRnn {
        let both = matches!(side.directions, Directions::Both(_));
        let stack_name = format!("{prefix}.{}", rnn.cell.name());
        let embedding = Embedding::new(&format!("{prefix}.embedding"), side.vocab, rnn.emb, rng);
        let layers = (rnn.layers, both);
        let name = (stack_name.as_str(), rnn.cell);
        WordRnn {
            embedding,
            rnn: RecurrentStack::new(name, rnn.emb, side.hidden, layers, dropout, rng),
        }
    }

    /// As the encoder (`return_state=True`): runs over the batch's sources,
    /// padding excluded, and returns every step's output (`[B, S, D H]`)
    /// and each layer's and direction's final state.
    pub fn encode<'t>(
        &self,
        tape: &'t Tape,
        b: &Batch,
        dropout: f64,
        mut train: Option<&mut Rng>,
    ) -> RecurrentStackOutput<'t> {
        b.check_source("Seq2Seq::encode");
        let x = self.embedding.forward(tape, &b.src, &[b.size, b.src_len]);
        let x = x.dropout(dropout, train.as_deref_mut());
        self.rnn.forward(tape, x, None, Some(&b.src_lengths), train)
    }

    /// As the decoder (`return_sequences=True`, `initial_state=encoder_states`):
    /// reads `<s> y_1 ..` (teacher forcing) from `enc.state` (layer $l$ from
    /// `state[2l]`, `state[2l+1]` with LSTM cells, from `state[l]` with the
    /// others) and returns the top layer's hidden state
    /// at every step, `[B, T, H]`.
    pub fn decode<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        dropout: f64,
        mut train: Option<&mut Rng>,
    ) -> Var<'t> {
        let y = self
            .embedding
            .forward(tape, &b.tgt_in, &[b.size, b.tgt_len]);
        let y = y.dropout(dropout, train.as_deref_mut());
        self.rnn
            .forward(tape, y, Some(&enc.state), None, train)
            .sequence
    }
}

/// The §5.1 model: the §5.1 wiring, with LSTM cells as in §5.1 or with the
/// config's other cell (`--model gru`, `--model rnn`).
pub struct LstmSeq2Seq {
    config: ModelConfig,
    /// Embedding and recurrent stack over the source.
    pub encoder: WordRnn,
    /// Embedding and recurrent stack over the target.
    pub decoder: WordRnn,
    /// The dense output layer (`decoder.output.*`).
    pub output: Linear,
    /// [`crate::seq2seq::config::Bridge::Project`]'s maps (`bridge.*`), when chosen.
    pub bridge: Option<StateBridge>,
}

impl LstmSeq2Seq {
    /// A new model with the config's sizes.
    ///
    /// # Panics
    /// If `config` is not a recurrent model's ([`ModelConfig::rnn`]).
    pub fn new(config: ModelConfig, rng: &mut Rng) -> LstmSeq2Seq {
        let (encoder, decoder) = WordRnn::pair(&config, rng);
        let rnn = *config
            .rnn()
            .expect("LstmSeq2Seq: a recurrent model's config");
        let output = Linear::new(
            "decoder.output",
            decoder_hidden(&rnn),
            config.tgt_vocab,
            true,
            rng,
        );
        let bridge = StateBridge::new(&rnn, DecoderReads::FinalState, rng);
        LstmSeq2Seq::from_parts(config, (encoder, decoder), output, bridge)
    }

    /// The model from layers already made (the attention model makes its
    /// own between the decoder and the output layer).
    pub(super) fn from_parts(
        config: ModelConfig,
        (encoder, decoder): (WordRnn, WordRnn),
        output: Linear,
        bridge: Option<StateBridge>,
    ) -> LstmSeq2Seq {
        LstmSeq2Seq {
            config,
            encoder,
            decoder,
            output,
            bridge,
        }
    }

    /// The encoder; its state is the decoder's first state per layer
    /// (`bridge.rs`); when the decoder `reads` the memory, every step's output
    /// is kept for attention, through `bridge.memory` when projected (the
    /// §5.1 model keeps only the final state).
    pub(super) fn encode_with<'t>(
        &self,
        tape: &'t Tape,
        b: &Batch,
        train: Option<&mut Rng>,
        reads: DecoderReads,
    ) -> Encoded<'t> {
        let out = self.encoder.encode(tape, b, self.config.dropout, train);
        let bridge = self.bridge.as_ref();
        let keep = reads == DecoderReads::Memory;
        let memory = keep.then(|| match bridge.and_then(|b| b.memory.as_ref()) {
            Some(m) => m.forward(tape, out.sequence),
            None => out.sequence,
        });
        Encoded {
            memory,
            state: decoder_start(&out, self.encoder.rnn.directions, bridge, tape),
            src_lengths: b.src_lengths.clone(),
            attention: vec![],
        }
    }

    /// The decoder's hidden state at every target position, `[B, T, H]`.
    pub(super) fn decoder_states<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        train: Option<&mut Rng>,
    ) -> Var<'t> {
        b.check_target("Seq2Seq::decode");
        self.decoder
            .decode(tape, enc, b, self.config.dropout, train)
    }
}

impl Seq2Seq for LstmSeq2Seq {
    fn config(&self) -> &ModelConfig {
        &self.config
    }

    fn embeddings_mut(&mut self) -> (&mut Embedding, &mut Embedding) {
        (&mut self.encoder.embedding, &mut self.decoder.embedding)
    }

    fn output_mut(&mut self) -> &mut Linear {
        &mut self.output
    }

    fn encode<'t>(&self, tape: &'t Tape, b: &Batch, train: Option<&mut Rng>) -> Encoded<'t> {
        self.encode_with(tape, b, train, DecoderReads::FinalState)
    }

    fn decode<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        mut train: Option<&mut Rng>,
    ) -> Decoded<'t> {
        let states = self.decoder_states(tape, enc, b, train.as_deref_mut());
        let states = states.dropout(self.config.dropout, train);
        Decoded {
            logits: self.output.forward(tape, states),
            attention: vec![],
            self_attention: vec![],
        }
    }

    fn decode_next<'t>(&self, tape: &'t Tape, enc: &Encoded<'t>, b: &Batch) -> Decoded<'t> {
        let states = self.decoder_states(tape, enc, b, None);
        Decoded {
            logits: self.output.forward(tape, last_position(states)),
            attention: vec![],
            self_attention: vec![],
        }
    }
}

impl WordRnn {
    /// The encoder (hidden $H$, reading as the config says) and the
    /// decoder (one direction, [`decoder_hidden`] wide), drawn in that order.
    ///
    /// # Panics
    /// If `config` is not a recurrent model's.
    pub(super) fn pair(config: &ModelConfig, rng: &mut Rng) -> (WordRnn, WordRnn) {
        let rnn = config.rnn().expect("WordRnn: a recurrent model's config");
        let source = Side {
            vocab: config.src_vocab,
            hidden: rnn.hidden,
            directions: rnn.directions,
        };
        let target = Side {
            vocab: config.tgt_vocab,
            hidden: decoder_hidden(rnn),
            directions: Directions::Forward,
        };
        let encoder = WordRnn::new("encoder", rnn, source, config.dropout, rng);
        let decoder = WordRnn::new("decoder", rnn, target, config.dropout, rng);
        (encoder, decoder)
    }
}

impl Module for WordRnn {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.embedding.params_mut();
        p.extend(self.rnn.params_mut());
        p
    }
}

impl Module for LstmSeq2Seq {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.encoder.params_mut();
        p.extend(self.decoder.params_mut());
        p.extend(self.output.params_mut());
        if let Some(b) = &mut self.bridge {
            p.extend(b.params_mut());
        }
        p
    }
}
