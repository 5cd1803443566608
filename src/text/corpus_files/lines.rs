//! Reading a corpus file line by line: numbering the lines, refusing what
//! is not text, and stopping at (or counting) malformed lines.

use super::{CorpusError, CorpusFile, MAX_LINE_BYTES, ReadOptions, Record};
use crate::text::Tokenizer;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

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
pub(super) fn numbered_lines(path: &Path) -> Result<Vec<NumberedLine>, CorpusError> {
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
        let text = line_text(&buf);
        lines.push((number, text));
    }
    Ok(lines)
}

/// One line's bytes (without its end) as text without a leading byte-order
/// mark, or why they are not: not UTF-8, or holding a NUL character.
fn line_text(buf: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(buf) {
        Ok(t) if t.contains('\0') => Err(format!(
            "the line contains a NUL character (byte {}); if the file is UTF-16, save it as UTF-8",
            t.find('\0').unwrap_or_default() + 1
        )),
        Ok(t) => Ok(t.strip_prefix('\u{FEFF}').unwrap_or(t).to_string()),
        Err(e) => Err(format!(
            "not valid UTF-8 (byte {} of the line); save the file as UTF-8",
            e.valid_up_to() + 1
        )),
    }
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
pub(super) fn read_with<T>(
    path: &Path,
    opts: ReadOptions,
    mut parse: impl FnMut(&str) -> Result<T, String>,
) -> Result<CorpusFile<T>, CorpusError> {
    let lines = numbered_lines(path)?;
    let mut file = CorpusFile::new(path, lines.len());
    for (line, text) in lines {
        let parsed = match text {
            Ok(t) if blank(&t) => continue,
            Ok(t) => parse(&t),
            Err(why) => Err(why),
        };
        let parsed = parsed.map_err(|message| CorpusError {
            path: path.to_path_buf(),
            line: Some(line),
            message,
        });
        file.take(line, parsed, opts)?;
    }
    file.non_empty("the file is empty")
}

impl<T> CorpusFile<T> {
    /// A file of `lines` lines with nothing read yet.
    pub(super) fn new(path: &Path, lines: usize) -> CorpusFile<T> {
        CorpusFile {
            path: path.to_path_buf(),
            records: vec![],
            lines,
            skipped: 0,
            first_skipped: None,
        }
    }

    /// Keeps the item of line `line`, or, for a malformed line, counts it
    /// (with `skip_bad_lines`) or stops with its error.
    pub(super) fn take(
        &mut self,
        line: usize,
        parsed: Result<T, CorpusError>,
        opts: ReadOptions,
    ) -> Result<(), CorpusError> {
        match parsed {
            Ok(item) => self.records.push(Record { line, item }),
            Err(e) if opts.skip_bad_lines => {
                self.skipped += 1;
                self.first_skipped.get_or_insert(e);
            }
            Err(e) => {
                return Err(CorpusError {
                    message: format!("{} (or pass --skip-bad-lines)", e.message),
                    ..e
                });
            }
        }
        Ok(())
    }

    /// The file, or an error if no line was usable (`empty` says why when
    /// no line was skipped either).
    pub(super) fn non_empty(self, empty: &str) -> Result<CorpusFile<T>, CorpusError> {
        if self.records.is_empty() {
            return Err(CorpusError {
                path: self.path.clone(),
                line: None,
                message: no_usable_line(empty, &self),
            });
        }
        Ok(self)
    }
}

/// Whether `text` has no token: it is empty or holds only whitespace and
/// characters the tokenizer drops (U+200B, U+FEFF, U+200D, ...).
pub(super) fn blank(text: &str) -> bool {
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
