//! The explorer page and the playground: one self-contained HTML file
//! (`encdec explore`) that draws an [`Exploration`] (computed by
//! [`crate::seq2seq::decode`]), and the same attention matrices as JSON or
//! CSV (`encdec heatmap --format`).
//!
//! The page holds its data (the exploration as JSON), its style
//! (`page.css`) and its scripts inline, and loads nothing: it opens from a
//! file, offline. `page.js` draws:
//! - a header with the input, the output, the task and the model's sizes,
//!   and the source as the model reads it (`<unk>` marked);
//! - the decoding, step by step: what the decoder read, the top-k next
//!   words with their probabilities, the word written (§3.2); clicking a
//!   step lights up its row in every cross-attention matrix and the source
//!   words it read;
//! - with a beam wider than one, the beam as a tree, the returned sentence's
//!   path drawn thick;
//! - every attention: a head view (lines from each query word to the key
//!   words, as bertviz draws, any set of heads, a word locked by a click)
//!   and a matrix view of every kind, layer and head at once, in the
//!   sequential white-to-blue scale of encdec's heatmaps
//!   ([`super::colour_scale`]), with a legend and a tooltip naming
//!   both words and the weight.
//!
//! A live page ([`PageModel::Live`]) also carries the playground's
//! WebAssembly module ([`MODULE`], `wasm/`) and a checkpoint, both base64,
//! and KaTeX: `live.js` decodes what the learner types (greedy, beam,
//! sampling, with temperature, top-k and top-p), plays the decoding and
//! keeps the sentence and settings in the link's fragment; `arithmetic.js`
//! opens any cell's arithmetic (§4.2, §2.3); `train.js` trains the demo's
//! model in a Web Worker. Every number comes from the module, which
//! answers with [`crate::pipeline::playground::Playground`]. `labels.js`
//! holds every label in English and Chinese.
//!
//! A first small script records any JavaScript error in the page's
//! `data-errors` attribute and shows it in a red box; the browser tests
//! (`tests/browser/`, run by `.ci/run` in headless Chromium) fail on it.

mod export;

use super::colour_scale;
use crate::seq2seq::decode::Exploration;
use crate::text::printable;
pub(in crate::viz) use export::json_chars;
pub use export::{attention_csv, attention_json, json_text, page_data, text_cell};
use std::path::Path;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");
const LABELS: &str = include_str!("labels.js");
const LIVE: &str = include_str!("live.js");
const ARITHMETIC: &str = include_str!("arithmetic.js");
const TRAIN: &str = include_str!("train.js");

/// Records script errors where a reader and a test can see them; runs first.
pub(in crate::viz) const ERROR_CATCHER: &str = r#"(function () {
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
/// browser, by `tests/browser/static_page.rs` and `tests/browser/playground.rs`.
pub fn to_html(e: &Exploration, model: &PageModel) -> String {
    let title = format!("encdec explorer: {}", escape(&printable(&e.input)));
    // 5 samples of the piecewise-linear scale are its corners: the page
    // interpolates between them exactly as colour_scale does.
    let colours: Vec<[u8; 3]> = (0..5).map(|i| colour_scale(i as f64 / 4.0)).collect();
    let live = match model {
        PageModel::Live { checkpoint, watch } if !MODULE.is_empty() => format!(
            "<script type=\"application/octet-stream\" id=\"encdec-module\">{}</script>\n\
             <script type=\"application/octet-stream\" id=\"encdec-model\">{}</script>\n{}{}\n",
            base64(MODULE),
            base64(checkpoint),
            watch.map_or(String::new(), |w| format!(
                "<script type=\"application/json\" id=\"encdec-watch\">{}</script>\n",
                script_safe(&json_chars(&w.to_string()))
            )),
            katex()
        ),
        _ => String::new(),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<script>{ERROR_CATCHER}</script>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <div id=\"encdec-errors\" class=\"errors\" hidden></div>\n\
         <div id=\"encdec-controls\"></div>\n<div id=\"encdec-explorer\" data-ready=\"0\"></div>\n\
         <script type=\"application/json\" id=\"encdec-data\">{}</script>\n\
         <script type=\"application/json\" id=\"encdec-colours\">{}</script>\n{live}\
         <script>\n{LABELS}{SCRIPT}{LIVE}{ARITHMETIC}{TRAIN}</script>\n</body>\n</html>\n",
        script_safe(&json_chars(&page_data(e, Some(4)).to_string())),
        serde_json::to_string(&colours).expect("numbers serialize"),
    )
}

/// What model a page carries.
#[derive(Clone, Copy, Debug)]
pub enum PageModel<'a> {
    /// None: the page shows the exploration it was written with (the
    /// explorer as it was before the playground, for where no script may
    /// run WebAssembly).
    Static,
    /// A checkpoint's bytes (`crate::pipeline::playground::page_checkpoint`): the page runs it live
    /// in the playground's module, when the library was built with one
    /// ([`MODULE`] not empty); with the snapshots `encdec train --watch`
    /// recorded, if given, for the training panel to replay.
    Live {
        /// The checkpoint.
        checkpoint: &'a [u8],
        /// A watch file's contents: `{"snapshots": [...]}`.
        watch: Option<&'a serde_json::Value>,
    },
}

/// KaTeX, inline (the header the API docs use, without its rule that
/// typesets every `$` of the document: the page typesets its formulas one
/// by one, and a token may hold a `$`).
fn katex() -> &'static str {
    const HEADER: &str = include_str!("../../../docs/katex-header.html");
    let auto = HEADER
        .rfind("<script>\ndocument.addEventListener(\"DOMContentLoaded\"")
        .unwrap_or(HEADER.len());
    &HEADER[..auto]
}

/// `bytes` in base64 (RFC 4648, with padding), which the page decodes with `atob`.
///
/// ```
/// assert_eq!(encdec::viz::explorer::base64(b"encdec"), "ZW5jZGVj");
/// assert_eq!(encdec::viz::explorer::base64(b"ab"), "YWI=");
/// ```
pub fn base64(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            match i <= chunk.len() {
                true => out.push(DIGITS[(n >> (18 - 6 * i) & 63) as usize] as char),
                false => out.push('='),
            }
        }
    }
    out
}

/// Writes [`to_html`] to `path`, atomically.
///
/// # Errors
/// The operating system's error; an existing file is then left as it was.
pub fn write_html(e: &Exploration, model: &PageModel, path: &Path) -> std::io::Result<()> {
    crate::files::write_atomic(path, to_html(e, model).as_bytes())
}

/// The page inside an `<iframe srcdoc=…>`, framed for the evcxr kernel
/// (`EVCXR_BEGIN_CONTENT text/html`): the page keeps its own script and
/// style apart from the notebook's.
pub fn notebook_html(e: &Exploration, model: &PageModel) -> String {
    format!(
        "EVCXR_BEGIN_CONTENT text/html\n<iframe srcdoc=\"{}\" style=\"width:100%;height:720px;border:1px solid #ccc\"></iframe>\nEVCXR_END_CONTENT",
        attribute(&to_html(e, model))
    )
}

/// Prints [`notebook_html`]: in an evcxr notebook the page
/// appears below the cell.
pub fn show(e: &Exploration, model: &PageModel) {
    println!("{}", notebook_html(e, model));
}
/// JSON placed inside `<script>`: `</script>` or `<!--` in a token would
/// end or confuse the script element, so every `<` (it can only be inside a
/// JSON string) becomes `\u003c`, which JSON reads as the same character.
pub(in crate::viz) fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Text for HTML content.
pub(in crate::viz) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text for a double-quoted HTML attribute.
fn attribute(s: &str) -> String {
    escape(s).replace('"', "&quot;")
}

/// The playground's WebAssembly module (`wasm/`, built by `build.rs`), or
/// nothing when it could not be built: then the pages are static.
pub const MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/playground.wasm"));
