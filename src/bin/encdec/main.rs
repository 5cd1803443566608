//! The `encdec` command line: the commands as clap declarations, and the
//! dispatch. Each command's file parses nothing and computes nothing: it
//! calls the library ([`encdec::pipeline`] above all) and prints. Errors
//! are printed as one line and end the program with status 1.

mod bench;
mod chat;
mod decode;
mod experiment;
mod print;
mod score;
mod tape;
mod train;
mod vectors;

use clap::{Parser, Subcommand};
use encdec::checks::heap::CountingAlloc;
use encdec::pipeline::{
    BleuOptions, CorpusOptions, DecodeOptions, DemoOptions, EvaluateOptions, ExploreJob,
    ExportOptions, HeatmapOptions, ImportOptions, Method, TrainOptions, VectorOptions,
    VocabOptions, Word2VecOptions,
};
use encdec::seq2seq::task::Task;
use print::{CliResult, print_lines};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc reuses freed buffers instead of handing them back to the
/// kernel, which spares the tape's many short-lived tensors a page fault
/// each (about a third of a Transformer step's time with the system
/// allocator). The counting wrapper measures `encdec bench`'s peak memory
/// per step; it counts only during that measurement.
#[global_allocator]
static ALLOCATOR: CountingAlloc<mimalloc::MiMalloc> = CountingAlloc::new(mimalloc::MiMalloc);

/// mimalloc's `mi_option_purge_delay`. The Rust bindings name the options
/// around it but not this one; in `mimalloc.h` it comes just before `use_numa_nodes`.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t =
    libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// Keeps freed pages instead of purging them 10 ms later: a training step
/// frees and allocates the same sizes again at once, and each purged page
/// came back as a page fault and a zeroed page (`benches/steps.rs` measures it).
fn keep_freed_pages() {
    // SAFETY: sets a plain integer option; mimalloc reads it when it next purges.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

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
    /// Train the attention model on the built-in English→French corpus, report
    /// test BLEU, translate the tutorial's fox sentence and plot its attention.
    Demo(DemoOptions),
    /// Train a model on a built-in corpus or on corpus files, keeping the best checkpoint.
    Train(Box<TrainOptions>),
    /// Translate a sentence with a trained model; without one, each line of standard input.
    Translate {
        /// A checkpoint written by `train` or `demo`.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The sentence; without it, one sentence per line of standard input.
        sentence: Option<String>,
        #[command(flatten)]
        decoding: DecodeOptions,
    },
    /// Write the headline of a document with a summarization model.
    Summarize {
        /// A checkpoint written by `train --task summarization`.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The document; without it, one document per line of standard input.
        text: Option<String>,
        #[command(flatten)]
        decoding: DecodeOptions,
    },
    /// Talk with a dialogue model: one line of standard input per turn; /reset, /quit.
    Chat {
        /// A checkpoint written by `train --task dialogue`.
        #[arg(long)]
        checkpoint: PathBuf,
    },
    /// List the words a checkpoint knows, with how often each occurred in training, most frequent first.
    Vocab(VocabOptions),
    /// Score a checkpoint on a corpus file: BLEU as sacreBLEU computes it (ROUGE for summaries).
    Evaluate(EvaluateOptions),
    /// Corpus BLEU of a file of outputs against a file of references, one sentence per line (sacreBLEU's defaults).
    Bleu(BleuOptions),
    /// Plot the attention of a trained model on a sentence, or export every attention matrix.
    Heatmap(HeatmapOptions),
    /// Write one self-contained HTML page that shows every attention of every
    /// layer and head and the decoding step by step.
    Explore(ExploreJob),
    /// Write a generated English→French corpus the size of a real one (train.tsv, valid.tsv, test.tsv).
    Corpus(CorpusOptions),
    /// Write a checkpoint's weights as safetensors under PyTorch's names, with its config and vocabularies in the metadata.
    Export(ExportOptions),
    /// Read safetensors weights written by `export` or scripts/weights/torch_weights.py (or, with --keras, the §5.1 Keras model's) into a checkpoint.
    Import(ImportOptions),
    /// Learn word vectors with Word2Vec (skip-gram, or CBOW with --cbow).
    Word2vec {
        #[command(flatten)]
        vectors: VectorOptions,
        #[command(flatten)]
        word2vec: Word2VecOptions,
    },
    /// Learn word vectors with GloVe.
    Glove(VectorOptions),
    /// The nearest words to WORD by cosine similarity.
    Neighbors(vectors::NeighborsArgs),
    /// The words nearest to A - B + C ("A is to B as ? is to C").
    Analogy(vectors::AnalogyArgs),
    /// Check every operation's and every layer's gradient against finite differences.
    Gradcheck {
        /// Seed of the random inputs.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Write a page that steps through the backward pass of one small computation
    /// (two RNN steps, one attention head, or an expression you type), a node at a time.
    Tape(encdec::pipeline::TapeJob),
    /// Time training steps of the two benchmark models, and their peak memory per step.
    Bench(encdec::checks::bench::BenchOptions),
    /// Break a model on purpose and measure it: bottleneck, scale, positions or causal (writes NAME.png, NAME.md, NAME.json).
    Experiment(experiment::ExperimentArgs),
}

/// The parsed command line, or the exit code after printing why not: help
/// and version as clap prints them, a mistake as one line with status 1.
fn parse() -> Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    Cli::try_parse().map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            // clap's message spans several lines (the argument names may be
            // on the second); keep every line but the usage and the hint.
            let text = e.to_string();
            let message: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty()
                        && !l.starts_with("Usage:")
                        && !l.starts_with("For more information")
                })
                .collect();
            let message = message.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            print::error_line(&format!("{message} (see encdec --help)"));
            ExitCode::FAILURE
        }
    })
}

/// Runs one command.
fn run(command: Command) -> CliResult {
    match command {
        Command::Demo(o) => train::demo(&o),
        Command::Train(o) => train::train(&o),
        Command::Translate {
            checkpoint,
            sentence,
            decoding,
        } => decode::decode(
            &checkpoint,
            Task::Translation,
            sentence.as_deref(),
            &decoding,
        ),
        Command::Summarize {
            checkpoint,
            text,
            decoding,
        } => decode::decode(&checkpoint, Task::Summarization, text.as_deref(), &decoding),
        Command::Chat { checkpoint } => chat::chat(&checkpoint),
        Command::Vocab(o) => print_lines(encdec::pipeline::vocab_lines(&o)?),
        Command::Evaluate(o) => print_lines(encdec::pipeline::evaluate(&o)?),
        Command::Bleu(o) => score::bleu(&o),
        Command::Heatmap(o) => print_lines(encdec::pipeline::heatmap(&o)?),
        Command::Explore(o) => print_lines(encdec::pipeline::explore(&o)?),
        Command::Corpus(o) => print_lines(encdec::pipeline::write_real_like(&o)?),
        Command::Export(o) => print_lines(encdec::pipeline::export(&o)?),
        Command::Import(o) => print_lines(encdec::pipeline::import(&o)?),
        Command::Word2vec { vectors, word2vec } => print_lines(
            encdec::pipeline::learn_vectors(&vectors, &Method::Word2Vec(word2vec))?.lines,
        ),
        Command::Glove(o) => {
            print_lines(encdec::pipeline::learn_vectors(&o, &Method::Glove)?.lines)
        }
        Command::Neighbors(a) => vectors::neighbors(&a),
        Command::Analogy(a) => vectors::analogy(&a),
        Command::Gradcheck { seed } => bench::gradcheck(seed),
        Command::Bench(a) => bench::bench(&a),
        Command::Tape(job) => tape::tape(&job),
        Command::Experiment(a) => experiment::experiment(&a),
    }
}

fn main() -> ExitCode {
    keep_freed_pages();
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print::error_line(&e.to_string());
            ExitCode::FAILURE
        }
    }
}
