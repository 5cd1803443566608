//! Scoring a trained model on a corpus file (`encdec evaluate`): every
//! source decoded, every output scored, one output line per input line;
//! and scoring two files of text against each other (`encdec bleu`).
//!
//! Checked by `tests/pipeline/train.rs`.

use super::corpus::{CorpusSpec, Turns, last_reply, read_turns};
use crate::files::{check_distinct, check_output, write_atomic};
use crate::seq2seq::decode::Translator;
use crate::seq2seq::eval::{EvalReport, SacreBleu, evaluate_pairs, sacre_bleu};
use crate::seq2seq::io::Checkpoint;
use crate::text::corpus_files::{CORPUS_CAP, Lines};
use crate::text::{ReadOptions, TextPair, printable};
use std::path::{Path, PathBuf};

/// Scores `translator` on a corpus file: decodes every source (greedy, or
/// beam search of width `beam`), unknown words as `<unk>`, and compares
/// with the references.
///
/// # Errors
/// An unreadable or malformed file (naming the file and line), a file of
/// another task's format, or a model whose scores are not finite.
pub fn evaluate_file(
    translator: &Translator,
    spec: &CorpusSpec,
    beam: usize,
    read: ReadOptions,
) -> Result<(EvalReport, Turns), Box<dyn std::error::Error>> {
    let turns = read_turns(translator.task, spec, read)?;
    let pairs: Vec<TextPair> = turns.records.iter().map(|(_, t)| last_reply(t)).collect();
    Ok((evaluate_pairs(translator, &pairs, beam, 64)?, turns))
}

/// Writes one output per input line to `path` (atomically): line $i$ holds
/// the output for line $i$ of the corpus, empty for a blank or skipped line
/// and for an output without words (`evaluate` counts those). Each output
/// is written as [`printable`] writes it, as on a terminal: a control
/// character in a token can neither break a line in two nor act on the
/// terminal the file is read in
/// (`tests/cli/outputs.rs::the_hypotheses_file_of_evaluate_is_escaped_and_keeps_its_lines`).
pub fn write_hypotheses(path: &Path, report: &EvalReport, turns: &Turns) -> std::io::Result<()> {
    let mut lines = vec![String::new(); turns.lines];
    for ((line, _), h) in turns.records.iter().zip(&report.hypotheses) {
        lines[line - 1] = printable(h);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// What `encdec evaluate` is asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct EvaluateOptions {
    /// A checkpoint written by `train`.
    #[arg(long)]
    pub checkpoint: PathBuf,
    /// Translation: tab-separated `source<TAB>target` (Tatoeba/Anki); summarization and dialogue: JSON Lines.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Translation: the source side, one sentence per line (with --target).
    #[arg(long)]
    pub source: Option<PathBuf>,
    /// Translation: the target side, line-aligned with --source.
    #[arg(long)]
    pub target: Option<PathBuf>,
    /// Beam width, 1 to 64 (1: greedy decoding).
    #[arg(long, default_value_t = 1)]
    pub beam: usize,
    /// Write the outputs here, one line per input line.
    #[arg(long)]
    pub hypotheses: Option<PathBuf>,
    /// Skip malformed lines of the corpus (counted) instead of stopping.
    #[arg(long)]
    pub skip_bad_lines: bool,
}

impl EvaluateOptions {
    /// The corpus to score.
    ///
    /// # Errors
    /// Neither `--corpus` nor `--source` with `--target`, or both.
    pub fn spec(&self) -> Result<CorpusSpec, String> {
        match (&self.corpus, &self.source, &self.target) {
            (Some(c), None, None) => Ok(CorpusSpec::File(c.clone())),
            (None, Some(source), Some(target)) => Ok(CorpusSpec::Parallel {
                source: source.clone(),
                target: target.clone(),
            }),
            _ => Err("give --corpus FILE, or --source FILE and --target FILE".into()),
        }
    }

    /// Checks the corpus flags, the beam and the output path.
    ///
    /// # Errors
    /// The first problem, naming the flag.
    pub fn check(&self) -> Result<(), String> {
        let spec = self.spec()?;
        if !(1..=64).contains(&self.beam) {
            return Err("--beam must be from 1 to 64".into());
        }
        if let Some(h) = &self.hypotheses {
            check_output("--hypotheses", h, &[])?;
            let mut inputs = vec![("--checkpoint", self.checkpoint.as_path())];
            match &spec {
                CorpusSpec::File(p) => inputs.push(("--corpus", p)),
                CorpusSpec::Parallel { source, target } => {
                    inputs.push(("--source", source));
                    inputs.push(("--target", target));
                }
            }
            check_distinct(&[("--hypotheses", h)], &inputs)?;
        }
        Ok(())
    }
}

/// Scores a checkpoint on a corpus file as `o` says, writes the
/// hypotheses if asked, and returns the lines to print.
///
/// # Errors
/// Bad options, an unreadable checkpoint or corpus, a file that cannot be written.
pub fn evaluate(o: &EvaluateOptions) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    o.check()?;
    let spec = o.spec()?;
    let t = Checkpoint::load(&o.checkpoint)?.translator;
    let read = ReadOptions {
        skip_bad_lines: o.skip_bad_lines,
    };
    let (report, turns) = evaluate_file(&t, &spec, o.beam, read)?;
    if let Some(h) = &o.hypotheses {
        write_hypotheses(h, &report, &turns)
            .map_err(|e| format!("cannot write {}: {e}", h.display()))?;
    }
    let mut lines: Vec<String> = turns.skipped.iter().cloned().collect();
    let how = match o.beam {
        1 => "greedy decoding".to_string(),
        b => format!("beam search, width {b}"),
    };
    lines.push(format!("{} on {} ({how}):", t.task, spec.path().display()));
    lines.extend(report.lines(t.task));
    if let Some(h) = &o.hypotheses {
        lines.push(format!("wrote {} (one line per input line)", h.display()));
    }
    Ok(lines)
}

/// The lines of a text file as sacreBLEU reads them: split at `\n` (a CRLF
/// line end is one), a final line end adds no line; read a line at a time
/// up to [`CORPUS_CAP`], and errors name the file and line.
fn text_lines(path: &Path) -> Result<Vec<String>, String> {
    let mut lines = vec![];
    for item in Lines::open(path, CORPUS_CAP).map_err(|e| e.to_string())? {
        let (n, text) = item.map_err(|e| e.to_string())?;
        lines.push(text.map_err(|why| format!("{}:{n}: {why}", path.display()))?);
    }
    if lines.is_empty() {
        return Err(format!("{}: the file is empty", path.display()));
    }
    Ok(lines)
}

/// What `encdec bleu` is asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct BleuOptions {
    /// The outputs, one per line.
    #[arg(long)]
    pub hypotheses: PathBuf,
    /// The references, line by line.
    #[arg(long)]
    pub references: PathBuf,
    /// Lowercase both first.
    #[arg(long)]
    pub lowercase: bool,
    /// Print the score and its counts as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Corpus BLEU of a file of outputs against a file of references, one
/// sentence per line, as sacreBLEU computes it (`encdec bleu`).
///
/// # Errors
/// A file that cannot be read, is not UTF-8 or is empty, or files of
/// different line counts.
pub fn bleu_files(o: &BleuOptions) -> Result<SacreBleu, String> {
    let (hypotheses, references) = (&o.hypotheses, &o.references);
    let (h, r) = (text_lines(hypotheses)?, text_lines(references)?);
    if h.len() != r.len() {
        return Err(format!(
            "{} has {} lines but {} has {}: one reference per hypothesis, line by line",
            hypotheses.display(),
            h.len(),
            references.display(),
            r.len()
        ));
    }
    Ok(sacre_bleu(&h, &r, o.lowercase))
}
