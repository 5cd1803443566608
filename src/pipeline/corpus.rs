//! Corpus files for each task, as conversations: a translation or
//! summarization pair is a conversation of two turns (source, target), a
//! dialogue has more. Training learns every reply ([`reply_pairs`]); a test
//! scores the last one ([`last_reply`]), so that `encdec evaluate` writes
//! one output per input line.
//!
//! Checked by `tests/pipeline/train.rs`.

use crate::seq2seq::task::Task;
use crate::text::corpus_files::{read_dialogues, read_parallel, read_summaries, read_tsv_pairs};
use crate::text::{
    CorpusError, CorpusFile, ReadOptions, TURN_MARK, TextPair, Tokenizer, join_turns,
};
use std::path::{Path, PathBuf};

/// A corpus file: one file in the task's format, or two line-aligned
/// plain-text files (translation only).
#[derive(Clone, Debug, PartialEq)]
pub enum CorpusSpec {
    /// Tab-separated pairs (translation) or JSON Lines (summarization, dialogue).
    File(PathBuf),
    /// Line `i` of `source` translates to line `i` of `target`.
    Parallel {
        /// The source-language file.
        source: PathBuf,
        /// The target-language file.
        target: PathBuf,
    },
}

impl CorpusSpec {
    /// The (source) file.
    pub fn path(&self) -> &Path {
        match self {
            CorpusSpec::File(p) | CorpusSpec::Parallel { source: p, .. } => p,
        }
    }
}

/// Reads a corpus file of `task` as conversations: a translation or
/// summarization pair is a conversation of two turns (source, target).
pub fn read_turns(task: Task, spec: &CorpusSpec, opts: ReadOptions) -> Result<Turns, CorpusError> {
    let pairs = |f: CorpusFile<TextPair>| Turns {
        skipped: f.skipped_summary(),
        lines: f.lines,
        records: f
            .records
            .into_iter()
            .map(|r| (r.line, vec![r.item.source, r.item.target]))
            .collect(),
    };
    match (task, spec) {
        (Task::Translation, CorpusSpec::File(p)) => read_tsv_pairs(p, opts).map(pairs),
        (Task::Translation, CorpusSpec::Parallel { source, target }) => {
            read_parallel(source, target, opts).map(pairs)
        }
        (Task::Summarization, CorpusSpec::File(p)) => read_summaries(p, opts).map(pairs),
        (Task::Dialogue, CorpusSpec::File(p)) => read_dialogues(p, opts).map(|f| Turns {
            skipped: f.skipped_summary(),
            lines: f.lines,
            records: f.records.into_iter().map(|r| (r.line, r.item)).collect(),
        }),
        (_, CorpusSpec::Parallel { source, .. }) => Err(CorpusError {
            path: source.clone(),
            line: None,
            message: format!(
                "line-aligned files are for translation; a {task} corpus is one JSON Lines file (--corpus)"
            ),
        }),
    }
}

/// A corpus file read as conversations (pairs are conversations of two turns).
#[derive(Clone, Debug, PartialEq)]
pub struct Turns {
    /// Each conversation with its line number.
    pub records: Vec<(usize, Vec<String>)>,
    /// Lines in the file.
    pub lines: usize,
    /// The summary of skipped malformed lines, if any.
    pub skipped: Option<String>,
}

/// The history before turn `j`: the earlier turns, joined by [`join_turns`].
fn history(turns: &[String], j: usize) -> String {
    join_turns(&turns[..j])
}

/// Every reply of a conversation as a training pair: turns 2, 4, … (the
/// replies) given the turns before them. A two-turn conversation gives its one pair.
pub fn reply_pairs(turns: &[String]) -> Vec<TextPair> {
    (1..turns.len())
        .step_by(2)
        .map(|j| TextPair {
            source: history(turns, j),
            target: turns[j].clone(),
        })
        .collect()
}

/// The reply pairs of a conversation ([`reply_pairs`]) whose source holds
/// at most `max_source` tokens of `tok`, and how many replies were left
/// out. A history only grows, so the first one too long ends the pairs: a
/// dialogue of $n$ turns costs memory in $n$, not $n^2$, and the pairs
/// kept are those a later cut at `max_source` tokens would keep.
///
/// Checked by `tests/pipeline/train.rs::reply_pairs_stop_at_the_first_history_too_long`
/// and `tests/cli/bounds.rs::a_long_dialogue_costs_memory_in_its_length_not_its_square`.
pub fn reply_pairs_within(
    turns: &[String],
    tok: &Tokenizer,
    max_source: usize,
) -> (Vec<TextPair>, usize) {
    let mut pairs = vec![];
    // The tokens of `history(turns, j)`: each turn's, and a `<turn>` between two.
    let mut history_tokens = 0usize;
    for j in 1..turns.len() {
        let turn = turns[j - 1].replace(TURN_MARK, " ");
        history_tokens += tok.tokenize(&turn).len() + usize::from(j > 1);
        if j % 2 == 0 {
            continue;
        }
        if history_tokens > max_source {
            return (pairs, (j..turns.len()).step_by(2).count());
        }
        pairs.push(TextPair {
            source: history(turns, j),
            target: turns[j].clone(),
        });
    }
    (pairs, 0)
}

/// The last reply of a conversation given the turns before it: what a test scores.
pub fn last_reply(turns: &[String]) -> TextPair {
    let j = if turns.len().is_multiple_of(2) {
        turns.len() - 1
    } else {
        turns.len() - 2
    };
    TextPair {
        source: history(turns, j),
        target: turns[j].clone(),
    }
}

/// Where the sentences come from, as the options say
/// ([`super::TrainOptions::source`]).
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// The task's built-in generated corpus of `pairs` pairs.
    BuiltIn {
        /// How many pairs (or dialogues) to generate.
        pairs: usize,
    },
    /// Corpus files; a missing validation or test file is split off the
    /// training file (a tenth each, seeded).
    Files {
        /// The training file.
        train: CorpusSpec,
        /// The validation file (for the best checkpoint and early stopping).
        valid: Option<CorpusSpec>,
        /// The test file.
        test: Option<CorpusSpec>,
    },
}
