// Long file: every flag of `encdec train`, each declared once with its help.
//! Everything `encdec train` can be asked, as one type: the command line's
//! flags are derived from it, a notebook or a test fills it in, and
//! [`TrainOptions::check`] is the one place where a value is refused.
//!
//! A size left out takes the model's default
//! ([`ModelConfig::new`](crate::seq2seq::config::ModelConfig::new)); a
//! setting left out takes training's
//! ([`TrainConfig::new`](crate::seq2seq::train::TrainConfig::new)).

use super::corpus::{CorpusSpec, DataSource};
use super::defaults::Units;
use super::watch::WatchOptions;
use crate::nn::LinearInit;
use crate::seq2seq::config::{AttentionScale, Bridge, Cell, DecoderMask, ModelKind, Positions};
use crate::seq2seq::task::Task;
use crate::seq2seq::train::{BATCH_SIZE, DEFAULT_SHARDS, EPOCHS};
use crate::text::Language;
use crate::text::subwords::SubwordTable;
use std::path::PathBuf;

/// Where the sentences come from: a built-in corpus, or corpus files.
#[derive(clap::Args, Clone, Debug, Default, PartialEq)]
pub struct DataOptions {
    /// Train on this file instead of the built-in corpus: tab-separated `source<TAB>target` (translation) or JSON Lines (summarization, dialogue).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Train on two line-aligned files: the source side (translation).
    #[arg(long)]
    pub source: Option<PathBuf>,
    /// The target side, line-aligned with --source.
    #[arg(long)]
    pub target: Option<PathBuf>,
    /// Validation file, in the training file's format; default: a tenth of the training file.
    #[arg(long)]
    pub valid: Option<PathBuf>,
    /// Test file; default: a tenth of the training file when --valid is not given either, else no test split.
    #[arg(long)]
    pub test: Option<PathBuf>,
    /// Take this share of the training file (greater than 0, less than 1) as the test split, with or without --valid.
    #[arg(long, value_name = "F")]
    pub test_split: Option<f64>,
    /// Skip malformed lines of the corpus files (counted) instead of stopping.
    #[arg(long)]
    pub skip_bad_lines: bool,
    /// Built-in corpus: number of pairs generated (100 to 100000; default 6000).
    #[arg(long)]
    pub pairs: Option<usize>,
    /// Built-in translation corpus: sentences of 1 to this many clauses joined by "and"/"et" (1 to 8; default 1, 3 to 11 words; 4 reaches 40).
    #[arg(long)]
    pub clauses: Option<usize>,
}

/// The built-in corpora's size when `--pairs` is not given.
pub const DEFAULT_PAIRS: usize = 6000;

/// How text becomes tokens and ids.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct TextOptions {
    /// Keep upper case (default: lowercase every token).
    #[arg(long)]
    pub keep_case: bool,
    /// Source language, for typography (default en).
    #[arg(long, value_enum)]
    pub src_lang: Option<Language>,
    /// Target language (default fr for translation, en otherwise).
    #[arg(long, value_enum)]
    pub tgt_lang: Option<Language>,
    /// At most this many words per vocabulary (the 4 special tokens included); rarer words become `<unk>`.
    #[arg(long)]
    pub max_vocab: Option<usize>,
    /// Words seen fewer times in training become `<unk>`.
    #[arg(long, default_value_t = 1)]
    pub min_count: usize,
    /// Corpus files: drop training and validation pairs with a side longer than this many tokens (pieces, with --subwords).
    #[arg(long, default_value_t = 50)]
    pub max_len: usize,
    /// Read and write subword pieces: learn this many byte-pair merges from the training text (0: characters only), or `words` for whole words (the default, which measured best on real text).
    #[arg(long)]
    pub subwords: Option<Units>,
    /// With subword pieces: one merge table learned from both sides (joint, the default: a name copied from source to target is cut the same way) or one per side (separate).
    #[arg(long, value_enum)]
    pub subword_table: Option<SubwordTable>,
    /// With --subwords, in training only: skip each merge with this probability when cutting a training word (BPE-dropout; 0.1 is usual; default 0).
    #[arg(long)]
    pub subword_dropout: Option<f64>,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            keep_case: false,
            src_lang: None,
            tgt_lang: None,
            max_vocab: None,
            min_count: 1,
            max_len: 50,
            subwords: None,
            subword_table: None,
            subword_dropout: None,
        }
    }
}

/// The model's sizes and architecture; each left out takes the default of
/// [`ModelConfig::new`](crate::seq2seq::config::ModelConfig::new).
#[derive(clap::Args, Clone, Debug, Default, PartialEq)]
pub struct ModelOptions {
    /// Recurrent models: word-vector size E.
    #[arg(long)]
    pub emb: Option<usize>,
    /// Recurrent models: hidden size H.
    #[arg(long)]
    pub hidden: Option<usize>,
    /// Transformer: d_model.
    #[arg(long)]
    pub d_model: Option<usize>,
    /// Transformer: feed-forward size d_ff.
    #[arg(long)]
    pub d_ff: Option<usize>,
    /// Transformer: attention heads (they must divide d_model).
    #[arg(long)]
    pub heads: Option<usize>,
    /// Layers per stack: the Transformer's layers, or the recurrent models' stacked recurrent layers.
    #[arg(long)]
    pub layers: Option<usize>,
    /// Recurrent models: the encoder reads the source in both directions.
    #[arg(long)]
    pub bidirectional: bool,
    /// Recurrent models with --bidirectional: the decoder is twice as wide (concat, the default) or starts from a learnt projection (project).
    #[arg(long, value_enum)]
    pub bridge: Option<Bridge>,
    /// The attention model's recurrent cell: lstm (the default), gru, or rnn (tanh, §4.1). The plain models name theirs: --model lstm, gru or rnn.
    #[arg(long, value_enum)]
    pub cell: Option<Cell>,
    /// Transformer: LayerNorm before each sublayer (pre-norm) instead of after.
    #[arg(long)]
    pub norm_first: bool,
    /// Transformer: GELU instead of ReLU in the feed-forward blocks.
    #[arg(long)]
    pub gelu: bool,
    /// Transformer: a LayerNorm at the end of the encoder and decoder stacks.
    #[arg(long)]
    pub final_norm: bool,
    /// Dropout rate, at least 0 and below 1 (default 0.1).
    #[arg(long)]
    pub dropout: Option<f64>,
    /// Transformer, to see what it is for: divide attention scores by sqrt(d_k) (inverse-sqrt-dk, the default) or not (none).
    #[arg(long, value_enum)]
    pub attention_scale: Option<AttentionScale>,
    /// Transformer, to see what it is for: sinusoidal positional encoding (the default) or none.
    #[arg(long, value_enum)]
    pub positions: Option<Positions>,
    /// Transformer, to see what it is for: the decoder's causal mask (causal, the default) or none, so that teacher forcing sees the next word.
    #[arg(long, value_enum)]
    pub decoder_mask: Option<DecoderMask>,
    /// How the output layer over the target vocabulary starts: xavier (Xavier weight, zero bias; the default on the built-in corpora) or fan-in (weight and bias from U(±1/sqrt(inputs)), as PyTorch's nn.Linear; the default with --corpus or --source, where it learns real text's large vocabularies several times faster).
    #[arg(long, value_enum)]
    pub output_init: Option<LinearInit>,
}

/// How to train; each left out takes the default of
/// [`TrainConfig::new`](crate::seq2seq::train::TrainConfig::new).
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct RunOptions {
    /// Passes over the training data.
    #[arg(long, default_value_t = EPOCHS)]
    pub epochs: usize,
    /// Sentences per batch.
    #[arg(long, default_value_t = BATCH_SIZE)]
    pub batch_size: usize,
    /// Seed of the split, the weights, the batch order and dropout.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Learning rate (LSTM models: constant, default 0.005; transformer: the warm-up's peak).
    #[arg(long)]
    pub lr: Option<f64>,
    /// Clip the gradient norm to this (0: no clipping; default 5).
    #[arg(long)]
    pub clip: Option<f64>,
    /// Label smoothing of the training loss, at least 0 and below 1 (default 0).
    #[arg(long)]
    pub label_smoothing: Option<f64>,
    /// Weight decay of weight matrices, not biases or LayerNorm (default 0; with --adamw 0.01).
    #[arg(long)]
    pub weight_decay: Option<f64>,
    /// AdamW (decoupled weight decay) instead of Adam (L2 added to the gradient).
    #[arg(long)]
    pub adamw: bool,
    /// Stop after this many epochs without a lower validation loss.
    #[arg(long)]
    pub patience: Option<usize>,
    /// Shards and threads of a training step.
    #[command(flatten)]
    pub parallel: ParallelOptions,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            epochs: EPOCHS,
            batch_size: BATCH_SIZE,
            seed: 0,
            lr: None,
            clip: None,
            label_smoothing: None,
            weight_decay: None,
            adamw: false,
            patience: None,
            parallel: ParallelOptions::default(),
        }
    }
}

/// How a training step is cut up and run.
#[derive(clap::Args, Clone, Copy, Debug, PartialEq)]
pub struct ParallelOptions {
    /// Gradient shards per batch (1 to 64). The result depends on it (as on the batch size), not on --threads.
    #[arg(long, default_value_t = DEFAULT_SHARDS)]
    pub shards: usize,
    /// Threads that run the shards (default: every core; 1 to 256). Changes the speed, never the result.
    #[arg(long)]
    pub threads: Option<usize>,
}

impl Default for ParallelOptions {
    fn default() -> Self {
        ParallelOptions {
            shards: DEFAULT_SHARDS,
            threads: None,
        }
    }
}

/// What is read besides the corpus, and what is written.
#[derive(clap::Args, Clone, Debug, Default, PartialEq)]
pub struct FileOptions {
    /// The checkpoint to write: the best epoch by validation loss, saved after each improvement.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue training this checkpoint (its vocabularies are kept) for --epochs more epochs.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// Also plot loss and accuracy (.png or .svg): training every 10 batches, validation per epoch.
    #[arg(long)]
    pub curves: Option<PathBuf>,
    /// Start the source word vectors from this file (word2vec/GloVe text format, any dimension).
    #[arg(long)]
    pub src_vectors: Option<PathBuf>,
    /// Keep those vectors fixed during training (default: fine-tune them).
    #[arg(long)]
    pub freeze_vectors: bool,
}

/// Everything `encdec train` can be asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct TrainOptions {
    /// translation (English→French), summarization (document→headline) or dialogue (history→reply).
    #[arg(long, value_enum, default_value_t = Task::Translation)]
    pub task: Task,
    /// rnn, lstm or gru (the §5.1 wiring with that cell), attention (LSTM cells, or --cell) or transformer.
    #[arg(long, value_enum)]
    pub model: ModelKind,
    /// The sentences.
    #[command(flatten)]
    pub data: DataOptions,
    /// Tokens and vocabularies.
    #[command(flatten)]
    pub text: TextOptions,
    /// The model's sizes and architecture.
    #[command(flatten)]
    pub sizes: ModelOptions,
    /// How to train.
    #[command(flatten)]
    pub run: RunOptions,
    /// What is read and written besides the corpus.
    #[command(flatten)]
    pub files: FileOptions,
    /// A sentence to decode as training goes.
    #[command(flatten)]
    pub watch: WatchOptions,
}

impl TrainOptions {
    /// The defaults for `model` on `task`: the built-in corpus, no file written.
    pub fn new(task: Task, model: ModelKind) -> TrainOptions {
        TrainOptions {
            task,
            model,
            data: DataOptions::default(),
            text: TextOptions::default(),
            sizes: ModelOptions::default(),
            run: RunOptions::default(),
            files: FileOptions::default(),
            watch: WatchOptions::default(),
        }
    }

    /// Where the sentences come from (after [`TrainOptions::check`]).
    pub fn source(&self) -> DataSource {
        let d = &self.data;
        let file = |p: &Option<PathBuf>| p.clone().map(CorpusSpec::File);
        let train = match (&d.corpus, &d.source, &d.target) {
            (Some(c), _, _) => Some(CorpusSpec::File(c.clone())),
            (None, Some(source), Some(target)) => Some(CorpusSpec::Parallel {
                source: source.clone(),
                target: target.clone(),
            }),
            _ => None,
        };
        match train {
            Some(train) => DataSource::Files {
                train,
                valid: file(&d.valid),
                test: file(&d.test),
            },
            None => DataSource::BuiltIn {
                pairs: d.pairs.unwrap_or(DEFAULT_PAIRS),
            },
        }
    }

    /// The threads a step may use: `--threads`, or every core.
    pub fn threads(&self) -> usize {
        self.run
            .parallel
            .threads
            .unwrap_or_else(crate::seq2seq::train::available_threads)
    }
}
