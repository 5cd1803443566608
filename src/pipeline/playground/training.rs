//! The playground's training panel: the page's Web Worker drives a
//! [`TrainSession`] (the run `encdec demo` makes: the attention model on
//! the built-in English→French corpus) a few batches per request, so that
//! the page stays responsive, shows every batch's loss, and redraws the fox
//! sentence's cross-attention as it forms. Same seed, same numbers as the
//! command: the session is the loop `encdec train` runs
//! (`tests/pipeline/playground.rs` compares the losses).
//!
//! Requests (see [`super::Playground::call`]):
//! - `"train_start"` `{epochs, seed}`: prepares the run;
//! - `"train_run"` `{batches}`: trains up to that many batches, stopping
//!   after an epoch's end, and answers with each batch's loss and accuracy
//!   and the epoch's validation scores;
//! - `"train_snapshot"` `{sentence}`: the explorer's data of `sentence` as
//!   the model decodes it now (what `encdec train --watch` records);
//! - `"train_finish"`: scores the best model on the test split as `demo`
//!   does and answers with BLEU and the checkpoint (base64), which the page
//!   then loads as its model and offers to save.

use super::super::DemoOptions;
use super::super::ParallelOptions;
use super::super::TrainSession;
use crate::seq2seq::train::Phase;
use serde_json::{Value, json};
use std::path::PathBuf;

/// Starts the demo's run with `epochs` and `seed`, on one thread.
///
/// # Errors
/// Out-of-range options, as `encdec demo` reports them.
pub fn start(request: &Value) -> Result<(TrainSession, Value), String> {
    let number = |name: &str, default: u64| request[name].as_u64().unwrap_or(default);
    let demo = DemoOptions {
        epochs: number("epochs", 4) as usize,
        seed: number("seed", 0),
        out: PathBuf::from("attention.png"),
        checkpoint: None,
        parallel: ParallelOptions {
            threads: Some(1),
            ..ParallelOptions::default()
        },
    };
    let session = TrainSession::new(&demo.training(), &mut |_| {}).map_err(|e| e.to_string())?;
    let (_, epochs, _, batches) = session.position();
    Ok((
        session,
        json!({"batches_per_epoch": batches, "epochs": epochs}),
    ))
}

/// Trains up to `batches` batches, ending the epoch if it is reached.
///
/// # Errors
/// A best model that cannot be kept.
pub fn run(session: &mut TrainSession, request: &Value) -> Result<Value, String> {
    let most = request["batches"].as_u64().unwrap_or(10);
    let mut steps = vec![];
    let mut epoch_end = Value::Null;
    while (steps.len() as u64) < most {
        match session.phase() {
            Phase::Batch => {
                let r = session.step();
                steps.push(json!({
                    "epoch": r.epoch, "batch": r.batch, "batches": r.batches_per_epoch,
                    "step": r.step, "loss": r.loss(), "accuracy": r.accuracy(),
                }));
            }
            Phase::EpochEnd => {
                let s = session.end_epoch().map_err(|e| e.to_string())?;
                epoch_end = json!({
                    "epoch": s.epoch, "train_loss": s.train_loss, "train_accuracy": s.train_accuracy,
                    "valid_loss": s.valid_loss, "valid_accuracy": s.valid_accuracy,
                });
                break;
            }
            Phase::Finished => break,
        }
    }
    let done = session.phase() == Phase::Finished;
    Ok(json!({"steps": steps, "epoch_end": epoch_end, "done": done}))
}

/// Scores the best model on the test split and hands it over.
///
/// # Errors
/// Test sentences the model refuses; a model that cannot be saved.
pub fn finish(session: TrainSession) -> Result<(Value, crate::seq2seq::io::Checkpoint), String> {
    let outcome = session.finish(&mut |_| {}).map_err(|e| e.to_string())?;
    let mut checkpoint = outcome.checkpoint;
    let bytes = super::page_checkpoint(&mut checkpoint)?;
    let answer = json!({
        "bleu4": outcome.test.bleu4,
        "test_pairs": outcome.test.hypotheses.len(),
        "checkpoint": crate::viz::explorer::base64(&bytes),
    });
    Ok((answer, checkpoint))
}
