//! `encdec translate` with sampling (`--sample`, `--temperature`,
//! `--top-k`, `--top-p`, `--seed`) and beam search's n best (`--n-best`),
//! as a user runs them, wrong flags included.

use crate::cli_support;

use cli_support::{encdec, encdec_with_input, fails_with, small_training, temp};
use std::process::Output;
use std::sync::OnceLock;

const SENTENCE: &str = "the cat sleeps";

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A quickly trained translation model (once for all tests).
fn checkpoint() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = temp("sampling.ckpt").display().to_string();
        stdout(&encdec(&small_training(&path, &[])));
        path
    })
}

fn translate(extra: &[&str]) -> Output {
    let mut args = vec!["translate", "--checkpoint", checkpoint(), SENTENCE];
    args.extend(extra);
    encdec(&args)
}

#[test]
fn the_same_seed_writes_the_same_translation() {
    let flags = ["--sample", "--temperature", "2", "--seed", "7"];
    let a = stdout(&translate(&flags));
    assert_eq!(a.lines().count(), 1, "{a}");
    assert_eq!(a, stdout(&translate(&flags)));
    // At a high temperature some of ten seeds draw another sentence.
    let other = (0..10).any(|seed| {
        let seed = seed.to_string();
        stdout(&translate(&[
            "--sample",
            "--temperature",
            "2",
            "--seed",
            &seed,
        ])) != a
    });
    assert!(other, "ten seeds all wrote {a}");
}

#[test]
fn top_k_one_writes_greedys_translation() {
    let greedy = stdout(&translate(&[]));
    for seed in ["1", "2", "3"] {
        let sampled = stdout(&translate(&["--sample", "--top-k", "1", "--seed", seed]));
        assert_eq!(sampled, greedy);
    }
    // A tiny nucleus keeps only the most probable word too.
    assert_eq!(
        stdout(&translate(&["--sample", "--top-p", "0.000001"])),
        greedy
    );
}

#[test]
fn n_best_prints_n_scored_lines_best_first() {
    let beam = stdout(&translate(&["--beam", "4"]));
    let out = stdout(&translate(&["--beam", "4", "--n-best", "3"]));
    let lines: Vec<(f64, &str)> = out
        .lines()
        .map(|l| {
            let (score, text) = l.split_once('\t').expect("score<TAB>text");
            (score.parse().expect("a number"), text)
        })
        .collect();
    assert!(!lines.is_empty() && lines.len() <= 3, "{out}");
    assert_eq!(lines[0].1, beam.trim_end());
    assert!(lines.iter().all(|(s, _)| *s <= 0.0), "{out}");
}

#[test]
fn standard_input_is_sampled_line_by_line() {
    let args = [
        "translate",
        "--checkpoint",
        checkpoint(),
        "--sample",
        "--seed",
        "5",
    ];
    let input = "the cat sleeps\n\nthe dog runs\n";
    let out = stdout(&encdec_with_input(&args, input));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[1], "");
    assert_eq!(out, stdout(&encdec_with_input(&args, input)));
}

#[test]
fn wrong_flags_are_one_clear_line() {
    let cases: [(&[&str], &str); 8] = [
        (
            &["--temperature", "0.5"],
            "--temperature shapes sampling: add --sample",
        ),
        (&["--top-k", "3"], "--top-k shapes sampling: add --sample"),
        (
            &["--sample", "--temperature", "0"],
            "--temperature 0 must be a number above 0",
        ),
        (
            &["--sample", "--temperature", "-1"],
            "must be a number above 0",
        ),
        (&["--sample", "--top-k", "0"], "--top-k must be at least 1"),
        (
            &["--sample", "--top-p", "1.5"],
            "--top-p 1.5 must be above 0 and at most 1",
        ),
        (
            &["--beam", "2", "--n-best", "3"],
            "--n-best 3 must be at least 1 and at most the beam width (--beam 2)",
        ),
        (
            &["--sample", "--beam", "3"],
            "--sample draws one output word by word; it does not mix with --beam or --n-best",
        ),
    ];
    for (flags, message) in cases {
        let o = translate(flags);
        fails_with(&o, message);
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(e.trim_end().lines().count(), 1, "{flags:?}: {e}");
    }
}
