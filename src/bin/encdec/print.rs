//! Printing: lines to standard output, notes to standard error, and a
//! training run's progress (a bar on a terminal, a line per epoch).
//!
//! Every line the command prints goes through [`printable`] here, the
//! model's words and the user's echoed input alike: no control or
//! bidirectional character reaches the terminal, and one output never
//! takes two lines (`tests/cli/outputs.rs`).

use encdec::seq2seq::train::Progress;
use encdec::text::printable;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;

/// A result whose error is printed as one line.
pub type CliResult = Result<(), Box<dyn std::error::Error>>;

/// Prints a line to standard output, escaped ([`printable`]); a closed or
/// failing output (`| head`) ends printing quietly instead of panicking, so
/// work already saved is kept.
pub fn print_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", printable(line));
}

/// Prints fields as one line, each escaped and separated by a tab: the tab
/// is the only control character the line holds.
pub fn print_fields(fields: &[&str]) {
    let escaped: Vec<String> = fields.iter().map(|f| printable(f)).collect();
    let _ = writeln!(std::io::stdout().lock(), "{}", escaped.join("\t"));
}

/// Prints each line.
pub fn print_lines(lines: Vec<String>) -> CliResult {
    for l in lines {
        print_line(&l);
    }
    Ok(())
}

/// Prints one line to standard error, escaped; a failing standard error is ignored.
pub fn warn_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "encdec: {}", printable(line));
}

/// Prints an error as the one line the command ends with, escaped.
pub fn error_line(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "error: {}", printable(message));
}

/// Shows a training run's progress: notes on standard output, a progress
/// bar (only on a terminal) and a line per epoch on standard error.
#[derive(Default)]
pub struct TrainingPrinter {
    bar: Option<ProgressBar>,
}

impl TrainingPrinter {
    /// Shows one event.
    pub fn show(&mut self, p: Progress<'_>) {
        match &p {
            Progress::EpochStarted {
                epoch,
                last,
                batches,
            } => {
                self.bar = Some(bar(*batches as u64, *epoch, *last));
            }
            Progress::BatchDone {
                so_far,
                tokens_per_second,
            } => {
                if let Some(b) = &self.bar {
                    b.inc(1);
                    b.set_message(format!(
                        "loss {:.4}  acc {:.4}  {tokens_per_second:.0} tokens/s",
                        so_far.loss(),
                        so_far.accuracy()
                    ));
                }
            }
            Progress::EpochDone(_) | Progress::StoppedEarly { .. } => {
                if let Some(b) = self.bar.take() {
                    b.finish_and_clear();
                }
                if let Some(line) = p.line() {
                    let _ = writeln!(std::io::stderr().lock(), "{}", printable(&line));
                }
            }
            Progress::Note(text) => print_line(text),
        }
    }
}

/// A bar of `n` batches (drawn only when standard error is a terminal).
fn bar(n: u64, epoch: usize, epochs: usize) -> ProgressBar {
    let bar = ProgressBar::new(n);
    let style = ProgressStyle::with_template(
        "epoch {prefix} [{bar:30}] {pos}/{len} batches  {msg}  ({elapsed}, ETA {eta})",
    )
    .expect("a valid progress template")
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(format!("{epoch}/{epochs}"));
    bar
}
