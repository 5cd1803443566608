//! The main job one batch at a time: [`TrainSession`] prepares exactly what
//! [`train`](super::train) prepares (corpus, split, vocabularies, model,
//! optimizer, schedule, batch order from the seed), then runs one batch or
//! one epoch's end per call, so that a page can train in the browser and
//! show each step. [`train`](super::train) is a loop over it: the same seed
//! gives the same bits either way.
//!
//! Nothing here reads a clock or starts a thread when the options ask for
//! one thread, so it runs on `wasm32-unknown-unknown` too.
//!
//! Checked by `tests/pipeline/session.rs::a_session_gives_the_bits_of_train_batch_by_batch`.

use super::keeper::{Keeper, plot_history};
use super::options::TrainOptions;
use super::prepare::{Prepared, prepare};
use super::train::{RunError, TrainOutcome, announce, new_model, note, optimizer, resumed};
use crate::optim::Optimizer;
use crate::seq2seq::decode::{Exploration, ExploreOptions, Translator};
use crate::seq2seq::eval::evaluate_pairs;
use crate::seq2seq::io::{Checkpoint, TrainProgress};
use crate::seq2seq::size::check_trainable;
use crate::seq2seq::train::{
    EpochStats, Fitting, History, Phase, Progress, StepReport, TrainConfig,
};
use serde_json::{Value, json};

/// A training run between two batches.
pub struct TrainSession {
    options: TrainOptions,
    data: Prepared,
    /// The model being trained, with the data's vocabularies.
    translator: Translator,
    opt: Box<dyn Optimizer>,
    fitting: Fitting,
    keeper: Keeper,
    start: Option<TrainProgress>,
    history: History,
    last_step: Option<StepReport>,
}

impl TrainSession {
    /// Checks the options, resumes a checkpoint if asked, prepares the
    /// data, builds the model and the optimizer and draws the first
    /// epoch's batches; what the data holds goes to `observer` as notes.
    ///
    /// # Errors
    /// As [`train`](super::train): bad options (checked before any work),
    /// unreadable or malformed corpus files, a checkpoint that cannot be
    /// resumed, word vectors that do not fit.
    pub fn new(
        o: &TrainOptions,
        observer: &mut dyn FnMut(Progress<'_>),
    ) -> Result<TrainSession, RunError> {
        o.check()?;
        let resumed = resumed(o)?;
        let data = prepare(o, resumed.as_ref().map(|c| &c.translator), observer)?;
        let (start, state) = match &resumed {
            Some(c) => (c.progress, c.optimizer.clone()),
            None => (None, None),
        };
        let mut model = match resumed {
            Some(c) => {
                let step = data.largest_step(o.run.batch_size, o.run.parallel.shards);
                check_trainable(c.translator.model.config(), step)?;
                c.translator.model
            }
            None => new_model(o, &data, observer)?,
        };
        if data.valid.is_empty() && o.run.patience.is_some() {
            return Err("--patience needs validation data, and there is none: give --valid, or a corpus of at least 10 pairs".into());
        }
        let config = super::train::train_config(o);
        announce(model.as_mut(), &config, &data, observer);
        let opt = optimizer(&config, state.clone(), model.as_mut())?;
        let keeper = Keeper::new(o, &data, model.as_mut(), (start, state))?;
        let fitting = Fitting::new(&config, start, &data.train);
        Ok(TrainSession {
            options: o.clone(),
            translator: data.translator(model),
            data,
            opt,
            fitting,
            keeper,
            start,
            history: History::default(),
            last_step: None,
        })
    }

    /// What comes next: a batch, an epoch's end, or nothing.
    pub fn phase(&self) -> Phase {
        self.fitting.phase()
    }

    /// Trains on the epoch's next batch (one optimizer step).
    ///
    /// # Panics
    /// Unless [`TrainSession::phase`] is [`Phase::Batch`].
    pub fn step(&mut self) -> StepReport {
        let model = self.translator.model.as_mut();
        let report = self.fitting.step(model, self.opt.as_mut());
        self.history.record_batch(&report);
        self.last_step = Some(report);
        report
    }

    /// Ends the epoch: the validation loss and accuracy, and, when the
    /// epoch is the best so far, the model kept (and saved to `--out`).
    ///
    /// # Errors
    /// A best model that cannot be saved.
    ///
    /// # Panics
    /// Unless [`TrainSession::phase`] is [`Phase::EpochEnd`].
    pub fn end_epoch(&mut self) -> Result<EpochStats, RunError> {
        let (train, valid) = (&self.data.train, &self.data.valid);
        let model = self.translator.model.as_mut();
        let stats = self.fitting.end_epoch(model, (train, valid));
        self.keeper.keep_if_best(model, &stats, self.opt.as_ref())?;
        self.history.epochs.push(stats.clone());
        Ok(stats)
    }

    /// `Some(stale)` once training stopped early: that many epochs in a
    /// row without a lower validation loss (`--patience`).
    pub fn stopped_early(&self) -> Option<usize> {
        self.fitting.stopped_early()
    }

    /// The model as trained so far, with its vocabularies: what decodes it.
    pub fn translator(&self) -> &Translator {
        &self.translator
    }

    /// The current epoch (from 1), the last one, the batches done in it
    /// and its batches.
    pub fn position(&self) -> (usize, usize, usize, usize) {
        self.fitting.position()
    }

    /// [`Progress::EpochStarted`] when the next batch is its epoch's first.
    pub fn epoch_starting(&self) -> Option<Progress<'static>> {
        self.fitting.epoch_starting()
    }

    /// The best model so far (by validation loss), as `--out` holds it.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.keeper.checkpoint
    }

    /// The data trained on.
    pub fn data(&self) -> &Prepared {
        &self.data
    }

    /// The training settings.
    pub fn config(&self) -> &TrainConfig {
        self.fitting.config()
    }

    /// The epochs ended so far, and the training points recorded.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The explorer's data ([`crate::viz::explorer::page_data`]) of
    /// `sentence` decoded greedily by the model as trained so far (unknown
    /// words read as `<unk>`), with where training is: `{"epoch", "batch",
    /// "step", "loss", "data"}` (before the first batch, `batch` is 0 and
    /// `loss` null). What `encdec train --watch` records.
    ///
    /// # Errors
    /// A sentence without words, without a word the model knows, or too
    /// long to show; a model whose scores are not finite
    /// (`tests/pipeline/session.rs::a_snapshot_says_where_training_is_and_what_the_model_writes`).
    pub fn snapshot(&self, sentence: &str) -> Result<Value, RunError> {
        let t = &self.translator;
        let tokens = t.source_tokens(t.tokenizer().tokenize(sentence));
        if !tokens.is_empty() && t.src_vocab.unknown(&tokens).len() == tokens.len() {
            return Err(format!(
                "none of the words of {sentence:?} is in the source vocabulary ({} words): use words of the corpus",
                t.src_vocab.len()
            )
            .into());
        }
        let options = ExploreOptions {
            allow_unknown: true,
            ..ExploreOptions::default()
        };
        let e = Exploration::new(t, sentence, &options)?;
        let (epoch, _, _, _) = self.fitting.position();
        let r = self.last_step;
        Ok(json!({
            "epoch": r.map_or(epoch, |r| r.epoch),
            "batch": r.map_or(0, |r| r.batch),
            "step": r.map_or(self.start.map_or(0, |s| s.steps), |r| r.step),
            "loss": r.map(|r| r.loss()),
            "data": crate::viz::explorer::page_data(&e, Some(4)),
        }))
    }

    /// Ends the run: says what was saved, draws the curves (`--curves`),
    /// and scores the best model on the test split (greedy decoding).
    ///
    /// # Errors
    /// Curves that cannot be drawn, test sentences the model refuses.
    pub fn finish(self, observer: &mut dyn FnMut(Progress<'_>)) -> Result<TrainOutcome, RunError> {
        let o = &self.options;
        if let Some(line) = self.keeper.saved_line(&self.history, self.start) {
            observer(note(line));
        }
        if let Some(path) = &o.files.curves {
            plot_history(path, &format!("{} training", o.model), &self.history)?;
            observer(note(format!("wrote {}", path.display())));
        }
        let checkpoint = self.keeper.checkpoint;
        let batch = o.run.batch_size.max(32);
        let test = evaluate_pairs(&checkpoint.translator, &self.data.test, 1, batch)?;
        Ok(TrainOutcome {
            checkpoint,
            history: self.history,
            test,
        })
    }

    /// The best model so far, as `--out` holds it, without the test scores.
    pub fn into_checkpoint(self) -> Checkpoint {
        self.keeper.checkpoint
    }
}
