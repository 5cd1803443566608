//! The main job (tutorial §5: compile, fit, evaluate): from options to a
//! trained model, its best checkpoint and its test scores, in named steps.
//!
//! Checked by `tests/pipeline/train.rs`.

use super::corpus::DataSource;
use super::defaults::output_init;
use super::options::{RunOptions, TrainOptions};
use super::prepare::Prepared;
use super::session::TrainSession;
use super::watch::Watch;
use crate::nn::{FfnActivation, LinearInit};
use crate::optim::Optimizer;
use crate::seq2seq::config::{Arch, Bridge, Directions, ModelConfig};
use crate::seq2seq::eval::EvalReport;
use crate::seq2seq::io::{Checkpoint, OptimizerState, load_vectors};
use crate::seq2seq::models::{Seq2Seq, build};
use crate::seq2seq::size::check_trainable;
use crate::seq2seq::train::{
    ADAMW_DEFAULT_DECAY, Batching, History, OptimizerChoice, Phase, Progress, TrainConfig,
    bucketed_batches, padding_share,
};
use crate::tensor::rng;
use crate::wordvec::WordVectors;

/// Why a run could not go on; the message says what to do.
pub type RunError = Box<dyn std::error::Error>;

/// What [`train`] produced.
pub struct TrainOutcome {
    /// The best model by validation loss, as saved.
    pub checkpoint: Checkpoint,
    /// Loss and accuracy per epoch.
    pub history: History,
    /// Scores on the test split or file (greedy decoding).
    pub test: EvalReport,
}

/// Trains a model as `o` says: checks the options, resumes a checkpoint if
/// asked, prepares the data, builds the model, fits it — saving the best
/// checkpoint (by validation loss) to `--out` after every epoch that
/// improves it, and with `--watch` recording the sentence's decoding as
/// training goes (`super::watch`) — draws the curves, and scores the best
/// model on the test split. Progress goes to `observer`. A loop over
/// [`TrainSession`], which a page drives one batch at a time.
///
/// # Errors
/// Bad options (checked before any work), unreadable or malformed corpus
/// files (naming the file and line), a checkpoint that cannot be resumed
/// or written, word vectors that do not fit, a `--watch` sentence without
/// a word of the source vocabulary (refused before training starts).
pub fn train(
    o: &TrainOptions,
    observer: &mut dyn FnMut(Progress<'_>),
) -> Result<TrainOutcome, RunError> {
    let mut session = TrainSession::new(o, observer)?;
    let mut watch = Watch::new(o, &session)?;
    loop {
        match session.phase() {
            Phase::Batch => {
                if let Some(started) = session.epoch_starting() {
                    observer(started);
                }
                let report = session.step();
                if let Some(w) = &mut watch {
                    w.after_step(&session, &report)?;
                }
                observer(report.progress());
            }
            Phase::EpochEnd => {
                let stats = session.end_epoch()?;
                observer(Progress::EpochDone(&stats));
                if let Some(w) = &watch {
                    w.write()?;
                }
                if let Some(stale) = session.stopped_early() {
                    observer(Progress::StoppedEarly { stale });
                }
            }
            Phase::Finished => break,
        }
    }
    if let Some(w) = &watch {
        observer(note(w.write()?));
    }
    session.finish(observer)
}

/// Tells the observer the model's size and, for bucketed batches, how much
/// of them is padding.
pub(super) fn announce(
    model: &mut dyn Seq2Seq,
    config: &TrainConfig,
    data: &Prepared,
    observer: &mut dyn FnMut(Progress<'_>),
) {
    let n_params: usize = model.params().iter().map(|p| p.value.numel()).sum();
    let c = model.config();
    observer(note(format!(
        "model: {}, {n_params} parameters ({})",
        c.kind(),
        c.sizes()
    )));
    if config.batching == Batching::Bucketed {
        let sample = bucketed_batches(&data.train, config.batch_size, &mut rng(config.seed));
        observer(note(format!(
            "batches bucketed by length: {:.1} % of positions are padding",
            100.0 * padding_share(&sample)
        )));
    }
}

pub(super) fn note(text: String) -> Progress<'static> {
    Progress::Note(text)
}

impl TrainOutcome {
    /// The test scores as the command line prints them: the built-in
    /// corpora's one line (BLEU-4 on tokens, ROUGE, reply accuracy), or the
    /// full report for corpus files (BLEU as sacreBLEU computes it).
    pub fn score_lines(&self, o: &TrainOptions) -> Vec<String> {
        match o.source() {
            DataSource::BuiltIn { .. } => vec![self.test.token_line(o.task)],
            DataSource::Files { .. } if self.test.hypotheses.is_empty() => vec![
                "no test split, so no test scores (--valid without --test): give --test FILE or --test-split F for them".to_string(),
            ],
            DataSource::Files { .. } => {
                let mut lines = vec!["test scores (greedy decoding):".to_string()];
                lines.extend(self.test.lines(o.task));
                lines
            }
        }
    }
}

/// The checkpoint `--resume` names, which must hold a model of the task and kind asked for.
pub(super) fn resumed(o: &TrainOptions) -> Result<Option<Checkpoint>, RunError> {
    let Some(path) = &o.files.resume else {
        return Ok(None);
    };
    let c = Checkpoint::load(path)?;
    let t = &c.translator;
    let kind = t.model.config().kind();
    if t.task != o.task || kind != o.model {
        return Err(format!(
            "--resume: the checkpoint holds a {} {kind} model, not a {} {} model",
            t.task, o.task, o.model
        )
        .into());
    }
    Ok(Some(c))
}

/// The model's config: the defaults of its kind for these vocabularies,
/// with the sizes and options given (word vectors set $E$ when `--emb` is not given).
pub fn model_config(
    o: &TrainOptions,
    src_vocab: usize,
    tgt_vocab: usize,
    vectors: Option<usize>,
) -> ModelConfig {
    let m = &o.sizes;
    let mut config = ModelConfig::new(o.model, src_vocab, tgt_vocab);
    config.dropout = m.dropout.unwrap_or(config.dropout);
    match &mut config.arch {
        Arch::Lstm(r) | Arch::Attention(r) => {
            r.emb = m.emb.or(vectors).unwrap_or(r.emb);
            r.hidden = m.hidden.unwrap_or(r.hidden);
            r.layers = m.layers.unwrap_or(r.layers);
            r.cell = m.cell.unwrap_or(r.cell);
            if m.bidirectional {
                r.directions = Directions::Both(m.bridge.unwrap_or(Bridge::Concat));
            }
        }
        Arch::Transformer(t) => {
            t.d_model = m.d_model.or(vectors).unwrap_or(t.d_model);
            t.d_ff = m.d_ff.unwrap_or(t.d_ff);
            t.heads = m.heads.unwrap_or(t.heads);
            t.layers = m.layers.unwrap_or(t.layers);
            t.layer.norm_first = m.norm_first;
            if m.gelu {
                t.layer.activation = FfnActivation::Gelu;
            }
            t.final_norm = m.final_norm;
            t.pieces.scale = m.attention_scale.unwrap_or_default();
            t.pieces.positions = m.positions.unwrap_or_default();
            t.pieces.decoder_mask = m.decoder_mask.unwrap_or_default();
        }
    }
    config
}

/// A new model as the options say, its source vectors loaded from `--src-vectors`.
pub(super) fn new_model(
    o: &TrainOptions,
    data: &Prepared,
    observer: &mut dyn FnMut(Progress<'_>),
) -> Result<Box<dyn Seq2Seq>, RunError> {
    let vectors = o
        .files
        .src_vectors
        .as_deref()
        .map(WordVectors::load)
        .transpose()?;
    let config = model_config(
        o,
        data.src_vocab.len(),
        data.tgt_vocab.len(),
        vectors.as_ref().map(WordVectors::dim),
    );
    check_trainable(
        &config,
        data.largest_step(o.run.batch_size, o.run.parallel.shards),
    )?;
    let mut draws = rng(o.run.seed);
    let mut model = build(&config, &mut draws)?;
    // Xavier is how `build` starts every layer: redrawing it would change seeded runs for nothing.
    let init = output_init(o);
    if init != LinearInit::Xavier {
        model.output_mut().restart(init, &mut draws);
        observer(note(format!(
            "output layer: {} start (--output-init)",
            init.name()
        )));
    }
    if let (Some(v), Some(path)) = (&vectors, &o.files.src_vectors) {
        let freeze = o.files.freeze_vectors;
        let copied = load_vectors(model.embeddings_mut().0, &data.src_vocab, v, !freeze)?;
        let how = if freeze { "frozen" } else { "fine-tuned" };
        observer(note(format!(
            "source embeddings: {copied} of {} words start from {} ({how})",
            data.src_vocab.len(),
            path.display()
        )));
    }
    Ok(model)
}

/// The training settings: the model kind's defaults ([`TrainConfig::new`])
/// and the options over them (the optimizer from `--adamw` and
/// `--weight-decay`, the rate's peak from `--lr`, `--clip 0` for none).
pub fn train_config(o: &TrainOptions) -> TrainConfig {
    let r: &RunOptions = &o.run;
    let mut config = TrainConfig::new(o.model);
    if let Some(lr) = r.lr {
        config = config.with_peak_lr(lr);
    }
    config.epochs = r.epochs;
    config.batch_size = r.batch_size;
    config.seed = r.seed;
    config.patience = r.patience;
    config.shards = r.parallel.shards;
    config.threads = o.threads();
    if let Some(c) = r.clip {
        config.clip = (c > 0.0).then_some(c);
    }
    config.label_smoothing = r.label_smoothing.unwrap_or(0.0);
    config.optimizer = match (r.adamw, r.weight_decay) {
        (true, d) => OptimizerChoice::AdamW {
            weight_decay: d.unwrap_or(ADAMW_DEFAULT_DECAY),
        },
        (false, Some(d)) => OptimizerChoice::AdamL2 { weight_decay: d },
        (false, None) => OptimizerChoice::Adam,
    };
    if let DataSource::Files { .. } = o.source() {
        config.batching = Batching::Bucketed;
    }
    config
}

/// A fresh optimizer of the config's kind, holding a resumed `state`.
pub(super) fn optimizer(
    config: &TrainConfig,
    state: Option<OptimizerState>,
    model: &mut dyn Seq2Seq,
) -> Result<Box<dyn Optimizer>, RunError> {
    let mut opt = config.optimizer.build();
    if let Some(state) = state {
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
    Ok(opt)
}
