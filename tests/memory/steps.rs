//! The memory a training step needs, estimated from the config before
//! anything is built ([`encdec::seq2seq::size::step_bytes`]), against the
//! heap measured over a real step; and `train` refusing a model too big
//! for it up front.

use crate::measured;
use encdec::nn::{FfnActivation, LayerOptions};
use encdec::optim::{Adam, Schedule};
use encdec::seq2seq::batch::Batch;
use encdec::seq2seq::config::*;
use encdec::seq2seq::models::build;
use encdec::seq2seq::size::{StepShape, step_bytes};
use encdec::seq2seq::train::{TrainConfig, train_step};
use encdec::tensor::rng;

/// The most heap bytes a model's building and first Adam step held at
/// once, on a batch of `s.batch` pairs of lengths `s.src_len`, `s.tgt_len`.
fn measured_step(config: &ModelConfig, s: StepShape) -> usize {
    let v = config.src_vocab.min(config.tgt_vocab);
    let ids = |n: usize| (0..n).map(|i| 4 + i % (v - 4)).collect::<Vec<_>>();
    let batch = Batch {
        size: s.batch,
        src: ids(s.batch * s.src_len),
        src_len: s.src_len,
        src_lengths: vec![s.src_len; s.batch],
        tgt_in: ids(s.batch * s.tgt_len),
        tgt_out: ids(s.batch * s.tgt_len),
        tgt_len: s.tgt_len,
    };
    let mut train = TrainConfig::new(config.kind());
    train.schedule = Schedule::Constant(1e-3);
    (train.shards, train.threads) = (1, 1);
    let (_, peak) = measured(|| {
        let mut model = build(config, &mut rng(0)).unwrap();
        train_step(
            model.as_mut(),
            &batch,
            &mut Adam::default(),
            &train,
            1,
            &mut rng(1),
        );
    });
    peak
}

/// Configs unlike the ones the constants were fitted to: both directions
/// with each bridge, 8 heads, pre-norm, GELU, final norms, other lengths,
/// GRU and RNN cells (the constants were fitted to LSTM cells).
fn configs() -> Vec<(ModelConfig, StepShape)> {
    let shape = |batch, src_len, tgt_len| StepShape {
        batch,
        src_len,
        tgt_len,
        shards: 1,
    };
    let rnn = |emb, hidden, layers, directions| RnnConfig {
        cell: Cell::Lstm,
        emb,
        hidden,
        layers,
        directions,
    };
    let model = |arch, src_vocab, tgt_vocab| ModelConfig {
        src_vocab,
        tgt_vocab,
        dropout: 0.1,
        arch,
    };
    let both = |b| Directions::Both(b);
    let transformer = TransformerConfig {
        d_model: 96,
        d_ff: 200,
        heads: 8,
        layers: 3,
        layer: LayerOptions {
            norm_first: true,
            activation: FfnActivation::Gelu,
        },
        final_norm: true,
        pieces: Pieces::default(),
    };
    vec![
        (
            model(
                Arch::Attention(rnn(40, 80, 2, both(Bridge::Concat))),
                300,
                400,
            ),
            shape(24, 18, 21),
        ),
        (
            model(Arch::Lstm(rnn(24, 120, 1, both(Bridge::Project))), 900, 150),
            shape(40, 9, 14),
        ),
        (
            model(
                Arch::Attention(rnn(64, 64, 3, both(Bridge::Project))),
                120,
                120,
            ),
            shape(12, 35, 30),
        ),
        (
            model(
                Arch::Attention(RnnConfig {
                    cell: Cell::Gru,
                    ..rnn(32, 96, 2, both(Bridge::Project))
                }),
                200,
                250,
            ),
            shape(16, 20, 18),
        ),
        (
            model(
                Arch::Lstm(RnnConfig {
                    cell: Cell::Rnn,
                    ..rnn(48, 96, 1, Directions::Forward)
                }),
                85,
                108,
            ),
            shape(32, 12, 13),
        ),
        (
            model(Arch::Transformer(transformer), 500, 700),
            shape(20, 25, 19),
        ),
        (
            model(
                Arch::Transformer(TransformerConfig {
                    heads: 2,
                    layers: 1,
                    ..transformer
                }),
                60,
                60,
            ),
            shape(48, 40, 44),
        ),
    ]
}

#[test]
fn the_estimate_bounds_a_measured_step() {
    let _alone = crate::alone();
    for (config, s) in configs() {
        let measured = measured_step(&config, s);
        let estimate = step_bytes(&config, s).unwrap();
        let ratio = estimate as f64 / measured as f64;
        assert!(
            (1.0..=2.0).contains(&ratio),
            "{config} {s:?}: estimated {estimate} bytes, measured {measured} ({ratio:.2} times)"
        );
    }
}

/// `encdec` with `args`, under a 4 GiB address-space limit so that a
/// regression aborts instead of filling the machine.
fn capped(args: &str) -> std::process::Output {
    let command = format!(
        "ulimit -v 4194304; exec {} {args}",
        env!("CARGO_BIN_EXE_encdec")
    );
    std::process::Command::new("sh")
        .args(["-c", &command])
        .output()
        .unwrap()
}

/// `encdec train` with `args`, capped, written to a temporary checkpoint.
fn train_capped(args: &str) -> std::process::Output {
    let out = std::env::temp_dir().join(format!("encdec-steps-{}.ckpt", std::process::id()));
    capped(&format!("train {args} --out {}", out.display()))
}

#[test]
fn a_model_too_big_to_train_is_refused_up_front() {
    let _alone = crate::alone();
    // The reproduction: 4.3 billion parameters, once refused only
    // by an allocation failure (exit 134).
    let cases = [
        (
            "--model attention --pairs 200 --epochs 1 --layers 16 --emb 4096 --hidden 4096",
            "4329635845 parameters",
        ),
        (
            "--model transformer --pairs 200 --epochs 1 --layers 1000 --d-model 512",
            "3420423685 parameters",
        ),
        (
            "--model transformer --pairs 200 --epochs 1 --batch-size 100000 --d-model 512",
            "120.5 GiB",
        ),
    ];
    for (args, number) in cases {
        let out = train_capped(args);
        let e = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args}: {e}");
        assert!(
            e.contains(number) && (e.contains("200000000") || e.contains("8.0 GiB limit")),
            "{e}"
        );
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(
            out.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn the_real_lengths_and_vocabularies_are_checked_before_the_model_is_built() {
    let _alone = crate::alone();
    // Small enough with one-token sentences and five words, too big with
    // the built-in corpus's vocabularies and lengths: refused after the
    // data is read, before the model is built, naming the real lengths.
    let out = train_capped(
        "--model transformer --pairs 5000 --epochs 1 --batch-size 2500 --d-model 256 --d-ff 1024 --layers 6",
    );
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(
        e.contains("would need about") && e.contains("8.0 GiB limit"),
        "{e}"
    );
    assert!(!e.contains("of 1 source and 1 target"), "{e}");
}

#[test]
fn a_validation_sentence_too_long_to_hold_is_refused_before_training() {
    let _alone = crate::alone();
    // The hostile review's case: the training lines are short, one
    // validation line has 40,000 words; its pass once asked for 25.6 GB.
    let dir = std::env::temp_dir().join(format!("encdec-steps-valid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (train, valid) = (dir.join("train.tsv"), dir.join("valid.tsv"));
    std::fs::write(&train, "a b\tc d\n".repeat(20)).unwrap();
    std::fs::write(&valid, format!("{}\tc\n", "a ".repeat(40_000))).unwrap();
    let args = format!(
        "--model transformer --d-model 8 --d-ff 8 --heads 2 --layers 1 --epochs 1 --corpus {} --valid {} --max-len 100000",
        train.display(),
        valid.display()
    );
    let out = train_capped(&args);
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(
        e.contains("would need about") && e.contains("40001 source"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn long_sources_are_decoded_in_batches_that_fit() {
    let _alone = crate::alone();
    // The hostile review's case, with 8 of its 32 test sources of 1,200
    // words (cut to 1,000) for a model of 64 heads: one batch of them once
    // asked for 4.1 GB (16.4 GB for the 32). Decoding now takes as many
    // sources at a time as fit in 2 GiB.
    let dir = std::env::temp_dir().join(format!("encdec-steps-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).display().to_string();
    std::fs::write(path("train.tsv"), "a b\tc d\n".repeat(20)).unwrap();
    std::fs::write(
        path("long.tsv"),
        format!("{}\tc\n", "a ".repeat(1_200)).repeat(8),
    )
    .unwrap();
    let trained = capped(&format!(
        "train --model transformer --d-model 64 --heads 64 --d-ff 8 --layers 1 --epochs 1 --corpus {} --valid {} --out {}",
        path("train.tsv"),
        path("train.tsv"),
        path("m.ckpt")
    ));
    assert!(
        trained.status.success(),
        "{}",
        String::from_utf8_lossy(&trained.stderr)
    );
    let o = capped(&format!(
        "evaluate --checkpoint {} --corpus {}",
        path("m.ckpt"),
        path("long.tsv")
    ));
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(0), "{printed}");
    assert!(printed.contains("cut"), "{printed}");
    std::fs::remove_dir_all(&dir).unwrap();
}
