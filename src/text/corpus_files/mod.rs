//! Corpus files: your own sentence pairs, documents and dialogues, in the
//! formats people already have.
//!
//! | task | format | one line holds |
//! |---|---|---|
//! | translation | tab-separated, as the Tatoeba/Anki `fra.txt` files | `source<TAB>target[<TAB>anything]` (the attribution column and any other extra column is ignored) |
//! | translation | two line-aligned plain-text files (OpenNMT, fairseq) | line $i$ of the source file translates to line $i$ of the target file |
//! | summarization | JSON Lines | `{"document": "...", "summary": "..."}` |
//! | dialogue | JSON Lines | `{"turns": ["user", "bot", "user", "bot", ...]}`: one conversation |
//! | word vectors | plain text | one or more sentences |
//!
//! Every reader takes UTF-8 with or without a byte-order mark (on any
//! line: files joined with `cat` keep theirs), LF or CRLF line ends, and
//! skips blank lines. A malformed line (no tab, invalid UTF-8, a NUL
//! character, an empty side, bad JSON, a JSON key given twice, a line over
//! [`MAX_LINE_BYTES`]) is a [`CorpusError`] that names the file and the
//! line and says what to do. With [`ReadOptions::skip_bad_lines`] such
//! lines are skipped instead and counted ([`CorpusFile::skipped`]). Nothing
//! is read silently wrong.
//!
//! "Blank" and "empty" mean that the text shows nothing: it holds no
//! [`visible`](super::visible) character (a letter, digit, punctuation
//! mark or symbol). A side of only spaces, no-break spaces, zero-width
//! spaces, byte-order marks, tag characters, combining marks with nothing
//! to sit on or other invisible characters is empty, and a line of only
//! such characters is blank.
//!
//! A file is read one line at a time ([`Lines`]) and the reading stops at
//! the first malformed line (without `skip_bad_lines`), so a file that
//! never ends is refused at its first line; a file over [`CORPUS_CAP`] is
//! refused, `skip_bad_lines` or not.
//!
//! A carriage return that does not end a CRLF line end (old Mac files end
//! their lines with CR alone) stops the reading even with
//! `skip_bad_lines`: the file's lines are not where they seem to be.
//!
//! Each record keeps its line number, so that outputs can be written one
//! line per input line ([`CorpusFile::lines`]).
//!
//! Checked by `tests/text/corpus_files.rs`.

mod jsonl;
mod lines;
mod tsv;

pub use jsonl::{read_dialogues, read_summaries};
pub use lines::{Lines, NumberedLine};
pub use tsv::{read_parallel, read_text_lines, read_tsv_pairs};

use crate::files::ReadCap;
use std::fmt;
use std::path::PathBuf;

/// The longest line a corpus file may have: 1 MiB. A longer line is an
/// error rather than an unbounded allocation.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most a corpus file (and a file of sentences or standard input to
/// decode) may hold: 512 MiB. A corpus is held in memory, and read,
/// paired and tokenized it takes about ten times its size: measured on a
/// 30 MB file of TSV pairs of 250 words each, `train` peaked at 10.3 times
/// the file (309 MB resident) before training began, and a 300 MB corpus
/// overran a 4 GiB address-space limit (some 14 times). A file at the cap
/// thus needs 5 to 7 GiB, within the 8 GiB a training step may take
/// (`crate::seq2seq::size::MAX_STEP_BYTES`). Two line-aligned files are
/// capped each. The cap also ends a file that never ends (`/dev/zero`, a
/// pipe) read with [`ReadOptions::skip_bad_lines`], which skips line after
/// line. Checked by `tests/cli/reading.rs::skipping_bad_lines_still_stops_at_the_corpus_size_cap`.
pub const CORPUS_CAP: ReadCap = ReadCap {
    bytes: 512 << 20,
    what: "a corpus file",
    remedy: "keep a part of it (e.g. head -n 1000000 big.tsv > part.tsv) or check that this is the right file",
};

/// What went wrong with a corpus file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusError {
    /// The file.
    pub path: PathBuf,
    /// The line (from 1), when the fault is on one line.
    pub line: Option<usize>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for CorpusError {}

/// How to read a corpus file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip malformed lines (and count them) instead of stopping at the first.
    pub skip_bad_lines: bool,
}

/// One item of a corpus file and the line it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record<T> {
    /// Its line number, from 1.
    pub line: usize,
    /// What the line holds.
    pub item: T,
}

/// The items of a corpus file, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusFile<T> {
    /// The file (the source file, for two line-aligned files).
    pub path: PathBuf,
    /// The items read, with their line numbers.
    pub records: Vec<Record<T>>,
    /// How many lines the file has, blank and skipped ones included.
    pub lines: usize,
    /// How many malformed lines were skipped (only with `skip_bad_lines`).
    pub skipped: usize,
    /// The first skipped line's error, to show in the summary.
    pub first_skipped: Option<CorpusError>,
}

impl<T> CorpusFile<T> {
    /// The items without their line numbers.
    pub fn items(&self) -> impl Iterator<Item = &T> {
        self.records.iter().map(|r| &r.item)
    }

    /// One line summing up what was skipped, if anything was.
    pub fn skipped_summary(&self) -> Option<String> {
        let first = self.first_skipped.as_ref()?;
        Some(format!(
            "skipped {} malformed line{} of {} (the first: {first})",
            self.skipped,
            if self.skipped == 1 { "" } else { "s" },
            self.path.display()
        ))
    }
}
