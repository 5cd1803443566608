//! The binary's training, translation and plotting commands, driven as a
//! user would, bad input included: every mistake is one clear line on
//! stderr and a non-zero exit, never a panic.

use crate::cli_support;

use cli_support::{encdec, fails_with, temp};
use std::process::Output;
use std::sync::OnceLock;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `encdec train` of an attention model on 400 built-in pairs for one
/// epoch, written to `out`, with `extra` flags.
fn train_attention(out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "train",
        "--model",
        "attention",
        "--epochs",
        "1",
        "--pairs",
        "400",
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--out", out]);
    encdec(&args)
}

/// A quickly trained attention model (once for all tests).
fn checkpoint() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = temp("attention.ckpt").display().to_string();
        let o = train_attention(&path, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("test BLEU-4"), "{}", stdout(&o));
        path
    })
}

#[test]
fn translate_prints_a_translation() {
    let o = encdec(&[
        "translate",
        "--checkpoint",
        checkpoint(),
        "the dog sees the cat",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).trim().is_empty());
    let beam = encdec(&[
        "translate",
        "--checkpoint",
        checkpoint(),
        "--beam",
        "3",
        "the dog sees the cat",
    ]);
    assert!(beam.status.success(), "{}", stderr(&beam));
}

#[test]
fn unknown_words_are_named() {
    let o = encdec(&[
        "translate",
        "--checkpoint",
        checkpoint(),
        "the zebra sees the cat",
    ]);
    fails_with(
        &o,
        "error: unknown words (not in the training vocabulary): zebra",
    );
}

#[test]
fn an_empty_sentence_is_refused() {
    fails_with(
        &encdec(&["translate", "--checkpoint", checkpoint(), "   "]),
        "the input has no words",
    );
}

#[test]
fn a_missing_checkpoint_is_refused() {
    let o = encdec(&[
        "translate",
        "--checkpoint",
        "/no/such/model.ckpt",
        "the dog",
    ]);
    fails_with(&o, "error: cannot read checkpoint /no/such/model.ckpt");
}

#[test]
fn a_corrupt_checkpoint_is_refused() {
    let path = temp("corrupt.ckpt");
    let mut bytes = std::fs::read(checkpoint()).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    fails_with(
        &encdec(&[
            "translate",
            "--checkpoint",
            path.to_str().unwrap(),
            "the dog",
        ]),
        "is corrupt",
    );
    std::fs::write(&path, &bytes[..n / 3]).unwrap();
    fails_with(
        &encdec(&[
            "translate",
            "--checkpoint",
            path.to_str().unwrap(),
            "the dog",
        ]),
        "is truncated",
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn bad_flags_are_refused() {
    // An unknown model: the hint lists every model there is.
    fails_with(
        &encdec(&["train", "--model", "tree"]),
        "invalid value 'tree' for '--model <MODEL>' [possible values: rnn, lstm, gru, attention, transformer]",
    );
    // Each model and cell has one spelling: --cell is the attention model's.
    fails_with(
        &encdec(&["train", "--model", "lstm", "--cell", "gru"]),
        "--cell applies to --model attention; for a plain GRU use --model gru",
    );
    fails_with(
        &encdec(&["train", "--model", "transformer", "--cell", "rnn"]),
        "--cell applies to --model attention; for a plain RNN use --model rnn",
    );
    fails_with(
        &encdec(&["train", "--model", "attention", "--cell", "tree"]),
        "invalid value 'tree' for '--cell <CELL>' [possible values: lstm, gru, rnn]",
    );
    fails_with(
        &encdec(&["train", "--model", "lstm", "--epochs", "0"]),
        "--epochs must be from 1 to 100000",
    );
    fails_with(
        &encdec(&["train", "--model", "lstm", "--batch-size", "many"]),
        "invalid value 'many'",
    );
    fails_with(
        &encdec(&[
            "translate",
            "--checkpoint",
            checkpoint(),
            "--beam",
            "0",
            "the dog",
        ]),
        "--beam must be from 1 to 64",
    );
    fails_with(
        &encdec(&["demo", "--colour"]),
        "unexpected argument '--colour'",
    );
    fails_with(
        &encdec(&["bench", "--seconds=-1"]),
        "must be a non-negative number",
    );
    fails_with(
        &encdec(&["bench", "--lengths", "12,0"]),
        "--lengths must each be from 1 to 1000",
    );
    fails_with(&encdec(&["bench", "--model", "gru"]), "invalid value 'gru'");
    fails_with(
        &encdec(&["train", "--model", "lstm", "--threads", "0"]),
        "--threads must be from 1 to 256",
    );
    fails_with(
        &encdec(&["train", "--model", "lstm", "--shards", "0"]),
        "--shards must be from 1 to 64",
    );
}

#[test]
fn heatmap_writes_png_and_svg_with_every_token() {
    for ext in ["png", "svg"] {
        let out = temp(&format!("heat.{ext}"));
        let o = encdec(&[
            "heatmap",
            "--checkpoint",
            checkpoint(),
            "the quick fox sees the dog",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let bytes = std::fs::read(&out).unwrap();
        if ext == "svg" {
            let svg = String::from_utf8(bytes).unwrap();
            for token in ["quick", "fox", "sees", "dog", "&lt;/s&gt;"] {
                assert!(svg.contains(token), "{token} missing from the SVG");
            }
        } else {
            assert!(bytes.starts_with(b"\x89PNG"));
        }
        std::fs::remove_file(out).unwrap();
    }
}

#[test]
fn heatmap_refuses_a_bad_extension_and_a_model_without_attention() {
    let o = encdec(&[
        "heatmap",
        "--checkpoint",
        checkpoint(),
        "the dog",
        "--out",
        "x.jpg",
    ]);
    fails_with(&o, "error: ");
    assert!(stderr(&o).contains("jpg"), "{}", stderr(&o));
    let lstm = temp("lstm.ckpt");
    let t = encdec(&[
        "train",
        "--model",
        "lstm",
        "--epochs",
        "1",
        "--pairs",
        "200",
        "--out",
        lstm.to_str().unwrap(),
    ]);
    assert!(t.status.success(), "{}", stderr(&t));
    let o = encdec(&[
        "heatmap",
        "--checkpoint",
        lstm.to_str().unwrap(),
        "the dog",
        "--out",
        "x.png",
    ]);
    fails_with(&o, "the lstm model has no attention to plot");
    std::fs::remove_file(lstm).unwrap();
}

#[test]
fn bench_prints_both_configurations() {
    let o = encdec(&["bench", "--warmup", "0", "--steps", "2", "--seconds", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for model in ["lstm", "transformer"] {
        let line = format!("encdec {model} len=12 threads=1 shards=1 median_ms=");
        assert!(out.contains(&line), "{out}");
    }
    assert!(
        out.contains("peak_mb=") && !out.contains("peak_mb=n/a"),
        "{out}"
    );
}

#[test]
fn bench_reports_growth_over_several_lengths() {
    let o = encdec(&[
        "bench",
        "--model",
        "lstm",
        "--lengths",
        "8,4,16",
        "--threads",
        "2",
        "--warmup",
        "0",
        "--steps",
        "1",
        "--seconds",
        "0",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // The lengths are timed in order, at the thread count asked for, and only the model asked for.
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("median_ms=")).collect();
    assert_eq!(lines.len(), 3, "{out}");
    for (line, len) in lines.iter().zip([4, 8, 16]) {
        assert!(
            line.starts_with(&format!("encdec lstm len={len} threads=2 ")),
            "{out}"
        );
    }
    for growth in ["len=4..8 ", "len=8..16 ", "len=4..16 "] {
        assert!(
            out.contains(&format!("encdec lstm growth {growth}")),
            "{out}"
        );
    }
    assert!(
        out.contains("lstm: from length 4 to 16 the time grew as length^"),
        "{out}"
    );
    assert!(!out.contains("transformer"), "{out}");
}

#[test]
fn train_refuses_bad_optimizer_flags() {
    let train = |flag: &str| encdec(&["train", "--model", "lstm", "--epochs", "1", flag]);
    fails_with(
        &train("--label-smoothing=1"),
        "--label-smoothing must be at least 0 and below 1",
    );
    fails_with(
        &train("--label-smoothing=NaN"),
        "--label-smoothing must be at least 0 and below 1",
    );
    fails_with(
        &train("--weight-decay=-0.1"),
        "--weight-decay must be a number at least 0",
    );
}

#[test]
fn adamw_and_label_smoothing_train_and_are_kept_in_the_checkpoint() {
    let path = temp("adamw.ckpt").display().to_string();
    let flags = [
        "--adamw",
        "--weight-decay",
        "0.05",
        "--label-smoothing",
        "0.1",
    ];
    let o = train_attention(&path, &flags);
    assert!(o.status.success(), "{}", stderr(&o));
    // The checkpoint holds AdamW's state: resuming it with Adam is refused.
    let resume = train_attention(&path, &["--resume", &path]);
    fails_with(
        &resume,
        "the checkpoint holds a adamw state, training uses adam",
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn train_refuses_flags_of_the_other_family_before_any_work() {
    let o = encdec(&["train", "--model", "transformer", "--bidirectional"]);
    fails_with(
        &o,
        "--bidirectional is for the recurrent models (rnn, lstm, gru, attention)",
    );
    let o = encdec(&["train", "--model", "lstm", "--norm-first"]);
    fails_with(&o, "--norm-first is for the transformer");
    let o = encdec(&["train", "--model", "attention", "--gelu"]);
    fails_with(&o, "--gelu is for the transformer");
    let o = encdec(&["train", "--model", "transformer", "--emb", "32"]);
    fails_with(
        &o,
        "--emb is for the recurrent models (rnn, lstm, gru, attention)",
    );
    let o = encdec(&["train", "--model", "lstm", "--d-model", "32"]);
    fails_with(&o, "--d-model is for the transformer");
    let o = encdec(&["train", "--model", "lstm", "--layers", "17"]);
    fails_with(&o, "at most 16");
    let o = encdec(&["train", "--model", "lstm", "--bridge", "project"]);
    fails_with(&o, "add --bidirectional");
    let o = encdec(&[
        "train",
        "--model",
        "lstm",
        "--bidirectional",
        "--bridge",
        "sum",
    ]);
    fails_with(&o, "invalid value 'sum' for '--bridge");
}
