//! The built-in translation task end to end: corpus → tokens → ids →
//! batches, default model and training settings, and test BLEU.

use super::batch::Example;
use super::decode::greedy;
use super::fit::{OptimizerChoice, TrainConfig};
use super::metrics::corpus_bleu;
use super::model::{ModelConfig, ModelKind, Seq2Seq};
use crate::data::{EOS_ID, Pair, Tokenizer, Vocab, translation_corpus};
use crate::optim::Schedule;

/// The English→French corpus as ids, with its vocabularies.
pub struct TranslationData {
    /// English vocabulary, built from the training sentences.
    pub src_vocab: Vocab,
    /// French vocabulary, built from the training sentences.
    pub tgt_vocab: Vocab,
    /// Training examples.
    pub train: Vec<Example>,
    /// Validation examples.
    pub valid: Vec<Example>,
    /// Test examples (the fox sentence is among them).
    pub test: Vec<Example>,
    /// The test pairs as text.
    pub test_pairs: Vec<Pair>,
}

/// Tokenizes and numbers the built-in corpus of `n` pairs (split with `seed`).
pub fn translation_data(n: usize, seed: u64) -> TranslationData {
    let split = translation_corpus(n, seed);
    let tok = Tokenizer::new(true);
    let tokens = |pairs: &[Pair]| -> Vec<(Vec<String>, Vec<String>)> {
        pairs
            .iter()
            .map(|p| (tok.tokenize(&p.en), tok.tokenize(&p.fr)))
            .collect()
    };
    let train = tokens(&split.train);
    let src_vocab = Vocab::build(train.iter().map(|(e, _)| e.as_slice()), 1);
    let tgt_vocab = Vocab::build(train.iter().map(|(_, f)| f.as_slice()), 1);
    let examples = |pairs: &[(Vec<String>, Vec<String>)]| -> Vec<Example> {
        pairs
            .iter()
            .map(|(e, f)| Example {
                src: src_vocab.encode(e),
                tgt: tgt_vocab.encode(f),
            })
            .collect()
    };
    TranslationData {
        train: examples(&train),
        valid: examples(&tokens(&split.valid)),
        test: examples(&tokens(&split.test)),
        test_pairs: split.test,
        src_vocab,
        tgt_vocab,
    }
}

/// The sizes encdec uses for each model on the built-in corpus.
pub fn default_model(kind: ModelKind, src_vocab: usize, tgt_vocab: usize) -> ModelConfig {
    let (emb, hidden) = match kind {
        ModelKind::Transformer => (64, 128),
        _ => (48, 96),
    };
    ModelConfig {
        kind,
        src_vocab,
        tgt_vocab,
        emb,
        hidden,
        layers: 2,
        heads: 4,
        dropout: 0.1,
    }
}

/// Adam with gradient clipping; the Transformer with its warm-up schedule.
pub fn default_training(
    kind: ModelKind,
    epochs: usize,
    batch_size: usize,
    seed: u64,
) -> TrainConfig {
    let schedule = match kind {
        ModelKind::Transformer => Schedule::Warmup {
            d_model: 64,
            warmup: 200,
            factor: 1.0,
        },
        _ => Schedule::Constant(0.005),
    };
    TrainConfig {
        epochs,
        batch_size,
        optimizer: OptimizerChoice::Adam,
        schedule,
        clip: Some(5.0),
        seed,
        verbose: false,
    }
}

/// Greedy translations of `examples` (in batches) and their corpus BLEU
/// against the references; also returns the translations as tokens.
pub fn bleu(
    model: &dyn Seq2Seq,
    tgt_vocab: &Vocab,
    examples: &[Example],
    batch_size: usize,
) -> (f64, Vec<Vec<String>>) {
    let mut candidates = vec![];
    for chunk in examples.chunks(batch_size.max(1)) {
        let sources: Vec<&[usize]> = chunk.iter().map(|e| e.src.as_slice()).collect();
        for h in greedy(model, &sources, super::translate::MAX_LEN) {
            let ids: Vec<usize> = h.ids.into_iter().filter(|&y| y != EOS_ID).collect();
            candidates.push(tgt_vocab.decode(&ids));
        }
    }
    let references: Vec<Vec<String>> = examples.iter().map(|e| tgt_vocab.decode(&e.tgt)).collect();
    (corpus_bleu(&candidates, &references), candidates)
}
