//! `encdec translate` and `encdec summarize`: one input from the command
//! line, or one per line of standard input, decoded as the flags say.

use crate::print::{CliResult, print_line, warn_line};
use encdec::pipeline::{DecodeOptions, InputError, Outputs, decode_inputs, load_for_task};
use encdec::seq2seq::decode::DecodeError;
use encdec::seq2seq::task::Task;
use encdec::text::corpus_files::{CORPUS_CAP, Lines};
use std::path::Path;

/// What is said when the model's output has no words.
const WROTE_NOTHING: &str = "the model wrote nothing for this input (it ended its output at once); a model trained longer may do better";

/// Decodes `text`, or each line of standard input, with a model trained
/// for `task`, and prints the outputs (n-best ones after their scores).
pub fn decode(checkpoint: &Path, task: Task, text: Option<&str>, o: &DecodeOptions) -> CliResult {
    let decoding = o.decoding()?;
    let command = match task {
        Task::Summarization => "summarize",
        _ => "translate",
    };
    let t = load_for_task(checkpoint, task, command)?;
    match text {
        Some(text) => {
            let mut all = decode_inputs(&t, &[text.to_string()], &decoding, o.unknown())
                .map_err(|e| e.error.to_string())?;
            let outputs = all.remove(0).ok_or(DecodeError::Empty)?;
            if outputs.len() == 1 && outputs[0].0.is_empty() {
                return Err(WROTE_NOTHING.into());
            }
            print_outputs(&outputs);
        }
        None => {
            let lines = stdin_lines()?;
            let all = decode_inputs(&t, &lines, &decoding, o.unknown()).map_err(on_line)?;
            for (i, outputs) in all.iter().enumerate() {
                print_line_outputs(i, outputs);
            }
        }
    }
    Ok(())
}

/// An input's error, naming its line of standard input.
fn on_line(e: InputError) -> String {
    match e.index {
        Some(i) => format!("standard input, line {}: {}", i + 1, e.error),
        None => e.error.to_string(),
    }
}

/// Prints outputs, each after its score when it has one.
fn print_outputs(outputs: &[(String, Option<f64>)]) {
    for (text, score) in outputs {
        match score {
            Some(s) => print_line(&format!("{s:.4}\t{text}")),
            None => print_line(text),
        }
    }
}

/// Prints the outputs of line `i` of standard input: an empty line for an
/// input without words, and for an empty output, which standard error names.
fn print_line_outputs(i: usize, outputs: &Outputs) {
    match outputs {
        None => print_line(""),
        Some(o) => {
            if o.len() == 1 && o[0].0.is_empty() {
                warn_line(&format!("standard input, line {}: {WROTE_NOTHING}", i + 1));
            }
            print_outputs(o);
        }
    }
}

/// Reads standard input as lines (one input per line), or names the bad
/// line; a line at a time, so input that never ends is refused at its
/// first overlong line, and never more than [`CORPUS_CAP`] in all.
pub fn stdin_lines() -> Result<Vec<String>, String> {
    let name = Path::new("standard input");
    let at = |line: Option<usize>, why: &str| match line {
        Some(n) => format!("standard input, line {n}: {why}"),
        None => format!("standard input: {why}"),
    };
    let mut lines = vec![];
    for item in Lines::new(std::io::stdin().lock(), name, CORPUS_CAP) {
        let (n, text) = item.map_err(|e| at(e.line, &e.message))?;
        lines.push(text.map_err(|why| at(Some(n), &why))?);
    }
    Ok(lines)
}
