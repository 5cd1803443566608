//! The commands of the `encdec` binary. They parse nothing and compute
//! nothing the library does not: they call it and print.

mod gradcheck;
mod train;
mod vectors;

pub use gradcheck::gradcheck;
pub use train::{TrainArgs, bench, chat, demo, heatmap, summarize, train, translate};
pub use vectors::{VectorArgs, glove, neighbors, word2vec};

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
