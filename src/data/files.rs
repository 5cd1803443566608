//! Corpus files: your own sentence pairs, documents and dialogues, in the
//! formats people already have.
//!
//! | task | format | one line holds |
//! |---|---|---|
//! | translation | tab-separated, as the Tatoeba/Anki `fra.txt` files | `source<TAB>target[<TAB>anything]` (the attribution column and any other extra column is ignored) |
//! | translation | two line-aligned plain-text files (OpenNMT, fairseq) | line $i$ of the source file translates to line $i$ of the target file |
//! | summarization | JSON Lines | `{"document": "...", "summary": "..."}` |
//! | dialogue | JSON Lines | `{"turns": ["user", "bot", "user", "bot", ...]}`: one conversation |
//!
//! Every reader takes UTF-8 with or without a byte-order mark, LF or CRLF
//! line ends, and skips blank lines. A malformed line (no tab, invalid
//! UTF-8, an empty side, bad JSON, a line over [`MAX_LINE_BYTES`]) is a
//! [`CorpusError`] that names the file and the line and says what to do.
//! With [`ReadOptions::skip_bad_lines`] such lines are skipped instead and
//! counted ([`CorpusFile::skipped`]). Nothing is read silently wrong.
//!
//! Each record keeps its line number, so that outputs can be written one
//! line per input line ([`CorpusFile::lines`]).
//!
//! Checked by `tests/data_files.rs`.

use super::tasks::TextPair;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The longest line a corpus file may have: 1 MiB. A longer line is an
/// error rather than an unbounded allocation.
pub const MAX_LINE_BYTES: usize = 1 << 20;

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

/// A line's number (from 1) and its text, or why it could not be read.
type NumberedLine = (usize, Result<String, String>);

/// The lines of a file, numbered from 1: `Ok(text)` without its line end
/// (and without a byte-order mark on line 1), or `Err(why)` for a line that
/// is not UTF-8 or too long. Fails only if the file cannot be read.
fn numbered_lines(path: &Path) -> Result<Vec<NumberedLine>, CorpusError> {
    let io = |e: std::io::Error| CorpusError {
        path: path.to_path_buf(),
        line: None,
        message: format!("cannot read the file: {e}"),
    };
    let mut reader = BufReader::new(std::fs::File::open(path).map_err(io)?);
    let mut lines = vec![];
    let mut buf = vec![];
    loop {
        buf.clear();
        let n = reader
            .by_ref()
            .take(MAX_LINE_BYTES as u64 + 2)
            .read_until(b'\n', &mut buf)
            .map_err(io)?;
        if n == 0 {
            break;
        }
        let number = lines.len() + 1;
        if buf.len() > MAX_LINE_BYTES + 1 && buf.last() != Some(&b'\n') {
            lines.push((
                number,
                Err(format!(
                    "the line is longer than {MAX_LINE_BYTES} bytes; split it or shorten it"
                )),
            ));
            skip_rest_of_line(&mut reader).map_err(io)?;
            continue;
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => Ok(t
                .strip_prefix('\u{FEFF}')
                .filter(|_| number == 1)
                .unwrap_or(t)
                .to_string()),
            Err(e) => Err(format!(
                "not valid UTF-8 (byte {} of the line); save the file as UTF-8",
                e.valid_up_to() + 1
            )),
        };
        lines.push((number, text));
    }
    Ok(lines)
}

/// Reads and drops bytes up to and including the next line end, a buffer
/// at a time, so that an overlong line never sits in memory.
fn skip_rest_of_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// Reads a file line by line with `parse`, skipping blank lines, and
/// stopping at (or, with `skip_bad_lines`, counting) malformed ones.
fn read_with<T>(
    path: &Path,
    opts: ReadOptions,
    mut parse: impl FnMut(&str) -> Result<T, String>,
) -> Result<CorpusFile<T>, CorpusError> {
    let lines = numbered_lines(path)?;
    let mut file = CorpusFile {
        path: path.to_path_buf(),
        records: vec![],
        lines: lines.len(),
        skipped: 0,
        first_skipped: None,
    };
    for (line, text) in lines {
        let parsed = match text {
            Ok(t) if t.trim().is_empty() => continue,
            Ok(t) => parse(&t),
            Err(why) => Err(why),
        };
        match parsed {
            Ok(item) => file.records.push(Record { line, item }),
            Err(message) => {
                let e = CorpusError {
                    path: path.to_path_buf(),
                    line: Some(line),
                    message,
                };
                if !opts.skip_bad_lines {
                    return Err(CorpusError {
                        message: format!("{} (or pass --skip-bad-lines)", e.message),
                        ..e
                    });
                }
                file.skipped += 1;
                file.first_skipped.get_or_insert(e);
            }
        }
    }
    if file.records.is_empty() {
        return Err(CorpusError {
            path: path.to_path_buf(),
            line: None,
            message: "no usable line: the file is empty or every line is blank or malformed".into(),
        });
    }
    Ok(file)
}

/// A side of a pair: trimmed, and not empty.
fn side(text: &str, what: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    Ok(t.to_string())
}

/// Reads translation pairs from a tab-separated file: `source<TAB>target`,
/// extra columns ignored (the Tatoeba/Anki `fra.txt` format).
///
/// # Errors
/// A line without a tab or with an empty side, invalid UTF-8, an unreadable
/// or empty file; the error names the file and the line.
pub fn read_tsv_pairs(path: &Path, opts: ReadOptions) -> Result<CorpusFile<TextPair>, CorpusError> {
    read_with(path, opts, |line| {
        let mut columns = line.split('\t');
        let source = columns.next().unwrap_or_default();
        let target = columns.next().ok_or(
            "no tab: expected `source<TAB>target` (the Tatoeba/Anki format); for two line-aligned files use --source and --target",
        )?;
        Ok(TextPair {
            source: side(source, "source (column 1)")?,
            target: side(target, "target (column 2)")?,
        })
    })
}

/// Reads translation pairs from two line-aligned plain-text files: line
/// $i$ of `source` and line $i$ of `target` are a pair. Lines blank in
/// both files are skipped.
///
/// # Errors
/// Files of different line counts, a line blank on one side only, invalid
/// UTF-8; the error names the file and the line.
pub fn read_parallel(
    source: &Path,
    target: &Path,
    opts: ReadOptions,
) -> Result<CorpusFile<TextPair>, CorpusError> {
    let src = numbered_lines(source)?;
    let tgt = numbered_lines(target)?;
    if src.len() != tgt.len() {
        return Err(CorpusError {
            path: target.to_path_buf(),
            line: None,
            message: format!(
                "has {} lines but the source file {} has {}: line-aligned files must have the same number of lines",
                tgt.len(),
                source.display(),
                src.len()
            ),
        });
    }
    let mut file = CorpusFile {
        path: source.to_path_buf(),
        records: vec![],
        lines: src.len(),
        skipped: 0,
        first_skipped: None,
    };
    for ((line, s), (_, t)) in src.into_iter().zip(tgt) {
        let blank = |x: &Result<String, String>| x.as_ref().is_ok_and(|t| t.trim().is_empty());
        if blank(&s) && blank(&t) {
            continue;
        }
        let pair = |x: Result<String, String>, path: &Path, what: &str| {
            x.and_then(|text| side(&text, what))
                .map_err(|message| CorpusError {
                    path: path.to_path_buf(),
                    line: Some(line),
                    message,
                })
        };
        match pair(s, source, "source line").and_then(|s| Ok((s, pair(t, target, "target line")?)))
        {
            Ok((source, target)) => file.records.push(Record {
                line,
                item: TextPair { source, target },
            }),
            Err(e) if opts.skip_bad_lines => {
                file.skipped += 1;
                file.first_skipped.get_or_insert(e);
            }
            Err(e) => {
                return Err(CorpusError {
                    message: format!("{} (or pass --skip-bad-lines)", e.message),
                    ..e
                });
            }
        }
    }
    if file.records.is_empty() {
        return Err(CorpusError {
            path: source.to_path_buf(),
            line: None,
            message: "no usable line: the files are empty or every line is blank or malformed"
                .into(),
        });
    }
    Ok(file)
}

/// The JSON object of one line, or a message saying why it is not one.
fn json_object(line: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err("expected a JSON object {...} on each line (JSON Lines)".into()),
        Err(e) => Err(format!("not valid JSON: {e}")),
    }
}

/// A string field of a JSON object, not empty.
fn text_field(
    map: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<String, String> {
    match map.get(key) {
        Some(serde_json::Value::String(s)) => side(s, &format!("\"{key}\"")),
        Some(_) => Err(format!("\"{key}\" must be a string")),
        None => Err(format!("no \"{key}\" field")),
    }
}

/// Reads documents and their summaries from JSON Lines:
/// `{"document": "...", "summary": "..."}` on each line (other fields ignored).
///
/// # Errors
/// Bad JSON, a missing or empty field, invalid UTF-8; the error names the
/// file and the line.
pub fn read_summaries(path: &Path, opts: ReadOptions) -> Result<CorpusFile<TextPair>, CorpusError> {
    read_with(path, opts, |line| {
        let map = json_object(line)?;
        Ok(TextPair {
            source: text_field(&map, "document")?,
            target: text_field(&map, "summary")?,
        })
    })
}

/// Reads conversations from JSON Lines: `{"turns": ["...", "...", ...]}`
/// on each line, the user speaking first and the two sides taking turns.
///
/// # Errors
/// Bad JSON, fewer than two turns, an empty or non-string turn, invalid
/// UTF-8; the error names the file and the line.
pub fn read_dialogues(
    path: &Path,
    opts: ReadOptions,
) -> Result<CorpusFile<Vec<String>>, CorpusError> {
    read_with(path, opts, |line| {
        let map = json_object(line)?;
        let turns = match map.get("turns") {
            Some(serde_json::Value::Array(a)) => a,
            Some(_) => return Err("\"turns\" must be a list of strings".into()),
            None => return Err("no \"turns\" field".into()),
        };
        if turns.len() < 2 {
            return Err(format!(
                "a conversation needs at least two turns (the user's and the reply); this one has {}",
                turns.len()
            ));
        }
        turns
            .iter()
            .enumerate()
            .map(|(i, t)| match t {
                serde_json::Value::String(s) => side(s, &format!("turn {}", i + 1)),
                _ => Err(format!("turn {} is not a string", i + 1)),
            })
            .collect()
    })
}
