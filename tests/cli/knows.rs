//! What a model knows, as the command line shows it: `encdec vocab`, the
//! marks `translate` writes on standard error (rare words, an input
//! outside the training sources), sentence-final punctuation set aside,
//! and checkpoints old (no counts) and hostile (bad count tables).

use crate::cli_support::{encdec, encdec_with_input, fails_with, rewrite_header, temp};
use encdec::seq2seq::io::Checkpoint;
use std::process::Output;
use std::sync::OnceLock;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A tiny attention model trained for one epoch on the 6,000 built-in
/// pairs (once; about a second): its counts and trigrams are the corpus's.
fn checkpoint() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = temp("knows.ckpt").display().to_string();
        let o = encdec(&[
            "train",
            "--model",
            "attention",
            "--epochs",
            "1",
            "--emb",
            "8",
            "--hidden",
            "8",
            "--out",
            &path,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        path
    })
}

const LEGACY: &str = "tests/fixtures/legacy/lstm_v1.ckpt";

/// `encdec translate` with the shared checkpoint and `args`.
fn translate(args: &[&str]) -> Output {
    let mut all = vec!["translate", "--checkpoint", checkpoint()];
    all.extend(args);
    encdec(&all)
}

/// The count column of `vocab`'s word lines (after the title and `count  word`).
fn counts(lines: &[&str]) -> Vec<usize> {
    lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn vocab_lists_both_sides_most_frequent_first() {
    let o = encdec(&["vocab", "--checkpoint", checkpoint()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("source vocabulary: "), "{out}");
    assert_eq!(lines[1].trim(), "count  word");
    // `the` is the commonest English word of the grammar.
    assert!(lines[2].ends_with("  the"), "{out}");
    let target = lines
        .iter()
        .position(|l| l.starts_with("target vocabulary: "))
        .unwrap();
    let source_counts = counts(&lines[2..target]);
    assert!(source_counts.windows(2).all(|w| w[0] >= w[1]), "{out}");
    assert!(!out.contains("<pad>") && !out.contains("<unk>"), "{out}");
    assert!(
        lines.last().unwrap().starts_with("source trigrams: "),
        "{out}"
    );
    // Every word line is aligned: the word starts at the same column.
    let at = lines[2].rfind("  ").unwrap();
    assert!(
        lines[2..target]
            .iter()
            .all(|l| l[..at].trim_start().parse::<usize>().is_ok())
    );
}

#[test]
fn vocab_picks_a_side_limits_and_filters() {
    let o = encdec(&[
        "vocab",
        "--checkpoint",
        checkpoint(),
        "--side",
        "target",
        "--top",
        "3",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("target vocabulary: ") && lines[0].contains("3 shown"),
        "{out}"
    );
    assert_eq!(lines.len(), 5, "{out}");
    let o = encdec(&[
        "vocab",
        "--checkpoint",
        checkpoint(),
        "--side",
        "source",
        "--matching",
        "az",
    ]);
    let out = stdout(&o);
    assert!(out.contains("  lazy"), "{out}");
    assert!(!out.contains("  the\n"), "{out}");
    let o = encdec(&["vocab", "--checkpoint", checkpoint(), "--side", "neither"]);
    fails_with(&o, "neither");
}

#[test]
fn vocab_of_an_old_checkpoint_says_counts_are_not_stored() {
    let o = encdec(&[
        "vocab",
        "--checkpoint",
        LEGACY,
        "--side",
        "source",
        "--top",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("counts not stored in this checkpoint"),
        "{out}"
    );
    assert!(out.contains("    -  the"), "{out}");
    assert!(
        out.contains("source trigrams: not stored in this checkpoint"),
        "{out}"
    );
}

#[test]
fn vocab_of_a_bad_file_is_one_clear_error() {
    let path = temp("knows-not-a-checkpoint.ckpt");
    std::fs::write(&path, b"hello").unwrap();
    fails_with(
        &encdec(&["vocab", "--checkpoint", path.to_str().unwrap()]),
        "not an encdec checkpoint",
    );
    fails_with(
        &encdec(&["vocab", "--checkpoint", "/nonexistent/model.ckpt"]),
        "cannot read checkpoint",
    );
}

/// The grammar always follows `sleeps` with `under ...`: the model writes
/// a confident `sous`, and standard error says the input is outside.
#[test]
fn translate_marks_an_input_outside_the_training_sources_on_stderr() {
    let o = translate(&["the lazy dog sleeps"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().count(),
        1,
        "standard output stays the translation"
    );
    assert!(!stdout(&o).contains("outside"));
    assert!(
        stderr(&o).contains(
            "outside what this model was trained on: no training sentence ends with 'dog sleeps'"
        ),
        "{}",
        stderr(&o)
    );
    // A training-like sentence gets no mark.
    let o = translate(&["the dog sees the cat"]);
    assert!(!stderr(&o).contains("outside"), "{}", stderr(&o));
}

#[test]
fn translate_marks_rare_and_unknown_words() {
    let o = translate(&["--allow-unknown", "the dog sees the zebra"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("rare word: 'zebra' never occurs in training"),
        "{}",
        stderr(&o)
    );
    // From standard input, each mark names its line.
    let o = encdec_with_input(
        &["translate", "--checkpoint", checkpoint(), "--allow-unknown"],
        "the dog sees the cat\nthe dog sees the zebra\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("standard input, line 2: rare word: 'zebra'"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("line 1:"), "{}", stderr(&o));
}

#[test]
fn an_old_checkpoint_translates_and_says_once_what_it_cannot_mark() {
    let o = encdec_with_input(
        &["translate", "--checkpoint", LEGACY],
        "the dog sleeps\nthe cat sleeps\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 2);
    let e = stderr(&o);
    assert_eq!(
        e.matches("counts not stored in this checkpoint").count(),
        1,
        "{e}"
    );
    assert_eq!(
        e.matches("trigrams not stored in this checkpoint").count(),
        1,
        "{e}"
    );
}

/// The tutorial's sentence with its full stop: the built-in corpus has no
/// `.`, so it is set aside (said on stderr) and put back on the output.
#[test]
fn the_fox_sentence_with_its_full_stop_translates() {
    let plain = translate(&["The quick brown fox jumps over the lazy dog"]);
    let o = translate(&["The quick brown fox jumps over the lazy dog."]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim_end(),
        format!("{}.", stdout(&plain).trim_end())
    );
    assert!(
        stderr(&o).contains("not trained with '.': it is set aside"),
        "{}",
        stderr(&o)
    );
    // French typography for `?` and `!`: a narrow no-break space before.
    let o = translate(&["the dog sees the cat ?!"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).trim_end().ends_with("\u{202f}?\u{202f}!"),
        "{}",
        stdout(&o)
    );
    // A mark alone is not a sentence: it is refused as unknown.
    fails_with(&translate(&["?"]), "unknown words");
}

/// An edit of a checkpoint's header.
type Edit = fn(&mut serde_json::Value);

/// A copy of the shared checkpoint with its header edited by `edit`.
fn edited(name: &str, edit: impl Fn(&mut serde_json::Value)) -> std::path::PathBuf {
    let path = temp(name);
    std::fs::copy(checkpoint(), &path).unwrap();
    rewrite_header(&path, edit);
    path
}

#[test]
fn new_checkpoints_keep_counts_and_trigrams_and_hostile_tables_are_refused() {
    let c = Checkpoint::load(std::path::Path::new(checkpoint())).unwrap();
    let t = &c.translator;
    assert!(t.src_vocab.count("the").unwrap() > 100);
    assert!(t.tgt_vocab.counts().is_some());
    assert!(t.src_trigrams.as_ref().is_some_and(|g| g.len() > 100));
    let bad: [(&str, Edit, &str); 6] = [
        (
            "short",
            |h| h["src_counts"] = serde_json::json!([0, 0, 0]),
            "src_counts holds 3 counts",
        ),
        (
            "long",
            |h| {
                let n = h["tgt_vocab"].as_array().unwrap().len() + 1;
                h["tgt_counts"] = serde_json::json!(vec![0; n]);
            },
            "tgt_counts holds",
        ),
        (
            "negative",
            |h| h["src_counts"][5] = serde_json::json!(-1),
            "not a whole number",
        ),
        (
            "special",
            |h| h["src_counts"][0] = serde_json::json!(7),
            "special token 0",
        ),
        (
            "odd",
            |h| h["src_trigrams"] = serde_json::json!("abc"),
            "src_trigrams: 3 hexadecimal",
        ),
        (
            "kind",
            |h| h["src_counts"] = serde_json::json!({"the": 1}),
            "src_counts is not a list",
        ),
    ];
    for (name, edit, why) in bad {
        let path = edited(&format!("knows-hostile-{name}.ckpt"), edit);
        let e = Checkpoint::load(&path).err().unwrap().to_string();
        assert!(e.contains(why), "{name}: {e}");
        fails_with(
            &encdec(&["vocab", "--checkpoint", path.to_str().unwrap()]),
            why,
        );
    }
}
