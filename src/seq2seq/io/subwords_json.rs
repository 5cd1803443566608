//! A model's merge tables as JSON, in a checkpoint's header and in a
//! weights file's `subwords` metadata:
//!
//! ```json
//! {"table": "joint", "merges": [["e", "s"], ["es", "t</w>"]]}
//! {"table": "separate", "src": [["e", "s"]], "tgt": [["e", "r</w>"]]}
//! ```
//!
//! Each merge is its two parts; `</w>` ends a part that ends a word
//! ([`crate::text::subwords::WORD_END`]). A file without the field holds
//! a model of whole words. Reading checks the types and the list's length
//! before reading any merge, then each merge's parts
//! ([`Merges::from_pairs`]).
//!
//! Checked by `tests/cli/subwords.rs`.

use crate::text::subwords::{MAX_MERGES, Merges, SubwordTable, Subwords};
use serde_json::{Value, json};

/// The tables as JSON.
pub(crate) fn subwords_json(s: &Subwords) -> Value {
    let list = |m: &Merges| -> Value {
        m.pairs()
            .iter()
            .map(|(a, b)| json!([a, b]))
            .collect::<Vec<_>>()
            .into()
    };
    match s.table {
        SubwordTable::Joint => json!({"table": "joint", "merges": list(&s.src)}),
        SubwordTable::Separate => {
            json!({"table": "separate", "src": list(&s.src), "tgt": list(&s.tgt)})
        }
    }
}

/// The tables of `value` (`Null`: no subwords).
///
/// # Errors
/// Not an object of the shape above, a list longer than [`MAX_MERGES`], a
/// merge that is not two strings, or a part that is neither a character
/// nor an earlier merge's result; the message starts with `subwords`.
pub(crate) fn subwords_from(value: &Value) -> Result<Option<Subwords>, String> {
    if value.is_null() {
        return Ok(None);
    }
    let fields = value
        .as_object()
        .ok_or("subwords is not an object with \"table\" and its merges")?;
    let table = match fields.get("table").and_then(Value::as_str) {
        Some("joint") => SubwordTable::Joint,
        Some("separate") => SubwordTable::Separate,
        _ => return Err("subwords: \"table\" must be \"joint\" or \"separate\"".into()),
    };
    let keys: &[&str] = match table {
        SubwordTable::Joint => &["table", "merges"],
        SubwordTable::Separate => &["table", "src", "tgt"],
    };
    if let Some(k) = fields.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(format!(
            "subwords: unknown field \"{}\" for a {} table",
            crate::text::printable(k),
            table.name()
        ));
    }
    let merges = |key: &str| merges_from(&value[key], key);
    Ok(Some(match table {
        SubwordTable::Joint => Subwords::joint(merges("merges")?),
        SubwordTable::Separate => Subwords::separate(merges("src")?, merges("tgt")?),
    }))
}

fn merges_from(value: &Value, key: &str) -> Result<Merges, String> {
    let list = value.as_array().ok_or(format!(
        "subwords: \"{key}\" is missing or not a list of merges"
    ))?;
    if list.len() > MAX_MERGES {
        return Err(format!(
            "subwords: \"{key}\" holds {} merges, more than the {MAX_MERGES} a table may hold",
            list.len()
        ));
    }
    let mut pairs = Vec::with_capacity(list.len());
    for (r, m) in list.iter().enumerate() {
        let pair = match m.as_array().map(Vec::as_slice) {
            Some([Value::String(a), Value::String(b)]) => (a.clone(), b.clone()),
            _ => {
                return Err(format!(
                    "subwords: \"{key}\": merge {r} is not a list of two strings"
                ));
            }
        };
        pairs.push(pair);
    }
    Merges::from_pairs(pairs).map_err(|e| format!("subwords: \"{key}\": {e}"))
}
