//! The whole training pipeline as one library call, for the command line,
//! the tests and the notebooks alike: corpus → tokens → vocabularies →
//! model → `fit` (keeping the best checkpoint) → test scores.
//!
//! [`train`] reads a built-in corpus or corpus files ([`crate::data`]'s
//! readers), [`evaluate_file`](super::corpus::evaluate_file) scores a checkpoint on a file. Both report
//! progress as lines of text to a callback, which the command line prints.
//!
//! Checked by `tests/run.rs`.

use super::architecture::{Bridge, MAX_RNN_LAYERS};
use super::checkpoint::{Checkpoint, OptimizerState, TextSettings, TrainProgress};
pub use super::corpus::CorpusSpec;
use super::corpus::{last_reply, read_turns, reply_pairs};
use super::eval::{EvalReport, evaluate_turns};
use super::fit::{FitOptions, History, fit_with};
use super::model::{ModelConfig, ModelKind, build};
pub use super::optim_options::OptimOptions;
use super::pipeline::{Task, default_model, default_training};
use super::{Example, bucketed_batches, load_vectors, padding_share};
use crate::files::{check_distinct, check_output};
use crate::optim::Schedule;
use crate::tensor::rng;
use crate::text::{Language, ReadOptions, TextPair, Tokenizer, Vocab};
use crate::wordvec::WordVectors;
use std::path::{Path, PathBuf};

/// Where the training sentences come from.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// The task's built-in generated corpus of `pairs` pairs.
    BuiltIn {
        /// How many pairs (or dialogues) to generate.
        pairs: usize,
    },
    /// Corpus files; a missing validation or test file is split off the
    /// training file (a tenth each, seeded).
    Files {
        /// The training file.
        train: CorpusSpec,
        /// The validation file (for the best checkpoint and early stopping).
        valid: Option<CorpusSpec>,
        /// The test file.
        test: Option<CorpusSpec>,
    },
}

/// How text becomes tokens and ids.
#[derive(Clone, Debug, PartialEq)]
pub struct TextOptions {
    /// Lowercase every token.
    pub lowercase: bool,
    /// Source language (for typography); `None`: English.
    pub src_lang: Option<Language>,
    /// Target language; `None`: French for translation, English otherwise.
    pub tgt_lang: Option<Language>,
    /// At most this many words per vocabulary, the four specials included.
    pub max_vocab: Option<usize>,
    /// Words seen fewer times in training become `<unk>`.
    pub min_count: usize,
    /// Training and validation pairs with a longer side (in tokens) are dropped.
    pub max_len: usize,
    /// Skip malformed lines of corpus files instead of stopping.
    pub skip_bad_lines: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            lowercase: true,
            src_lang: None,
            tgt_lang: None,
            max_vocab: None,
            min_count: 1,
            max_len: 50,
            skip_bad_lines: false,
        }
    }
}

/// Model sizes; `None` takes encdec's default for the model kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelOptions {
    /// Embedding size (LSTM models) or $d_{model}$ (Transformer).
    pub emb: Option<usize>,
    /// LSTM hidden size or the Transformer's $d_{ff}$.
    pub hidden: Option<usize>,
    /// Layers per stack: the Transformer's, or the LSTM models' stacked LSTMs.
    pub layers: Option<usize>,
    /// Transformer heads.
    pub heads: Option<usize>,
    /// Dropout rate (for stacked LSTMs also between the layers).
    pub dropout: Option<f64>,
    /// LSTM models: a bidirectional encoder.
    pub bidirectional: bool,
    /// LSTM models with a bidirectional encoder: how the decoder starts (default concat).
    pub bridge: Option<Bridge>,
    /// Transformer: pre-norm layers.
    pub norm_first: bool,
    /// Transformer: GELU in the feed-forward blocks.
    pub gelu: bool,
    /// Transformer: a final LayerNorm on each stack.
    pub final_norm: bool,
}

impl ModelOptions {
    /// The architecture flags that were given, by flag name.
    fn arch_flags(&self) -> [(&'static str, bool); 5] {
        [
            ("--bidirectional", self.bidirectional),
            ("--bridge", self.bridge.is_some()),
            ("--norm-first", self.norm_first),
            ("--gelu", self.gelu),
            ("--final-norm", self.final_norm),
        ]
    }

    /// These options over `config`, which holds encdec's defaults for the kind.
    fn apply(&self, config: &mut ModelConfig) {
        if config.kind == ModelKind::Transformer {
            config.layers = self.layers.unwrap_or(config.layers);
        } else {
            config.arch.rnn_layers = self.layers.unwrap_or(config.arch.rnn_layers);
        }
        config.emb = self.emb.unwrap_or(config.emb);
        config.hidden = self.hidden.unwrap_or(config.hidden);
        config.heads = self.heads.unwrap_or(config.heads);
        config.dropout = self.dropout.unwrap_or(config.dropout);
        config.arch.bidirectional = self.bidirectional;
        config.arch.bridge = self.bridge.unwrap_or_default();
        config.arch.norm_first = self.norm_first;
        config.arch.gelu = self.gelu;
        config.arch.final_norm = self.final_norm;
    }
}

/// Everything `encdec train` can be asked.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// The application.
    pub task: Task,
    /// The model.
    pub kind: ModelKind,
    /// The sentences.
    pub data: DataSource,
    /// Tokens and vocabularies.
    pub text: TextOptions,
    /// Sizes.
    pub model: ModelOptions,
    /// Epochs to train (more epochs, when resuming).
    pub epochs: usize,
    /// Sentences per batch.
    pub batch_size: usize,
    /// Seed of the split, the weights, the batch order and dropout.
    pub seed: u64,
    /// Learning rate: constant for LSTM models, the peak of the warm-up for the Transformer.
    pub lr: Option<f64>,
    /// Clip the gradient norm to this (0: no clipping); default 5.
    pub clip: Option<f64>,
    /// Label smoothing, weight decay, Adam or AdamW.
    pub optim: OptimOptions,
    /// Stop after this many epochs without a lower validation loss.
    pub patience: Option<usize>,
    /// The checkpoint to write (the best by validation loss); `None` keeps it in memory.
    pub out: Option<PathBuf>,
    /// Also plot loss and accuracy per epoch here (.png or .svg).
    pub curves: Option<PathBuf>,
    /// Continue training this checkpoint (its vocabularies and text settings are kept).
    pub resume: Option<PathBuf>,
    /// Start the source word vectors from this file; `true`: keep them frozen.
    pub src_vectors: Option<(PathBuf, bool)>,
    /// Show a progress bar and a line per epoch on standard error.
    pub verbose: bool,
}

/// What [`train`] produced.
pub struct TrainOutcome {
    /// The best model by validation loss, as saved.
    pub checkpoint: Checkpoint,
    /// Loss and accuracy per epoch.
    pub history: History,
    /// Scores on the test split or file.
    pub test: EvalReport,
}

/// Why training could not run; the message says what to do.
pub type RunError = Box<dyn std::error::Error>;

/// Checks the options before any work: sizes, rates and every output path.
pub fn check_options(o: &TrainOptions) -> Result<(), String> {
    let mut outputs = vec![];
    if let Some(out) = &o.out {
        check_output("--out", out, &[])?;
        outputs.push(("--out", out.as_path()));
    }
    if let Some(c) = &o.curves {
        check_output("--curves", c, &["png", "svg"])?;
        outputs.push(("--curves", c));
    }
    let mut inputs: Vec<(&str, &Path)> = vec![];
    if let DataSource::Files { train, valid, test } = &o.data {
        for (flag, spec) in [
            ("--corpus", Some(train)),
            ("--valid", valid.as_ref()),
            ("--test", test.as_ref()),
        ] {
            match spec {
                Some(CorpusSpec::File(p)) => inputs.push((flag, p)),
                Some(CorpusSpec::Parallel { source, target }) => {
                    inputs.push(("--source", source));
                    inputs.push(("--target", target));
                }
                None => {}
            }
        }
    }
    if let Some(r) = o.resume.as_ref().filter(|r| o.out.as_ref() != Some(*r)) {
        inputs.push(("--resume", r));
    }
    if let Some((v, _)) = &o.src_vectors {
        inputs.push(("--src-vectors", v));
    }
    check_distinct(&outputs, &inputs)?;
    if o.resume.is_some() {
        let m = &o.model;
        let sizes = [m.emb, m.hidden, m.layers, m.heads, o.text.max_vocab]
            .iter()
            .any(Option::is_some);
        if sizes
            || m.arch_flags().iter().any(|(_, set)| *set)
            || m.dropout.is_some()
            || o.text.src_lang.is_some()
            || o.text.tgt_lang.is_some()
            || o.src_vectors.is_some()
        {
            return Err("--resume keeps the checkpoint's model sizes, architecture, dropout, vocabularies and languages; leave out --emb, --hidden, --d-model, --d-ff, --layers, --heads, --bidirectional, --bridge, --norm-first, --gelu, --final-norm, --dropout, --max-vocab, --src-lang, --tgt-lang and --src-vectors".into());
        }
    }
    let transformer = o.kind == ModelKind::Transformer;
    let m = &o.model;
    if !transformer && m.heads.is_some() {
        return Err(format!(
            "--heads is for the transformer; the {} model has no heads",
            o.kind
        ));
    }
    let (family, others) = if transformer {
        (&m.arch_flags()[..2], "the lstm and attention models")
    } else {
        (&m.arch_flags()[2..], "the transformer")
    };
    if let Some((flag, _)) = family.iter().find(|(_, set)| *set) {
        return Err(format!("{flag} is for {others}, not the {} model", o.kind));
    }
    if !transformer && m.layers.is_some_and(|l| l > MAX_RNN_LAYERS) {
        return Err(format!(
            "--layers {} is too many LSTM layers: at most {MAX_RNN_LAYERS}",
            m.layers.unwrap_or_default()
        ));
    }
    for (flag, v) in [
        ("--emb/--d-model", m.emb),
        ("--hidden/--d-ff", m.hidden),
        ("--layers", m.layers),
        ("--heads", m.heads),
    ] {
        if v.is_some_and(|v| v == 0 || v > 65_536) {
            return Err(format!("{flag} must be from 1 to 65536"));
        }
    }
    // Memory: the widest layers allocate emb x hidden (x 4 for the LSTM
    // gates) and vocabulary x emb values; cap the sizes so that a typo
    // cannot ask for a hundred gigabytes.
    let (emb, hidden) = (m.emb.unwrap_or(64), m.hidden.unwrap_or(128));
    if emb > 4096 || hidden > 16_384 || emb * hidden > 16 << 20 {
        return Err(format!(
            "--emb/--d-model {emb} and --hidden/--d-ff {hidden} are too large for this machine-sized crate: at most 4096 and 16384, with a product of at most 16777216"
        ));
    }
    if transformer {
        let (d, h) = (m.emb.unwrap_or(64), m.heads.unwrap_or(4));
        if !d.is_multiple_of(h) {
            return Err(format!("--heads {h} must divide --d-model {d}"));
        }
    }
    if m.dropout.is_some_and(|p| !(0.0..1.0).contains(&p)) {
        return Err("--dropout must be at least 0 and below 1".into());
    }
    if o.lr.is_some_and(|lr| !(lr.is_finite() && lr > 0.0)) {
        return Err("--lr must be a positive number".into());
    }
    if o.clip.is_some_and(|c| !(c.is_finite() && c >= 0.0)) {
        return Err("--clip must be a number at least 0 (0: no clipping)".into());
    }
    o.optim.check()?;
    if o.text.max_vocab.is_some_and(|v| v < 5) {
        return Err("--max-vocab must be at least 5 (the four special tokens and a word)".into());
    }
    if o.text.max_len == 0 || o.epochs == 0 || o.batch_size == 0 {
        return Err("--max-len, --epochs and --batch-size must be at least 1".into());
    }
    if o.patience == Some(0) {
        return Err("--patience must be at least 1".into());
    }
    Ok(())
}

/// Splits `records` by the built-in corpora's rule, seeded: a tenth for
/// each split asked for, the rest for training.
fn split_off<T>(
    mut records: Vec<T>,
    seed: u64,
    valid: bool,
    test: bool,
) -> (Vec<T>, Vec<T>, Vec<T>) {
    use rand::seq::SliceRandom;
    records.shuffle(&mut rng(seed ^ 0x5eed_5eed_5eed_5eed));
    let tenth = records.len() / 10;
    let n_test = if test { tenth.max(1) } else { 0 };
    let n_valid = if valid { tenth } else { 0 };
    let test_part: Vec<T> = records.drain(..n_test.min(records.len())).collect();
    let valid_part: Vec<T> = records.drain(..n_valid.min(records.len())).collect();
    (records, valid_part, test_part)
}

/// The three splits as conversations, from the built-in corpus or files.
fn load_splits(
    o: &TrainOptions,
    say: &mut dyn FnMut(String),
) -> Result<[Vec<Vec<String>>; 3], RunError> {
    let opts = ReadOptions {
        skip_bad_lines: o.text.skip_bad_lines,
    };
    let (train, valid, test) = match &o.data {
        DataSource::BuiltIn { pairs } => {
            let available = match o.task {
                Task::Dialogue => crate::corpora::DIALOGUE_COUNT,
                _ => usize::MAX,
            };
            if *pairs > available {
                say(format!(
                    "--pairs {pairs}: the built-in {} corpus has {available} distinct ones; using all of them",
                    o.task
                ));
            }
            let s = super::pipeline::builtin_split(o.task, *pairs, o.seed);
            // A built-in dialogue's source holds its turns (split_turns); a
            // sentence or a document is one turn.
            let turns = |v: Vec<TextPair>| -> Vec<Vec<String>> {
                v.into_iter()
                    .map(|p| {
                        let mut t: Vec<String> = crate::text::split_turns(&p.source)
                            .into_iter()
                            .map(String::from)
                            .collect();
                        t.push(p.target);
                        t
                    })
                    .collect()
            };
            return Ok([turns(s.train), turns(s.valid), turns(s.test)]);
        }
        DataSource::Files { train, valid, test } => (train, valid, test),
    };
    let mut read = |spec: &CorpusSpec| -> Result<Vec<Vec<String>>, RunError> {
        let t = read_turns(o.task, spec, opts)?;
        if let Some(s) = t.skipped {
            say(s);
        }
        Ok(t.records.into_iter().map(|(_, turns)| turns).collect())
    };
    let all = read(train)?;
    let (tr, mut va, mut te) = split_off(all, o.seed, valid.is_none(), test.is_none());
    if let Some(v) = valid {
        va = read(v)?;
    }
    if let Some(t) = test {
        te = read(t)?;
    }
    if tr.is_empty() {
        return Err("nothing left to train on after the split; give a larger corpus or --valid and --test files".into());
    }
    Ok([tr, va, te])
}

/// The share of `<unk>` among the ids.
fn unk_share<'a>(ids: impl Iterator<Item = &'a [usize]>) -> f64 {
    let (mut unk, mut all) = (0usize, 0usize);
    for s in ids {
        unk += s.iter().filter(|&&i| i == crate::text::UNK_ID).count();
        all += s.len();
    }
    unk as f64 / all.max(1) as f64
}

/// Trains a model as `o` says, saving the best checkpoint (by validation
/// loss) to `o.out` after every epoch that improves it, and scores it on
/// the test split. Progress lines go to `say`.
///
/// # Errors
/// Bad options (checked before any work), unreadable or malformed corpus
/// files (naming the file and line), a checkpoint that cannot be resumed
/// or written, word vectors that do not fit.
pub fn train(o: &TrainOptions, say: &mut dyn FnMut(String)) -> Result<TrainOutcome, RunError> {
    check_options(o)?;
    let resumed = o.resume.as_deref().map(Checkpoint::load).transpose()?;
    if let Some(c) = &resumed
        && (c.task != o.task || c.model.config().kind != o.kind)
    {
        return Err(format!(
            "--resume: the checkpoint holds a {} {} model, not a {} {} model",
            c.task,
            c.model.config().kind,
            o.task,
            o.kind
        )
        .into());
    }
    let previous = resumed.as_ref().and_then(|c| c.progress);
    let resumed_state = resumed.as_ref().and_then(|c| c.optimizer.clone());
    let resumed_optimizer = resumed_state.clone();
    let [train_turns, valid_turns, test_turns] = load_splits(o, say)?;
    let mut text = TextSettings::for_task(o.task);
    text.lowercase = o.text.lowercase;
    text.src_lang = o.text.src_lang.unwrap_or(text.src_lang);
    text.tgt_lang = o.text.tgt_lang.unwrap_or(text.tgt_lang);
    if matches!(o.data, DataSource::Files { .. }) {
        text.max_len = o.text.max_len;
    }
    if let Some(c) = &resumed {
        text = c.text;
    }
    let tok = Tokenizer::new(text.lowercase);
    let tokenize = |pairs: Vec<TextPair>| -> Vec<(Vec<String>, Vec<String>)> {
        pairs
            .iter()
            .map(|p| (tok.tokenize(&p.source), tok.tokenize(&p.target)))
            .collect()
    };
    let expand = |convs: &[Vec<String>]| -> Vec<TextPair> {
        convs.iter().flat_map(|t| reply_pairs(t)).collect()
    };
    let builtin = matches!(o.data, DataSource::BuiltIn { .. });
    let (mut train_tok, mut valid_tok) = (
        tokenize(expand(&train_turns)),
        tokenize(expand(&valid_turns)),
    );
    if builtin && o.task == Task::Dialogue {
        // The built-in dialogues teach each distinct reply once.
        train_tok = tokenize(super::pipeline::every_bot_turn(
            &train_turns
                .iter()
                .map(|t| last_reply(t))
                .collect::<Vec<_>>(),
        ));
        valid_tok = tokenize(super::pipeline::every_bot_turn(
            &valid_turns
                .iter()
                .map(|t| last_reply(t))
                .collect::<Vec<_>>(),
        ));
    }
    if !builtin {
        let max = text.max_len;
        let before = train_tok.len() + valid_tok.len();
        train_tok.retain(|(s, t)| s.len() <= max && t.len() <= max);
        valid_tok.retain(|(s, t)| s.len() <= max && t.len() <= max);
        let dropped = before - train_tok.len() - valid_tok.len();
        if dropped > 0 {
            say(format!(
                "--max-len {max}: dropped {dropped} training and validation pairs with a longer side"
            ));
        }
        if train_tok.is_empty() {
            return Err(format!(
                "every training pair is longer than --max-len {max} tokens; raise --max-len"
            )
            .into());
        }
        if valid_tok.is_empty() && !valid_turns.is_empty() {
            return Err(format!(
                "every validation pair is longer than --max-len {max} tokens; raise --max-len"
            )
            .into());
        }
    }
    let (src_vocab, tgt_vocab) = match &resumed {
        Some(c) => (c.src_vocab.clone(), c.tgt_vocab.clone()),
        None => {
            let (cap, min) = (o.text.max_vocab, o.text.min_count);
            // A dialogue's replies become history: the encoder must know every reply word.
            let src = if o.task == Task::Dialogue {
                Vocab::build_capped(
                    train_tok
                        .iter()
                        .flat_map(|(s, t)| [s.as_slice(), t.as_slice()]),
                    min,
                    cap,
                )
            } else {
                Vocab::build_capped(train_tok.iter().map(|(s, _)| s.as_slice()), min, cap)
            };
            (
                src,
                Vocab::build_capped(train_tok.iter().map(|(_, t)| t.as_slice()), min, cap),
            )
        }
    };
    let encode = |v: &[(Vec<String>, Vec<String>)]| -> Vec<Example> {
        v.iter()
            .map(|(s, t)| Example {
                src: src_vocab.encode(s),
                tgt: tgt_vocab.encode(t),
            })
            .collect()
    };
    let (train_ex, valid_ex) = (encode(&train_tok), encode(&valid_tok));
    let test_pairs: Vec<TextPair> = test_turns.iter().map(|t| last_reply(t)).collect();
    say(format!(
        "{} corpus: {} training, {} validation, {} test pairs; vocabularies: {} source, {} target words",
        o.task,
        train_ex.len(),
        valid_ex.len(),
        test_pairs.len(),
        src_vocab.len(),
        tgt_vocab.len()
    ));
    say(format!(
        "<unk> share of training tokens: {:.2} % source, {:.2} % target",
        100.0 * unk_share(train_ex.iter().map(|e| e.src.as_slice())),
        100.0 * unk_share(train_ex.iter().map(|e| e.tgt.as_slice()))
    ));
    let mut model = match resumed {
        Some(c) => c.model,
        None => {
            let mut config: ModelConfig = default_model(o.kind, src_vocab.len(), tgt_vocab.len());
            let vectors = o
                .src_vectors
                .as_ref()
                .map(|(p, _)| WordVectors::load(p))
                .transpose()?;
            let m = &o.model;
            config.emb = m
                .emb
                .or(vectors.as_ref().map(WordVectors::dim))
                .unwrap_or(config.emb);
            m.apply(&mut config);
            let mut model = build(&config, &mut rng(o.seed))?;
            if let (Some(v), Some((path, freeze))) = (&vectors, &o.src_vectors) {
                let copied = load_vectors(model.embeddings_mut().0, &src_vocab, v, !freeze)?;
                let how = if *freeze { "frozen" } else { "fine-tuned" };
                say(format!(
                    "source embeddings: {copied} of {} words start from {} ({how})",
                    src_vocab.len(),
                    path.display()
                ));
            }
            model
        }
    };
    let n_params: usize = model.params().iter().map(|p| p.value.numel()).sum();
    let c = model.config();
    let arch = match c.arch.describe() {
        d if d.is_empty() => d,
        d => format!("; {d}"),
    };
    say(format!(
        "model: {}, {n_params} parameters (emb/d_model {}, hidden/d_ff {}, dropout {}){arch}",
        o.kind, c.emb, c.hidden, c.dropout
    ));
    let mut config = default_training(o.kind, o.epochs, o.batch_size, o.seed);
    config.verbose = o.verbose;
    if let Some(lr) = o.lr {
        config.schedule = match config.schedule {
            // The warm-up peaks at step w, at factor / sqrt(d_model * w).
            Schedule::Warmup {
                d_model, warmup, ..
            } => Schedule::Warmup {
                d_model,
                warmup,
                factor: lr * ((d_model * warmup) as f64).sqrt(),
            },
            _ => Schedule::Constant(lr),
        };
    }
    if let Some(c) = o.clip {
        config.clip = (c > 0.0).then_some(c);
    }
    o.optim.apply(&mut config)?;
    let options = FitOptions {
        bucket: !builtin,
        patience: o.patience,
        epochs_done: previous.map_or(0, |p| p.epochs),
        steps_done: previous.map_or(0, |p| p.steps),
        best_valid_loss: previous.map_or(f64::INFINITY, |p| p.best_valid_loss),
    };
    if !builtin {
        let sample = bucketed_batches(&train_ex, o.batch_size, &mut rng(o.seed));
        say(format!(
            "batches bucketed by length: {:.1} % of positions are padding",
            100.0 * padding_share(&sample)
        ));
    }
    let mut opt = config.optimizer.build();
    if let Some(state) = resumed_state {
        if state.name != opt.name() {
            return Err(format!(
                "--resume: the checkpoint holds a {} state, training uses {}",
                state.name,
                opt.name()
            )
            .into());
        }
        opt.set_state(&model.params(), state.state)
            .map_err(|e| format!("--resume: {e}"))?;
    }
    let mut checkpoint = Checkpoint::new(
        build(&model.config().clone(), &mut rng(0))?,
        src_vocab,
        tgt_vocab,
        o.task,
    );
    checkpoint.text = text;
    // Until an epoch improves on it, the result is the model as it starts
    // (the resumed one, with its progress and optimizer state).
    set_values(checkpoint.model.as_mut(), model.as_mut());
    checkpoint.progress = previous;
    checkpoint.optimizer = resumed_optimizer;
    if valid_ex.is_empty() && o.patience.is_some() {
        return Err("--patience needs validation data, and there is none: give --valid, or a corpus of at least 10 pairs".into());
    }
    let history = fit_with(
        model.as_mut(),
        &train_ex,
        &valid_ex,
        &config,
        &options,
        opt.as_mut(),
        |m, stats, opt| -> Result<(), RunError> {
            if stats.best {
                checkpoint.optimizer = Some(OptimizerState {
                    name: opt.name().into(),
                    state: opt.state(&m.params()),
                });
                set_values(checkpoint.model.as_mut(), m);
                let best_valid_loss = if valid_ex.is_empty() {
                    f64::INFINITY
                } else {
                    stats.valid_loss
                };
                checkpoint.progress = Some(TrainProgress {
                    epochs: stats.epoch,
                    steps: stats.step,
                    best_valid_loss,
                });
                if let Some(out) = &o.out {
                    checkpoint.save(out)?;
                }
            }
            Ok(())
        },
    )?;
    let improved = history.epochs.iter().any(|e| e.best);
    match (&o.out, checkpoint.progress) {
        (Some(out), Some(p)) if improved => {
            let why = if valid_ex.is_empty() {
                "the last one: no validation data"
            } else {
                "the lowest validation loss"
            };
            say(format!(
                "saved {} (epoch {}, {why})",
                out.display(),
                p.epochs
            ));
        }
        (Some(out), _) => say(match previous {
            Some(p) => format!(
                "no epoch lowered the validation loss of the resumed checkpoint ({:.4}); {} was not written, and the scores below are the resumed model's",
                p.best_valid_loss,
                out.display()
            ),
            None => format!(
                "no epoch had a finite validation loss (training diverged; lower --lr); {} was not written",
                out.display()
            ),
        }),
        (None, _) => {}
    }

    if let Some(path) = &o.curves {
        plot_history(path, &format!("{} training", o.kind), &history)?;
        say(format!("wrote {}", path.display()));
    }
    let test = evaluate_turns(&checkpoint, &test_pairs, 1, o.batch_size.max(32))?;
    Ok(TrainOutcome {
        checkpoint,
        history,
        test,
    })
}

/// Copies the parameters of `from` into `to` (a model of the same config),
/// with their trainable flags.
fn set_values(to: &mut dyn super::Seq2Seq, from: &mut dyn super::Seq2Seq) {
    for (p, q) in to.params_mut().into_iter().zip(from.params()) {
        p.value = q.value.clone();
        p.trainable = q.trainable;
    }
}

/// Plots loss and accuracy per epoch of `history` to `path` (.png or .svg).
pub fn plot_history(
    path: &Path,
    title: &str,
    history: &History,
) -> Result<(), crate::plot::PlotError> {
    let col = |f: fn(&super::EpochStats) -> f64| history.epochs.iter().map(f).collect::<Vec<_>>();
    let (tl, vl, ta, va) = (
        col(|e| e.train_loss),
        col(|e| e.valid_loss),
        col(|e| e.train_accuracy),
        col(|e| e.valid_accuracy),
    );
    // Without validation data its curves are NaN: leave them out.
    let series: Vec<(&str, &[f64])> = [
        ("train loss", &tl[..]),
        ("validation loss", &vl[..]),
        ("train accuracy", &ta[..]),
        ("validation accuracy", &va[..]),
    ]
    .into_iter()
    .filter(|(_, v)| v.iter().all(|x| x.is_finite()))
    .collect();
    crate::plot::line_chart(path, title, "loss / accuracy", &series)
}
