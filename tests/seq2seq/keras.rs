//! The tutorial's §5.1 Keras model in encdec: its weights, written under
//! Keras's names by `scripts/weights/keras_weights.py`, load into the `lstm` model
//! (`encdec::seq2seq::io::keras`) and give Keras's predictions.

use crate::model_support;

use encdec::autograd::Tape;
use encdec::seq2seq::batch::Batch;
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::io::Checkpoint;
use encdec::seq2seq::io::{import_keras, import_keras_bytes};
use encdec::tensor::Tensor;
use safetensors::tensor::{Dtype, SafeTensors};
use std::path::PathBuf;
use std::process::Command;

pub(crate) fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Keras's batch and probabilities, from the fixture `name`: `src` `[B, S]`, `tgt_in` `[B, T]`,
/// `probabilities` `[B, T, V]`.
pub(crate) fn keras_predictions(name: &str) -> (Batch, Tensor) {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let st = SafeTensors::deserialize(&bytes).unwrap();
    let ids = |name: &str| {
        let v = st.tensor(name).unwrap();
        assert_eq!(v.dtype(), Dtype::I64, "{name}");
        let data = v.data().chunks_exact(8);
        let ids = data.map(|c| i64::from_le_bytes(c.try_into().unwrap()) as usize);
        (ids.collect::<Vec<_>>(), v.shape().to_vec())
    };
    let ((src, s), (tgt_in, t)) = (ids("src"), ids("tgt_in"));
    let p = st.tensor("probabilities").unwrap();
    let values = p.data().chunks_exact(8);
    let values = values.map(|c| f64::from_le_bytes(c.try_into().unwrap()));
    let batch = Batch {
        size: s[0],
        src,
        src_len: s[1],
        src_lengths: vec![s[1]; s[0]], // Keras reads no padding: every source is full
        tgt_out: vec![0; tgt_in.len()],
        tgt_in,
        tgt_len: t[1],
    };
    (batch, Tensor::from_vec(values.collect(), p.shape()))
}

/// The largest difference between `c`'s probabilities and Keras's in the fixture `predictions`.
pub(crate) fn worst_difference_to(c: &Checkpoint, predictions: &str) -> f64 {
    let (batch, keras) = keras_predictions(predictions);
    let tape = Tape::new();
    let probabilities = c
        .translator
        .model
        .forward(&tape, &batch, None)
        .logits
        .softmax();
    assert_eq!(probabilities.shape(), keras.shape());
    probabilities.value().max_abs_diff(&keras)
}

fn worst_difference(c: &Checkpoint) -> f64 {
    worst_difference_to(c, "keras_lstm_predictions.safetensors")
}

// Keras lines that made the fixtures, from scripts/weights/keras_weights.py
// (Keras 3, KERAS_BACKEND=torch, keras.config.set_floatx("float64")):
//     enc_in = keras.Input((None,), dtype="int32", name="encoder_inputs")
//     x = layers.Embedding(len(SRC_VOCAB), EMB, name="encoder_embedding")(enc_in)
//     _, h, c = layers.LSTM(HIDDEN, return_state=True, name="encoder_lstm")(x)
//     dec_in = keras.Input((None,), dtype="int32", name="decoder_inputs")
//     y = layers.Embedding(len(TGT_VOCAB), EMB, name="decoder_embedding")(dec_in)
//     y, _, _ = layers.LSTM(HIDDEN, return_sequences=True, return_state=True,
//                           name="decoder_lstm")(y, initial_state=[h, c])
//     probs = layers.Dense(len(TGT_VOCAB), activation="softmax", name="decoder_dense")(y)
//     for w in model.weights: w.assign(0.5 * rng.standard_normal(tuple(w.shape)))
//     save_file({w.path: w for w in model.weights}, "keras_lstm.safetensors", metadata=meta)
//     probs = model.predict([src, tgt_in])   # src [3, 5], tgt_in [3, 4] starting with <s>
#[test]
fn keras_predictions_are_reproduced() {
    let c = import_keras(&fixture("keras_lstm.safetensors")).unwrap();
    let config = c.translator.model.config();
    assert_eq!(config.kind(), ModelKind::Lstm);
    let r = config.rnn().unwrap();
    assert_eq!((r.emb, r.hidden), (5, 6));
    assert_eq!(c.translator.src_vocab.id("fox"), 7);
    let worst = worst_difference(&c);
    eprintln!("keras parity: max abs difference of the probabilities {worst:.3e}");
    assert!(
        worst <= 1e-9,
        "probabilities differ from Keras's by {worst:e}"
    );
    // The test can fail: a non-zero bias_hh (Keras has one bias) is caught.
    let mut doubled = import_keras(&fixture("keras_lstm.safetensors")).unwrap();
    for p in doubled.translator.model.params_mut() {
        if p.name.ends_with("bias_hh") {
            p.value = Tensor::from_vec(vec![0.1; p.value.numel()], p.shape());
        }
    }
    assert!(worst_difference(&doubled) > 1e-3);
}

/// The fixture's tensors, changed by `edit`, then imported: the error.
fn refused(edit: impl Fn(&mut Vec<model_support::RawTensor>)) -> String {
    let bytes = std::fs::read(fixture("keras_lstm.safetensors")).unwrap();
    let bytes = model_support::rewrite_tensors(&bytes, edit);
    import_keras_bytes(&bytes)
        .err()
        .expect("the import should fail")
}

#[test]
fn a_bad_keras_file_is_an_error_naming_the_tensor() {
    const KERNEL: &str = "decoder_dense/kernel";
    let e = refused(|t| t.retain(|x| x.0 != KERNEL));
    assert!(e.contains(KERNEL) && e.contains("missing"), "{e}");
    let e = refused(|t| t.iter_mut().find(|x| x.0 == KERNEL).unwrap().2 = vec![10, 6]);
    assert!(
        e.contains(KERNEL) && e.contains("[10, 6]") && e.contains("[6, 10]"),
        "{e}"
    );
    let e = refused(|t| t.push(("attention/kernel".into(), Dtype::F64, vec![1], vec![0; 8])));
    assert!(
        e.contains("attention/kernel") && e.contains("remove it"),
        "{e}"
    );
    let e =
        import_keras_bytes(&std::fs::read(fixture("keras_lstm_predictions.safetensors")).unwrap())
            .err()
            .unwrap();
    assert!(e.contains("metadata has no \"format\""), "{e}");
}

#[test]
fn encdec_import_keras_writes_a_checkpoint_that_predicts_as_keras() {
    let out = std::env::temp_dir().join(format!("encdec-keras-{}.ckpt", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_encdec"))
        .args(["import", "--keras"])
        .arg(fixture("keras_lstm.safetensors"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let c = Checkpoint::load(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    assert!(worst_difference(&c) <= 1e-9);
}
