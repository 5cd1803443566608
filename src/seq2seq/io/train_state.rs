//! What a checkpoint keeps besides the weights: how its text is tokenized,
//! how far training got, and the optimizer's running state — what
//! `--resume` needs to continue — and their JSON in the header.

use crate::seq2seq::task::{Task, TextSettings};
use crate::tensor::Tensor;
use crate::text::Language;
use serde_json::{Value, json};

/// How far training got: what `--resume` continues from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainProgress {
    /// Epochs done.
    pub epochs: usize,
    /// Optimizer steps done.
    pub steps: usize,
    /// The lowest validation loss reached (the model saved is the one that reached it).
    pub best_valid_loss: f64,
}

impl TrainProgress {
    /// Where training starts from scratch: nothing done, no loss to beat.
    pub const START: TrainProgress = TrainProgress {
        epochs: 0,
        steps: 0,
        best_valid_loss: f64::INFINITY,
    };
}

pub(crate) fn progress_json(p: &Option<TrainProgress>) -> Value {
    match p {
        None => Value::Null,
        Some(p) => json!({"epochs": p.epochs, "steps": p.steps,
            "best_valid_loss": if p.best_valid_loss.is_finite() { json!(p.best_valid_loss) } else { Value::Null }}),
    }
}

pub(crate) fn progress_from(v: &Value) -> Result<Option<TrainProgress>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let int = |k: &str| {
        v[k].as_u64()
            .and_then(|x| usize::try_from(x).ok())
            .ok_or(format!(
                "training field '{k}' is missing or not a whole number"
            ))
    };
    Ok(Some(TrainProgress {
        epochs: int("epochs")?,
        steps: int("steps")?,
        best_valid_loss: v["best_valid_loss"].as_f64().unwrap_or(f64::INFINITY),
    }))
}

/// The text settings as the checkpoint header and the safetensors metadata store them.
pub(crate) fn text_json(t: &TextSettings) -> Value {
    json!({"lowercase": t.lowercase, "src_lang": t.src_lang.code(),
                       "tgt_lang": t.tgt_lang.code(), "max_len": t.max_len})
}

pub(crate) fn text_from(v: &Value, task: Task) -> Result<TextSettings, String> {
    let mut t = TextSettings::for_task(task);
    if v.is_null() {
        return Ok(t); // files written before text settings existed
    }
    t.lowercase = v["lowercase"]
        .as_bool()
        .ok_or("text field 'lowercase' is missing")?;
    let lang = |k: &str| -> Result<Language, String> {
        v[k].as_str()
            .ok_or(format!("text field '{k}' is missing"))?
            .parse()
    };
    t.src_lang = lang("src_lang")?;
    t.tgt_lang = lang("tgt_lang")?;
    t.max_len = v["max_len"]
        .as_u64()
        .and_then(|x| usize::try_from(x).ok())
        .filter(|&x| (1..=100_000).contains(&x))
        .ok_or("text field 'max_len' is missing or not a whole number from 1 to 100000")?;
    Ok(t)
}

/// An optimizer's running state per parameter, in the model's parameter
/// order ([`crate::optim::Optimizer::state`]).
#[derive(Clone, Debug, PartialEq)]
pub struct OptimizerState {
    /// Which optimizer (`adam`, `sgd`).
    pub name: String,
    /// Each parameter's tensors, `None` for one never updated.
    pub state: Vec<Option<Vec<Tensor>>>,
}

/// The header entry of an optimizer state: its name and each tensor's shape.
pub(crate) fn optimizer_json(o: &Option<OptimizerState>) -> Value {
    match o {
        None => Value::Null,
        Some(o) => json!({"name": o.name, "state": o.state.iter().map(|s| match s {
            None => Value::Null,
            Some(ts) => json!(ts.iter().map(|t| t.shape().to_vec()).collect::<Vec<_>>()),
        }).collect::<Vec<_>>()}),
    }
}

/// Each parameter's state shapes, as [`Option`]s (the values follow the
/// parameters' in the file).
pub(crate) type StateShapes = Vec<Option<Vec<Vec<usize>>>>;

/// Reads the header entry written by [`optimizer_json`].
pub(crate) fn optimizer_shapes(v: &Value) -> Result<Option<(String, StateShapes)>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let name = v["name"]
        .as_str()
        .ok_or("optimizer state has no name")?
        .to_string();
    let list = v["state"]
        .as_array()
        .ok_or("optimizer state has no list of shapes")?;
    let shape = |d: &Value| -> Option<Vec<usize>> {
        d.as_array()?
            .iter()
            .map(|x| x.as_u64().and_then(|x| usize::try_from(x).ok()))
            .collect()
    };
    let shapes = list
        .iter()
        .map(|s| match s {
            Value::Null => Ok(None),
            Value::Array(ts) => ts
                .iter()
                .map(shape)
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or(()),
            _ => Err(()),
        })
        .collect::<Result<Vec<_>, ()>>()
        .map_err(|_| {
            "optimizer state holds a shape that is not a list of whole numbers".to_string()
        })?;
    Ok(Some((name, shapes)))
}
