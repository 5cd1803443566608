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
