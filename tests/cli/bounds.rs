//! Issue 23: no file or flag may ask for unbounded memory. Each test runs
//! encdec under a 4 GiB address-space limit, so a regression aborts
//! instead of filling the machine. Each failed before its fix: the
//! dialogue run aborted at the limit, word2vec aborted allocating 4 GB.

use crate::cli_support::{fails_with, temp};
use std::process::{Command, Output};

/// Runs `encdec` with `args` under a 4 GiB address-space limit.
fn encdec_capped(args: &[&str]) -> Output {
    let cmd = "ulimit -v 4194304; exec \"$0\" \"$@\"";
    Command::new("sh")
        .args(["-c", cmd, env!("CARGO_BIN_EXE_encdec")])
        .args(args)
        .output()
        .expect("the encdec binary runs")
}

#[test]
fn a_long_dialogue_costs_memory_in_its_length_not_its_square() {
    // 12 ordinary dialogues, then one of 12,000 turns: every reply of it
    // carries the whole history before it, 6,000 pairs of up to 36,000
    // tokens, of which --max-len keeps the first few.
    let p = temp("bounds-dialogue.jsonl");
    let mut text = String::new();
    for i in 0..12 {
        text += &format!(
            "{{\"turns\":[\"hello {i}\",\"hi there\",\"soup please\",\"which size ?\"]}}\n"
        );
    }
    let turns = vec!["\"a b c\""; 12_000].join(",");
    text += &format!("{{\"turns\":[{turns}]}}\n");
    std::fs::write(&p, text).unwrap();
    let out = temp("bounds-dialogue.ckpt");
    let o = encdec_capped(&[
        "train",
        "--task",
        "dialogue",
        "--model",
        "lstm",
        "--emb",
        "4",
        "--hidden",
        "4",
        "--epochs",
        "1",
        "--corpus",
        p.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{e}");
    // The 6,000 replies of the long dialogue but the first are left out
    // (its histories are 3, 11, 19, … tokens: six are within 50).
    let all = format!("{}{e}", String::from_utf8_lossy(&o.stdout));
    assert!(
        all.contains("--max-len 50: dropped 5994 training and validation pairs"),
        "{all}"
    );
}

#[test]
fn word_vectors_too_large_to_hold_are_refused_before_allocating() {
    // 500,000 distinct words at --dim 1000: tables of 4 GB and more.
    let p = temp("bounds-words.txt");
    let words: Vec<String> = (0..500_000).map(|i| format!("w{i}")).collect();
    let lines: Vec<String> = words.chunks(10).map(|c| c.join(" ") + "\n").collect();
    std::fs::write(&p, lines.concat()).unwrap();
    let out = temp("bounds-vectors.txt");
    for method in ["word2vec", "glove"] {
        let o = encdec_capped(&[
            method,
            "--corpus",
            p.to_str().unwrap(),
            "--dim",
            "1000",
            "--epochs",
            "1",
            "--out",
            out.to_str().unwrap(),
        ]);
        fails_with(&o, "lower --dim");
        fails_with(&o, "500000 words");
    }
}
