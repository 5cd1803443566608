//! The explorer page: one self-contained HTML file (`encdec explore`) that
//! draws an [`Exploration`] (computed by [`crate::seq2seq::decode`]), and the
//! same attention matrices as JSON or CSV (`encdec heatmap --format`).
//!
//! The page holds its data (the exploration as JSON), its style
//! (`page.css`) and its script (`page.js`) inline, and loads nothing: it
//! opens from a file, offline. The script draws:
//! - a header with the input, the output, the task and the model's sizes;
//! - the decoding, step by step: what the decoder read, the top-k next
//!   words with their probabilities, the word written (§3.2);
//! - with a beam wider than one, the beam as a tree, the returned sentence's
//!   path drawn thick;
//! - every attention: a head view (lines from each query word to the key
//!   words, as bertviz draws, one head or all, with a selector of kind and
//!   layer) and a matrix view of every kind, layer and head at once, in
//!   the sequential white-to-blue scale of encdec's heatmaps
//!   ([`super::colour_scale`]), with a legend and a tooltip naming
//!   both words and the weight.
//!
//! A first small script records any JavaScript error in the page's
//! `data-errors` attribute and shows it in a red box; the browser test
//! (`tests/browser.rs`, run by `.ci/run` in headless Chromium) fails on it
//! and reads every layer, head and step back from the DOM.

mod export;

pub use export::{attention_csv, attention_json, json_text, page_data, text_cell};

use super::colour_scale;
use crate::seq2seq::decode::Exploration;
use crate::text::printable;
use export::json_chars;
use std::path::Path;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Records script errors where a reader and a test can see them; runs first.
const ERROR_CATCHER: &str = r#"(function () {
  var errors = [];
  function report(message) {
    errors.push(message);
    document.documentElement.setAttribute("data-errors", JSON.stringify(errors));
    var box = document.getElementById("encdec-errors");
    if (box) { box.textContent = "The page failed: " + errors.join("\n"); box.hidden = false; }
  }
  window.addEventListener("error", function (e) { report(e.message + " (line " + (e.lineno || 0) + ")"); });
  window.addEventListener("unhandledrejection", function (e) { report(String(e.reason)); });
})();"#;

/// The whole page as one HTML document. It holds no control character but
/// line ends, no bidirectional control and no U+FFFE or U+FFFF, so that
/// `cat page.html` runs no terminal escape: text written into the HTML (the
/// title) is shown as [`printable`] prints it, HTML-escaped, and the
/// embedded JSON writes those characters as `\uXXXX` escapes
/// ([`json_text`]'s rule), which the script's `JSON.parse` reads back as the
/// exact tokens.
/// Checked by `tests/viz/hostile_labels.rs::any_label_gives_an_explorer_page_with_no_raw_control_or_bidi_character`,
/// `tests/cli/outputs.rs::explore_page_holds_no_raw_control_or_bidi_character_and_keeps_tokens_exact`,
/// `tests/viz/explorer.rs::page_is_self_contained_and_a_token_cannot_end_its_script` and, in a
/// browser, by `tests/browser.rs`.
pub fn to_html(e: &Exploration) -> String {
    let title = format!("encdec explorer: {}", escape(&printable(&e.input)));
    // 5 samples of the piecewise-linear scale are its corners: the page
    // interpolates between them exactly as colour_scale does.
    let colours: Vec<[u8; 3]> = (0..5).map(|i| colour_scale(i as f64 / 4.0)).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<script>{ERROR_CATCHER}</script>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <div id=\"encdec-errors\" class=\"errors\" hidden></div>\n\
         <div id=\"encdec-explorer\" data-ready=\"0\"></div>\n\
         <script type=\"application/json\" id=\"encdec-data\">{}</script>\n\
         <script type=\"application/json\" id=\"encdec-colours\">{}</script>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        script_safe(&json_chars(&page_data(e).to_string())),
        serde_json::to_string(&colours).expect("numbers serialize"),
    )
}

/// Writes [`to_html`] to `path`, atomically.
///
/// # Errors
/// The operating system's error; an existing file is then left as it was.
pub fn write_html(e: &Exploration, path: &Path) -> std::io::Result<()> {
    crate::files::write_atomic(path, to_html(e).as_bytes())
}

/// The page inside an `<iframe srcdoc=…>`, framed for the evcxr kernel
/// (`EVCXR_BEGIN_CONTENT text/html`): the page keeps its own script and
/// style apart from the notebook's.
pub fn notebook_html(e: &Exploration) -> String {
    format!(
        "EVCXR_BEGIN_CONTENT text/html\n<iframe srcdoc=\"{}\" style=\"width:100%;height:720px;border:1px solid #ccc\"></iframe>\nEVCXR_END_CONTENT",
        attribute(&to_html(e))
    )
}

/// Prints [`notebook_html`]: in an evcxr notebook the page
/// appears below the cell.
pub fn show(e: &Exploration) {
    println!("{}", notebook_html(e));
}
/// JSON placed inside `<script>`: `</script>` or `<!--` in a token would
/// end or confuse the script element, so every `<` (it can only be inside a
/// JSON string) becomes `\u003c`, which JSON reads as the same character.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Text for HTML content.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text for a double-quoted HTML attribute.
fn attribute(s: &str) -> String {
    escape(s).replace('"', "&quot;")
}
