//! `train --subwords N` end to end: a model of subword pieces trains,
//! reads a word it never saw when its pieces are known, scores a corpus
//! file with beam search, survives its checkpoint, and refuses flags and
//! stored tables that make no sense.

use crate::cli_support::{encdec, fails_with, rewrite_header, temp};
use encdec::seq2seq::io::Checkpoint;
use serde_json::json;
use std::path::Path;
use std::process::Output;
use std::sync::OnceLock;

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// An attention model of subword pieces (60 joint merges) trained for one
/// epoch on 300 built-in pairs, once for all tests, with its training output.
fn checkpoint() -> &'static (String, String) {
    static RUN: OnceLock<(String, String)> = OnceLock::new();
    RUN.get_or_init(|| {
        let path = temp("subwords.ckpt").display().to_string();
        let args =
            "train --model attention --epochs 1 --pairs 300 --emb 16 --hidden 16 --subwords 60";
        let mut args: Vec<&str> = args.split(' ').collect();
        args.extend(["--out", &path]);
        let o = encdec(&args);
        assert!(o.status.success(), "{}", text(&o));
        (path, text(&o))
    })
}

#[test]
fn training_says_how_many_merges_and_counts_pieces() {
    let out = &checkpoint().1;
    assert!(out.contains("subwords: 60 merges (joint table)"), "{out}");
    assert!(
        out.contains("source, ") && out.contains("target pieces"),
        "{out}"
    );
}

/// Two training words glued together make a word the model never saw;
/// the first such word whose pieces are all known is translated without
/// `--allow-unknown` and without `<unk>`.
#[test]
fn a_new_word_of_known_pieces_is_read_without_unk() {
    let path = &checkpoint().0;
    let t = Checkpoint::load(Path::new(path)).unwrap().translator;
    let words: Vec<&str> = ["dog", "cat", "house", "sees", "the", "bird", "small", "big"]
        .into_iter()
        .filter(|w| t.src_vocab.get(w).is_some())
        .collect();
    let new = words
        .iter()
        .flat_map(|a| words.iter().map(move |b| format!("{a}{b}")))
        .find(|w| {
            let pieces = t.source_tokens(vec![w.clone()]);
            t.src_vocab.get(w).is_none()
                && pieces.len() > 1
                && pieces.iter().all(|p| t.src_vocab.get(p).is_some())
        })
        .expect("a glued word of known pieces");
    let o = encdec(&[
        "translate",
        "--checkpoint",
        path,
        &format!("the {new} sees the cat"),
    ]);
    assert!(o.status.success(), "{new}: {}", text(&o));
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains("<unk>"),
        "{}",
        text(&o)
    );
    // A rare mark names the piece the model reads, and calls it a piece.
    let marks: Vec<String> = t
        .marks("the qqq sees the cat")
        .iter()
        .map(|m| m.to_string())
        .collect();
    assert!(
        marks
            .iter()
            .any(|m| m.starts_with("rare piece: '") && m.ends_with("' never occurs in training")),
        "{marks:?}"
    );
    assert!(
        !marks.iter().any(|m| m.starts_with("rare word")),
        "{marks:?}"
    );
}

#[test]
fn a_corpus_file_is_scored_with_beam_search_after_a_round_trip() {
    let path = &checkpoint().0;
    let dir = temp("subwords-corpus");
    let o = encdec(&["corpus", "--out", dir.to_str().unwrap(), "--pairs", "120"]);
    assert!(o.status.success(), "{}", text(&o));
    let weights = temp("subwords.safetensors").display().to_string();
    let back = temp("subwords-back.ckpt").display().to_string();
    assert!(
        encdec(&["export", "--checkpoint", path, "--out", &weights])
            .status
            .success()
    );
    assert!(
        encdec(&["import", "--weights", &weights, "--out", &back])
            .status
            .success()
    );
    let (a, b) = (
        Checkpoint::load(Path::new(path)),
        Checkpoint::load(Path::new(&back)),
    );
    assert_eq!(
        a.unwrap().translator.subwords,
        b.unwrap().translator.subwords
    );
    let test = dir.join("test.tsv");
    let o = encdec(&[
        "evaluate",
        "--checkpoint",
        &back,
        "--corpus",
        test.to_str().unwrap(),
        "--beam",
        "3",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("BLEU = "), "{}", text(&o));
}

#[test]
fn hostile_merge_tables_are_refused_with_the_reason() {
    let cases = [
        (
            json!({"table": "joint", "merges": [["ab", "c"]]}),
            "merge 0: its left part 'ab'",
        ),
        (
            json!({"table": "joint", "merges": "x"}),
            "\"merges\" is missing or not a list",
        ),
        (
            json!({"table": "joint", "merges": [["a", 3]]}),
            "merge 0 is not a list of two strings",
        ),
        (
            json!({"table": "both", "merges": []}),
            "\"table\" must be \"joint\" or \"separate\"",
        ),
        (
            json!({"table": "separate", "src": []}),
            "\"tgt\" is missing",
        ),
        (
            json!({"table": "joint", "merges": [], "x": 1}),
            "unknown field \"x\"",
        ),
        (json!(7), "subwords is not an object"),
    ];
    for (i, (table, why)) in cases.into_iter().enumerate() {
        let path = temp(&format!("hostile-subwords-{i}.ckpt"));
        std::fs::copy(&checkpoint().0, &path).unwrap();
        rewrite_header(&path, |h| h["subwords"] = table.clone());
        let o = encdec(&[
            "translate",
            "--checkpoint",
            path.to_str().unwrap(),
            "the cat",
        ]);
        fails_with(&o, why);
    }
    // Without its tables, a vocabulary of pieces is not one of words.
    let path = temp("hostile-subwords-none.ckpt");
    std::fs::copy(&checkpoint().0, &path).unwrap();
    rewrite_header(&path, |h| {
        h.as_object_mut().unwrap().remove("subwords");
    });
    fails_with(
        &encdec(&[
            "translate",
            "--checkpoint",
            path.to_str().unwrap(),
            "the cat",
        ]),
        "is not a word the tokenizer makes",
    );
}

#[test]
fn subword_flags_are_checked_before_work() {
    let out = temp("never.ckpt").display().to_string();
    let train = |extra: &[&str]| {
        let mut args = vec!["train", "--model", "attention", "--out", &out];
        args.extend(extra);
        encdec(&args)
    };
    let cases: [(&[&str], &str); 7] = [
        (
            &["--subword-table", "separate"],
            "--subword-table applies to subword pieces (--subwords N); this run reads whole words",
        ),
        (
            &["--subword-dropout", "0.1"],
            "--subword-dropout applies to subword pieces (--subwords N); this run reads whole words",
        ),
        (
            &[
                "--corpus",
                "pairs.tsv",
                "--subwords",
                "words",
                "--subword-table",
                "joint",
            ],
            "--subword-table applies to subword pieces",
        ),
        (
            &["--subwords", "many"],
            "expected a number of merges (2000 is usual) or `words`",
        ),
        (
            &["--subwords", "10", "--subword-dropout", "1"],
            "--subword-dropout must be at least 0 and below 1",
        ),
        (
            &["--subwords", "2000000"],
            "--subwords is `words` or a number of merges from 0 to 1000000",
        ),
        (&["--subword-table", "both"], "both"),
    ];
    for (flags, why) in cases {
        fails_with(&train(flags), why);
    }
    let words = temp("words.ckpt").display().to_string();
    let o = encdec(&crate::cli_support::small_training(&words, &[]));
    assert!(o.status.success(), "{}", text(&o));
    let resume = [
        "--resume",
        words.as_str(),
        "--subword-dropout",
        "0.1",
        "--pairs",
        "200",
    ];
    let o = encdec(&[&["train", "--model", "lstm", "--out", &out][..], &resume].concat());
    fails_with(&o, "the resumed checkpoint reads whole words");
    assert!(!Path::new(&out).exists());
}
