//! Summaries and dialogues: one JSON object per line.

use super::lines::read_with;
use super::tsv::side;
use super::{CorpusError, CorpusFile, ReadOptions};
use crate::text::{TextPair, printable};
use std::path::Path;

/// The JSON object of one line, or a message saying why it is not one.
/// Fields other than those read are ignored, whatever JSON they hold; a
/// key given twice is an error (serde_json would silently keep the last).
fn json_object(line: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(map)) => match repeated_key(line) {
            Some(key) => Err(format!(
                "the key \"{}\" appears twice in the object; keep one of them",
                printable(&key)
            )),
            None => Ok(map),
        },
        Ok(_) => Err("expected a JSON object {...} on each line (JSON Lines)".into()),
        Err(e) => Err(format!("not valid JSON: {e}")),
    }
}

/// The first key that appears twice in the outermost object of `json`,
/// which must be valid JSON. Keys are compared decoded (`"\u0061"` is
/// `"a"`); keys of nested objects are not looked at.
fn repeated_key(json: &str) -> Option<String> {
    let bytes = json.as_bytes();
    let mut keys = std::collections::HashSet::new();
    let (mut depth, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b'"' => {
                let start = i;
                i += 1;
                while *bytes.get(i)? != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                // A string in the outermost object followed by `:` is a key.
                let rest = json[i + 1..].trim_start();
                if depth == 1 && rest.starts_with(':') {
                    let key: String = serde_json::from_str(&json[start..=i]).ok()?;
                    if !keys.insert(key.clone()) {
                        return Some(key);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A string field of a JSON object, not empty.
fn text_field(
    map: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<String, String> {
    match map.get(key) {
        Some(serde_json::Value::String(s)) => side(s, &format!("\"{key}\"")),
        Some(_) => Err(format!("\"{key}\" must be a string")),
        None => Err(format!("no \"{key}\" field")),
    }
}

/// Reads documents and their summaries from JSON Lines:
/// `{"document": "...", "summary": "..."}` on each line. Other fields are
/// ignored whatever valid JSON they hold; the line as a whole must be one
/// valid JSON object, each key given once.
///
/// # Errors
/// Bad JSON, a key given twice, a missing or empty field, invalid UTF-8;
/// the error names the file and the line.
pub fn read_summaries(path: &Path, opts: ReadOptions) -> Result<CorpusFile<TextPair>, CorpusError> {
    read_with(path, opts, |line| {
        let map = json_object(line)?;
        Ok(TextPair {
            source: text_field(&map, "document")?,
            target: text_field(&map, "summary")?,
        })
    })
}

/// Reads conversations from JSON Lines: `{"turns": ["...", "...", ...]}`
/// on each line, the user speaking first and the two sides taking turns.
/// Other fields are ignored whatever valid JSON they hold; the line as a
/// whole must be one valid JSON object, each key given once.
///
/// # Errors
/// Bad JSON, a key given twice, fewer than two turns, an empty or
/// non-string turn, invalid UTF-8; the error names the file and the line.
pub fn read_dialogues(
    path: &Path,
    opts: ReadOptions,
) -> Result<CorpusFile<Vec<String>>, CorpusError> {
    read_with(path, opts, |line| {
        let map = json_object(line)?;
        let turns = match map.get("turns") {
            Some(serde_json::Value::Array(a)) => a,
            Some(_) => return Err("\"turns\" must be a list of strings".into()),
            None => return Err("no \"turns\" field".into()),
        };
        if turns.len() < 2 {
            return Err(format!(
                "a conversation needs at least two turns (the user's and the reply); this one has {}",
                turns.len()
            ));
        }
        turns
            .iter()
            .enumerate()
            .map(|(i, t)| match t {
                serde_json::Value::String(s) => side(s, &format!("turn {}", i + 1)),
                _ => Err(format!("turn {} is not a string", i + 1)),
            })
            .collect()
    })
}
