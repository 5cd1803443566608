//! A task's data split three ways: a built-in corpus's seeded split, or
//! corpus files, with the splits that have no file taken off the training
//! file ([`held_out`]); every text a conversation of turns.
//!
//! Checked by `tests/pipeline/splits.rs`.

use super::corpus::DataSource;
use super::corpus::{CorpusSpec, read_turns};
use super::options::{DataOptions, TrainOptions};
use super::train::RunError;
use crate::corpora::{
    Split, dialogue_corpus, summarization_corpus, translation_corpus, translation_corpus_clauses,
};
use crate::seq2seq::task::Task;
use crate::tensor::rng;
use crate::text::{ReadOptions, TextPair, join_turns, split_turns};
use std::collections::HashSet;

/// The three splits as conversations, from the built-in corpus or files.
pub(super) fn load_splits(
    o: &TrainOptions,
    say: &mut dyn FnMut(String),
) -> Result<[Vec<Vec<String>>; 3], RunError> {
    let (train, valid, test) = match o.source() {
        DataSource::BuiltIn { pairs } => return Ok(builtin_conversations(o, pairs, say)),
        DataSource::Files { train, valid, test } => (train, valid, test),
    };
    let read_options = ReadOptions {
        skip_bad_lines: o.data.skip_bad_lines,
    };
    let mut read = |spec: &CorpusSpec| -> Result<Vec<Vec<String>>, RunError> {
        let t = read_turns(o.task, spec, read_options)?;
        if let Some(s) = t.skipped {
            say(s);
        }
        Ok(t.records.into_iter().map(|(_, turns)| turns).collect())
    };
    let all = read(&train)?;
    let (tr, mut va, mut te) = split_off(all, o.run.seed, held_out(&o.data));
    if let Some(v) = valid {
        va = read(&v)?;
    }
    if let Some(t) = test {
        te = read(&t)?;
    }
    if tr.is_empty() {
        return Err("nothing left to train on after the split; give a larger corpus or --valid and --test files".into());
    }
    Ok([tr, va, te])
}

/// A built-in corpus's splits as conversations: a dialogue's source holds
/// its turns ([`split_turns`]); a sentence or a document is one turn.
fn builtin_conversations(
    o: &TrainOptions,
    pairs: usize,
    say: &mut dyn FnMut(String),
) -> [Vec<Vec<String>>; 3] {
    let available = match o.task {
        Task::Dialogue => crate::corpora::DIALOGUE_COUNT,
        _ => usize::MAX,
    };
    if pairs > available {
        say(format!(
            "--pairs {pairs}: the built-in {} corpus has {available} distinct ones; using all of them",
            o.task
        ));
    }
    let s = match (o.task, o.data.clauses) {
        (Task::Translation, Some(k)) => translation_corpus_clauses(pairs, o.run.seed, k),
        (task, _) => builtin_split(task, pairs, o.run.seed),
    };
    let turns = |v: Vec<TextPair>| -> Vec<Vec<String>> {
        v.into_iter()
            .map(|p| {
                let mut t: Vec<String> = split_turns(&p.source)
                    .into_iter()
                    .map(String::from)
                    .collect();
                t.push(p.target);
                t
            })
            .collect()
    };
    [turns(s.train), turns(s.valid), turns(s.test)]
}

/// The built-in corpus of `task` with `n` pairs, split with `seed`
/// (dialogues as their final reply given the history).
pub fn builtin_split(task: Task, n: usize, seed: u64) -> Split {
    match task {
        Task::Translation => translation_corpus(n, seed),
        Task::Summarization => summarization_corpus(n, seed),
        Task::Dialogue => dialogue_corpus(n, seed),
    }
}

/// The shares of the training file [`split_off`] takes for validation and
/// test.
struct HeldOut {
    valid: f64,
    test: f64,
}

/// What the user asked for: without `--valid`, a tenth for validation;
/// the test split is `--test-split F` if given, else a tenth when neither
/// `--valid` nor `--test` names a file, else none. (`--valid` alone asks
/// for no test split: the run keeps every other pair for training.)
fn held_out(d: &DataOptions) -> HeldOut {
    let test = match (d.test_split, &d.valid, &d.test) {
        (Some(f), _, _) => f,
        (None, None, None) => 0.1,
        _ => 0.0,
    };
    HeldOut {
        valid: if d.valid.is_none() { 0.1 } else { 0.0 },
        test,
    }
}

/// `--test-split F`: a share in (0, 1) of a training file that has no `--test` file.
pub(super) fn check_test_split(d: &DataOptions) -> Result<(), String> {
    let Some(f) = d.test_split else {
        return Ok(());
    };
    if d.corpus.is_none() && d.source.is_none() {
        return Err("--test-split goes with --corpus (or --source and --target): the built-in corpora have their own test split".into());
    }
    if d.test.is_some() {
        return Err("--test-split takes the test pairs out of the training file; with --test FILE there is none to take: give one or the other".into());
    }
    if !(f > 0.0 && f < 1.0) {
        return Err(format!(
            "--test-split must be a share greater than 0 and less than 1 (got {f}), e.g. 0.1 for a tenth"
        ));
    }
    Ok(())
}

/// Splits `records` by the built-in corpora's rule, seeded: the shares
/// asked for (rounded down; at least one test pair when a share is
/// asked), the rest for training.
fn split_off<T>(
    mut records: Vec<T>,
    seed: u64,
    HeldOut { valid, test }: HeldOut,
) -> (Vec<T>, Vec<T>, Vec<T>) {
    use rand::seq::SliceRandom;
    records.shuffle(&mut rng(seed ^ 0x5eed_5eed_5eed_5eed));
    let share = |f: f64| (records.len() as f64 * f).floor() as usize;
    let n_test = if test > 0.0 { share(test).max(1) } else { 0 };
    let n_valid = share(valid);
    let test_part: Vec<T> = records.drain(..n_test.min(records.len())).collect();
    let valid_part: Vec<T> = records.drain(..n_valid.min(records.len())).collect();
    (records, valid_part, test_part)
}

/// Each dialogue teaches every bot turn, not only the last: the pair
/// `u1 <turn> b1 <turn> u2` → `b2` also gives `u1` → `b1`. Without this a chat
/// could never ask its first question. Repeated pairs are kept once. (The
/// test split keeps only the final replies, which depend on the earlier turns.)
pub fn every_bot_turn(pairs: &[TextPair]) -> Vec<TextPair> {
    let mut seen = HashSet::new();
    let mut out = vec![];
    for p in pairs {
        let turns = split_turns(&p.source);
        let mut prefixes: Vec<TextPair> = (1..turns.len())
            .step_by(2)
            .map(|j| TextPair {
                source: join_turns(&turns[..j]),
                target: turns[j].to_string(),
            })
            .collect();
        prefixes.push(p.clone());
        for q in prefixes {
            if seen.insert(q.clone()) {
                out.push(q);
            }
        }
    }
    out
}
