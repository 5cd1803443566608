//! `encdec vocab`: the words a trained model knows, with how often each
//! occurred in its training data, most frequent first.
//!
//! Checked by `tests/cli/knows.rs`.

use super::train::RunError;
use crate::seq2seq::decode::RARE_BELOW;
use crate::seq2seq::io::Checkpoint;
use crate::text::{SPECIALS, Vocab};
use std::path::PathBuf;

/// Which vocabulary to list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Side {
    /// The source's, then the target's.
    #[default]
    Both,
    /// The words the encoder reads.
    Source,
    /// The words the decoder writes.
    Target,
}

/// What `encdec vocab` is asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct VocabOptions {
    /// A checkpoint written by `train` or `demo`.
    #[arg(long)]
    pub checkpoint: PathBuf,
    /// Which vocabulary: source, target or both.
    #[arg(long, value_enum, default_value_t = Side::Both)]
    pub side: Side,
    /// List only the N most frequent words of each side.
    #[arg(long)]
    pub top: Option<usize>,
    /// List only the words that contain this text.
    #[arg(long)]
    pub matching: Option<String>,
}

/// The lines `encdec vocab` prints: for each side asked, a title line
/// (how many words, and whether counts are stored), then one aligned line
/// per word — its training count, the word, and `(rare)` below
/// [`RARE_BELOW`] — most frequent first (ties in id order). The special
/// tokens are left out. Without stored counts the words come in id order
/// with `-` for the count.
///
/// # Errors
/// A file that is not a whole checkpoint (the error says what is wrong).
pub fn vocab_lines(o: &VocabOptions) -> Result<Vec<String>, RunError> {
    let t = Checkpoint::load(&o.checkpoint)?.translator;
    let sides = match o.side {
        Side::Both => vec![("source", &t.src_vocab), ("target", &t.tgt_vocab)],
        Side::Source => vec![("source", &t.src_vocab)],
        Side::Target => vec![("target", &t.tgt_vocab)],
    };
    let unit = if t.subwords.is_some() {
        "pieces"
    } else {
        "words"
    };
    let mut lines = vec![];
    for (name, vocab) in sides {
        lines.extend(side_lines((name, unit), vocab, o));
    }
    if let Some(sw) = &t.subwords {
        lines.push(format!(
            "subwords: {} source, {} target merges ({} table)",
            sw.src.len(),
            sw.tgt.len(),
            sw.table.name()
        ));
    }
    if o.side != Side::Target {
        lines.push(match &t.src_trigrams {
            Some(g) => format!(
                "source trigrams: {} distinct (an input with another is outside what this model was trained on)",
                g.len()
            ),
            None => "source trigrams: not stored in this checkpoint".to_string(),
        });
    }
    Ok(lines)
}

/// One side's title and word lines; `unit` is `words`, or `pieces` for a
/// model of subword pieces.
fn side_lines((name, unit): (&str, &str), vocab: &Vocab, o: &VocabOptions) -> Vec<String> {
    let words = vocab.len() - SPECIALS.len();
    let counts = vocab.counts();
    let mut rows: Vec<(usize, &str)> = (SPECIALS.len()..vocab.len())
        .map(|id| (counts.map_or(0, |c| c[id]), vocab.token(id)))
        .filter(|(_, w)| o.matching.as_ref().is_none_or(|m| w.contains(m.as_str())))
        .collect();
    rows.sort_by_key(|&(c, _)| std::cmp::Reverse(c)); // stable: ties stay in id order
    rows.truncate(o.top.unwrap_or(usize::MAX));
    let shown = match (&o.matching, o.top) {
        (None, None) => String::new(),
        _ => format!(", {} shown", rows.len()),
    };
    let title = match counts {
        Some(_) => format!(
            "{name} vocabulary: {words} {unit}{shown} (count = occurrences in the training data; below {RARE_BELOW} is rare)"
        ),
        None => {
            format!(
                "{name} vocabulary: {words} {unit}{shown}; counts not stored in this checkpoint"
            )
        }
    };
    let width = rows
        .iter()
        .map(|(c, _)| c.to_string().len())
        .max()
        .unwrap_or(1)
        .max("count".len());
    let column = unit.trim_end_matches('s');
    let mut lines = vec![title, format!("{:>width$}  {column}", "count")];
    for (count, word) in rows {
        lines.push(match counts {
            None => format!("{:>width$}  {word}", "-"),
            Some(_) if count < RARE_BELOW => format!("{count:>width$}  {word}  (rare)"),
            Some(_) => format!("{count:>width$}  {word}"),
        });
    }
    lines
}
