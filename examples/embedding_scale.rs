//! Should the Transformer multiply its word vectors by √d_model before
//! adding the positional encoding (Vaswani et al. 2017, §3.4)? This trains
//! the Transformer on the built-in translation corpus with and without the
//! factor, for a few seeds, and prints validation loss and test BLEU-4.
//!
//!     cargo run --release --example embedding_scale -- [epochs] [seeds]
//!
//! The word vectors start with entries of standard deviation d^-1/2 either
//! way; with the factor they enter the layers with entries of about 1 (norm
//! about √d), without it with norm about 1, against a positional-encoding
//! row's √(d/2). `docs/ch4-2-self-attention.md` quotes this example's output.

use encdec::pipeline::{TrainOptions, prepare};
use encdec::seq2seq::config::{ModelConfig, ModelKind};
use encdec::seq2seq::decode::Translator;
use encdec::seq2seq::eval::evaluate_pairs;
use encdec::seq2seq::models::TransformerSeq2Seq;
use encdec::seq2seq::task::Task;
use encdec::seq2seq::train::{TrainConfig, fit};
use encdec::tensor::rng;
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .expect("arguments: [epochs] [seeds], whole numbers")
        })
        .collect();
    let epochs = args.first().copied().unwrap_or(6);
    let seeds = args.get(1).copied().unwrap_or(2) as u64;
    let options = TrainOptions::new(Task::Translation, ModelKind::Transformer);
    let data = prepare(&options, None, &mut |_| {}).expect("the built-in corpus");
    let config = ModelConfig::new(
        ModelKind::Transformer,
        data.src_vocab.len(),
        data.tgt_vocab.len(),
    );
    let d_model = config.src_embedding_width();
    let d = d_model as f64;
    println!("Transformer, d_model {d_model}, {epochs} epochs, built-in corpus of 6000 pairs");
    println!("| scale | seed | validation loss | test BLEU-4 | seconds |");
    println!("|---|---|---|---|---|");
    for (label, scale) in [("√d_model", d.sqrt()), ("1", 1.0)] {
        for seed in 0..seeds {
            let start = Instant::now();
            let mut model = TransformerSeq2Seq::new(config.clone(), &mut rng(seed));
            model.embedding_scale = scale;
            let mut training = TrainConfig::new(ModelKind::Transformer);
            (training.epochs, training.seed) = (epochs, seed);
            let history = fit(&mut model, &data.train, &data.valid, &training);
            let valid = history.epochs.last().map_or(f64::NAN, |e| e.valid_loss);
            let (src, tgt) = (data.src_vocab.clone(), data.tgt_vocab.clone());
            let t = Translator::new(Box::new(model), src, tgt, Task::Translation);
            let score = evaluate_pairs(&t, &data.test, 1, 64)
                .expect("finite scores")
                .bleu4;
            println!(
                "| {label} | {seed} | {valid:.4} | {score:.4} | {:.0} |",
                start.elapsed().as_secs_f64()
            );
        }
    }
}
