//! The Keras model of the tutorial's §5.1, line by line, in encdec.
//!
//!     cargo run --release --example keras_5_1 -- [epochs]
//!
//! Each step below names the Keras line it stands for. The layers are
//! encdec's own (an embedding, an LSTM that returns its final state, a
//! decoder LSTM started from that state, a dense layer), trained on the
//! built-in English→French corpus with Adam and cross-entropy, as
//! `compile` and `fit` ask. `docs/ch5-keras-model.md` walks through the same
//! mapping; `encdec train --model lstm` is this program with every option.

use encdec::pipeline::{TrainOptions, prepare};
use encdec::seq2seq::batch::Batch;
use encdec::seq2seq::config::{Arch, ModelConfig, ModelKind};
use encdec::seq2seq::decode::{Translator, UnknownWords};
use encdec::seq2seq::eval::token_accuracy;
use encdec::seq2seq::models::LstmSeq2Seq;
use encdec::seq2seq::task::Task;
use encdec::seq2seq::train::{OptimizerChoice, TrainConfig, fit, predict};
use encdec::tensor::rng;

fn main() {
    let epochs: usize = match std::env::args().nth(1) {
        Some(a) => a.parse().expect("the argument is the number of epochs"),
        None => 10, // fit(..., epochs=10)
    };
    // encoder_input_data, decoder_input_data, decoder_target_data: the
    // built-in corpus, tokenized, with one vocabulary per language.
    let options = TrainOptions::new(Task::Translation, ModelKind::Lstm);
    let data = prepare(&options, None, &mut |_| {}).expect("the built-in corpus");

    // Embedding(vocab_size, embedding_dim) on each side, LSTM(hidden_dim,
    // return_state=True) for the encoder, LSTM(hidden_dim,
    // return_sequences=True, return_state=True) with
    // initial_state=encoder_states for the decoder, Dense(vocab_size).
    let mut config = ModelConfig::new(ModelKind::Lstm, data.src_vocab.len(), data.tgt_vocab.len());
    config.dropout = 0.0; // §5.1 has no dropout
    if let Arch::Lstm(sizes) = &mut config.arch {
        (sizes.emb, sizes.hidden) = (48, 96); // embedding_dim, hidden_dim
    }
    let mut model = LstmSeq2Seq::new(config, &mut rng(0));
    println!(
        "encoder: embedding {}, LSTM {} -> (h, c); decoder starts from (h, c); dense {}",
        model.encoder.embedding.weight.value.shape()[1],
        model.encoder.rnn.hidden(),
        model.output.weight.value.shape()[0],
    );

    // compile(optimizer='adam', loss='sparse_categorical_crossentropy',
    // metrics=['accuracy']): Adam, cross-entropy over the target words
    // (padding ignored); fit prints loss and accuracy per epoch.
    let mut training = TrainConfig::new(ModelKind::Lstm);
    training.optimizer = OptimizerChoice::Adam;
    training.epochs = epochs;

    // fit([encoder_input_data, decoder_input_data], decoder_target_data, epochs=10)
    let history = fit(&mut model, &data.train, &data.valid, &training);
    for epoch in &history.epochs {
        println!("{}", epoch.line());
    }

    // predict([encoder_input_data, decoder_input_data]): with the true
    // previous words given (teacher forcing), P(next word) at each position.
    let first: Vec<_> = data.valid.iter().take(4).collect();
    let batch = Batch::new(&first);
    let probabilities = predict(&model, &batch);
    let (right, counted) = token_accuracy(&probabilities, &batch.tgt_out);
    println!(
        "predict: probabilities of shape {:?}; {right} of {counted} next words right",
        probabilities.shape()
    );

    // Without the answer the decoder reads its own words, from <s> to </s> (§3.2).
    let (src, tgt) = (data.src_vocab.clone(), data.tgt_vocab.clone());
    let translator = Translator::new(Box::new(model), src, tgt, Task::Translation);
    for pair in data.test.iter().take(3) {
        let out = translator
            .decode_text(&pair.source, 1, UnknownWords::AsUnk)
            .expect("a sentence of the corpus");
        println!("{}  ->  {}", pair.source, out.text);
    }
}
