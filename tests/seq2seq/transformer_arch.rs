//! The Transformer model's options (`TransformerConfig`): pre-norm
//! layers, GELU feed-forward blocks, final stack norms. Each option changes
//! the computation, trains, and survives a checkpoint; the default model
//! draws the same weights from a seed as before the options existed.

use crate::data_support;
use encdec::optim::Schedule;
use encdec::seq2seq::{batch::*, config::*, decode::*, io::*, models::*, task::*, train::*};
use encdec::tensor::rng;

/// The default Transformer ([`ModelConfig::new`]) with the options named in `flags`.
fn with_flags(src: usize, tgt: usize, flags: &[&str]) -> ModelConfig {
    let mut c = ModelConfig::new(ModelKind::Transformer, src, tgt);
    let Arch::Transformer(t) = &mut c.arch else {
        unreachable!("a Transformer's config")
    };
    for flag in flags {
        match *flag {
            "norm_first" => t.layer.norm_first = true,
            "gelu" => t.layer.activation = encdec::nn::FfnActivation::Gelu,
            "final_norm" => t.final_norm = true,
            other => panic!("unknown flag {other}"),
        }
    }
    c
}

const CHOICES: [&[&str]; 4] = [
    &["norm_first"],
    &["gelu"],
    &["final_norm"],
    &["norm_first", "gelu", "final_norm"],
];

/// Every parameter's name and value.
fn named_values(m: &mut dyn Seq2Seq) -> Vec<(String, Vec<f64>)> {
    m.params()
        .iter()
        .map(|p| (p.name.clone(), p.value.data().to_vec()))
        .collect()
}

// The options add only the final norms (ones and zeros, no draw), so every
// other weight comes out of the seed exactly as in the default model; and
// each option changes what the model computes (the final norm once it has
// weights other than ones and zeros).
#[test]
fn options_keep_the_seeded_weights_and_change_the_logits() {
    let data = data_support::prepared(Task::Translation, 60, 2);
    let (s, t) = (data.src_vocab.len(), data.tgt_vocab.len());
    let mut plain = build(&with_flags(s, t, &[]), &mut rng(3)).unwrap();
    let examples: Vec<&Example> = data.train[..4].iter().collect();
    let batch = Batch::new(&examples);
    let logits = |m: &dyn Seq2Seq| {
        let tape = encdec::autograd::Tape::new();
        let enc = m.encode(&tape, &batch, None);
        m.decode(&tape, &enc, &batch, None).logits.value()
    };
    let base = named_values(plain.as_mut());
    assert!(!base.iter().any(|(n, _)| n.contains(".norm.")));
    for flags in CHOICES {
        let mut m = build(&with_flags(s, t, flags), &mut rng(3)).unwrap();
        let mut values = named_values(m.as_mut());
        let norms: Vec<String> = values
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n.ends_with("coder.norm.weight") || n.ends_with("coder.norm.bias"))
            .collect();
        let expected = if flags.contains(&"final_norm") { 4 } else { 0 };
        assert_eq!(norms.len(), expected, "{flags:?}: {norms:?}");
        values.retain(|(n, _)| !norms.contains(n));
        assert_eq!(values, base, "{flags:?}: the seeded weights moved");
        // After post-norm layers a fresh final norm (gamma 1, beta 0) is
        // nearly the identity: their output is normalised already. Move it.
        for p in m.params_mut() {
            if norms.contains(&p.name) {
                p.value = p.value.map(|v| 2.0 * v + 0.1);
            }
        }
        let diff = logits(m.as_ref()).max_abs_diff(&logits(plain.as_ref()));
        assert!(diff > 1e-3, "{flags:?}: logits unchanged ({diff:e})");
    }
}

#[test]
fn each_option_trains() {
    let data = data_support::prepared(Task::Translation, 300, 1);
    let (s, t) = (data.src_vocab.len(), data.tgt_vocab.len());
    for flags in CHOICES {
        let mut model = build(&with_flags(s, t, flags), &mut rng(4)).unwrap();
        let (before, _) = evaluate(model.as_ref(), &data.train, 64);
        let mut train = data_support::training(ModelKind::Transformer, 4, 16, 4);
        train.schedule = Schedule::Constant(3e-3);
        fit(model.as_mut(), &data.train, &data.valid, &train);
        let (after, _) = evaluate(model.as_ref(), &data.train, 64);
        assert!(after < 0.7 * before, "{flags:?}: loss {before} -> {after}");
    }
}

#[test]
fn options_round_trip_through_a_checkpoint() {
    let data = data_support::prepared(Task::Translation, 60, 3);
    let (s, t) = (data.src_vocab.len(), data.tgt_vocab.len());
    for (i, flags) in CHOICES.iter().enumerate() {
        let config = with_flags(s, t, flags);
        let model = build(&config, &mut rng(5)).unwrap();
        let path =
            std::env::temp_dir().join(format!("encdec-test-{}-arch-{i}", std::process::id()));
        let (sv, tv) = (data.src_vocab.clone(), data.tgt_vocab.clone());
        let mut original = Checkpoint::new(Translator::new(model, sv, tv, Task::Translation));
        // Move the final norms off their ones and zeros so the round trip has
        // something to keep.
        for p in original.translator.model.params_mut() {
            p.value = p.value.map(|v| v * 0.9 + 0.05);
        }
        original.save(&path).unwrap();
        let mut loaded = Checkpoint::load(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            loaded.translator.model.config().arch,
            config.arch,
            "{flags:?}"
        );
        assert_eq!(
            named_values(loaded.translator.model.as_mut()),
            named_values(original.translator.model.as_mut()),
            "{flags:?}"
        );
        let sentence = "the lazy fox jumps over the dog";
        assert_eq!(
            loaded
                .translator
                .decode_text(sentence, 1, UnknownWords::Refuse)
                .unwrap(),
            original
                .translator
                .decode_text(sentence, 1, UnknownWords::Refuse)
                .unwrap()
        );
    }
}
