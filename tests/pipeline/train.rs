//! The training pipeline on corpus files (`src/pipeline/`) and the
//! commands on top of it: `train --corpus`, `evaluate`, `translate` from
//! standard input, `bleu`.

use crate::cli_support;

use crate::data_support;
use cli_support::{encdec, encdec_with_input, fails_with, temp};
use encdec::corpora::translation_corpus;
use encdec::pipeline::{last_reply, reply_pairs};
use encdec::seq2seq::config::ModelConfig;
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::io::Checkpoint;
use encdec::seq2seq::task::Task;
use std::path::PathBuf;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn every_reply_trains_and_the_last_one_is_tested() {
    let turns = s(&["hi", "hello", "pizza please", "which size?", "large"]);
    let pairs = reply_pairs(&turns);
    assert_eq!(pairs.len(), 2);
    assert_eq!(
        (pairs[0].source.as_str(), pairs[0].target.as_str()),
        ("hi", "hello")
    );
    assert_eq!(
        pairs[1].source,
        encdec::text::join_turns(&["hi", "hello", "pizza please"])
    );
    assert_eq!(pairs[1].target, "which size?");
    // Five turns: the last reply is turn 4; a pair is a two-turn conversation.
    assert_eq!(last_reply(&turns).target, "which size?");
    assert_eq!(last_reply(&s(&["Go.", "Va !"])).target, "Va !");
}

#[test]
fn reply_pairs_stop_at_the_first_history_too_long() {
    use encdec::pipeline::reply_pairs_within;
    use encdec::text::Tokenizer;
    let tok = Tokenizer::new(true);
    let turns = s(&[
        "hi there",
        "hello",
        "pizza please",
        "which size?",
        "large",
        "ok",
        "bye",
    ]);
    // Histories: "hi there" 2 tokens; + <turn> hello <turn> pizza please: 7;
    // + <turn> which size ? <turn> large: 13. Each is exactly as many
    // tokens as the tokenizer makes of the joined source.
    for pair in reply_pairs(&turns) {
        let n = tok.tokenize(&pair.source).len();
        assert!([2, 7, 13].contains(&n), "{n}");
    }
    for (max, kept) in [(1, 0), (2, 1), (6, 1), (7, 2), (12, 2), (13, 3), (1000, 3)] {
        let (pairs, left_out) = reply_pairs_within(&turns, &tok, max);
        assert_eq!(pairs, reply_pairs(&turns)[..kept], "--max-len {max}");
        assert_eq!(left_out, 3 - kept, "--max-len {max}");
    }
}

/// Writes the built-in corpus as Anki-format files (with an attribution
/// column, CRLF on some lines) and a test file with words never seen.
fn anki_files() -> (PathBuf, PathBuf, PathBuf) {
    let split = translation_corpus(800, 0);
    let write = |name: &str, pairs: &[encdec::text::TextPair], extra: &str| {
        let p = temp(name);
        let mut text = String::new();
        for (i, pair) in pairs.iter().enumerate() {
            let end = if i % 3 == 0 { "\r\n" } else { "\n" };
            text.push_str(&format!(
                "{}\t{}\tCC-BY 2.0 (France) #{i}{end}",
                pair.source, pair.target
            ));
        }
        text.push_str(extra);
        std::fs::write(&p, text).unwrap();
        p
    };
    (
        write("train.tsv", &split.train, ""),
        write("valid.tsv", &split.valid, ""),
        write(
            "test.tsv",
            &split.test,
            "\nthe zebra sleeps\tle zèbre dort\tx\n",
        ),
    )
}

#[test]
fn train_then_evaluate_on_anki_files_with_unseen_words() {
    let (train, valid, test) = anki_files();
    let (ckpt, hyp) = (temp("m.ckpt"), temp("hyp.txt"));
    let o = encdec(&[
        "train",
        "--corpus",
        train.to_str().unwrap(),
        "--valid",
        valid.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
        "--model",
        "attention",
        "--epochs",
        "3",
        "--emb",
        "32",
        "--hidden",
        "48",
        "--out",
        ckpt.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("saved") && out.contains("BLEU = "), "{out}");
    assert!(out.contains("output layer: fan-in start"), "{out}");
    let c = Checkpoint::load(&ckpt).unwrap();
    assert!((1..=3).contains(&c.progress.unwrap().epochs));
    let o = encdec(&[
        "evaluate",
        "--checkpoint",
        ckpt.to_str().unwrap(),
        "--corpus",
        test.to_str().unwrap(),
        "--hypotheses",
        hyp.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("nrefs:1|case:lc|eff:no|tok:13a|smooth:exp"),
        "{out}"
    );
    // The unseen words were read as <unk>, not refused.
    assert!(!out.contains(" 0.00 % of source tokens unknown"), "{out}");
    // One output line per input line, the blank line kept blank.
    let input_lines = std::fs::read_to_string(&test).unwrap().lines().count();
    let hyps = std::fs::read_to_string(&hyp).unwrap();
    let hyp_lines: Vec<&str> = hyps.lines().collect();
    assert_eq!(hyp_lines.len(), input_lines);
    assert_eq!(hyp_lines[input_lines - 2], "");
    assert!(!hyp_lines[0].is_empty());
    // The same hypotheses scored by `encdec bleu` against the test file's
    // references give the score `evaluate` printed.
    let refs = temp("refs.txt");
    let text = std::fs::read_to_string(&test).unwrap();
    let r: Vec<&str> = text
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap_or(""))
        .collect();
    std::fs::write(&refs, r.join("\n") + "\n").unwrap();
    let b = encdec(&[
        "bleu",
        "--hypotheses",
        hyp.to_str().unwrap(),
        "--references",
        refs.to_str().unwrap(),
        "--lowercase",
    ]);
    let line = String::from_utf8_lossy(&b.stdout).trim().to_string();
    assert!(line.starts_with("BLEU = "), "{line}");
    assert!(out.contains(&line), "{line} not in {out}");

    // Unknown words: refused by default with the way out named, accepted with --allow-unknown.
    let o = encdec(&[
        "translate",
        "--checkpoint",
        ckpt.to_str().unwrap(),
        "the zebra sleeps",
    ]);
    fails_with(&o, "--allow-unknown");
    let o = encdec(&[
        "translate",
        "--checkpoint",
        ckpt.to_str().unwrap(),
        "--allow-unknown",
        "the zebra sleeps",
    ]);
    assert!(o.status.success());

    // Standard input: one output per input line, blank for blank.
    let o = encdec_with_input(
        &["translate", "--checkpoint", ckpt.to_str().unwrap()],
        "the dog sleeps\n\nthe cat sleeps\n",
    );
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        !lines[0].is_empty() && lines[1].is_empty() && !lines[2].is_empty(),
        "{text}"
    );

    // Resume: two more epochs continue the numbering.
    let o = encdec(&[
        "train",
        "--corpus",
        train.to_str().unwrap(),
        "--valid",
        valid.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
        "--model",
        "attention",
        "--epochs",
        "2",
        "--resume",
        ckpt.to_str().unwrap(),
        "--out",
        ckpt.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("epoch 4/5") && err.contains("epoch 5/5"),
        "{err}"
    );
}

#[test]
fn outputs_are_checked_before_any_training() {
    let (train, _, _) = anki_files();
    let t = train.to_str().unwrap();
    let o = encdec(&[
        "train",
        "--corpus",
        t,
        "--model",
        "lstm",
        "--out",
        "/nonexistent/dir/m.ckpt",
    ]);
    fails_with(&o, "the folder /nonexistent/dir does not exist");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("corpus:"));
    let c = temp("same.png");
    let o = encdec(&[
        "train",
        "--corpus",
        t,
        "--model",
        "lstm",
        "--out",
        c.to_str().unwrap(),
        "--curves",
        c.to_str().unwrap(),
    ]);
    fails_with(&o, "are the same file");
    let o = encdec(&["train", "--corpus", t, "--model", "lstm", "--out", t]);
    fails_with(&o, "are the same file");
    let o = encdec(&[
        "train",
        "--corpus",
        t,
        "--model",
        "transformer",
        "--emb",
        "32",
    ]);
    fails_with(&o, "--d-model");
    let o = encdec(&["train", "--corpus", t, "--model", "lstm", "--heads", "2"]);
    fails_with(&o, "--heads is for the transformer");
}

#[test]
fn corpus_faults_reach_the_user_with_file_and_line() {
    let p = temp("bad.tsv");
    std::fs::write(&p, "a\tb\nno tab\n").unwrap();
    let o = encdec(&[
        "train",
        "--corpus",
        p.to_str().unwrap(),
        "--model",
        "lstm",
        "--out",
        temp("x.ckpt").to_str().unwrap(),
    ]);
    fails_with(&o, &format!("{}:2: no tab", p.display()));
    let h = temp("h.txt");
    std::fs::write(&h, "a b\n").unwrap();
    let o = encdec(&[
        "bleu",
        "--hypotheses",
        h.to_str().unwrap(),
        "--references",
        p.to_str().unwrap(),
    ]);
    fails_with(&o, "one reference per hypothesis");
}

/// Validation data whose targets belong to other sources: the better the
/// model learns the real mapping, the worse its validation loss gets, so
/// early stopping must end training.
#[test]
fn patience_stops_after_epochs_without_improvement() {
    use encdec::seq2seq::batch::Example;
    use encdec::seq2seq::models::build;
    use encdec::seq2seq::train::fit_with;
    let data = data_support::prepared(Task::Translation, 400, 0);
    let valid: Vec<Example> = data
        .valid
        .iter()
        .zip(data.valid.iter().rev())
        .map(|(a, b)| Example {
            src: a.src.clone(),
            tgt: b.tgt.clone(),
        })
        .collect();
    let config = ModelConfig::new(ModelKind::Lstm, data.src_vocab.len(), data.tgt_vocab.len());
    let mut model = build(&config, &mut encdec::tensor::rng(0)).unwrap();
    let mut train = data_support::training(ModelKind::Lstm, 12, 16, 0);
    train.patience = Some(2);
    let mut opt = train.optimizer.build();
    let mut saved = vec![];
    let history = fit_with(
        model.as_mut(),
        (&data.train, &valid),
        &train,
        (None, opt.as_mut()),
        &mut |_| {},
        |_, s, _| {
            saved.push(s.best);
            Ok::<(), String>(())
        },
    )
    .unwrap();
    let n = history.epochs.len();
    assert!(
        n < 12,
        "no early stop: {:?}",
        history
            .epochs
            .iter()
            .map(|e| e.valid_loss)
            .collect::<Vec<_>>()
    );
    // It stopped after exactly two epochs without a new lowest validation loss.
    assert_eq!(&saved[n - 2..], [false, false]);
    assert!(saved[..n - 2].iter().any(|&b| b));
    let best = history
        .epochs
        .iter()
        .map(|e| e.valid_loss)
        .fold(f64::INFINITY, f64::min);
    assert!(history.epochs[n - 1].valid_loss > best && history.epochs[n - 2].valid_loss > best);
}

/// Writes `n` lines of the built-in corpus as a tab-separated file.
fn small_tsv(name: &str, n: usize, seed: u64) -> PathBuf {
    let p = temp(name);
    let pairs = translation_corpus(n * 2, seed).train;
    let text: String = pairs
        .iter()
        .take(n)
        .map(|p| format!("{}\t{}\n", p.source, p.target))
        .collect();
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn faults_found_by_hostile_review_stay_fixed() {
    let train = small_tsv("review-train.tsv", 300, 1);
    let valid = small_tsv("review-valid.tsv", 40, 2);
    let (t, v) = (train.to_str().unwrap(), valid.to_str().unwrap());
    let ckpt = temp("review.ckpt");
    let c = ckpt.to_str().unwrap();
    let base = ["train", "--corpus", t, "--valid", v, "--model", "lstm"];
    let run = |extra: &[&str]| encdec(&[&base[..], extra].concat());
    assert!(
        run(&["--epochs", "2", "--emb", "8", "--hidden", "8", "--out", c])
            .status
            .success()
    );
    // Resuming with a learning rate that only makes things worse: nothing is
    // written, it says so, and the scores are the resumed model's.
    let before = std::fs::read(&ckpt).unwrap();
    let o = run(&["--epochs", "1", "--lr", "5", "--resume", c, "--out", c]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("was not written, and the scores below are the resumed model's"),
        "{out}"
    );
    assert_eq!(std::fs::read(&ckpt).unwrap(), before);
    // Flags that resuming would ignore are refused.
    fails_with(
        &run(&["--resume", c, "--out", c, "--hidden", "64"]),
        "--resume keeps the checkpoint's model sizes",
    );
    // A validation file entirely beyond --max-len is an error, not silence.
    let long = temp("review-long-valid.tsv");
    let text = std::fs::read_to_string(&valid).unwrap();
    let joined: Vec<String> = text
        .lines()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| {
            let (en, fr): (Vec<&str>, Vec<&str>) =
                c.iter().map(|l| l.split_once('\t').unwrap()).unzip();
            format!("{}\t{}", en.join(" , "), fr.join(" , "))
        })
        .collect();
    std::fs::write(&long, joined.join("\n")).unwrap();
    let o = encdec(&[
        "train",
        "--corpus",
        t,
        "--valid",
        long.to_str().unwrap(),
        "--model",
        "lstm",
        "--max-len",
        "20",
        "--out",
        c,
    ]);
    fails_with(&o, "every validation pair is longer than --max-len 20");
    // --curves without validation data plots the training curves only.
    let tiny = small_tsv("review-tiny.tsv", 8, 3);
    let curves = temp("review-curves.png");
    let o = encdec(&[
        "train",
        "--corpus",
        tiny.to_str().unwrap(),
        "--model",
        "lstm",
        "--emb",
        "8",
        "--hidden",
        "8",
        "--epochs",
        "1",
        "--out",
        c,
        "--curves",
        curves.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(curves.exists());
    // --heads must divide --d-model: refused before the corpus is read.
    let o = encdec(&[
        "train",
        "--corpus",
        "/nonexistent.tsv",
        "--model",
        "transformer",
        "--d-model",
        "10",
        "--heads",
        "4",
    ]);
    fails_with(&o, "--heads 4 must divide --d-model 10");
    // An output onto a line-aligned target file, or the same file spelled twice.
    let (s, g) = (
        small_tsv("review-src.txt", 5, 4),
        small_tsv("review-tgt.txt", 5, 5),
    );
    let o = encdec(&[
        "train",
        "--source",
        s.to_str().unwrap(),
        "--target",
        g.to_str().unwrap(),
        "--model",
        "lstm",
        "--out",
        g.to_str().unwrap(),
    ]);
    fails_with(&o, "writing --out would overwrite --target");
    let dotted = format!("{}/./{}", ckpt.parent().unwrap().display(), "review-c.png");
    let plain = format!("{}/{}", ckpt.parent().unwrap().display(), "review-c.png");
    fails_with(
        &run(&["--out", &dotted, "--curves", &plain]),
        "are the same file",
    );
    // A size that would need a hundred gigabytes is refused at once.
    fails_with(
        &run(&["--hidden", "65536", "--emb", "1024"]),
        "more than the 200000000",
    );
}
