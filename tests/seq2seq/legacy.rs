//! Files written before the config named the Transformer's sizes `d_model`
//! and `d_ff` (format 1 checkpoints, `encdec-weights-1` safetensors, made by
//! commit a69e63b's `encdec train` and `encdec export --logits`, in
//! `tests/fixtures/legacy/`) still load, and the model they hold gives,
//! bit for bit, the logits that version computed.
//!
//! The files were made with:
//!
//! ```sh
//! encdec train --model lstm --pairs 200 --epochs 1 --emb 8 --hidden 12 --out lstm_v1.ckpt
//! encdec train --model attention --pairs 200 --epochs 1 --emb 8 --hidden 12 --layers 2 \
//!     --bidirectional --bridge project --out attention_v1.ckpt
//! encdec train --model transformer --pairs 200 --epochs 1 --d-model 8 --d-ff 16 --heads 2 \
//!     --layers 1 --norm-first --gelu --final-norm --out transformer_v1.ckpt
//! encdec export --checkpoint KIND_v1.ckpt --out KIND_v1.safetensors --logits KIND_v1_logits.safetensors
//! ```

use encdec::autograd::Tape;
use encdec::seq2seq::config::{Bridge, Directions};
use encdec::seq2seq::decode::Translator;
use encdec::seq2seq::io::{Checkpoint, import, read_logits};
use std::path::Path;

const KINDS: [&str; 3] = ["lstm", "attention", "transformer"];

fn dir() -> &'static Path {
    Path::new("tests/fixtures/legacy")
}

/// The logits `t` computes on the batch of `KIND_v1_logits.safetensors`,
/// and the ones the old version computed.
fn logits(t: &Translator, kind: &str) -> (Vec<u64>, Vec<u64>) {
    let bytes = std::fs::read(dir().join(format!("{kind}_v1_logits.safetensors"))).unwrap();
    let (batch, old) = read_logits(&bytes).unwrap();
    let tape = Tape::new();
    let new = t.model.forward(&tape, &batch, None).logits.value();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect();
    (bits(new.data()), bits(old.data()))
}

#[test]
fn format_1_checkpoints_load_and_give_the_same_logits() {
    for kind in KINDS {
        let c = Checkpoint::load(&dir().join(format!("{kind}_v1.ckpt"))).unwrap();
        let (new, old) = logits(&c.translator, kind);
        assert_eq!(new, old, "{kind}: the logits changed");
        assert!(
            c.progress.is_some() && c.optimizer.is_some(),
            "{kind}: training state lost"
        );
    }
    let c = Checkpoint::load(&dir().join("attention_v1.ckpt")).unwrap();
    let r = c.translator.model.config().rnn().copied().unwrap();
    assert_eq!(
        (r.layers, r.directions),
        (2, Directions::Both(Bridge::Project))
    );
}

#[test]
fn weights_1_files_import_and_give_the_same_logits() {
    for kind in KINDS {
        let c = import(&dir().join(format!("{kind}_v1.safetensors"))).unwrap();
        let (new, old) = logits(&c.translator, kind);
        assert_eq!(new, old, "{kind}: the logits changed");
    }
}

#[test]
fn an_old_checkpoint_saved_again_is_format_2_and_the_same_model() {
    for kind in KINDS {
        let mut c = Checkpoint::load(&dir().join(format!("{kind}_v1.ckpt"))).unwrap();
        let path =
            std::env::temp_dir().join(format!("encdec-legacy-{}-{kind}.ckpt", std::process::id()));
        c.save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let again = Checkpoint::load(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let len = u64::from_le_bytes(bytes[8..16].try_into().unwrap()) as usize;
        let header: serde_json::Value = serde_json::from_slice(&bytes[16..16 + len]).unwrap();
        assert_eq!(header["format"], 2, "{kind}");
        assert_eq!(again.translator.model.config(), c.translator.model.config());
        assert_eq!(logits(&again.translator, kind), logits(&c.translator, kind));
        assert_eq!(again.progress, c.progress);
        assert_eq!(again.optimizer, c.optimizer);
    }
}

#[test]
fn old_checkpoints_load_without_counts_or_trigrams() {
    for kind in KINDS {
        let c = Checkpoint::load(&dir().join(format!("{kind}_v1.ckpt"))).unwrap();
        let t = &c.translator;
        assert_eq!(t.src_vocab.counts(), None, "{kind}");
        assert_eq!(t.tgt_vocab.counts(), None, "{kind}");
        assert!(t.src_trigrams.is_none(), "{kind}");
        assert_eq!(
            t.marks("the dog sleeps")
                .iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>(),
            [
                "counts not stored in this checkpoint: rare words are not marked",
                "trigrams not stored in this checkpoint: inputs outside the training corpus are not marked"
            ]
        );
    }
}
