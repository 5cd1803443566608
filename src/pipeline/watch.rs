//! Watching attention form while a model trains (`encdec train --watch
//! "SENTENCE"`): every `--watch-every` batches the sentence is decoded
//! greedily by the model as trained so far, and the explorer's data of it
//! recorded ([`TrainSession::snapshot`]), in `<out>.watch.json`:
//!
//! ```json
//! {"sentence": "...", "every": 20,
//!  "snapshots": [{"epoch": 1, "batch": 20, "step": 20, "loss": 3.91, "data": {...}}, ...]}
//! ```
//!
//! A snapshot is taken after every `every`-th batch of the run and after
//! the last batch of each epoch; `data` is what the explorer page draws
//! ([`crate::viz::explorer::page_data`]). Decoding draws nothing from the
//! training's generator, so watching changes no weight. The file is
//! rewritten (atomically) at each epoch's end.
//!
//! Checked by `tests/cli/watch.rs`.

use super::options::TrainOptions;
use super::session::TrainSession;
use super::train::RunError;
use crate::seq2seq::train::StepReport;
use serde_json::{Value, json};
use std::path::PathBuf;

/// How many batches apart `--watch` snapshots are when `--watch-every` is not given.
pub const WATCH_EVERY: usize = 20;

/// What `encdec train --watch` records.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct WatchOptions {
    /// Decode this sentence every --watch-every batches and record the explorer's data of each decoding in OUT.watch.json, beside the --out checkpoint (needs --out).
    #[arg(long)]
    pub watch: Option<String>,
    /// Batches between two --watch snapshots (the last batch of each epoch is recorded too).
    #[arg(long, default_value_t = WATCH_EVERY)]
    pub watch_every: usize,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            watch: None,
            watch_every: WATCH_EVERY,
        }
    }
}

impl TrainOptions {
    /// Where `--watch` writes: `<out>.watch.json` (`None` without `--watch`
    /// or `--out`).
    pub fn watch_path(&self) -> Option<PathBuf> {
        self.watch.watch.as_ref()?;
        let mut path = self.files.out.clone()?.into_os_string();
        path.push(".watch.json");
        Some(PathBuf::from(path))
    }

    /// The checks of `--watch` that need no data: a sentence with
    /// something in it, `--out` to name the file, a positive `--watch-every`.
    pub(super) fn check_watch(&self) -> Result<(), String> {
        let Some(sentence) = &self.watch.watch else {
            return Ok(());
        };
        if self.watch.watch_every == 0 {
            return Err("--watch-every must be at least 1".into());
        }
        if !crate::text::visible(sentence) {
            return Err("--watch: the sentence is empty; give words of the corpus".into());
        }
        if self.files.out.is_none() {
            return Err(
                "--watch writes <out>.watch.json next to the checkpoint: give --out".into(),
            );
        }
        Ok(())
    }
}

/// The snapshots of a watched run.
pub(super) struct Watch {
    sentence: String,
    every: usize,
    path: PathBuf,
    batches: usize,
    snapshots: Vec<Value>,
}

impl Watch {
    /// The watch `o` asks for, its sentence tried on the untrained model
    /// so that a sentence without a known word is refused before training.
    pub(super) fn new(o: &TrainOptions, session: &TrainSession) -> Result<Option<Watch>, RunError> {
        let (Some(sentence), Some(path)) = (&o.watch.watch, o.watch_path()) else {
            return Ok(None);
        };
        session
            .snapshot(sentence)
            .map_err(|e| format!("--watch: {e}"))?;
        Ok(Some(Watch {
            sentence: sentence.clone(),
            every: o.watch.watch_every,
            path,
            batches: 0,
            snapshots: vec![],
        }))
    }

    /// After a batch: a snapshot if it is due.
    pub(super) fn after_step(
        &mut self,
        session: &TrainSession,
        r: &StepReport,
    ) -> Result<(), RunError> {
        self.batches += 1;
        if self.batches.is_multiple_of(self.every) || r.batch == r.batches_per_epoch {
            self.snapshots.push(session.snapshot(&self.sentence)?);
        }
        Ok(())
    }

    /// Writes the snapshots so far; returns the line to print.
    pub(super) fn write(&self) -> Result<String, RunError> {
        let v =
            json!({"sentence": self.sentence, "every": self.every, "snapshots": self.snapshots});
        let text = crate::viz::explorer::json_text(&v);
        crate::files::write_atomic(&self.path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        Ok(format!(
            "wrote {} ({} snapshots of {:?})",
            self.path.display(),
            self.snapshots.len(),
            self.sentence
        ))
    }
}
