//! `encdec neighbors` and `encdec analogy`.

use crate::print::{CliResult, print_line};
use encdec::wordvec::WordVectors;
use std::path::{Path, PathBuf};

/// What `encdec neighbors` is asked.
#[derive(clap::Args)]
pub struct NeighborsArgs {
    /// A vectors file (text: a word then its numbers on each line).
    #[arg(long)]
    vectors: PathBuf,
    /// The word.
    word: String,
    /// How many neighbours.
    #[arg(short, long, default_value_t = 5)]
    k: usize,
}

/// What `encdec analogy` is asked.
#[derive(clap::Args)]
pub struct AnalogyArgs {
    /// A vectors file.
    #[arg(long)]
    vectors: PathBuf,
    /// A, B and C.
    #[arg(num_args = 3, required = true)]
    words: Vec<String>,
    /// How many answers.
    #[arg(short, long, default_value_t = 5)]
    k: usize,
}

/// The nearest words to a word by cosine similarity.
pub fn neighbors(a: &NeighborsArgs) -> CliResult {
    let v = WordVectors::load(&a.vectors)?;
    print_ranked(&v.neighbours(&a.word, a.k)?, &a.vectors)
}

/// The words `d` for which `a : b :: c : d`.
pub fn analogy(a: &AnalogyArgs) -> CliResult {
    let [x, y, z] = <&[String; 3]>::try_from(a.words.as_slice())
        .map_err(|_| "analogy takes exactly three words: a b c (for a : b :: c : ?)")?;
    let v = WordVectors::load(&a.vectors)?;
    print_ranked(&v.analogy(x, y, z, a.k)?, &a.vectors)
}

/// Prints ranked words with their cosine similarity.
fn print_ranked(list: &[(String, f64)], vectors: &Path) -> CliResult {
    if list.is_empty() {
        return Err(format!(
            "{} has no other words to compare with; give a file with more words",
            vectors.display()
        )
        .into());
    }
    for (w, s) in list {
        print_line(&format!("{w:<16} {s:.4}"));
    }
    Ok(())
}
