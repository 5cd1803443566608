//! The recurrent encoder–decoder with attention (tutorial §2.3, Luong's
//! global attention), with LSTM cells unless the config names GRU or §4.1
//! RNN cells (`--cell`): the decoder runs from the encoder's final state; at each
//! target position $t$ its state $s_t$ is scored against every encoder
//! output $h_j$, the weights $\alpha_{tj}$ average the $h_j$ into a context
//! $c_t$, and $\tilde s_t = \tanh(W_c [c_t; s_t] + b_c)$ is scored against the
//! target vocabulary. The weights $\alpha$ are what the heatmap shows.
//!
//! With a bidirectional encoder (Bahdanau et al.'s), $h_j = [\overrightarrow h_j;
//! \overleftarrow h_j]$ is $2H$ wide: with the concat bridge the decoder,
//! $W_c$ ($4H \to 2H$) and the output layer are $2H$ wide too; with the
//! project bridge the memory is mapped to $H$ by `bridge.memory` first
//! (`bridge.rs`).

use super::bridge::{DecoderReads, StateBridge, decoder_hidden};
use super::lstm_seq2seq::{LstmSeq2Seq, WordRnn};
use super::{Decoded, Encoded, Seq2Seq, last_position};
use crate::autograd::{Param, Tape, Var};
use crate::nn::{DotAttention, Embedding, Linear, Module};
use crate::seq2seq::batch::Batch;
use crate::seq2seq::config::ModelConfig;
use crate::tensor::Rng;

/// The §5.1 model ([`LstmSeq2Seq`]) plus attention: its decoder states also
/// attend to the encoder's outputs, and $\tilde s_t$ replaces $s_t$ before
/// the output layer.
pub struct AttentionSeq2Seq {
    /// The §5.1 wiring: embeddings, encoder and decoder stacks, output layer
    /// (`encoder.*`, `decoder.*`, `decoder.output.*`).
    pub lstm: LstmSeq2Seq,
    /// $W_c, b_c$: `[c_t; s_t]` (2 decoder hidden) → decoder hidden (`decoder.combine.*`).
    pub combine: Linear,
}

impl AttentionSeq2Seq {
    /// A new model with the config's sizes.
    ///
    /// # Panics
    /// If `config` is not a recurrent model's ([`ModelConfig::rnn`]).
    pub fn new(config: ModelConfig, rng: &mut Rng) -> AttentionSeq2Seq {
        let rnn = *config
            .rnn()
            .expect("AttentionSeq2Seq: a recurrent model's config");
        // The decoder's width: H, or 2H with a bidirectional encoder and
        // the concat bridge (the memory has the same width).
        let h = decoder_hidden(&rnn);
        // Drawn in the order of the parameter list, so a seed gives the
        // same weights as always; the bridge (if any) comes last.
        let (encoder, decoder) = WordRnn::pair(&config, rng);
        let combine = Linear::new("decoder.combine", 2 * h, h, true, rng);
        let output = Linear::new("decoder.output", h, config.tgt_vocab, true, rng);
        let bridge = StateBridge::new(&rnn, DecoderReads::Memory, rng);
        AttentionSeq2Seq {
            lstm: LstmSeq2Seq::from_parts(config, (encoder, decoder), output, bridge),
            combine,
        }
    }
}

impl Seq2Seq for AttentionSeq2Seq {
    fn config(&self) -> &ModelConfig {
        self.lstm.config()
    }

    fn embeddings_mut(&mut self) -> (&mut Embedding, &mut Embedding) {
        self.lstm.embeddings_mut()
    }

    fn output_mut(&mut self) -> &mut Linear {
        self.lstm.output_mut()
    }

    fn encode<'t>(&self, tape: &'t Tape, b: &Batch, train: Option<&mut Rng>) -> Encoded<'t> {
        self.lstm.encode_with(tape, b, train, DecoderReads::Memory)
    }

    fn decode<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        mut train: Option<&mut Rng>,
    ) -> Decoded<'t> {
        let (states, contexts, weights) = self.attend(tape, enc, b, train.as_deref_mut());
        let logits = self.scores(tape, contexts, states, train);
        Decoded {
            logits,
            attention: vec![one_head(weights)],
            self_attention: vec![],
        }
    }

    fn decode_next<'t>(&self, tape: &'t Tape, enc: &Encoded<'t>, b: &Batch) -> Decoded<'t> {
        let (states, contexts, weights) = self.attend(tape, enc, b, None);
        let (states, contexts) = (last_position(states), last_position(contexts));
        let logits = self.scores(tape, contexts, states, None);
        Decoded {
            logits,
            attention: vec![one_head(weights)],
            self_attention: vec![],
        }
    }
}

impl AttentionSeq2Seq {
    /// The decoder states $s_t$ `[B, T, H]`, their contexts $c_t$ `[B, T, H]`
    /// and the attention weights $\alpha$ `[B, T, S]`, at every target
    /// position at once (§2.3).
    fn attend<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        train: Option<&mut Rng>,
    ) -> (Var<'t>, Var<'t>, Var<'t>) {
        let memory = enc
            .memory
            .expect("the attention model's encoder keeps its outputs");
        let states = self.lstm.decoder_states(tape, enc, b, train);
        let (contexts, weights) = DotAttention.forward(states, memory, Some(&enc.src_lengths));
        (states, contexts, weights)
    }

    /// The scores over the target vocabulary, `[B, T, V]`: the output layer
    /// applied to $\tilde s_t = \tanh(W_c [c_t; s_t] + b_c)$.
    fn scores<'t>(
        &self,
        tape: &'t Tape,
        contexts: Var<'t>,
        states: Var<'t>,
        train: Option<&mut Rng>,
    ) -> Var<'t> {
        let combined = self
            .combine
            .forward(tape, Var::concat(&[contexts, states], 2))
            .tanh();
        let combined = combined.dropout(self.config().dropout, train);
        self.lstm.output.forward(tape, combined)
    }
}

/// The weights `[B, T, S]` as the one head of one layer, `[B, 1, T, S]`.
fn one_head(weights: Var<'_>) -> Var<'_> {
    let s = weights.shape();
    weights.reshape(&[s[0], 1, s[1], s[2]])
}

impl Module for AttentionSeq2Seq {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let lstm = &mut self.lstm;
        let mut p = lstm.encoder.params_mut();
        p.extend(lstm.decoder.params_mut());
        p.extend(self.combine.params_mut());
        p.extend(lstm.output.params_mut());
        if let Some(b) = &mut lstm.bridge {
            p.extend(b.params_mut());
        }
        p
    }
}
