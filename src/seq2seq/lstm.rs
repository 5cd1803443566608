//! The LSTM encoder–decoder of tutorial §5.1, layer for layer as its Keras
//! code: source embedding → encoder LSTM keeping only its final `(h, c)` →
//! that state starts the decoder LSTM, which reads the target embedding with
//! teacher forcing → a dense layer scores the target vocabulary (the softmax
//! is folded into the cross-entropy loss).

use super::Batch;
use super::model::{Decoded, Encoded, ModelConfig, Seq2Seq, last_position};
use crate::autograd::{Param, Tape, Var};
use crate::nn::{Embedding, Linear, Lstm, Module, RecurrentOptions};
use crate::tensor::Rng;

/// Word vectors, then an LSTM: the §5.1 encoder (`encoder.embedding.*`,
/// `encoder.lstm.*`) and, with its own weights, the §5.1 decoder
/// (`decoder.embedding.*`, `decoder.lstm.*`).
pub struct WordLstm {
    /// The word vectors.
    pub embedding: Embedding,
    /// The LSTM.
    pub lstm: Lstm,
}

impl WordLstm {
    /// An embedding of `vocab` words and an LSTM, named `{prefix}.embedding.*`, `{prefix}.lstm.*`.
    pub fn new(prefix: &str, vocab: usize, config: &ModelConfig, rng: &mut Rng) -> WordLstm {
        WordLstm {
            embedding: Embedding::new(&format!("{prefix}.embedding"), vocab, config.emb, rng),
            lstm: Lstm::new(&format!("{prefix}.lstm"), config.emb, config.hidden, rng),
        }
    }

    /// As the encoder (`return_state=True`): runs over the batch's sources,
    /// padding excluded; keeps every step's output as `memory` when
    /// `keep_outputs` (Keras's `return_sequences`).
    pub fn encode<'t>(
        &self,
        tape: &'t Tape,
        b: &Batch,
        dropout: f64,
        train: Option<&mut Rng>,
        keep_outputs: bool,
    ) -> Encoded<'t> {
        b.check_source("Seq2Seq::encode");
        let x = self.embedding.forward(tape, &b.src, &[b.size, b.src_len]);
        let x = x.dropout(dropout, train);
        let opts = RecurrentOptions {
            return_sequences: keep_outputs,
            lengths: Some(&b.src_lengths),
        };
        let out = self.lstm.forward(tape, x, None, opts);
        Encoded {
            memory: out.sequence,
            state: vec![out.h, out.c],
            src_lengths: b.src_lengths.clone(),
            attention: vec![],
        }
    }

    /// As the decoder (`return_sequences=True`, `initial_state=encoder_states`):
    /// reads `<s> y_1 ..` (teacher forcing) from the encoder's state and
    /// returns every step's hidden state `[B, T, H]`.
    pub fn decode<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        dropout: f64,
        train: Option<&mut Rng>,
    ) -> Var<'t> {
        let y = self
            .embedding
            .forward(tape, &b.tgt_in, &[b.size, b.tgt_len]);
        let y = y.dropout(dropout, train);
        let opts = RecurrentOptions {
            return_sequences: true,
            lengths: None,
        };
        let out = self
            .lstm
            .forward(tape, y, Some((enc.state[0], enc.state[1])), opts);
        out.sequence.expect("return_sequences keeps every step")
    }
}

/// The §5.1 model.
pub struct LstmSeq2Seq {
    config: ModelConfig,
    /// Embedding and LSTM over the source.
    pub encoder: WordLstm,
    /// Embedding and LSTM over the target.
    pub decoder: WordLstm,
    /// The dense output layer (`decoder.output.*`).
    pub output: Linear,
}

impl LstmSeq2Seq {
    /// A new model with the config's sizes.
    pub fn new(config: ModelConfig, rng: &mut Rng) -> LstmSeq2Seq {
        let encoder = WordLstm::new("encoder", config.src_vocab, &config, rng);
        let decoder = WordLstm::new("decoder", config.tgt_vocab, &config, rng);
        let output = Linear::new("decoder.output", config.hidden, config.tgt_vocab, true, rng);
        LstmSeq2Seq::from_parts(config, encoder, decoder, output)
    }

    /// The model from layers already made (the attention model makes its
    /// own between the decoder and the output layer).
    pub(super) fn from_parts(
        config: ModelConfig,
        encoder: WordLstm,
        decoder: WordLstm,
        output: Linear,
    ) -> LstmSeq2Seq {
        LstmSeq2Seq {
            config,
            encoder,
            decoder,
            output,
        }
    }

    /// The encoder; `keep_outputs` keeps every step's output as the memory
    /// that attention reads (the §5.1 model keeps only the final state).
    pub(super) fn encode_with<'t>(
        &self,
        tape: &'t Tape,
        b: &Batch,
        train: Option<&mut Rng>,
        keep_outputs: bool,
    ) -> Encoded<'t> {
        self.encoder
            .encode(tape, b, self.config.dropout, train, keep_outputs)
    }

    /// The decoder LSTM's hidden state at every target position, `[B, T, H]`.
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

    fn encode<'t>(&self, tape: &'t Tape, b: &Batch, train: Option<&mut Rng>) -> Encoded<'t> {
        self.encode_with(tape, b, train, false)
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

impl Module for WordLstm {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.embedding.params_mut();
        p.extend(self.lstm.params_mut());
        p
    }
}

impl Module for LstmSeq2Seq {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.encoder.params_mut();
        p.extend(self.decoder.params_mut());
        p.extend(self.output.params_mut());
        p
    }
}
