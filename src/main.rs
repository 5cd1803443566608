//! The `encdec` command line: parses arguments, calls the library, prints.
//! Each command lives in `src/cli/`; errors are printed as one line and end
//! the program with status 1.

mod cli;

/// mimalloc reuses freed buffers instead of handing them back to the
/// kernel, which spares the tape's many short-lived tensors a page fault
/// each (about a third of a Transformer step's time with the system allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "encdec",
    version,
    about = "The encoder-decoder architecture, from scratch"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check every operation's and every layer's gradient against finite differences.
    Gradcheck {
        /// Seed of the random inputs.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Train the attention model on the built-in English→French corpus, report
    /// test BLEU, translate the tutorial's fox sentence and plot its attention.
    Demo {
        /// Passes over the training data.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..))]
        epochs: u64,
        /// Seed of the corpus split, the initial weights, the batch order and dropout.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Where to write the attention heatmap (.png or .svg).
        #[arg(long, default_value = "attention.png")]
        out: PathBuf,
        /// Also save the trained model here.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Train a model on a built-in corpus and save it.
    Train {
        /// translation (English→French), summarization (document→headline) or dialogue (history→reply).
        #[arg(long, default_value = "translation")]
        task: cli::TaskArg,
        /// lstm, attention or transformer.
        #[arg(long)]
        model: cli::KindArg,
        /// Passes over the training data.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
        epochs: u64,
        /// Sentences per batch.
        #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..))]
        batch_size: u64,
        /// Seed of the split, the weights, the batch order and dropout.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Number of sentence pairs generated.
        #[arg(long, default_value_t = 6000, value_parser = clap::value_parser!(u64).range(100..=100_000))]
        pairs: u64,
        /// The checkpoint to write.
        #[arg(long, default_value = "model.ckpt")]
        out: PathBuf,
        /// Also plot loss and accuracy per epoch (.png or .svg).
        #[arg(long)]
        curves: Option<PathBuf>,
        /// Start the English word vectors from this file (from `word2vec` or `glove`).
        #[arg(long)]
        src_vectors: Option<PathBuf>,
        /// Keep those vectors fixed during training (default: fine-tune them).
        #[arg(long, requires = "src_vectors")]
        freeze_vectors: bool,
    },
    /// Translate a sentence with a trained model.
    Translate {
        /// A checkpoint written by `train` or `demo`.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The English sentence.
        sentence: String,
        /// Beam width (1: greedy decoding).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
        beam: u64,
    },
    /// Write the headline of a document with a summarization model.
    Summarize {
        /// A checkpoint written by `train --task summarization`.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The document.
        text: String,
        /// Beam width (1: greedy decoding).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
        beam: u64,
    },
    /// Talk with a dialogue model: one line of standard input per turn; /reset, /quit.
    Chat {
        /// A checkpoint written by `train --task dialogue`.
        #[arg(long)]
        checkpoint: PathBuf,
    },
    /// Plot the attention of a trained model on a sentence.
    Heatmap {
        /// A checkpoint of an attention or transformer model.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The English sentence.
        sentence: String,
        /// Output file, .png or .svg.
        #[arg(long)]
        out: PathBuf,
        /// Transformer only: which decoder layer's heads to show (from 0; default the last).
        #[arg(long)]
        layer: Option<usize>,
    },
    /// Learn word vectors with Word2Vec (skip-gram, or CBOW with --cbow).
    Word2vec {
        #[command(flatten)]
        args: VectorFlags,
        /// Use CBOW instead of skip-gram.
        #[arg(long)]
        cbow: bool,
    },
    /// Learn word vectors with GloVe.
    Glove {
        #[command(flatten)]
        args: VectorFlags,
    },
    /// The nearest words to WORD by cosine similarity.
    Neighbors {
        /// A vectors file (text: a word then its numbers on each line).
        #[arg(long)]
        vectors: PathBuf,
        /// The word.
        word: String,
        /// How many neighbours.
        #[arg(short, long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
        k: u64,
    },
    /// The words nearest to A - B + C ("A is to B as ? is to C").
    Analogy {
        /// A vectors file.
        #[arg(long)]
        vectors: PathBuf,
        /// A, B and C.
        #[arg(num_args = 3, required = true)]
        words: Vec<String>,
        /// How many answers.
        #[arg(short, long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
        k: u64,
    },
    /// Time training steps of the two benchmark models (single thread).
    Bench {
        /// Minimum number of timed steps per model.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        steps: u64,
        /// Minimum seconds of timing per model.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
}

/// Options of `word2vec` and `glove`.
#[derive(clap::Args)]
struct VectorFlags {
    /// A text file to learn from (default: the built-in corpus of 5,000 sentences).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Vector size.
    #[arg(long, default_value_t = 48, value_parser = clap::value_parser!(u64).range(1..=1000))]
    dim: u64,
    /// Passes over the corpus.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    epochs: u64,
    /// Seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Where to write the vectors.
    #[arg(long, default_value = "vectors.txt")]
    out: PathBuf,
    /// Also plot the vectors' first two principal components (.png or .svg).
    #[arg(long)]
    plot: Option<PathBuf>,
}

impl VectorFlags {
    fn into_args(self) -> cli::VectorArgs {
        cli::VectorArgs {
            corpus: self.corpus,
            dim: self.dim as usize,
            epochs: self.epochs as usize,
            seed: self.seed,
            out: self.out,
            plot: self.plot,
        }
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Gradcheck { seed } => cli::gradcheck(seed),
        Command::Demo {
            epochs,
            seed,
            out,
            checkpoint,
        } => cli::demo(epochs as usize, seed, &out, checkpoint.as_deref()),
        Command::Train {
            task,
            model,
            epochs,
            batch_size,
            seed,
            pairs,
            out,
            curves,
            src_vectors,
            freeze_vectors,
        } => cli::train(cli::TrainArgs {
            task: task.0,
            kind: model.0,
            epochs: epochs as usize,
            batch_size: batch_size as usize,
            seed,
            pairs: pairs as usize,
            out,
            curves,
            src_vectors,
            freeze_vectors,
        }),
        Command::Translate {
            checkpoint,
            sentence,
            beam,
        } => cli::translate(&checkpoint, &sentence, beam as usize),
        Command::Heatmap {
            checkpoint,
            sentence,
            out,
            layer,
        } => cli::heatmap(&checkpoint, &sentence, &out, layer),
        Command::Bench { steps, seconds } => cli::bench(steps as usize, seconds),
        Command::Summarize {
            checkpoint,
            text,
            beam,
        } => cli::summarize(&checkpoint, &text, beam as usize),
        Command::Chat { checkpoint } => cli::chat(&checkpoint),
        Command::Word2vec { args, cbow } => cli::word2vec(args.into_args(), cbow),
        Command::Glove { args } => cli::glove(args.into_args()),
        Command::Neighbors { vectors, word, k } => {
            cli::neighbors(&vectors, &word, k as usize, None)
        }
        Command::Analogy { vectors, words, k } => {
            cli::neighbors(&vectors, "", k as usize, Some(&words))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
