//! The LSTM encoder–decoder with attention (tutorial §2.3, Luong's global
//! attention): the decoder LSTM runs from the encoder's final state; at each
//! target position $t$ its state $s_t$ is scored against every encoder
//! output $h_j$, the weights $\alpha_{tj}$ average the $h_j$ into a context
//! $c_t$, and $\tilde s_t = \tanh(W_c [c_t; s_t] + b_c)$ is scored against the
//! target vocabulary. The weights $\alpha$ are what the heatmap shows.

use super::Batch;
use super::lstm::WordLstm;
use super::model::{Decoded, Encoded, ModelConfig, Seq2Seq};
use crate::autograd::{Param, Tape, Var};
use crate::nn::{DotAttention, Embedding, Linear, Module};
use crate::tensor::Rng;

/// LSTM encoder–decoder with dot-product attention over the encoder outputs.
pub struct AttentionSeq2Seq {
    config: ModelConfig,
    /// Embedding and LSTM over the source; its outputs are the memory.
    pub encoder: WordLstm,
    /// Embedding and LSTM over the target.
    pub decoder: WordLstm,
    /// $W_c, b_c$: `[c_t; s_t]` (2 hidden) → hidden (`decoder.combine.*`).
    pub combine: Linear,
    /// The dense output layer (`decoder.output.*`).
    pub output: Linear,
}

impl AttentionSeq2Seq {
    /// A new model with the config's sizes.
    pub fn new(config: ModelConfig, rng: &mut Rng) -> AttentionSeq2Seq {
        let h = config.hidden;
        AttentionSeq2Seq {
            encoder: WordLstm::new("encoder", config.src_vocab, &config, rng),
            decoder: WordLstm::new("decoder", config.tgt_vocab, &config, rng),
            combine: Linear::new("decoder.combine", 2 * h, h, true, rng),
            output: Linear::new("decoder.output", h, config.tgt_vocab, true, rng),
            config,
        }
    }
}

impl Seq2Seq for AttentionSeq2Seq {
    fn config(&self) -> &ModelConfig {
        &self.config
    }

    fn embeddings_mut(&mut self) -> (&mut Embedding, &mut Embedding) {
        (&mut self.encoder.embedding, &mut self.decoder.embedding)
    }

    fn encode<'t>(&self, tape: &'t Tape, b: &Batch, train: Option<&mut Rng>) -> Encoded<'t> {
        self.encoder
            .encode(tape, b, self.config.dropout, train, true)
    }

    fn decode<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        mut train: Option<&mut Rng>,
    ) -> Decoded<'t> {
        b.check_target("Seq2Seq::decode");
        let memory = enc
            .memory
            .expect("the attention model's encoder keeps its outputs");
        let states = self
            .decoder
            .states(tape, enc, b, self.config.dropout, train.as_deref_mut());
        let hidden = self.config.hidden;
        // §2.3 at every target position t: scores, weights, context.
        let (mut contexts, mut weights) = (vec![], vec![]);
        for t in 0..b.tgt_len {
            let s_t = states.slice(1, t, t + 1).reshape(&[b.size, hidden]);
            let (c_t, a_t) = DotAttention.forward(s_t, memory, Some(&enc.src_lengths));
            contexts.push(c_t.reshape(&[b.size, 1, hidden]));
            weights.push(a_t.reshape(&[b.size, 1, a_t.shape()[1]]));
        }
        let contexts = Var::concat(&contexts, 1); // [B, T, H]
        let weights = Var::concat(&weights, 1); // [B, T, S]
        let combined = self
            .combine
            .forward(tape, Var::concat(&[contexts, states], 2))
            .tanh();
        let combined = combined.dropout(self.config.dropout, train);
        let s = weights.shape();
        Decoded {
            logits: self.output.forward(tape, combined),
            attention: vec![weights.reshape(&[s[0], 1, s[1], s[2]])],
        }
    }
}

impl Module for AttentionSeq2Seq {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.encoder.params_mut();
        p.extend(self.decoder.params_mut());
        p.extend(self.combine.params_mut());
        p.extend(self.output.params_mut());
        p
    }
}
