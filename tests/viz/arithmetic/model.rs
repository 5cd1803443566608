//! The arithmetic view against the model's own layers: the Transformer's
//! outputs are what its `MultiHeadAttention`s give before $W^O$, layer
//! after layer, and the LSTM's keys are its encoder's states.

use super::{cell, close, explored};
use crate::model_support::{fox_vocabs, tiny_config};

use encdec::autograd::Tape;
use encdec::corpora::FOX_EN;
use encdec::nn::{Embedding, MultiHeadAttention, add_positional_encoding};
use encdec::seq2seq::batch::{Batch, Example};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::{
    AttentionKind, Exploration, ExploreOptions, Score, Translator, attention_arithmetic,
};
use encdec::seq2seq::models::{Seq2Seq, TransformerSeq2Seq};
use encdec::seq2seq::task::Task;
use encdec::tensor::{Float, Mask, Tensor, rng};

/// `y = x W^T + b` for one row `x`.
fn affine(x: &[Float], w: &Tensor, b: &Tensor) -> Vec<Float> {
    let cols = w.shape()[1];
    (0..w.shape()[0])
        .map(|r| {
            (0..cols)
                .map(|c| w.data()[r * cols + c] * x[c])
                .sum::<Float>()
                + b.data()[r]
        })
        .collect()
}

/// The outputs of all heads of one row, side by side: $[z^1_i; \dots; z^h_i]$.
fn heads_side_by_side(
    c: &Translator,
    e: &Exploration,
    at: (AttentionKind, usize),
    row: usize,
) -> Vec<Float> {
    let (kind, layer) = at;
    (1..=2)
        .flat_map(|head| {
            let at = cell(kind, layer, head, row);
            attention_arithmetic(c, e, at).unwrap().output
        })
        .collect()
}

/// Checks that $W^O [z^1_i; z^2_i] + b^O$, from the arithmetic view's
/// outputs, is row $i$ of `out`, the output of the model's layer `mha`.
fn projects_to(
    c: &Translator,
    e: &Exploration,
    at: (AttentionKind, usize),
    mha: &MultiHeadAttention,
    out: &Tensor,
) {
    let d = out.shape()[2];
    let (w, b) = (
        &mha.out_proj.weight.value,
        &mha.out_proj.bias.as_ref().unwrap().value,
    );
    for row in 0..out.shape()[1] {
        let projected = affine(&heads_side_by_side(c, e, at, row), w, b);
        close(&projected, &out.data()[row * d..(row + 1) * d], at.0.name());
    }
}

/// A Transformer (2 layers, 2 heads of 4, seed 7) twice: one to run by
/// hand, one in a translator, and the translator's exploration of the fox.
fn transformer_twice() -> (TransformerSeq2Seq, Translator, Exploration) {
    let (src_vocab, tgt_vocab) = fox_vocabs();
    let config = tiny_config(ModelKind::Transformer, src_vocab.len(), tgt_vocab.len(), 2);
    let model = TransformerSeq2Seq::new(config.clone(), &mut rng(7));
    let boxed = Box::new(TransformerSeq2Seq::new(config, &mut rng(7)));
    let c = Translator::new(boxed, src_vocab, tgt_vocab, Task::Translation);
    let e = Exploration::new(&c, FOX_EN, &ExploreOptions::default()).unwrap();
    (model, c, e)
}

// The model's own layers, run from its public parts: the embedded words
// (times sqrt(d_model), plus the positional encoding) go through the layers
// before layer l (EncoderLayer::forward, DecoderLayer::forward), then
// through layer l's MultiHeadAttention, whose output is out_proj([z^1; z^2]);
// so W^O applied to the heads' z side by side must give it. (Post-norm, no
// dropout: the cross-attention's queries are norm1(x + self-attention).)
#[test]
fn outputs_are_the_models_before_the_output_projection() {
    let (model, c, e) = transformer_twice();
    let src: Vec<usize> = e.src_tokens.iter().map(|t| c.src_vocab.id(t)).collect();
    let read: Vec<usize> = e.decoder_inputs.iter().map(|t| c.tgt_vocab.id(t)).collect();
    let tape = Tape::new();
    let embed = |table: &Embedding, ids: &[usize]| {
        let x = table.forward(&tape, ids, &[1, ids.len()]);
        add_positional_encoding(x.mul_scalar(model.embedding_scale))
    };
    let (mut x, mut y) = (
        embed(&model.src_embedding, &src),
        embed(&model.tgt_embedding, &read),
    );
    let causal = Mask::causal(read.len());
    let example = Example {
        src: src[..src.len() - 1].to_vec(),
        tgt: read[1..].to_vec(),
    };
    let memory = model
        .encode(&tape, &Batch::new(&[&example]), None)
        .memory
        .unwrap();
    for l in 0..2 {
        let enc = &model.encoder.layers[l];
        let (out, _) = enc.self_attn.forward(&tape, x, x, x, None);
        projects_to(
            &c,
            &e,
            (AttentionKind::EncoderSelf, l + 1),
            &enc.self_attn,
            &out.value(),
        );
        let dec = &model.decoder.layers[l];
        let (out, _) = dec.self_attn.forward(&tape, y, y, y, Some(&causal));
        projects_to(
            &c,
            &e,
            (AttentionKind::DecoderSelf, l + 1),
            &dec.self_attn,
            &out.value(),
        );
        let q = dec.norm1.forward(&tape, y + out);
        let (out, _) = dec.multihead_attn.forward(&tape, q, memory, memory, None);
        projects_to(
            &c,
            &e,
            (AttentionKind::Cross, l + 1),
            &dec.multihead_attn,
            &out.value(),
        );
        x = enc.forward(&tape, x, None, None).0;
        y = dec.forward(&tape, y, memory, (Some(&causal), None), None).y;
    }
}

#[test]
fn the_lstms_keys_are_its_encoder_states() {
    let (c, e) = explored(ModelKind::Attention, 11);
    let src: Vec<usize> = e.src_tokens[..e.src_tokens.len() - 1]
        .iter()
        .map(|t| c.src_vocab.id(t))
        .collect();
    let tape = Tape::new();
    let example = Example { src, tgt: vec![] };
    let memory = c
        .model
        .encode(&tape, &Batch::new(&[&example]), None)
        .memory
        .unwrap();
    let memory = memory.value();
    let h = memory.shape()[2];
    let at = cell(AttentionKind::Cross, 1, 1, 0);
    let r = attention_arithmetic(&c, &e, at).unwrap();
    assert_eq!(r.score, Score::Dot);
    for (j, k) in r.keys.iter().enumerate() {
        close(k, &memory.data()[j * h..(j + 1) * h], "k_j = h_j");
        assert_eq!(k, &r.values[j], "keys are the values");
    }
}
