//! Reading a corpus file line by line: numbering the lines, refusing what
//! is not text, and stopping at (or counting) malformed lines.

use super::{CORPUS_CAP, CorpusError, CorpusFile, MAX_LINE_BYTES, ReadOptions, Record};
use crate::files::ReadCap;
use crate::text::visible;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A line's number (from 1) and its text, or why it could not be read.
pub type NumberedLine = (usize, Result<String, String>);

/// Whether `bytes` hold a carriage return that is not followed by a line
/// feed: an old Mac line end (or a stray CR).
fn lone_cr(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// The lines of a text input, numbered from 1, read one at a time: each
/// item is `Ok((number, Ok(text)))` with the text without its line end and
/// without a leading byte-order mark, `Ok((number, Err(why)))` for a line
/// that is not UTF-8, holds a NUL character or is longer than
/// [`MAX_LINE_BYTES`] (reported at once; its bytes past the limit are
/// skipped, never held, when the next line is asked for),
/// or, last, `Err` for what stops the reading: an unreadable input, a
/// carriage return that ends no CRLF (old Mac line ends), or more bytes
/// than the [`ReadCap`]. The reader never holds more than one line, and
/// never reads more than one byte past the cap, so a file that never ends
/// (`/dev/zero`) costs a line's memory and the cap's time.
///
/// Used by every corpus reader, by [`WordVectors::load`](crate::wordvec::WordVectors::load)
/// and by the command line's standard input. Checked by
/// `tests/text/corpus_files.rs::the_line_reader_stops_at_the_cap`.
pub struct Lines<R: Read> {
    reader: BufReader<std::io::Take<R>>,
    path: PathBuf,
    cap: ReadCap,
    number: usize,
    /// The last line was cut at the limit: its rest is skipped before the
    /// next line is read (not before the cut line is reported).
    cut: bool,
    done: bool,
}

impl Lines<std::io::Take<std::fs::File>> {
    /// The lines of the file at `path`, read up to `cap`.
    ///
    /// # Errors
    /// The file cannot be opened, or is a regular file longer than `cap`.
    pub fn open(path: &Path, cap: ReadCap) -> Result<Self, CorpusError> {
        let file = crate::files::open_capped(path, cap).map_err(|e| read_error(path, e))?;
        Ok(Lines::new(file, path, cap))
    }
}

impl<R: Read> Lines<R> {
    /// The lines of `reader`; `path` names it in errors (for standard
    /// input, any name that says so).
    pub fn new(reader: R, path: &Path, cap: ReadCap) -> Self {
        let reader = BufReader::with_capacity(64 << 10, reader.take(cap.bytes.saturating_add(1)));
        Lines {
            reader,
            path: path.to_path_buf(),
            cap,
            number: 0,
            cut: false,
            done: false,
        }
    }

    /// How many lines have been read so far.
    pub fn count_so_far(&self) -> usize {
        self.number
    }

    /// The next line, `None` at the end, or what stops the reading.
    fn read_line(&mut self) -> Result<Option<NumberedLine>, CorpusError> {
        if std::mem::take(&mut self.cut) {
            skip_rest_of_line(&mut self.reader).map_err(|e| read_error(&self.path, e))?;
        }
        let mut buf = vec![];
        let n = (&mut self.reader)
            .take(MAX_LINE_BYTES as u64 + 2)
            .read_until(b'\n', &mut buf)
            .map_err(|e| read_error(&self.path, e))?;
        if self.reader.get_ref().limit() == 0 {
            return Err(read_error(&self.path, self.cap.too_large()));
        }
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        let number = self.number;
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
            return Err(old_mac(&self.path, number));
        }
        if overlong {
            self.cut = true;
            let why =
                format!("the line is longer than {MAX_LINE_BYTES} bytes; split it or shorten it");
            return Ok(Some((number, Err(why))));
        }
        Ok(Some((number, line_text(&buf))))
    }
}

impl<R: Read> Iterator for Lines<R> {
    type Item = Result<NumberedLine, CorpusError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let line = self.read_line().transpose();
        self.done = !matches!(line, Some(Ok(_)));
        line
    }
}

/// An error reading the input `path` as a whole: the cap's message, or the
/// operating system's after "cannot read the file".
fn read_error(path: &Path, e: std::io::Error) -> CorpusError {
    let message = match e.kind() {
        std::io::ErrorKind::FileTooLarge => e.to_string(),
        _ => format!("cannot read the file: {e}"),
    };
    CorpusError {
        path: path.to_path_buf(),
        line: None,
        message,
    }
}

/// The error for a carriage return that ends no CRLF, on line `line`.
fn old_mac(path: &Path, line: usize) -> CorpusError {
    CorpusError {
        path: path.to_path_buf(),
        line: Some(line),
        message: "the lines end in a carriage return only (old Mac line endings) or the line holds a stray one; convert them to \\n (e.g. tr '\\r' '\\n' < old > new) or remove it".into(),
    }
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
    let mut lines = Lines::open(path, CORPUS_CAP)?;
    let mut file = CorpusFile::new(path);
    for item in &mut lines {
        let (line, text) = item?;
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
    file.lines = lines.count_so_far();
    file.non_empty("the file is empty")
}

impl<T> CorpusFile<T> {
    /// A file with nothing read yet (its [`CorpusFile::lines`] are counted
    /// by the reader, which sets them at the end).
    pub(super) fn new(path: &Path) -> CorpusFile<T> {
        CorpusFile {
            path: path.to_path_buf(),
            records: vec![],
            lines: 0,
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

/// Whether `text` shows nothing: it holds no [`visible`] character (only
/// whitespace, zero-width and format characters, lone marks, ...).
pub(super) fn blank(text: &str) -> bool {
    !visible(text)
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
