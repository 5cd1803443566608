//! Small models and vocabularies shared by the checkpoint and parameter tests.
#![allow(dead_code)]

use encdec::data::{Tokenizer, Vocab};
use encdec::seq2seq::{ModelConfig, ModelKind};

/// The vocabularies of the fox sentence and its translation.
pub fn fox_vocabs() -> (Vocab, Vocab) {
    let t = Tokenizer::new(true);
    let en = t.tokenize("the quick brown fox jumps over the lazy dog");
    let fr = t.tokenize("le renard brun rapide saute par-dessus le chien paresseux");
    (
        Vocab::build([en.as_slice()], 1),
        Vocab::build([fr.as_slice()], 1),
    )
}

/// A model of size 8 with `layers` Transformer layers per stack.
pub fn tiny_config(kind: ModelKind, src: usize, tgt: usize, layers: usize) -> ModelConfig {
    ModelConfig {
        kind,
        src_vocab: src,
        tgt_vocab: tgt,
        emb: 8,
        hidden: 8,
        layers,
        heads: 2,
        dropout: 0.1,
        arch: Default::default(),
    }
}
