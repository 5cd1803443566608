//! The tape page (`encdec tape`): one self-contained HTML file that draws
//! a recorded computation and steps through its backward pass.
//!
//! It draws what it is given: the record `crate::pipeline::tape_record`
//! makes from a real tape (every node's op, name, value and gradient, and
//! each step of the reverse loop with its `+=` contributions and their
//! arithmetic), embedded as JSON. `page.js` lays the graph out as a
//! layered DAG in SVG (a column per depth, edges as curves, each node a box
//! with its value and gradient as small grids) and walks the loop with ◀
//! (one step), ▶ (one step back) and reset; `labels.js` holds every label in
//! English and Chinese. Like the explorer, the page loads nothing: it opens
//! from a file, offline, and a script error shows in a red box and in the
//! page's `data-errors` attribute.
//!
//! Checked in a browser by `tests/browser/tape_page.rs`.

use super::explorer::{ERROR_CATCHER, escape, json_chars, script_safe};
use serde_json::Value;
use std::path::Path;

const STYLE: &str = include_str!("page.css");
const LABELS: &str = include_str!("labels.js");
const SCRIPT: &str = include_str!("page.js");

/// The page as one HTML document. Text from the record reaches the page
/// only as JSON (characters a terminal would run escaped as `\uXXXX`, and
/// every `<` as `\u003c`, so no name can end the script) and is placed
/// with `textContent`; the title is HTML-escaped.
pub fn to_html(record: &Value) -> String {
    let title = format!(
        "encdec tape: {}",
        escape(record["title"].as_str().unwrap_or("backward pass"))
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<script>{ERROR_CATCHER}</script>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <div id=\"encdec-errors\" class=\"errors\" hidden></div>\n\
         <div id=\"tape\" data-ready=\"0\"></div>\n\
         <script type=\"application/json\" id=\"tape-data\">{}</script>\n\
         <script>\n{LABELS}{SCRIPT}</script>\n</body>\n</html>\n",
        json_chars(&title),
        script_safe(&json_chars(&record.to_string())),
    )
}

/// Writes [`to_html`] to `path`, atomically.
///
/// # Errors
/// The operating system's error; an existing file is then left as it was.
pub fn write_html(record: &Value, path: &Path) -> std::io::Result<()> {
    crate::files::write_atomic(path, to_html(record).as_bytes())
}
