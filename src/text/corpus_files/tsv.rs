//! Translation pairs: one tab-separated file, or two line-aligned files.

use super::lines::{Lines, NumberedLine, blank, read_with};
use super::{CORPUS_CAP, CorpusError, CorpusFile, ReadOptions};
use crate::text::TextPair;
use std::path::Path;

/// A side of a pair: trimmed, not empty, showing something (not
/// [`blank`]: at least one [`visible`](crate::text::visible) character)
/// and without NUL.
pub(super) fn side(text: &str, what: &str) -> Result<String, String> {
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
    let mut src = Lines::open(source, CORPUS_CAP)?;
    let mut tgt = Lines::open(target, CORPUS_CAP)?;
    let mut file = CorpusFile::new(source);
    // Both files in step, a line of each at a time, so that the first
    // malformed line stops the reading at once.
    loop {
        let s = src.next().transpose()?;
        let t = tgt.next().transpose()?;
        let ((line, s), (_, t)) = match (s, t) {
            (Some(s), Some(t)) => (s, t),
            (None, None) => break,
            _ => return Err(unequal_lengths(src, tgt, source, target)),
        };
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
        let parsed = pair(s, source, "source line").and_then(|source| {
            Ok(TextPair {
                source,
                target: pair(t, target, "target line")?,
            })
        });
        file.take(line, parsed, opts)?;
    }
    file.lines = src.count_so_far();
    file.non_empty("the files are empty")
}

/// The error for line-aligned files of different lengths, once one has
/// ended: the rest of the other is counted (or its fault reported).
fn unequal_lengths<R: std::io::Read>(
    src: Lines<R>,
    tgt: Lines<R>,
    source: &Path,
    target: &Path,
) -> CorpusError {
    let count = |mut lines: Lines<R>| -> Result<usize, CorpusError> {
        lines
            .by_ref()
            .try_for_each(|l| l.map(|_: NumberedLine| ()))?;
        Ok(lines.count_so_far())
    };
    let (s, t) = match (count(src), count(tgt)) {
        (Ok(s), Ok(t)) => (s, t),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    CorpusError {
        path: target.to_path_buf(),
        line: None,
        message: format!(
            "has {t} lines but the source file {} has {s}: line-aligned files must have the same number of lines",
            source.display(),
        ),
    }
}

/// Reads plain text, one or more sentences per line (a corpus to learn
/// word vectors from): each line that is not blank, trimmed.
///
/// # Errors
/// Invalid UTF-8, a NUL character, a line over the limit, an unreadable or
/// empty file; the error names the file and the line.
pub fn read_text_lines(path: &Path, opts: ReadOptions) -> Result<CorpusFile<String>, CorpusError> {
    read_with(path, opts, |line| side(line, "line"))
}
