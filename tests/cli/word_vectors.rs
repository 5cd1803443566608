//! `encdec word2vec`, `glove`, `neighbors` and `analogy` on a fresh checkout,
//! good input and bad.

use crate::cli_support;

use cli_support::{encdec, fails_with, temp};
use std::path::Path;
use std::process::Output;

#[test]
fn trainers_write_vectors_that_neighbors_and_analogy_read() {
    for (command, extra) in [
        ("word2vec", vec![]),
        ("word2vec", vec!["--cbow"]),
        ("glove", vec![]),
    ] {
        let out = temp(&format!("{command}{}.txt", extra.len()));
        let plot = temp(&format!("{command}{}.svg", extra.len()));
        let mut args = vec![
            command,
            "--dim",
            "12",
            "--epochs",
            "3",
            "--out",
            out.to_str().unwrap(),
            "--plot",
            plot.to_str().unwrap(),
        ];
        args.extend(&extra);
        let o = encdec(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains("vectors of size 12"), "{stdout}");
        let svg = std::fs::read_to_string(&plot).unwrap();
        // Each method its own title; the axes named.
        let method = match (command, extra.len()) {
            ("glove", _) => "GloVe",
            (_, 0) => "word2vec skip-gram",
            _ => "word2vec CBOW",
        };
        let title = format!("{method} word vectors, first two principal components");
        for label in ["red", "banana", "seven", "PC1", "PC2", title.as_str()] {
            assert!(
                svg.lines().any(|l| l.trim() == label),
                "{label} missing from the PCA plot"
            );
        }
        let n = encdec(&[
            "neighbors",
            "--vectors",
            out.to_str().unwrap(),
            "red",
            "-k",
            "3",
        ]);
        assert!(n.status.success());
        assert_eq!(String::from_utf8_lossy(&n.stdout).lines().count(), 3);
        let a = encdec(&[
            "analogy",
            "--vectors",
            out.to_str().unwrap(),
            "cat",
            "dog",
            "wolf",
        ]);
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        std::fs::remove_file(out).unwrap();
        std::fs::remove_file(plot).unwrap();
    }
}

/// Runs `command` (`word2vec` or `glove`) on a corpus file with vectors of
/// size 4 and 2 epochs, writing them to `out`, with `extra` flags.
fn train_small(command: &str, corpus: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        command,
        "--corpus",
        corpus.to_str().unwrap(),
        "--dim",
        "4",
        "--epochs",
        "2",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    encdec(&args)
}

#[test]
fn a_corpus_file_is_read_and_bad_ones_are_refused() {
    let corpus = temp("corpus.txt");
    std::fs::write(&corpus, "the cat sat on the mat\nthe dog sat on the log\n").unwrap();
    let out = temp("small.txt");
    let o = train_small("glove", &corpus, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("corpus: 2 sentences, 12 tokens"));
    std::fs::write(&corpus, "\n  \n").unwrap();
    fails_with(
        &encdec(&["word2vec", "--corpus", corpus.to_str().unwrap()]),
        "no usable line: the file is empty or every line is blank",
    );
    fails_with(
        &encdec(&["word2vec", "--corpus", "/no/such/corpus.txt"]),
        "/no/such/corpus.txt: cannot read the file",
    );
    fails_with(
        &encdec(&["word2vec", "--dim", "0"]),
        "--dim must be from 1 to 1000",
    );
    std::fs::remove_file(corpus).unwrap();
    std::fs::remove_file(out).unwrap();
}

#[test]
fn word2vec_takes_its_settings_as_flags() {
    let corpus = temp("flags-corpus.txt");
    // "the" and "sat" occur 4 times, every other word once.
    std::fs::write(
        &corpus,
        "the cat sat\nthe dog sat\nthe cow sat\nthe fox sat\n",
    )
    .unwrap();
    let out = temp("flags.txt");
    let run = |extra: &[&str]| train_small("word2vec", &corpus, &out, extra);
    for cbow in [false, true] {
        let mut extra = vec![
            "--window",
            "2",
            "--negatives",
            "3",
            "--min-count",
            "4",
            "--subsample",
            "0",
            "--lr",
            "0.01",
        ];
        if cbow {
            extra.push("--cbow");
        }
        let o = run(&extra);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("wrote 2 vectors of size 4"),
            "--min-count 4 keeps the and sat: {}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    fails_with(&run(&["--lr=-1"]), "lr");
    fails_with(&run(&["--subsample=-1"]), "subsample");
    fails_with(&run(&["--window", "0"]), "--window must be from 1 to 1000");
    std::fs::remove_file(corpus).unwrap();
    std::fs::remove_file(out).ok();
}

#[test]
fn neighbors_reports_unknown_words_and_bad_files() {
    let file = temp("bad.txt");
    std::fs::write(&file, "red 0.1 0.2\nblue 0.3\n").unwrap();
    fails_with(
        &encdec(&["neighbors", "--vectors", file.to_str().unwrap(), "red"]),
        "line 2: the word \"blue\" has 1 numbers, expected 2",
    );
    std::fs::write(&file, "red 0.1 0.2\nblue 0.3 0.1\n").unwrap();
    fails_with(
        &encdec(&["neighbors", "--vectors", file.to_str().unwrap(), "zebra"]),
        "the word \"zebra\" has no vector",
    );
    fails_with(
        &encdec(&[
            "analogy",
            "--vectors",
            file.to_str().unwrap(),
            "red",
            "blue",
        ]),
        "3 values required",
    );
    fails_with(
        &encdec(&["neighbors", "--vectors", "/no/such/v.txt", "red"]),
        "cannot access vectors file /no/such/v.txt",
    );
    std::fs::remove_file(file).unwrap();
}

#[test]
fn train_can_start_from_frozen_vectors() {
    let vectors = temp("for-train.txt");
    let o = encdec(&[
        "word2vec",
        "--dim",
        "48",
        "--epochs",
        "1",
        "--out",
        vectors.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let ckpt = temp("from-vectors.ckpt");
    let args = [
        "train",
        "--model",
        "lstm",
        "--epochs",
        "1",
        "--pairs",
        "200",
        "--out",
        ckpt.to_str().unwrap(),
        "--src-vectors",
        vectors.to_str().unwrap(),
        "--freeze-vectors",
    ];
    let t = encdec(&args);
    assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stderr));
    let stdout = String::from_utf8_lossy(&t.stdout);
    assert!(
        stdout.contains("start from") && stdout.contains("(frozen)"),
        "{stdout}"
    );
    let wrong = temp("dim8.txt");
    assert!(
        encdec(&[
            "word2vec",
            "--dim",
            "8",
            "--epochs",
            "1",
            "--out",
            wrong.to_str().unwrap()
        ])
        .status
        .success()
    );
    // Without --emb the model takes the vectors' size, whatever it is.
    let args = [
        "train",
        "--model",
        "lstm",
        "--epochs",
        "1",
        "--pairs",
        "200",
        "--out",
        ckpt.to_str().unwrap(),
        "--src-vectors",
        wrong.to_str().unwrap(),
    ];
    let t = encdec(&args);
    assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stderr));
    assert!(String::from_utf8_lossy(&t.stdout).contains("(emb 8, hidden 96"));
    // With an --emb that differs, the sizes are named.
    let mut args = args.to_vec();
    args.extend(["--emb", "48"]);
    fails_with(
        &encdec(&args),
        "the word vectors have 8 dimensions but the model's embeddings have 48",
    );
    for f in [vectors, ckpt, wrong] {
        std::fs::remove_file(f).ok();
    }
}
