//! The playground's requests: what the page asks its WebAssembly module
//! (`wasm/src/lib.rs`), answered here, in the library, so that the same code
//! runs natively in the tests (`tests/pipeline/playground.rs`) and in the
//! page (`tests/browser/`).
//!
//! Every request is a JSON object with an `"op"`:
//! - `"explore"`: decode `text` greedily, by beam search or by sampling,
//!   and answer with everything the page draws ([`page_data`] at full
//!   precision, the numbers of `encdec heatmap --out x.json`), with the
//!   words the model reads as `<unk>` marked;
//! - `"reshape"`: each step's distribution of the last exploration under a
//!   temperature, top-k and top-p ([`Sampling::probs`], the rule
//!   `translate --sample` draws from);
//! - `"arithmetic"`: every number of one row of one attention of the last
//!   exploration (`kind`, `layer`, `head`, `row`:
//!   [`attention_arithmetic`]), for the page's arithmetic view;
//! - `"vocab"`: the words the model knows;
//! - `"train_start"`, `"train_run"`, `"train_snapshot"`, `"train_finish"`:
//!   the training panel's run, batch by batch (`training.rs`).

mod training;

use crate::seq2seq::decode::{
    AttentionKind, AttentionRow, Exploration, ExploreOptions, Sampling, Translator,
    attention_arithmetic, sample,
};
use crate::seq2seq::io::Checkpoint;
use crate::tensor::{Float, rng};
use crate::viz::explorer::page_data;
use serde_json::{Value, json};
use std::path::Path;

/// How the page decodes.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveDecoding {
    /// Greedy decoding (§3.2), or beam search when the width is above 1.
    Search {
        /// The beam width, 1 to 64.
        beam: usize,
    },
    /// Sampling from [`Sampling::probs`] with a seeded generator, as
    /// `translate --sample --seed` draws for its first input.
    Sample {
        /// The temperature and cuts.
        sampling: Sampling,
        /// The generator's seed.
        seed: u64,
    },
}

/// The page's model and what it last decoded.
#[derive(Default)]
pub struct Playground {
    translator: Option<Translator>,
    last: Option<Exploration>,
    training: Option<super::TrainSession>,
}

impl Playground {
    /// Loads a checkpoint's bytes as the page's model; answers with its
    /// task, kind, sizes and source vocabulary.
    ///
    /// # Errors
    /// A checkpoint that does not load, as [`Checkpoint::from_bytes`] says.
    pub fn load(&mut self, bytes: &[u8]) -> Result<Value, String> {
        let c = Checkpoint::from_bytes(bytes, Path::new("the page's model"))
            .map_err(|e| e.to_string())?;
        let t = c.translator;
        let config = t.model.config();
        let about = json!({
            "task": t.task.name(), "kind": config.kind().name(), "sizes": config.sizes(),
            "src_vocab": t.src_vocab.tokens(), "tgt_vocab": t.tgt_vocab.len(),
        });
        self.translator = Some(t);
        self.last = None;
        Ok(about)
    }

    /// Answers one request (see the module's documentation).
    ///
    /// # Errors
    /// No model loaded, an unknown `op`, a missing or out-of-range field,
    /// and the decoding's own errors, each as a sentence for the page.
    pub fn call(&mut self, request: &Value) -> Result<Value, String> {
        let op = request["op"].as_str().unwrap_or_default();
        if op.starts_with("train_") {
            return self.train(op, request);
        }
        let t = self.translator.as_ref().ok_or("no model is loaded yet")?;
        match request["op"].as_str() {
            Some("explore") => {
                let text = field_str(request, "text")?;
                let options = ExploreOptions {
                    beam: 1,
                    top_k: field_usize(request, "shown", 5)?,
                    allow_unknown: true,
                };
                let e = explore(t, text, &options, &decoding(request)?)?;
                let answer = explored(t, &e);
                self.last = Some(e);
                Ok(answer)
            }
            Some("reshape") => {
                let e = self.last.as_ref().ok_or("nothing has been decoded yet")?;
                let sampling = sampling(request)?;
                Ok(reshaped(t, e, &sampling, field_usize(request, "shown", 5)?))
            }
            Some("arithmetic") => {
                let e = self.last.as_ref().ok_or("nothing has been decoded yet")?;
                let at = AttentionRow {
                    kind: kind_named(field_str(request, "kind")?)?,
                    layer: field_usize(request, "layer", 1)?,
                    head: field_usize(request, "head", 1)?,
                    row: field_usize(request, "row", 0)?,
                };
                Ok(attention_arithmetic(t, e, at)?.to_json())
            }
            Some("vocab") => Ok(json!({"src": t.src_vocab.tokens(), "tgt": t.tgt_vocab.tokens()})),
            Some(op) => Err(format!("unknown request {op:?}")),
            None => Err("the request has no \"op\"".into()),
        }
    }
}

impl Playground {
    /// The training panel's requests (`training.rs`): the worker's
    /// playground trains, then hands the model over.
    fn train(&mut self, op: &str, request: &Value) -> Result<Value, String> {
        let session = || "no training has been started (train_start first)".to_string();
        match op {
            "train_start" => {
                let (session, answer) = training::start(request)?;
                self.training = Some(session);
                Ok(answer)
            }
            "train_run" => training::run(self.training.as_mut().ok_or_else(session)?, request),
            "train_snapshot" => self
                .training
                .as_ref()
                .ok_or_else(session)?
                .snapshot(field_str(request, "sentence")?)
                .map_err(|e| e.to_string()),
            "train_finish" => {
                let (answer, checkpoint) =
                    training::finish(self.training.take().ok_or_else(session)?)?;
                self.translator = Some(checkpoint.translator);
                self.last = None;
                Ok(answer)
            }
            other => Err(format!("unknown request {other:?}")),
        }
    }
}

/// The attention kind the page names as [`AttentionKind::name`] does.
fn kind_named(name: &str) -> Result<AttentionKind, String> {
    [
        AttentionKind::EncoderSelf,
        AttentionKind::DecoderSelf,
        AttentionKind::Cross,
    ]
    .into_iter()
    .find(|k| k.name() == name)
    .ok_or(format!("unknown attention {name:?}"))
}

/// Decodes `text` as `decoding` says and explores the output.
///
/// # Errors
/// The input's or the decoding's problems, as a sentence.
pub fn explore(
    t: &Translator,
    text: &str,
    options: &ExploreOptions,
    decoding: &LiveDecoding,
) -> Result<Exploration, String> {
    let e = match decoding {
        LiveDecoding::Search { beam } => {
            let options = ExploreOptions {
                beam: *beam,
                ..options.clone()
            };
            options.check()?;
            Exploration::new(t, text, &options)
        }
        LiveDecoding::Sample { sampling, seed } => {
            let mut draws = rng(*seed);
            Exploration::with_decoder(t, text, options, |m, src| {
                sample(m, &[src], t.max_output(), sampling, &mut draws).remove(0)
            })
        }
    };
    e.map_err(|e| e.to_string())
}

/// The page's data for `e` at full precision, with what the model reads
/// for each source token (`<unk>` for a word it does not know) and each
/// step's log-probabilities.
fn explored(t: &Translator, e: &Exploration) -> Value {
    let mut data = page_data(e, None);
    let source = &e.src_tokens[..e.src_tokens.len() - 1];
    let read: Vec<&str> = t
        .src_vocab
        .encode(source)
        .into_iter()
        .map(|id| t.src_vocab.token(id))
        .collect();
    data["read_as"] = json!(read);
    data["unknown"] = json!(t.src_vocab.unknown(source));
    data
}

/// Each step's `shown` most probable tokens under `sampling`, and the
/// chosen one, as `[token, probability, log-probability of the model]`.
fn reshaped(t: &Translator, e: &Exploration, sampling: &Sampling, shown: usize) -> Value {
    let steps: Vec<Value> = e
        .steps
        .iter()
        .map(|s| {
            let probs = sampling.probs(&s.log_probs);
            let mut order: Vec<usize> = (0..probs.len()).collect();
            order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]).then(a.cmp(&b)));
            order.truncate(shown);
            let chosen = t.tgt_vocab.id(&s.chosen);
            if !order.contains(&chosen) {
                order.push(chosen);
            }
            let row = |y: usize| json!([t.tgt_vocab.token(y), probs[y], s.log_probs[y]]);
            json!(order.into_iter().map(row).collect::<Vec<_>>())
        })
        .collect();
    json!({ "steps": steps })
}

/// The request's decoding: `"mode"` is `"greedy"`, `"beam"` (with
/// `"beam"`) or `"sample"` (with `"seed"` and the sampling fields).
fn decoding(request: &Value) -> Result<LiveDecoding, String> {
    match request["mode"].as_str().unwrap_or("greedy") {
        "greedy" => Ok(LiveDecoding::Search { beam: 1 }),
        "beam" => Ok(LiveDecoding::Search {
            beam: field_usize(request, "beam", 4)?,
        }),
        "sample" => Ok(LiveDecoding::Sample {
            sampling: sampling(request)?,
            seed: field_usize(request, "seed", 0)? as u64,
        }),
        other => Err(format!(
            "unknown decoding {other:?}: greedy, beam or sample"
        )),
    }
}

/// `"temperature"` (default 1), `"top_k"` (0 or absent: no cut) and
/// `"top_p"` (default 1), checked by [`Sampling::new`].
fn sampling(request: &Value) -> Result<Sampling, String> {
    let number = |name: &str, default: Float| match &request[name] {
        Value::Null => Ok(default),
        v => v.as_f64().ok_or(format!("\"{name}\" must be a number")),
    };
    let k = field_usize(request, "top_k", 0)?;
    Sampling::new(
        number("temperature", 1.0)?,
        (k > 0).then_some(k),
        number("top_p", 1.0)?,
    )
    .map_err(|e| e.to_string())
}

/// The string field `name`.
fn field_str<'r>(request: &'r Value, name: &str) -> Result<&'r str, String> {
    request[name]
        .as_str()
        .ok_or(format!("the request needs a string \"{name}\""))
}

/// The whole-number field `name`, or `default` when absent.
fn field_usize(request: &Value, name: &str, default: usize) -> Result<usize, String> {
    match &request[name] {
        Value::Null => Ok(default),
        v => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or(format!("\"{name}\" must be a whole number")),
    }
}

/// The checkpoint a live page carries: the model and its vocabularies,
/// without the optimizer's state (which only training needs, and which
/// is twice the model's size for Adam); the optimizer is dropped from `c`.
///
/// # Errors
/// A model that would not load again.
pub fn page_checkpoint(c: &mut Checkpoint) -> Result<Vec<u8>, String> {
    c.optimizer = None;
    match c.unsavable() {
        Some(why) => Err(format!("the model cannot go into the page: {why}")),
        None => Ok(c.to_bytes()),
    }
}
