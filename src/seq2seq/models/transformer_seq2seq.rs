//! The Transformer encoder–decoder: word vectors plus positional encodings,
//! a stack of encoder layers over the source, a stack of decoder layers
//! (masked self-attention, cross-attention to the encoder's output,
//! feed-forward), and a dense layer over the target vocabulary.

use super::{Decoded, Encoded, Seq2Seq, last_position};
use crate::autograd::{Param, Tape, Var};
use crate::nn::{
    Embedding, KvCache, Linear, Module, StackOutput, StepRows, TransformerDecoder,
    TransformerEncoder, add_positional_encoding, positional_rows,
};
use crate::seq2seq::batch::Batch;
use crate::seq2seq::config::{DecoderMask, ModelConfig, Pieces, Positions};
use crate::tensor::{Mask, Rng, Tensor};
use crate::text::PAD_ID;

/// A Transformer encoder–decoder: post-norm ReLU layers by default; its
/// [`TransformerConfig`](crate::seq2seq::config::TransformerConfig) chooses
/// pre-norm layers (`layer.norm_first`), GELU in the feed-forward blocks
/// (`layer.activation`) and a final layer norm on each stack (`final_norm`,
/// parameters `encoder.norm.*` and `decoder.norm.*`). The
/// flags are independent, but pre-norm is meant to go with a final norm,
/// as in PyTorch's examples and the Annotated Transformer: without it the
/// decoder's output reaches the dense layer un-normalised.
pub struct TransformerSeq2Seq {
    config: ModelConfig,
    /// Source word vectors, `[src_vocab, d_model]`.
    pub src_embedding: Embedding,
    /// Target word vectors.
    pub tgt_embedding: Embedding,
    /// $N$ encoder layers (and the final norm, if any).
    pub encoder: TransformerEncoder,
    /// $N$ decoder layers (and the final norm, if any).
    pub decoder: TransformerDecoder,
    /// The dense output layer.
    pub output: Linear,
    /// What word vectors are multiplied by before the positional encoding
    /// is added: $\sqrt{d_{model}}$ (Vaswani et al. §3.4). Not saved in
    /// checkpoints; `examples/embedding_scale.rs` sets it to 1 to measure
    /// the difference.
    pub embedding_scale: f64,
}

impl TransformerSeq2Seq {
    /// A new model with the config's sizes.
    ///
    /// # Panics
    /// If `config` is not a Transformer's ([`ModelConfig::transformer`]).
    pub fn new(config: ModelConfig, rng: &mut Rng) -> TransformerSeq2Seq {
        let t = config
            .transformer()
            .expect("TransformerSeq2Seq: a Transformer's config");
        let d = t.d_model;
        let stack = t.stack(config.dropout);
        // Entries of standard deviation d^-1/2, times sqrt(d) in the forward
        // pass: the word vectors enter with entries of about 1 and norm about
        // sqrt(d), comparable to a positional-encoding row's sqrt(d/2).
        let mut embedding = |name: &str, vocab: usize| {
            let e = Embedding::new(name, vocab, d, rng);
            let scaled = e.weight.value.map(|v| v / (d as f64).sqrt());
            Embedding::from_vectors(name, scaled, true)
        };
        let src_embedding = embedding("encoder.embedding", config.src_vocab);
        let tgt_embedding = embedding("decoder.embedding", config.tgt_vocab);
        let mut encoder = TransformerEncoder::new("encoder", stack, rng);
        let mut decoder = TransformerDecoder::new("decoder", stack, rng);
        for layer in &mut encoder.layers {
            layer.self_attn.scale = t.pieces.scale;
        }
        for layer in &mut decoder.layers {
            layer.self_attn.scale = t.pieces.scale;
            layer.multihead_attn.scale = t.pieces.scale;
        }
        TransformerSeq2Seq {
            src_embedding,
            tgt_embedding,
            encoder,
            decoder,
            output: Linear::new("decoder.output", d, config.tgt_vocab, true, rng),
            embedding_scale: (d as f64).sqrt(),
            config,
        }
    }

    /// The pieces switched on and off ([`Pieces`]).
    pub fn pieces(&self) -> Pieces {
        self.config
            .transformer()
            .map(|t| t.pieces)
            .unwrap_or_default()
    }
}

impl TransformerSeq2Seq {
    /// The layers' input: $E_{\mathrm{id}} \cdot$ `embedding_scale` plus the
    /// positional encoding (none with [`Positions::None`]), `[batch, len, d_model]`.
    fn embed<'t>(&self, tape: &'t Tape, table: &Embedding, ids: &[usize], len: usize) -> Var<'t> {
        let vectors = table.forward(tape, ids, &[ids.len() / len, len]);
        let x = vectors.mul_scalar(self.embedding_scale);
        match self.pieces().positions {
            Positions::Sinusoidal => add_positional_encoding(x),
            Positions::None => x,
        }
    }
}

impl Seq2Seq for TransformerSeq2Seq {
    fn config(&self) -> &ModelConfig {
        &self.config
    }

    fn embeddings_mut(&mut self) -> (&mut Embedding, &mut Embedding) {
        (&mut self.src_embedding, &mut self.tgt_embedding)
    }

    fn output_mut(&mut self) -> &mut Linear {
        &mut self.output
    }

    fn encode<'t>(&self, tape: &'t Tape, b: &Batch, mut train: Option<&mut Rng>) -> Encoded<'t> {
        b.check_source("Seq2Seq::encode");
        let x = self.embed(tape, &self.src_embedding, &b.src, b.src_len);
        let x = x.dropout(self.config.dropout, train.as_deref_mut());
        let mask = Mask::padding(&b.src_lengths, b.src_len);
        let (memory, attention) = self.encoder.forward(tape, x, Some(&mask), train);
        Encoded {
            memory: Some(memory),
            state: vec![],
            src_lengths: b.src_lengths.clone(),
            attention,
        }
    }

    fn decode<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        train: Option<&mut Rng>,
    ) -> Decoded<'t> {
        let out = self.decoder_output(tape, enc, b, train);
        Decoded {
            logits: self.output.forward(tape, out.y),
            attention: out.cross_weights,
            self_attention: out.self_weights,
        }
    }

    fn as_transformer(&self) -> Option<&TransformerSeq2Seq> {
        Some(self)
    }

    fn decode_next<'t>(&self, tape: &'t Tape, enc: &Encoded<'t>, b: &Batch) -> Decoded<'t> {
        let out = self.decoder_output(tape, enc, b, None);
        Decoded {
            logits: self.output.forward(tape, last_position(out.y)),
            attention: out.cross_weights,
            self_attention: out.self_weights,
        }
    }
}

impl TransformerSeq2Seq {
    /// The decoder stack's output `[B, T, d_model]` and each layer's
    /// self- and cross-attention weights.
    fn decoder_output<'t>(
        &self,
        tape: &'t Tape,
        enc: &Encoded<'t>,
        b: &Batch,
        mut train: Option<&mut Rng>,
    ) -> StackOutput<'t> {
        b.check_target("Seq2Seq::decode");
        let memory = enc
            .memory
            .expect("the transformer's encoder keeps its outputs");
        let y = self.embed(tape, &self.tgt_embedding, &b.tgt_in, b.tgt_len);
        let y = y.dropout(self.config.dropout, train.as_deref_mut());
        // Target positions attend only to earlier ones; padding comes after
        // every real token, so the causal mask already keeps it out of view.
        // Without the mask (`DecoderMask::None`) padding is hidden as in the
        // encoder, and every real position sees the whole target.
        let self_mask = match self.pieces().decoder_mask {
            DecoderMask::Causal => Mask::causal(b.tgt_len),
            DecoderMask::None => Mask::padding(&target_lengths(b), b.tgt_len),
        };
        let src_len = memory.shape()[1];
        let memory_mask = Mask::padding(&enc.src_lengths, src_len);
        self.decoder.forward(
            tape,
            y,
            memory,
            (Some(&self_mask), Some(&memory_mask)),
            train,
        )
    }
}

/// Each row's decoder-input length: `<s>` and the words before the padding.
fn target_lengths(b: &Batch) -> Vec<usize> {
    b.tgt_in
        .chunks(b.tgt_len.max(1))
        .map(|row| row.iter().take_while(|&&id| id != PAD_ID).count())
        .collect()
}

impl TransformerSeq2Seq {
    /// A [`KvCache`] for decoding against `memory`, the encoder's output
    /// `[batch, src, d_model]` for sources of lengths `src_lengths`.
    ///
    /// # Panics
    /// As [`TransformerDecoder::start_cache`].
    pub fn start_cache(&self, memory: &Tensor, src_lengths: &[usize]) -> KvCache {
        self.decoder.start_cache(memory, src_lengths)
    }

    /// One cached decoding step: the words `last` (one per row) written at
    /// position $t$ = `cache.len()` go in as
    /// $E_{\mathrm{id}} \cdot$ `embedding_scale` $+ PE_t$; out come the
    /// scores of the next word, `[rows, 1, tgt_vocab]`, equal to
    /// [`Seq2Seq::decode_next`]'s on the whole prefix, and each layer's
    /// cross-attention weights `[rows, heads, 1, src]` (see [`KvCache`];
    /// checked by `tests/seq2seq/kv_cache.rs::cached_decoding_equals_recomputing_the_prefix`).
    ///
    /// # Panics
    /// As [`TransformerDecoder::forward_step`].
    pub fn decode_step<'t>(
        &self,
        tape: &'t Tape,
        cache: &mut KvCache,
        last: &[usize],
        rows: StepRows,
    ) -> (Var<'t>, Vec<Var<'t>>) {
        let d = self.output.weight.shape()[1];
        let vectors = self.tgt_embedding.forward(tape, last, &[last.len(), 1]);
        let x = vectors.mul_scalar(self.embedding_scale);
        let x = match self.pieces().positions {
            Positions::Sinusoidal => {
                x + tape.constant(positional_rows(cache.len()..cache.len() + 1, d))
            }
            Positions::None => x,
        };
        let (y, cross_weights) = self.decoder.forward_step(tape, x, cache, rows);
        (self.output.forward(tape, y), cross_weights)
    }
}

impl Module for TransformerSeq2Seq {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.src_embedding.params_mut();
        p.extend(self.tgt_embedding.params_mut());
        p.extend(self.encoder.params_mut());
        p.extend(self.decoder.params_mut());
        p.extend(self.output.params_mut());
        p
    }
}
