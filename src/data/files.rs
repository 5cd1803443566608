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
//! Every reader takes UTF-8 with or without a byte-order mark (on any
//! line: files joined with `cat` keep theirs), LF or CRLF line ends, and
//! skips blank lines. A malformed line (no tab, invalid UTF-8, a NUL
//! character, an empty side, bad JSON, a JSON key given twice, a line over
//! [`MAX_LINE_BYTES`]) is a [`CorpusError`] that names the file and the
//! line and says what to do. With [`ReadOptions::skip_bad_lines`] such
//! lines are skipped instead and counted ([`CorpusFile::skipped`]). Nothing
//! is read silently wrong.
//!
//! "Blank" and "empty" mean what the [`Tokenizer`] makes of the text: no
//! token. A side of only spaces, no-break spaces, zero-width spaces,
//! byte-order marks or other characters the tokenizer drops is empty, and
//! a line of only such characters is blank.
//!
//! A carriage return that does not end a CRLF line end (old Mac files end
//! their lines with CR alone) stops the reading even with
//! `skip_bad_lines`: the file's lines are not where they seem to be.
//!
//! Each record keeps its line number, so that outputs can be written one
//! line per input line ([`CorpusFile::lines`]).
//!
//! Checked by `tests/data_files.rs`.

use super::tasks::TextPair;
use super::tokenizer::{Tokenizer, printable};
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

/// Whether `bytes` hold a carriage return that is not followed by a line
/// feed: an old Mac line end (or a stray CR).
fn lone_cr(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// The lines of a file, numbered from 1: `Ok(text)` without its line end
/// and without a leading byte-order mark, or `Err(why)` for a line that is
/// not UTF-8, holds a NUL character or is too long. Fails if the file
/// cannot be read or a line holds a carriage return that ends no CRLF.
fn numbered_lines(path: &Path) -> Result<Vec<NumberedLine>, CorpusError> {
    let io = |e: std::io::Error| CorpusError {
        path: path.to_path_buf(),
        line: None,
        message: format!("cannot read the file: {e}"),
    };
    let old_mac = |line: usize| {
        CorpusError {
        path: path.to_path_buf(),
        line: Some(line),
        message: "the lines end in a carriage return only (old Mac line endings) or the line holds a stray one; convert them to \\n (e.g. tr '\\r' '\\n' < old > new) or remove it".into(),
    }
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
        let ended = buf.ends_with(b"\n");
        if ended {
            buf.pop();
            if buf.ends_with(b"\r") {
                buf.pop(); // the CR of a CRLF line end
            }
        }
        let overlong = !ended && n > MAX_LINE_BYTES + 1;
        // An overlong line may be cut between the CR and the LF of its end.
        let cut = if overlong { buf.len() - 1 } else { buf.len() };
        if lone_cr(&buf[..cut]) {
            return Err(old_mac(number));
        }
        if overlong {
            lines.push((
                number,
                Err(format!(
                    "the line is longer than {MAX_LINE_BYTES} bytes; split it or shorten it"
                )),
            ));
            skip_rest_of_line(&mut reader).map_err(io)?;
            continue;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(t) if t.contains('\0') => Err(format!(
                "the line contains a NUL character (byte {}); if the file is UTF-16, save it as UTF-8",
                t.find('\0').unwrap_or_default() + 1
            )),
            Ok(t) => Ok(t.strip_prefix('\u{FEFF}').unwrap_or(t).to_string()),
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
            Ok(t) if blank(&t) => continue,
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
            message: no_usable_line("the file is empty", &file),
        });
    }
    Ok(file)
}

/// Whether `text` has no token: it is empty or holds only whitespace and
/// characters the tokenizer drops (U+200B, U+FEFF, U+200D, ...).
fn blank(text: &str) -> bool {
    Tokenizer::new(false).tokenize(text).is_empty()
}

/// The message for a file without a usable line, naming the first
/// malformed line if lines were skipped.
fn no_usable_line<T>(empty: &str, file: &CorpusFile<T>) -> String {
    let mut message = format!("no usable line: {empty} or every line is blank or malformed");
    if let Some(first) = &file.first_skipped {
        message += &format!(" (the first malformed: {first})");
    }
    message
}

/// A side of a pair: trimmed, not empty (not [`blank`]) and without NUL.
fn side(text: &str, what: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if blank(t) {
        let mut codes: Vec<String> = vec![];
        for code in t.chars().map(|c| format!("U+{:04X}", c as u32)) {
            if !codes.contains(&code) && codes.len() < 8 {
                codes.push(code);
            }
        }
        return Err(format!(
            "the {what} is empty: it holds only invisible characters ({}); write the text or remove the line",
            codes.join(" ")
        ));
    }
    if t.contains('\0') {
        return Err(format!("the {what} contains a NUL character; remove it"));
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
        let is_blank = |x: &Result<String, String>| x.as_ref().is_ok_and(|t| blank(t));
        if is_blank(&s) && is_blank(&t) {
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
            message: no_usable_line("the files are empty", &file),
        });
    }
    Ok(file)
}

/// The JSON object of one line, or a message saying why it is not one.
/// Fields other than those read are ignored, whatever JSON they hold; a
/// key given twice is an error (serde_json would silently keep the last).
fn json_object(line: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(map)) => match repeated_key(line) {
            Some(key) => Err(format!(
                "the key \"{}\" appears twice in the object; keep one of them",
                printable(&key)
            )),
            None => Ok(map),
        },
        Ok(_) => Err("expected a JSON object {...} on each line (JSON Lines)".into()),
        Err(e) => Err(format!("not valid JSON: {e}")),
    }
}

/// The first key that appears twice in the outermost object of `json`,
/// which must be valid JSON. Keys are compared decoded (`"\u0061"` is
/// `"a"`); keys of nested objects are not looked at.
fn repeated_key(json: &str) -> Option<String> {
    let bytes = json.as_bytes();
    let mut keys = std::collections::HashSet::new();
    let (mut depth, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b'"' => {
                let start = i;
                i += 1;
                while *bytes.get(i)? != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                // A string in the outermost object followed by `:` is a key.
                let rest = json[i + 1..].trim_start();
                if depth == 1 && rest.starts_with(':') {
                    let key: String = serde_json::from_str(&json[start..=i]).ok()?;
                    if !keys.insert(key.clone()) {
                        return Some(key);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
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
/// `{"document": "...", "summary": "..."}` on each line. Other fields are
/// ignored whatever valid JSON they hold; the line as a whole must be one
/// valid JSON object, each key given once.
///
/// # Errors
/// Bad JSON, a key given twice, a missing or empty field, invalid UTF-8;
/// the error names the file and the line.
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
/// Other fields are ignored whatever valid JSON they hold; the line as a
/// whole must be one valid JSON object, each key given once.
///
/// # Errors
/// Bad JSON, a key given twice, fewer than two turns, an empty or
/// non-string turn, invalid UTF-8; the error names the file and the line.
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
