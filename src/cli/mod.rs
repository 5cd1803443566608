//! The commands of the `encdec` binary. They parse nothing and compute
//! nothing the library does not: they call it and print.

mod evaluate;
mod gradcheck;
mod inspect;
mod sample;
mod train;
mod vectors;
mod weights;

pub use evaluate::{bleu, evaluate};
pub use gradcheck::gradcheck;
pub use inspect::{explore, heatmap};
pub use sample::DecodeFlags;
pub use train::{bench, chat, demo, summarize, train, translate};
pub use vectors::{VectorArgs, Word2VecOptions, analogy, glove, neighbors, word2vec};
pub use weights::{export, import};

use encdec::seq2seq::ModelKind;
use std::str::FromStr;

/// A result whose error is printed as one line.
pub type CliResult = Result<(), Box<dyn std::error::Error>>;

/// `--task` as clap reads it.
#[derive(Clone, Copy, Debug)]
pub struct TaskArg(pub encdec::seq2seq::Task);

impl FromStr for TaskArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(TaskArg)
    }
}

/// `--model` as clap reads it.
#[derive(Clone, Copy, Debug)]
pub struct KindArg(pub ModelKind);

impl FromStr for KindArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(KindArg)
    }
}

/// Prints a line to standard output; a closed or failing output (`| head`)
/// ends printing quietly instead of panicking, so work already saved is kept.
pub fn print_line(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}

/// Prints one line to standard error; a failing standard error is ignored.
pub fn warn_line(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "encdec: {line}");
}
