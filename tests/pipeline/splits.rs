//! Which splits `encdec train` takes out of a corpus file
//! (`src/pipeline/splits.rs`): a seeded tenth for each of validation and
//! test that has no file, except that `--valid` alone asks for no test split;
//! `--test-split F` asks for a share F of the file as the test split.

use crate::cli_support::temp;
use encdec::pipeline::{TrainOptions, prepare};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::task::Task;
use std::path::{Path, PathBuf};

/// A folder holding `train.tsv` (100 distinct pairs), `valid.tsv` and
/// `test.tsv` (10 each).
fn files(name: &str) -> PathBuf {
    let dir = temp(name);
    std::fs::create_dir_all(&dir).unwrap();
    let lines = |prefix: &str, n: usize| -> String {
        (0..n)
            .map(|i| format!("{prefix} {i} a\t{prefix} {i} b\n"))
            .collect()
    };
    std::fs::write(dir.join("train.tsv"), lines("train", 100)).unwrap();
    std::fs::write(dir.join("valid.tsv"), lines("valid", 10)).unwrap();
    std::fs::write(dir.join("test.tsv"), lines("test", 10)).unwrap();
    dir
}

/// Options training on `dir/train.tsv`, with the other files named in
/// `given` (`"valid"`, `"test"`) passed as `--valid` and `--test`.
fn options(dir: &Path, given: &[&str], test_split: Option<f64>) -> TrainOptions {
    let mut o = TrainOptions::new(Task::Translation, ModelKind::Attention);
    let file = |name: &str| {
        given
            .contains(&name)
            .then(|| dir.join(format!("{name}.tsv")))
    };
    o.data.corpus = Some(dir.join("train.tsv"));
    o.data.valid = file("valid");
    o.data.test = file("test");
    o.data.test_split = test_split;
    o
}

/// (training, validation, test) pair counts after `prepare`, which also
/// prints them on its first line.
fn sizes(o: &TrainOptions) -> (usize, usize, usize) {
    o.check().unwrap();
    let mut notes = vec![];
    let p = prepare(o, None, &mut |n| notes.extend(n.line())).unwrap();
    let s = (p.train.len(), p.valid.len(), p.test.len());
    let said = format!(
        "translation corpus: {} training, {} validation, {} test pairs",
        s.0, s.1, s.2
    );
    assert!(notes.iter().any(|n| n.starts_with(&said)), "{notes:?}");
    s
}

#[test]
fn valid_without_test_takes_nothing_from_training() {
    let dir = files("splits-valid-only");
    assert_eq!(sizes(&options(&dir, &["valid"], None)), (100, 10, 0));
    // Both files: nothing is taken.
    assert_eq!(
        sizes(&options(&dir, &["valid", "test"], None)),
        (100, 10, 10)
    );
}

#[test]
fn without_valid_the_seeded_tenths_stay() {
    let dir = files("splits-tenths");
    assert_eq!(sizes(&options(&dir, &[], None)), (80, 10, 10));
    assert_eq!(sizes(&options(&dir, &["test"], None)), (90, 10, 10));
}

#[test]
fn test_split_asks_for_a_share_of_the_training_file() {
    let dir = files("splits-share");
    assert_eq!(sizes(&options(&dir, &["valid"], Some(0.2))), (80, 10, 20));
    assert_eq!(sizes(&options(&dir, &[], Some(0.25))), (65, 10, 25));
    // The same seed gives the same test pairs; the share is the first part of the shuffle.
    let o = options(&dir, &["valid"], Some(0.2));
    let run = || prepare(&o, None, &mut |_| {}).unwrap().test;
    assert_eq!(run(), run());
}

#[test]
fn test_split_is_refused_where_it_means_nothing() {
    let dir = files("splits-refused");
    let refused = |o: TrainOptions, message: &str| {
        let e = o.check().unwrap_err();
        assert!(e.contains(message), "{e}");
    };
    refused(
        options(&dir, &["valid", "test"], Some(0.1)),
        "--test-split takes the test pairs out of the training file; with --test FILE there is none to take",
    );
    for bad in [0.0, 1.0, -0.5, f64::NAN, f64::INFINITY] {
        refused(
            options(&dir, &["valid"], Some(bad)),
            "--test-split must be a share greater than 0 and less than 1",
        );
    }
    let mut builtin = TrainOptions::new(Task::Translation, ModelKind::Attention);
    builtin.data.test_split = Some(0.1);
    refused(builtin, "--test-split goes with --corpus");
}
