//! `encdec train --task summarization|dialogue`, `summarize` and `chat`,
//! driven as a user would: chat reads piped standard input and must survive
//! empty lines, very long input and unknown words, and end cleanly.

use crate::cli_support;

use cli_support::{encdec, encdec_with_input, fails_with, temp};
use std::sync::OnceLock;

fn trained(task: &str) -> String {
    let path = temp(&format!("{task}.ckpt")).display().to_string();
    let o = encdec(&[
        "train",
        "--task",
        task,
        "--model",
        "attention",
        "--epochs",
        "1",
        "--pairs",
        "600",
        "--out",
        &path,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let metric = if task == "dialogue" {
        "test reply accuracy"
    } else {
        "test ROUGE-1"
    };
    assert!(out.contains(metric), "{out}");
    path
}

fn dialogue_model() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| trained("dialogue"))
}

/// Runs `encdec chat` with `input` on standard input; returns (success, stdout, stderr).
fn chat(input: &str) -> (bool, String, String) {
    let o = encdec_with_input(&["chat", "--checkpoint", dialogue_model()], input);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn chat_answers_each_line_and_ends_at_the_end_of_input() {
    let (ok, out, err) = chat("i would like a pizza\n\n\nlarge please\n");
    assert!(ok, "{err}");
    assert_eq!(out.matches("bot: ").count(), 2, "{out}");
    assert!(out.trim_end().ends_with("bye"), "{out}");
}

#[test]
fn chat_survives_unknown_words_and_very_long_lines() {
    let long = format!("{}\n", "hello ".repeat(50_000));
    let (ok, out, err) = chat(&format!(
        "zebra giraffe\n{long}what time is it ?\n/reset\n/quit\nnever read\n"
    ));
    assert!(ok, "{err}");
    assert!(
        out.contains("bot: (I do not know the words: zebra, giraffe)"),
        "{out}"
    );
    assert!(out.contains("(conversation forgotten)"), "{out}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.matches("bot: ").count(), 3, "{out}");
}

#[test]
fn summarize_writes_a_headline_and_refuses_other_models() {
    let summary = trained("summarization");
    let doc = "this was on monday . the mayor opened a bridge . it happened in berlin .";
    let o = encdec(&["summarize", "--checkpoint", &summary, doc]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!String::from_utf8_lossy(&o.stdout).trim().is_empty());
    fails_with(
        &encdec(&["summarize", "--checkpoint", dialogue_model(), doc]),
        "holds a dialogue model; `encdec summarize` needs a summarization model",
    );
    fails_with(
        &encdec(&["chat", "--checkpoint", &summary]),
        "needs a dialogue model",
    );
    fails_with(
        &encdec(&["summarize", "--checkpoint", &summary, ""]),
        "the input has no words",
    );
    fails_with(
        &encdec(&["train", "--task", "poetry", "--model", "lstm"]),
        "invalid value 'poetry' for '--task <TASK>'",
    );
    let heat = temp("summary-heat.svg");
    let h = encdec(&[
        "heatmap",
        "--checkpoint",
        &summary,
        doc,
        "--out",
        heat.to_str().unwrap(),
    ]);
    assert!(h.status.success(), "{}", String::from_utf8_lossy(&h.stderr));
    std::fs::remove_file(heat).unwrap();
}
