//! The `encdec` command line: parses arguments, calls the library, prints.
//! Each command lives in `src/cli/`; errors are printed as one line and end
//! the program with status 1.

mod cli;

/// mimalloc reuses freed buffers instead of handing them back to the
/// kernel, which spares the tape's many short-lived tensors a page fault
/// each (about a third of a Transformer step's time with the system allocator).
/// The counting wrapper measures `encdec bench`'s peak memory per step; it
/// counts only during that measurement.
#[global_allocator]
static ALLOCATOR: CountingAlloc<mimalloc::MiMalloc> = CountingAlloc::new(mimalloc::MiMalloc);

/// mimalloc's `mi_option_purge_delay`. The Rust bindings name the options
/// around it but not this one; in `mimalloc.h` it comes just before `use_numa_nodes`.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t =
    libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// Keeps freed pages instead of purging them 10 ms later: a training step
/// frees and allocates the same sizes again at once, and each purged page
/// came back as a page fault and a zeroed page (13,470 faults over 105
/// Transformer steps before, 191 after, on the benchmark model).
fn keep_freed_pages() {
    // SAFETY: sets a plain integer option; mimalloc reads it when it next purges.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

use clap::{Parser, Subcommand};
use encdec::checks::bench::Budget;
use encdec::checks::heap::CountingAlloc;
use encdec::seq2seq::corpus::CorpusSpec;
use encdec::seq2seq::run::{DataSource, ModelOptions, OptimOptions, TextOptions, TrainOptions};
use encdec::seq2seq::{Bridge, ModelKind};
use encdec::text::Language;
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
    /// Train a model on a built-in corpus or on corpus files, keeping the best checkpoint.
    Train(Box<TrainFlags>),
    /// Write a checkpoint's weights as safetensors under PyTorch's names, with its config and vocabularies in the metadata.
    Export {
        /// A checkpoint written by `train`.
        #[arg(long)]
        checkpoint: PathBuf,
        /// Where to write the weights (.safetensors).
        #[arg(long)]
        out: PathBuf,
        /// Also write a seeded batch and the model's logits on it (.safetensors), for scripts/torch_weights.py.
        #[arg(long)]
        logits: Option<PathBuf>,
    },
    /// Read safetensors weights written by `export` or scripts/torch_weights.py (or, with --keras, the §5.1 Keras model's) into a checkpoint.
    Import {
        /// The weights, with encdec's metadata (config, vocabularies).
        #[arg(long, required_unless_present = "keras", conflicts_with = "keras")]
        weights: Option<PathBuf>,
        /// Instead: the §5.1 Keras model's weights under Keras's names (scripts/keras_weights.py).
        #[arg(long)]
        keras: Option<PathBuf>,
        /// Where to write the checkpoint (.ckpt).
        #[arg(long)]
        out: PathBuf,
    },
    /// Score a checkpoint on a corpus file: BLEU as sacreBLEU computes it (ROUGE for summaries).
    Evaluate {
        /// A checkpoint written by `train`.
        #[arg(long)]
        checkpoint: PathBuf,
        #[command(flatten)]
        corpus: CorpusFlags,
        /// Beam width (1: greedy decoding).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
        beam: u64,
        /// Write the outputs here, one line per input line.
        #[arg(long)]
        hypotheses: Option<PathBuf>,
        /// Skip malformed lines of the corpus (counted) instead of stopping.
        #[arg(long)]
        skip_bad_lines: bool,
    },
    /// Corpus BLEU of a file of outputs against a file of references, one sentence per line (sacreBLEU's defaults).
    Bleu {
        /// The outputs, one per line.
        #[arg(long)]
        hypotheses: PathBuf,
        /// The references, line by line.
        #[arg(long)]
        references: PathBuf,
        /// Lowercase both first.
        #[arg(long)]
        lowercase: bool,
        /// Print the score and its counts as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Translate a sentence with a trained model.
    Translate {
        /// A checkpoint written by `train` or `demo`.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The sentence; without it, one sentence per line of standard input.
        sentence: Option<String>,
        /// Beam width (1: greedy decoding).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
        beam: u64,
        /// Translate words the model does not know as <unk> instead of refusing.
        #[arg(long)]
        allow_unknown: bool,
        #[command(flatten)]
        decoding: cli::DecodeFlags,
    },
    /// Write the headline of a document with a summarization model.
    Summarize {
        /// A checkpoint written by `train --task summarization`.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The document; without it, one document per line of standard input.
        text: Option<String>,
        /// Beam width (1: greedy decoding).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
        beam: u64,
        /// Read words the model does not know as <unk> instead of refusing.
        #[arg(long)]
        allow_unknown: bool,
        #[command(flatten)]
        decoding: cli::DecodeFlags,
    },
    /// Talk with a dialogue model: one line of standard input per turn; /reset, /quit.
    Chat {
        /// A checkpoint written by `train --task dialogue`.
        #[arg(long)]
        checkpoint: PathBuf,
    },
    /// Plot the attention of a trained model on a sentence, or export every attention matrix.
    Heatmap {
        /// A checkpoint of an attention or transformer model.
        #[arg(long)]
        checkpoint: PathBuf,
        /// The input: a sentence to translate, a document to summarize, a conversation.
        sentence: String,
        /// Output file: .png or .svg (a picture), .json or .csv (every attention matrix with its labels).
        #[arg(long)]
        out: PathBuf,
        /// png, svg, json or csv (default: the ending of --out, which must agree).
        #[arg(long)]
        format: Option<String>,
        /// Pictures of a Transformer: which decoder layer's heads to show (from 1; default the last).
        #[arg(long)]
        layer: Option<usize>,
        /// Translate unknown words as <unk> instead of refusing the input.
        #[arg(long)]
        allow_unknown: bool,
    },
    /// Write one self-contained HTML page that shows every attention of every
    /// layer and head and the decoding step by step.
    Explore {
        /// A checkpoint written by `train` (any model, any task).
        #[arg(long)]
        checkpoint: PathBuf,
        /// The input: a sentence to translate, a document to summarize, a conversation.
        sentence: String,
        /// The page to write (.html).
        #[arg(long)]
        out: PathBuf,
        /// Beam width; above 1 the page shows the beam as a tree.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
        beam: u64,
        /// Candidate next words shown at each step.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=50))]
        top_k: u64,
        /// Translate unknown words as <unk> instead of refusing the input.
        #[arg(long)]
        allow_unknown: bool,
    },
    /// Learn word vectors with Word2Vec (skip-gram, or CBOW with --cbow).
    Word2vec {
        #[command(flatten)]
        args: VectorFlags,
        #[command(flatten)]
        word2vec: Word2VecFlags,
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
    /// Time training steps of the two benchmark models, and their peak memory per step.
    Bench {
        /// lstm, transformer or all.
        #[arg(long, value_enum, default_value_t = BenchModel::All)]
        model: BenchModel,
        /// Source and target lengths to time, e.g. 12,24,48,96; with several, how the time grows is reported.
        #[arg(long, value_delimiter = ',', default_value = "12", value_parser = clap::value_parser!(u64).range(1..=1000))]
        lengths: Vec<u64>,
        /// Threads a training step may use.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=256))]
        threads: u64,
        /// Untimed steps before the timed ones.
        #[arg(long, default_value_t = 5)]
        warmup: u64,
        /// Minimum number of timed steps per model and length.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        steps: u64,
        /// Minimum seconds of timing per model and length.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
}

/// The models `encdec bench --model` times.
#[derive(Clone, Copy, clap::ValueEnum)]
enum BenchModel {
    Lstm,
    Transformer,
    All,
}

impl BenchModel {
    fn kinds(self) -> Vec<ModelKind> {
        match self {
            BenchModel::Lstm => vec![ModelKind::Lstm],
            BenchModel::Transformer => vec![ModelKind::Transformer],
            BenchModel::All => vec![ModelKind::Lstm, ModelKind::Transformer],
        }
    }
}

/// A corpus file, or two line-aligned files.
#[derive(clap::Args)]
struct CorpusFlags {
    /// Translation: tab-separated `source<TAB>target` (Tatoeba/Anki); summarization and dialogue: JSON Lines.
    #[arg(long, required_unless_present = "source", conflicts_with_all = ["source", "target"])]
    corpus: Option<PathBuf>,
    /// Translation: the source side, one sentence per line (with --target).
    #[arg(long, requires = "target")]
    source: Option<PathBuf>,
    /// Translation: the target side, line-aligned with --source.
    #[arg(long, requires = "source")]
    target: Option<PathBuf>,
}

impl CorpusFlags {
    fn spec(self) -> Option<CorpusSpec> {
        corpus_spec(self.corpus, self.source, self.target)
    }
}

/// `--corpus FILE`, or `--source FILE --target FILE`, as a corpus.
fn corpus_spec(
    corpus: Option<PathBuf>,
    source: Option<PathBuf>,
    target: Option<PathBuf>,
) -> Option<CorpusSpec> {
    match (corpus, source, target) {
        (Some(c), _, _) => Some(CorpusSpec::File(c)),
        (None, Some(source), Some(target)) => Some(CorpusSpec::Parallel { source, target }),
        _ => None,
    }
}

/// Options of `encdec train`.
#[derive(clap::Args)]
struct TrainFlags {
    /// translation (English→French), summarization (document→headline) or dialogue (history→reply).
    #[arg(long, default_value = "translation")]
    task: cli::TaskArg,
    /// lstm, attention or transformer.
    #[arg(long)]
    model: cli::KindArg,
    /// Train on this file (see `encdec evaluate --help` for the formats) instead of the built-in corpus.
    #[arg(long, conflicts_with_all = ["source", "pairs"])]
    corpus: Option<PathBuf>,
    /// Train on two line-aligned files: the source side (translation).
    #[arg(long, requires = "target", conflicts_with = "pairs")]
    source: Option<PathBuf>,
    /// The target side, line-aligned with --source.
    #[arg(long, requires = "source")]
    target: Option<PathBuf>,
    /// Validation file, in the training file's format (tab-separated with --source/--target); default: a tenth of the training file.
    #[arg(long)]
    valid: Option<PathBuf>,
    /// Test file; default: a tenth of the training file.
    #[arg(long)]
    test: Option<PathBuf>,
    /// Skip malformed lines of the corpus files (counted) instead of stopping.
    #[arg(long)]
    skip_bad_lines: bool,
    /// Built-in corpus: number of sentence pairs generated.
    #[arg(long, value_parser = clap::value_parser!(u64).range(100..=100_000))]
    pairs: Option<u64>,
    /// Passes over the training data.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    epochs: u64,
    /// Sentences per batch.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    batch_size: u64,
    /// Seed of the split, the weights, the batch order and dropout.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// At most this many words per vocabulary (the 4 special tokens included); rarer words become <unk>.
    #[arg(long)]
    max_vocab: Option<usize>,
    /// Words seen fewer times in training become <unk>.
    #[arg(long, default_value_t = 1)]
    min_count: usize,
    /// Corpus files: drop training pairs with a side longer than this many tokens.
    #[arg(long, default_value_t = 50)]
    max_len: usize,
    /// Keep upper case (default: lowercase every token).
    #[arg(long)]
    keep_case: bool,
    /// Source language, for typography: en or fr (default en).
    #[arg(long)]
    src_lang: Option<Language>,
    /// Target language: en or fr (default fr for translation, en otherwise).
    #[arg(long)]
    tgt_lang: Option<Language>,
    /// LSTM models: embedding size.
    #[arg(long)]
    emb: Option<usize>,
    /// LSTM models: hidden size.
    #[arg(long)]
    hidden: Option<usize>,
    /// Transformer: d_model.
    #[arg(long)]
    d_model: Option<usize>,
    /// Transformer: feed-forward size d_ff.
    #[arg(long)]
    d_ff: Option<usize>,
    /// Layers per stack: the transformer's layers, or the LSTM models' stacked LSTM layers.
    #[arg(long)]
    layers: Option<usize>,
    /// LSTM models: the encoder reads the source in both directions.
    #[arg(long)]
    bidirectional: bool,
    /// LSTM models with --bidirectional: the decoder is twice as wide (concat) or starts from a learnt projection (project).
    #[arg(long, requires = "bidirectional")]
    bridge: Option<Bridge>,
    /// Transformer: LayerNorm before each sublayer (pre-norm) instead of after.
    #[arg(long)]
    norm_first: bool,
    /// Transformer: GELU instead of ReLU in the feed-forward blocks.
    #[arg(long)]
    gelu: bool,
    /// Transformer: a LayerNorm at the end of the encoder and decoder stacks.
    #[arg(long)]
    final_norm: bool,
    /// Transformer: attention heads.
    #[arg(long)]
    heads: Option<usize>,
    /// Dropout rate.
    #[arg(long)]
    dropout: Option<f64>,
    /// Learning rate (LSTM models: constant, default 0.005; transformer: the warm-up's peak).
    #[arg(long)]
    lr: Option<f64>,
    /// Clip the gradient norm to this (0: no clipping; default 5).
    #[arg(long)]
    clip: Option<f64>,
    /// Label smoothing of the training loss, at least 0 and below 1 (default 0).
    #[arg(long)]
    label_smoothing: Option<f64>,
    /// Weight decay of weight matrices, not biases or LayerNorm (default 0; with --adamw 0.01).
    #[arg(long)]
    weight_decay: Option<f64>,
    /// AdamW (decoupled weight decay) instead of Adam (L2 added to the gradient).
    #[arg(long)]
    adamw: bool,
    /// Stop after this many epochs without a lower validation loss.
    #[arg(long)]
    patience: Option<usize>,
    /// The checkpoint to write: the best epoch by validation loss, saved after each improvement.
    #[arg(long, default_value = "model.ckpt")]
    out: PathBuf,
    /// Continue training this checkpoint (its vocabularies are kept) for --epochs more epochs.
    #[arg(long)]
    resume: Option<PathBuf>,
    /// Also plot loss and accuracy per epoch (.png or .svg).
    #[arg(long)]
    curves: Option<PathBuf>,
    /// Start the source word vectors from this file (word2vec/GloVe text format, any dimension).
    #[arg(long)]
    src_vectors: Option<PathBuf>,
    /// Keep those vectors fixed during training (default: fine-tune them).
    #[arg(long, requires = "src_vectors")]
    freeze_vectors: bool,
    /// Threads a training step may use.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=256))]
    threads: u64,
}

impl TrainFlags {
    /// The library's options; refuses size flags of the other model family.
    fn options(self) -> Result<TrainOptions, String> {
        let transformer = self.model.0 == ModelKind::Transformer;
        if transformer && (self.emb.is_some() || self.hidden.is_some()) {
            return Err("the transformer's sizes are --d-model and --d-ff (--emb and --hidden are for the LSTM models)".into());
        }
        if !transformer && (self.d_model.is_some() || self.d_ff.is_some()) {
            return Err(format!(
                "the {} model's sizes are --emb and --hidden (--d-model and --d-ff are for the transformer)",
                self.model.0
            ));
        }
        let spec = |p: Option<PathBuf>| p.map(CorpusSpec::File);
        let train = corpus_spec(self.corpus, self.source, self.target);
        let data = match train {
            Some(train) => DataSource::Files {
                train,
                valid: spec(self.valid),
                test: spec(self.test),
            },
            None if self.valid.is_some() || self.test.is_some() => {
                return Err(
                    "--valid and --test go with --corpus (or --source and --target)".into(),
                );
            }
            None => DataSource::BuiltIn {
                pairs: self.pairs.unwrap_or(6000) as usize,
            },
        };
        Ok(TrainOptions {
            task: self.task.0,
            kind: self.model.0,
            data,
            text: TextOptions {
                lowercase: !self.keep_case,
                src_lang: self.src_lang,
                tgt_lang: self.tgt_lang,
                max_vocab: self.max_vocab,
                min_count: self.min_count,
                max_len: self.max_len,
                skip_bad_lines: self.skip_bad_lines,
            },
            model: ModelOptions {
                emb: self.emb.or(self.d_model),
                hidden: self.hidden.or(self.d_ff),
                layers: self.layers,
                heads: self.heads,
                dropout: self.dropout,
                bidirectional: self.bidirectional,
                bridge: self.bridge,
                norm_first: self.norm_first,
                gelu: self.gelu,
                final_norm: self.final_norm,
            },
            epochs: self.epochs as usize,
            batch_size: self.batch_size as usize,
            seed: self.seed,
            lr: self.lr,
            clip: self.clip,
            optim: OptimOptions {
                label_smoothing: self.label_smoothing,
                weight_decay: self.weight_decay,
                adamw: self.adamw,
            },
            patience: self.patience,
            out: Some(self.out),
            curves: self.curves,
            resume: self.resume,
            src_vectors: self.src_vectors.map(|p| (p, self.freeze_vectors)),
            verbose: true,
        })
    }
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

/// Options only `word2vec` has; each one left out keeps the library's default.
#[derive(clap::Args)]
struct Word2VecFlags {
    /// Use CBOW instead of skip-gram.
    #[arg(long)]
    cbow: bool,
    /// Largest distance between centre and context word (default 4).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1000))]
    window: Option<u64>,
    /// Negative samples per positive pair (default 5).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=1000))]
    negatives: Option<u64>,
    /// Drop words seen fewer times than this (default 1).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    min_count: Option<u64>,
    /// Subsampling threshold t (default 1e-3; 0 keeps every word).
    #[arg(long)]
    subsample: Option<f64>,
    /// Initial learning rate (default 0.025 for skip-gram, 0.05 for CBOW).
    #[arg(long)]
    lr: Option<f64>,
}

impl Word2VecFlags {
    fn into_options(self) -> cli::Word2VecOptions {
        cli::Word2VecOptions {
            cbow: self.cbow,
            window: self.window.map(|w| w as usize),
            negatives: self.negatives.map(|k| k as usize),
            min_count: self.min_count.map(|c| c as usize),
            subsample: self.subsample,
            lr: self.lr,
        }
    }
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
            eprintln!("error: {message} (see encdec --help)");
            ExitCode::FAILURE
        }
    })
}

fn main() -> ExitCode {
    keep_freed_pages();
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let result = match cli.command {
        Command::Gradcheck { seed } => cli::gradcheck(seed),
        Command::Demo {
            epochs,
            seed,
            out,
            checkpoint,
        } => cli::demo(epochs as usize, seed, &out, checkpoint.as_deref()),
        Command::Train(flags) => {
            encdec::parallel::set_threads(flags.threads as usize);
            flags.options().map_err(Into::into).and_then(cli::train)
        }
        Command::Evaluate {
            checkpoint,
            corpus,
            beam,
            hypotheses,
            skip_bad_lines,
        } => match corpus.spec() {
            Some(spec) => cli::evaluate(
                &checkpoint,
                &spec,
                beam as usize,
                hypotheses.as_deref(),
                skip_bad_lines,
            ),
            None => Err("give --corpus FILE, or --source FILE and --target FILE".into()),
        },
        Command::Export {
            checkpoint,
            out,
            logits,
        } => cli::export(&checkpoint, &out, logits.as_deref()),
        Command::Import {
            weights,
            keras,
            out,
        } => cli::import(weights.as_deref(), keras.as_deref(), &out),
        Command::Bleu {
            hypotheses,
            references,
            lowercase,
            json,
        } => cli::bleu(&hypotheses, &references, lowercase, json),
        Command::Translate {
            checkpoint,
            sentence,
            beam,
            allow_unknown,
            decoding,
        } => cli::translate(
            &checkpoint,
            sentence.as_deref(),
            beam as usize,
            allow_unknown,
            &decoding,
        ),
        Command::Heatmap {
            checkpoint,
            sentence,
            out,
            format,
            layer,
            allow_unknown,
        } => cli::heatmap(
            &checkpoint,
            &sentence,
            &out,
            layer,
            format.as_deref(),
            allow_unknown,
        ),
        Command::Explore {
            checkpoint,
            sentence,
            out,
            beam,
            top_k,
            allow_unknown,
        } => cli::explore(
            &checkpoint,
            &sentence,
            &out,
            &encdec::explore::ExploreOptions {
                beam: beam as usize,
                top_k: top_k as usize,
                allow_unknown,
            },
        ),
        Command::Bench {
            model,
            lengths,
            threads,
            warmup,
            steps,
            seconds,
        } => {
            encdec::parallel::set_threads(threads as usize);
            let lengths: Vec<usize> = lengths.into_iter().map(|n| n as usize).collect();
            let budget = Budget {
                warmup: warmup as usize,
                min_steps: steps as usize,
                min_seconds: seconds,
            };
            cli::bench(&model.kinds(), &lengths, budget)
        }
        Command::Summarize {
            checkpoint,
            text,
            beam,
            allow_unknown,
            decoding,
        } => cli::summarize(
            &checkpoint,
            text.as_deref(),
            beam as usize,
            allow_unknown,
            &decoding,
        ),
        Command::Chat { checkpoint } => cli::chat(&checkpoint),
        Command::Word2vec { args, word2vec } => {
            cli::word2vec(args.into_args(), word2vec.into_options())
        }
        Command::Glove { args } => cli::glove(args.into_args()),
        Command::Neighbors { vectors, word, k } => cli::neighbors(&vectors, &word, k as usize),
        Command::Analogy { vectors, words, k } => {
            match <&[String; 3]>::try_from(words.as_slice()) {
                Ok(abc) => cli::analogy(&vectors, abc, k as usize),
                Err(_) => {
                    Err("analogy takes exactly three words: a b c (for a : b :: c : ?)".into())
                }
            }
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
