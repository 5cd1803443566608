//! `encdec evaluate` and `encdec bleu`.

use super::{CliResult, print_line};
use encdec::files::{check_distinct, check_output};
use encdec::seq2seq::corpus::{CorpusSpec, evaluate_file, write_hypotheses};
use encdec::seq2seq::{Checkpoint, sacre_bleu};
use serde_json::json;
use std::path::Path;

/// `encdec evaluate`: scores a checkpoint on a corpus file and optionally
/// writes one output per input line.
pub fn evaluate(
    checkpoint: &Path,
    corpus: &CorpusSpec,
    beam: usize,
    hypotheses: Option<&Path>,
    skip_bad_lines: bool,
) -> CliResult {
    if let Some(h) = hypotheses {
        check_output("--hypotheses", h, &[])?;
        let mut inputs = vec![("--checkpoint", checkpoint)];
        match corpus {
            CorpusSpec::File(p) => inputs.push(("--corpus", p)),
            CorpusSpec::Parallel { source, target } => {
                inputs.push(("--source", source));
                inputs.push(("--target", target));
            }
        }
        check_distinct(&[("--hypotheses", h)], &inputs)?;
    }
    let c = Checkpoint::load(checkpoint)?;
    let (report, turns) = evaluate_file(&c, corpus, beam, skip_bad_lines)?;
    if let Some(h) = hypotheses {
        write_hypotheses(h, &report, &turns)
            .map_err(|e| format!("cannot write {}: {e}", h.display()))?;
    }
    if let Some(s) = &turns.skipped {
        print_line(s);
    }
    let how = if beam > 1 {
        format!("beam search, width {beam}")
    } else {
        "greedy decoding".into()
    };
    print_line(&format!(
        "{} on {} ({how}):",
        c.task,
        corpus.path().display()
    ));
    for line in &report.lines(c.task) {
        print_line(line);
    }
    if let Some(h) = hypotheses {
        print_line(&format!("wrote {} (one line per input line)", h.display()));
    }
    Ok(())
}

/// The lines of a text file as sacreBLEU reads them: split at `\n`, a final
/// line end adds no line; errors name the file and line.
fn text_lines(path: &Path) -> Result<Vec<String>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut lines = vec![];
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let text = std::str::from_utf8(line).map_err(|_| {
            format!(
                "{}:{}: not valid UTF-8; save the file as UTF-8",
                path.display(),
                i + 1
            )
        })?;
        lines.push(text.to_string());
    }
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        lines.pop();
    }
    if lines.is_empty() {
        return Err(format!("{}: the file is empty", path.display()));
    }
    Ok(lines)
}

/// `encdec bleu`: corpus BLEU of a hypotheses file against a references
/// file, one sentence per line, as sacreBLEU computes it.
pub fn bleu(hypotheses: &Path, references: &Path, lowercase: bool, as_json: bool) -> CliResult {
    let (h, r) = (text_lines(hypotheses)?, text_lines(references)?);
    if h.len() != r.len() {
        return Err(format!(
            "{} has {} lines but {} has {}: one reference per hypothesis, line by line",
            hypotheses.display(),
            h.len(),
            references.display(),
            r.len()
        )
        .into());
    }
    let b = sacre_bleu(&h, &r, lowercase);
    if as_json {
        let v = json!({"score": b.score, "counts": b.counts, "totals": b.totals,
            "precisions": b.precisions, "bp": b.bp, "sys_len": b.sys_len, "ref_len": b.ref_len});
        print_line(&v.to_string());
    } else {
        print_line(&b.to_string());
    }
    Ok(())
}
