//! `encdec translate` and `encdec summarize`: one input from the command
//! line, or one per line of standard input, decoded as the flags say.

use crate::print::{CliResult, print_fields, print_line, warn_line};
use encdec::pipeline::{
    DecodeOptions, InputError, Outputs, decode_inputs, input_marks, load_for_task,
};
use encdec::seq2seq::decode::{DecodeError, Mark};
use encdec::seq2seq::task::Task;
use encdec::text::corpus_files::{CORPUS_CAP, Lines};
use std::path::Path;

/// What an n-best list shows in place of a hypothesis without words.
const NO_OUTPUT: &str = "(no output: the model ended this hypothesis at once)";

/// Decodes `text`, or each line of standard input, with a model trained
/// for `task`, and prints the outputs (n-best ones after their scores).
///
/// An output without words is never printed as an empty line that looks
/// like one: for `text` it is an error; from standard input its line stays
/// empty (outputs keep their lines) and standard error names the line; in
/// an n-best list it is listed last ([`decode_inputs`]) as [`NO_OUTPUT`],
/// and standard error says so.
pub fn decode(checkpoint: &Path, task: Task, text: Option<&str>, o: &DecodeOptions) -> CliResult {
    let decoding = o.decoding()?;
    let command = match task {
        Task::Summarization => "summarize",
        _ => "translate",
    };
    let t = load_for_task(checkpoint, task, command)?;
    let inputs = match text {
        Some(text) => vec![text.to_string()],
        None => stdin_lines()?,
    };
    warn_marks(&input_marks(&t, &inputs), text.is_none());
    match text {
        Some(text) => {
            let mut all = decode_inputs(&t, &[text.to_string()], &decoding, o.unknown())
                .map_err(|e| e.error.to_string())?;
            let outputs = all.remove(0).ok_or(DecodeError::Empty)?;
            if outputs.len() == 1 && outputs[0].0.is_empty() {
                return Err(DecodeError::NothingWritten.into());
            }
            print_outputs(&outputs, "");
        }
        None => {
            let all = decode_inputs(&t, &inputs, &decoding, o.unknown()).map_err(on_line)?;
            for (i, outputs) in all.iter().enumerate() {
                print_line_outputs(i, outputs);
            }
        }
    }
    Ok(())
}

/// Says on standard error what to know about each input before trusting
/// its output ([`input_marks`]), naming its line of standard input when
/// `per_line`; that a checkpoint keeps no counts or trigrams is said once.
fn warn_marks(marks: &[Vec<Mark>], per_line: bool) {
    let mut said: Vec<&Mark> = vec![];
    for (i, line_marks) in marks.iter().enumerate() {
        for m in line_marks {
            let once = matches!(m, Mark::CountsNotStored | Mark::TrigramsNotStored);
            if once && said.contains(&m) {
                continue;
            }
            if once {
                said.push(m);
            }
            match per_line && !once {
                true => warn_line(&format!("standard input, line {}: {m}", i + 1)),
                false => warn_line(&m.to_string()),
            }
        }
    }
}

/// An input's error, naming its line of standard input.
fn on_line(e: InputError) -> String {
    match e.index {
        Some(i) => format!("standard input, line {}: {}", i + 1, e.error),
        None => e.error.to_string(),
    }
}

/// Prints outputs, each after its score when it has one; an n-best
/// hypothesis without words as [`NO_OUTPUT`], said on standard error after
/// `place` (the line of standard input, or nothing).
fn print_outputs(outputs: &[(String, Option<f64>)], place: &str) {
    for (text, score) in outputs {
        match score {
            Some(s) if text.is_empty() => {
                warn_line(&format!(
                    "{place}the hypothesis scored {s:.4} has no words (the model ended it at once); it is listed last"
                ));
                print_fields(&[&format!("{s:.4}"), NO_OUTPUT]);
            }
            Some(s) => print_fields(&[&format!("{s:.4}"), text]),
            None => print_line(text),
        }
    }
}

/// Prints the outputs of line `i` of standard input: an empty line for an
/// input without words, and for an empty output, which standard error names.
fn print_line_outputs(i: usize, outputs: &Outputs) {
    let place = format!("standard input, line {}: ", i + 1);
    match outputs {
        None => print_line(""),
        Some(o) => {
            if o.len() == 1 && o[0].0.is_empty() {
                warn_line(&format!("{place}{}", DecodeError::NothingWritten));
                print_line("");
            } else {
                print_outputs(o, &place);
            }
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
