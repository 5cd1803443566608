//! Reading and writing word vectors in the usual text format: one word per
//! line followed by its numbers, separated by spaces; the word2vec variant
//! starts with a header line `<words> <dim>`.

use super::WordVectors;
use crate::files::{ReadCap, open_capped};
use crate::tensor::{Float, Tensor};
use crate::text::CorpusError;
use crate::text::corpus_files::Lines;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a vectors file could not be read or written. Messages name the file
/// and, for content errors, the line (counted from 1).
#[derive(Debug)]
pub enum VectorsError {
    /// The file could not be opened or read.
    Io(PathBuf, std::io::Error),
    /// The file could not be written.
    Write(PathBuf, std::io::Error),
    /// The content is malformed at a line.
    Line {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file as a whole is unusable (empty, header disagrees with the rows, ...).
    File(PathBuf, String),
}

impl fmt::Display for VectorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VectorsError::Io(p, e) => write!(f, "cannot access vectors file {}: {e}", p.display()),
            VectorsError::Write(p, e) => {
                write!(f, "cannot write vectors file {}: {e}", p.display())
            }
            VectorsError::Line {
                path,
                line,
                message,
            } => write!(f, "{} line {line}: {message}", path.display()),
            VectorsError::File(p, message) => write!(f, "{}: {message}", p.display()),
        }
    }
}

impl std::error::Error for VectorsError {}

/// The most a word-vectors file may hold: 2 GiB. Loaded, the vectors take
/// more than the file: measured on a 48 MB file of 50,000 words × 100
/// numbers, `neighbors` peaked at 2.4 times the file (116 MB resident),
/// and the table grown as it is read can ask for some 4 times the file in
/// address space. A file at the cap thus needs at most about 8 GiB, the
/// step limit (`crate::seq2seq::size::MAX_STEP_BYTES`). A model's
/// embeddings are at most 4096 wide, and GloVe 6B (1 GB for 300
/// dimensions) fits; larger files (fastText wiki-news, 2.3 GB; the crawls,
/// 4.5 to 5.6 GB) need cutting: a corpus uses only its own words, and the
/// most frequent come first. Checked by `tests/cli/reading.rs::a_vectors_file_over_the_cap_is_refused`.
pub const VECTORS_CAP: ReadCap = ReadCap {
    bytes: 2 << 30,
    what: "a word-vectors file",
    remedy: "keep its most frequent words, which come first (e.g. head -n 400000 big.txt > vectors.txt)",
};

/// The two text layouts of word vectors: a line per word, `word v1 v2 ...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VectorsLayout {
    /// GloVe's: the lines only.
    Glove,
    /// word2vec's: first a header line, `words dim`.
    Word2Vec,
}

impl WordVectors {
    /// Writes the vectors as text in `layout` ([`WordVectors::load`] reads both).
    ///
    /// # Errors
    /// [`VectorsError::Write`], "cannot write vectors file …", naming the
    /// file. Checked by `tests/text/wordvec.rs::a_failed_write_of_a_vectors_file_says_write`.
    pub fn save(&self, path: &Path, layout: VectorsLayout) -> Result<(), VectorsError> {
        let mut out = String::new();
        if layout == VectorsLayout::Word2Vec {
            out.push_str(&format!("{} {}\n", self.words().len(), self.dim()));
        }
        for (i, w) in self.words().iter().enumerate() {
            out.push_str(w);
            for v in &self.vectors().data()[i * self.dim()..(i + 1) * self.dim()] {
                out.push_str(&format!(" {v}"));
            }
            out.push('\n');
        }
        crate::files::write_atomic(path, out.as_bytes())
            .map_err(|e| VectorsError::Write(path.to_path_buf(), e))
    }

    /// Reads vectors written by [`WordVectors::save`], GloVe or word2vec (text):
    /// a first line of exactly two whole numbers is taken as the word2vec header.
    /// A byte-order mark at the start is skipped.
    ///
    /// The file is read a line at a time and the reading stops at the
    /// first bad line, so a file that never ends (`/dev/zero`) is refused
    /// at its first line; a line may hold at most
    /// [`MAX_LINE_BYTES`](crate::text::corpus_files::MAX_LINE_BYTES), the
    /// file at most [`VECTORS_CAP`].
    ///
    /// # Errors
    /// An unreadable file or one over the cap, a malformed line (the error
    /// names it), a header that disagrees with the rows, no vectors.
    /// Checked by `tests/cli/reading.rs::a_vectors_file_that_never_ends_is_refused_at_line_1`.
    pub fn load(path: &Path) -> Result<WordVectors, VectorsError> {
        let bad = |line: usize, message: String| VectorsError::Line {
            path: path.to_path_buf(),
            line,
            message,
        };
        let stop = |e: CorpusError| match e.line {
            Some(line) => bad(line, e.message),
            None => VectorsError::File(path.to_path_buf(), e.message),
        };
        let file =
            open_capped(path, VECTORS_CAP).map_err(|e| VectorsError::Io(path.to_path_buf(), e))?;
        let mut lines = Lines::new(file, path, VECTORS_CAP)
            .map(|l| match l.map_err(stop)? {
                (n, Ok(text)) => Ok((n, text)),
                (n, Err(why)) => Err(bad(n, why)),
            })
            .filter(|l| l.as_ref().map_or(true, |(_, text)| !text.trim().is_empty()))
            .peekable();
        let mut header: Option<(usize, usize)> = None;
        if let Some(Ok((n, first))) = lines.peek()
            && let Some(found) = word2vec_header(first)
        {
            header = Some(found.map_err(|m| bad(*n, m))?);
            lines.next();
        }
        let (mut words, mut data, mut dim) = (vec![], vec![], header.map(|h| h.1));
        for line in lines {
            let (n, line) = line?;
            let (word, values) = vector_line(&line).map_err(|m| bad(n, m))?;
            let expected = *dim.get_or_insert(values.len());
            if values.len() != expected {
                return Err(bad(
                    n,
                    format!(
                        "the word {word:?} has {} numbers, expected {expected}",
                        values.len()
                    ),
                ));
            }
            words.push(word);
            data.extend(values);
        }
        let dim = dim.filter(|_| !words.is_empty()).ok_or_else(|| {
            VectorsError::File(path.to_path_buf(), "no word vectors in the file".into())
        })?;
        if let Some((n, _)) = header
            && n != words.len()
        {
            return Err(VectorsError::File(
                path.to_path_buf(),
                format!(
                    "the header announces {n} words but the file has {}",
                    words.len()
                ),
            ));
        }
        let vectors = Tensor::from_vec(data, &[words.len(), dim]);
        WordVectors::new(words, vectors).map_err(|m| VectorsError::File(path.to_path_buf(), m))
    }
}

/// One line of a vectors file: the word and its numbers, or why not (a
/// field that is not a finite number, a word without numbers).
fn vector_line(line: &str) -> Result<(String, Vec<Float>), String> {
    let mut fields = line.split_whitespace();
    let word = fields.next().unwrap_or_default().to_string();
    let values: Vec<Float> = fields
        .map(|f| {
            f.parse::<Float>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{f:?} is not a finite number"))
        })
        .collect::<Result<_, _>>()?;
    if values.is_empty() {
        return Err(format!("the word {word:?} has no numbers"));
    }
    Ok((word, values))
}

/// word2vec's header line, "words dim": `None` if `line` is not two whole
/// numbers, an error if the vector size is 0.
fn word2vec_header(line: &str) -> Option<Result<(usize, usize), String>> {
    let fields: Vec<usize> = line
        .split_whitespace()
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    match fields[..] {
        [_, 0] => Some(Err("the header gives a vector size of 0".into())),
        [words, dim] => Some(Ok((words, dim))),
        _ => None,
    }
}
