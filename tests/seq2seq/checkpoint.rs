//! Checkpoints: a round trip keeps every weight and prediction; a damaged,
//! truncated or foreign file is a clear error, never a panic.

use crate::cli_support;

use cli_support::rewrite_header;
use encdec::seq2seq::{config::*, decode::*, io::*, models::*, task::*};
use encdec::tensor::{Tensor, rng};
use encdec::text::Vocab;
use proptest::prelude::*;
use std::path::PathBuf;

use crate::model_support;

fn vocabs() -> (Vocab, Vocab) {
    model_support::fox_vocabs()
}

fn config(kind: ModelKind, src: usize, tgt: usize) -> ModelConfig {
    model_support::tiny_config(kind, src, tgt, 1)
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("encdec-test-{}-{name}", std::process::id()))
}

/// Saves a small model of `kind` and returns its path.
fn saved(kind: ModelKind, name: &str) -> PathBuf {
    let (src, tgt) = vocabs();
    let model = build(&config(kind, src.len(), tgt.len()), &mut rng(7)).unwrap();
    let path = temp(name);
    let mut c = Checkpoint::new(Translator::new(model, src, tgt, Task::Translation));
    c.save(&path).unwrap();
    path
}

#[test]
fn round_trip_keeps_weights_vocabularies_and_translations() {
    for kind in [
        ModelKind::Lstm,
        ModelKind::Attention,
        ModelKind::Transformer,
    ] {
        let (src, tgt) = vocabs();
        let model = build(&config(kind, src.len(), tgt.len()), &mut rng(7)).unwrap();
        let path = temp(&format!("round-{kind}"));
        let mut original = Checkpoint::new(Translator::new(model, src, tgt, Task::Summarization));
        original.save(&path).unwrap();
        let mut c = Checkpoint::load(&path).unwrap();
        assert_eq!(
            c.translator.model.config(),
            original.translator.model.config()
        );
        assert_eq!(
            (&c.translator.src_vocab, &c.translator.tgt_vocab),
            (
                &original.translator.src_vocab,
                &original.translator.tgt_vocab
            )
        );
        assert_eq!(c.translator.task, Task::Summarization);
        for (a, b) in c
            .translator
            .model
            .params()
            .iter()
            .zip(original.translator.model.params())
        {
            assert_eq!((&a.name, &a.value), (&b.name, &b.value));
        }
        let sentence = "the lazy fox jumps over the dog";
        assert_eq!(
            c.translator
                .decode_text(sentence, 1, UnknownWords::Refuse)
                .unwrap(),
            original
                .translator
                .decode_text(sentence, 1, UnknownWords::Refuse)
                .unwrap()
        );
        std::fs::remove_file(path).unwrap();
    }
}

fn error_of(path: &std::path::Path) -> String {
    match Checkpoint::load(path) {
        Ok(_) => panic!("{} loaded", path.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_truncated_file_is_reported_as_truncated() {
    let path = saved(ModelKind::Attention, "truncated");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 100]).unwrap();
    let e = error_of(&path);
    assert!(
        e.contains("is truncated: expected") && e.contains(&format!("found {}", bytes.len() - 100)),
        "{e}"
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_flipped_weight_byte_is_caught_by_the_checksum() {
    let path = saved(ModelKind::Lstm, "flipped");
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 50] ^= 0x10;
    std::fs::write(&path, &bytes).unwrap();
    assert!(error_of(&path).contains("is corrupt: checksum mismatch"));
    std::fs::remove_file(path).unwrap();
}

#[test]
fn another_file_is_not_a_checkpoint() {
    let path = temp("text");
    std::fs::write(&path, "this is a text file, not a model").unwrap();
    assert!(error_of(&path).contains("is not an encdec checkpoint"));
    std::fs::write(&path, "").unwrap();
    assert!(error_of(&path).contains("is not an encdec checkpoint"));
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_missing_file_names_the_path() {
    let e = error_of(std::path::Path::new("/no/such/dir/model.ckpt"));
    assert!(
        e.contains("cannot read checkpoint /no/such/dir/model.ckpt"),
        "{e}"
    );
}

#[test]
fn a_failed_save_says_it_cannot_write() {
    // Once "cannot access checkpoint ..: File too large" for a full disk.
    let mut c = Checkpoint::new(Translator::new(
        build(&config(ModelKind::Lstm, 12, 12), &mut rng(0)).unwrap(),
        vocabs().0,
        vocabs().1,
        Task::Translation,
    ));
    let e = c
        .save(std::path::Path::new("/no/such/dir/model.ckpt"))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("cannot write checkpoint /no/such/dir/model.ckpt: "),
        "{e}"
    );
}

#[test]
fn a_checkpoint_of_another_kind_is_refused() {
    let path = saved(ModelKind::Transformer, "kind");
    let e = Checkpoint::load_as(&path, ModelKind::Lstm)
        .err()
        .unwrap()
        .to_string();
    assert_eq!(e, "checkpoint holds a transformer model, not a lstm model");
    assert!(Checkpoint::load_as(&path, ModelKind::Transformer).is_ok());
    std::fs::remove_file(path).unwrap();
}

#[test]
fn an_edited_header_is_refused_even_with_a_fixed_checksum() {
    // Change the stored model kind and recompute the checksum: the header no
    // longer matches the parameters, and loading says so.
    let path = saved(ModelKind::Attention, "edited");
    let mut bytes = std::fs::read(&path).unwrap();
    let (from, to) = (b"\"kind\":\"attention\"", b"\"kind\":\"lstm\"     ");
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("the header names the kind");
    bytes[at..at + to.len()].copy_from_slice(to);
    let n = bytes.len();
    let hash = bytes[..n - 8]
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
        });
    bytes[n - 8..].copy_from_slice(&hash.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let e = error_of(&path);
    assert!(
        e.contains("is corrupt") && e.contains("the config describes a model of 1452 parameters"),
        "{e}"
    );
    std::fs::remove_file(path).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    #[test]
    fn any_cut_or_flipped_byte_is_an_error_not_a_panic(cut in 0.0f64..1.0, flip in any::<(usize, u8)>()) {
        let path = saved(ModelKind::Attention, "prop");
        let bytes = std::fs::read(&path).unwrap();
        let short = &bytes[..(cut * bytes.len() as f64) as usize];
        std::fs::write(&path, short).unwrap();
        prop_assert!(Checkpoint::load(&path).is_err());
        let mut damaged = bytes.clone();
        let i = flip.0 % damaged.len();
        damaged[i] ^= flip.1.max(1);
        std::fs::write(&path, &damaged).unwrap();
        prop_assert!(Checkpoint::load(&path).is_err());
        std::fs::remove_file(path).unwrap();
    }
}

#[test]
fn frozen_parameters_stay_frozen_after_a_round_trip() {
    let (src, tgt) = vocabs();
    let mut model = build(
        &config(ModelKind::Attention, src.len(), tgt.len()),
        &mut rng(7),
    )
    .unwrap();
    model.embeddings_mut().0.weight.trainable = false;
    let path = temp("frozen");
    let mut c = Checkpoint::new(Translator::new(model, src, tgt, Task::Translation));
    c.save(&path).unwrap();
    let mut back = Checkpoint::load(&path).unwrap();
    let frozen: Vec<String> = back
        .translator
        .model
        .params()
        .iter()
        .filter(|p| !p.trainable)
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(frozen, vec!["encoder.embedding.weight".to_string()]);
    assert!(!back.translator.model.embeddings_mut().0.weight.trainable);
    std::fs::remove_file(path).unwrap();
}

#[test]
fn training_state_round_trips_text_settings_progress_and_optimizer() {
    use encdec::seq2seq::io::{OptimizerState, TrainProgress};
    use encdec::text::Language;
    let (src, tgt) = vocabs();
    let mut model = build(&config(ModelKind::Lstm, src.len(), tgt.len()), &mut rng(7)).unwrap();
    let n = model.params().len();
    let mut c = Checkpoint::new(Translator::new(model, src, tgt, Task::Translation));
    c.translator.text.lowercase = false;
    c.translator.text.tgt_lang = Language::English;
    c.translator.text.max_len = 77;
    c.progress = Some(TrainProgress {
        epochs: 3,
        steps: 120,
        best_valid_loss: 1.25,
    });
    let first = c.translator.model.params()[0].value.clone();
    let mut state = vec![None; n];
    state[0] = Some(vec![
        Tensor::scalar(4.0),
        first.clone(),
        first.map(|x| x * x),
    ]);
    c.optimizer = Some(OptimizerState {
        name: "adam".into(),
        state,
    });
    let path = temp("train-state");
    c.save(&path).unwrap();
    let d = Checkpoint::load(&path).unwrap();
    assert_eq!(
        (d.translator.text, d.progress),
        (c.translator.text, c.progress)
    );
    assert_eq!(d.optimizer, c.optimizer);
    // A header that promises an impossibly large optimizer state is refused
    // with a message, before anything is allocated.
    rewrite_header(&path, |h| {
        h["optimizer"]["state"][0][1] = serde_json::json!([1u64 << 62, 1u64 << 62])
    });
    let e = error_of(&path);
    assert!(e.contains("impossibly large"), "{e}");
    std::fs::remove_file(path).unwrap();
}

/// `save` is `to_bytes` written atomically, and `load` is `from_bytes` of
/// the file: a page hands the same bytes to JavaScript.
#[test]
fn a_file_holds_to_bytes_and_from_bytes_reads_it() {
    let path = saved(ModelKind::Attention, "bytes.ckpt");
    let file = std::fs::read(&path).unwrap();
    let mut c = Checkpoint::from_bytes(&file, &path).unwrap();
    assert_eq!(c.to_bytes(), file);
    assert_eq!(Checkpoint::load(&path).unwrap().to_bytes(), file);
    let e = Checkpoint::from_bytes(b"not a checkpoint", std::path::Path::new("page bytes"));
    assert!(e.err().unwrap().to_string().contains("page bytes"));
    std::fs::remove_file(&path).unwrap();
}
