//! The tutorial's §5.1 model as the tutorial writes it (unnamed layers), trained a few steps in
//! Keras, saved as `.keras` and as `.weights.h5`, converted by `scripts/weights/from_keras.py`:
//! both conversions import into encdec and give Keras's probabilities.

use crate::keras::{fixture, worst_difference_to};

use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::io::{Checkpoint, import_keras};

const PREDICTIONS: &str = "keras_trained_predictions.safetensors";

fn imported(name: &str) -> Checkpoint {
    import_keras(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

// Keras lines that made the fixtures, from scripts/weights/keras_trained.py (Keras 3,
// KERAS_BACKEND=torch, set_floatx("float64") and float64 kept float64 in BIT64_TO_BIT32_DTYPE):
//     encoder_inputs = keras.Input(shape=(max_len,))            # max_len 5, vocab_size 12
//     encoder_embedding = keras.layers.Embedding(vocab_size, embedding_dim)(encoder_inputs)  # 4
//     encoder_lstm = keras.layers.LSTM(units=hidden_dim, return_state=True)                  # 6
//     encoder_outputs, state_h, state_c = encoder_lstm(encoder_embedding)
//     decoder_inputs = keras.Input(shape=(max_len,))
//     decoder_embedding = keras.layers.Embedding(vocab_size, embedding_dim)(decoder_inputs)
//     decoder_lstm = keras.layers.LSTM(units=hidden_dim, return_sequences=True, return_state=True)
//     decoder_outputs, _, _ = decoder_lstm(decoder_embedding, initial_state=[state_h, state_c])
//     decoder_outputs = keras.layers.Dense(vocab_size, activation="softmax")(decoder_outputs)
//     model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
//     model.fit([src, tgt_in], tgt_out, epochs=5, batch_size=6)   # six pairs, one batch
//     model.save("model.keras"); model.save_weights("model.weights.h5")
//     from_keras.py model.keras (and model.weights.h5) --src-vocab src.txt --tgt-vocab tgt.txt
//     probabilities = model.predict([src, tgt_in])               # [6, 5, 12]
#[test]
fn a_trained_keras_model_converted_from_either_file_predicts_as_keras() {
    for name in [
        "keras_trained_from_keras.safetensors",
        "keras_trained_from_h5.safetensors",
    ] {
        let c = imported(name);
        let config = c.translator.model.config();
        assert_eq!(config.kind(), ModelKind::Lstm);
        let r = config.rnn().unwrap();
        assert_eq!((config.src_vocab, r.emb, r.hidden), (12, 4, 6));
        assert_eq!(c.translator.tgt_vocab.id("chat"), 7);
        let worst = worst_difference_to(&c, PREDICTIONS);
        eprintln!("{name}: max abs difference to Keras's probabilities {worst:.3e}");
        assert!(worst <= 1e-12, "{name}: differs from Keras by {worst:e}");
    }
}

#[test]
fn the_keras_file_and_the_weights_file_convert_to_the_same_tensors() {
    let (mut a, mut b) = (
        imported("keras_trained_from_keras.safetensors"),
        imported("keras_trained_from_h5.safetensors"),
    );
    let (pa, pb) = (a.translator.model.params(), b.translator.model.params());
    assert_eq!(pa.len(), pb.len());
    for (x, y) in pa.iter().zip(&pb) {
        assert_eq!(x.name, y.name);
        assert_eq!(x.value.max_abs_diff(&y.value), 0.0, "{}", x.name);
    }
}

/// Both LSTMs have the same shapes, so only the layers' order tells them apart: with the two
/// swapped, the predictions are far from Keras's (the parity test above can fail).
#[test]
fn the_encoder_and_decoder_lstms_swapped_do_not_predict_as_keras() {
    let mut c = imported("keras_trained_from_keras.safetensors");
    let mut params = c.translator.model.params_mut();
    let encoder: Vec<usize> = (0..params.len())
        .filter(|&i| params[i].name.starts_with("encoder.lstm."))
        .collect();
    assert_eq!(encoder.len(), 4);
    for i in encoder {
        let other = params[i].name.replacen("encoder", "decoder", 1);
        let j = params.iter().position(|p| p.name == other).unwrap();
        let v = params[i].value.clone();
        params[i].value = params[j].value.clone();
        params[j].value = v;
    }
    drop(params);
    assert!(worst_difference_to(&c, PREDICTIONS) > 1e-3);
}
