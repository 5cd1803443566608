//! The numbers a picture shows, saved next to it as a small JSON file, so
//! that a test can check what the docs say about the picture against what
//! it really shows (`tests/docs/captions.rs`).

use std::path::Path;

pub use serde_json::{Value, json};

use super::{PlotError, input_error};
use crate::seq2seq::decode::GreedyStep;

/// Decimals every number is rounded to when saved.
const PLACES: i32 = 4;

/// Writes `data` as compact JSON to `path` (which must end in `.json`),
/// atomically ([`crate::files::write_atomic`]): an existing file is
/// replaced whole or left as it was. Every number is rounded to 4
/// decimals first, which keeps the file small and is finer than any
/// caption quotes.
///
/// ```no_run
/// use encdec::viz::{json, save_data};
/// let loss = [2.31, 1.02, 0.5];
/// save_data(std::path::Path::new("curves.json"), &json!({ "loss": loss }))?;
/// # Ok::<(), encdec::viz::PlotError>(())
/// ```
///
/// # Errors
/// A path not ending in `.json`; a file that cannot be written.
///
/// Checked by `tests/viz/dual.rs::save_data_rounds_and_writes_json`.
pub fn save_data(path: &Path, data: &Value) -> Result<(), PlotError> {
    const F: &str = "save_data";
    if path.extension().and_then(|e| e.to_str()) != Some("json") {
        let why = format!("{} must end in .json", path.display());
        return Err(input_error(F, why));
    }
    let text = rounded(data).to_string();
    crate::files::write_atomic(path, text.as_bytes()).map_err(|e| PlotError::Write {
        function: F,
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// `value` with every float rounded to [`PLACES`] decimals.
fn rounded(value: &Value) -> Value {
    let scale = 10f64.powi(PLACES);
    match value {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            json!((x * scale).round() / scale)
        }
        Value::Array(items) => Value::Array(items.iter().map(rounded).collect()),
        Value::Object(map) => {
            let pairs = map.iter().map(|(k, v)| (k.clone(), rounded(v)));
            Value::Object(pairs.collect())
        }
        other => other.clone(),
    }
}

/// The steps of [`greedy_steps`](crate::seq2seq::decode::greedy_steps) as JSON:
/// `{"steps": [{"candidates": [["le", 0.97], ...], "chosen": 0}, ...]}`.
///
/// Checked by `tests/viz/dual.rs::save_data_rounds_and_writes_json`.
pub fn greedy_steps_data(steps: &[GreedyStep]) -> Value {
    let steps: Vec<Value> = (steps.iter())
        .map(|s| json!({ "candidates": s.candidates, "chosen": s.chosen }))
        .collect();
    json!({ "steps": steps })
}
