//! An exploration as data: the attention matrices with their labels as JSON
//! or CSV (`encdec heatmap --format json|csv`), and everything the page
//! draws as one JSON value.

use crate::seq2seq::decode::{AttentionMap, Exploration, Mark};
use crate::text::{printable, unprintable};
use serde_json::{Value, json};

/// Every attention matrix, one entry per kind, layer and head:
///
/// ```json
/// {"task": "translation", "model": "transformer", "input": "...", "output": "...",
///  "source_tokens": [...], "decoder_inputs": [...], "outputs": [...],
///  "attention": [{"kind": "encoder e-attention", "layer": 1, "head": 1,
///                 "queries": [...], "keys": [...], "weights": [[...], ...]}, ...]}
/// ```
///
/// `weights[i][j]` is how much query `i` looks at key `j` (each row
/// sums to 1), at full precision. Layers and heads count from 1.
/// Checked by `tests/viz/explorer.rs::json_holds_every_matrix_with_its_labels`.
pub fn attention_json(e: &Exploration) -> Value {
    let matrices: Vec<Value> = e
        .attention
        .iter()
        .flat_map(|m| {
            (0..m.heads()).map(move |h| {
                json!({
                    "kind": m.kind.name(), "layer": m.layer, "head": h + 1,
                    "queries": m.queries, "keys": m.keys, "weights": rows(m, h, None),
                })
            })
        })
        .collect();
    json!({
        "task": e.task.name(), "model": e.config.kind().name(),
        "input": e.input, "output": e.output,
        "source_tokens": e.src_tokens, "decoder_inputs": e.decoder_inputs,
        "outputs": e.outputs, "attention": matrices,
    })
}

/// `v` as pretty-printed JSON (ending in a line end) that is safe to print:
/// every character [`printable`] escapes is written as JSON's own `\uXXXX`
/// escape (serde_json writes the C0 controls so already; this adds DEL, the
/// C1 controls, the bidirectional controls, U+FFFE and U+FFFF), so a JSON
/// reader gets each token back exactly and a terminal that shows the file
/// runs no control sequence. Such a character can only stand inside a JSON
/// string, where the escape means the same character.
/// Checked by `tests/cli/outputs.rs::heatmap_json_keeps_tokens_exact_and_is_safe_to_print`.
///
/// ```
/// use encdec::viz::explorer::json_text;
/// let v = serde_json::json!({"token": "\u{202e}x\u{9b}"});
/// assert_eq!(json_text(&v), "{\n  \"token\": \"\\u202ex\\u009b\"\n}\n");
/// ```
pub fn json_text(v: &Value) -> String {
    json_chars(&format!("{v:#}\n"))
}

/// JSON text with every character [`printable`] escapes but the line end
/// written as JSON's `\uXXXX` escape: the one rule for the JSON of
/// [`json_text`] and the JSON the explorer page embeds
/// ([`super::to_html`]). The line ends of pretty-printed JSON stand between
/// values; inside a string serde_json has written them as `\n` already.
/// Checked by `tests/viz/hostile_labels.rs::any_label_gives_an_explorer_page_with_no_raw_control_or_bidi_character`.
pub(in crate::viz) fn json_chars(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c != '\n' && unprintable(c) {
            true => out.push_str(&format!("\\u{:04x}", c as u32)),
            false => out.push(c),
        }
    }
    out
}

/// Every attention weight as one CSV row (lines end in `\n`):
/// `kind,layer,head,query_index,query,key_index,key,weight`, indices
/// from 0 and layers and heads from 1.
///
/// Numeric cells (indices, layers, heads, weights) are plain numbers, never
/// quoted or changed, so a spreadsheet reads them as numbers (a negative
/// one stays negative). Text cells (the tokens) are [`text_cell`]s: safe
/// to print, never a formula, in double quotes.
/// Checked by `tests/viz/explorer.rs::csv_has_one_row_per_weight` and
/// `tests/viz/hostile_labels.rs::no_csv_text_cell_starts_a_formula`.
pub fn attention_csv(e: &Exploration) -> String {
    let mut out = String::from("kind,layer,head,query_index,query,key_index,key,weight\n");
    for m in &e.attention {
        let (q, k) = (m.queries.len(), m.keys.len());
        for h in 0..m.heads() {
            for i in 0..q {
                for j in 0..k {
                    let w = m.weights.data()[(h * q + i) * k + j];
                    out.push_str(&format!(
                        "{},{},{},{i},{},{j},{},{w}\n",
                        m.kind.name(),
                        m.layer,
                        h + 1,
                        text_cell(&m.queries[i]),
                        text_cell(&m.keys[j]),
                    ));
                }
            }
        }
    }
    out
}

/// What the page draws: the header, every attention map, the steps and
/// the beam, with weights and probabilities rounded to `decimals` places
/// if given. The static page rounds to 4 (finer than a colour shows); the
/// playground's module keeps every digit, so the page's numbers are
/// [`attention_json`]'s. Also what each snapshot of `encdec train --watch`
/// holds (`encdec::pipeline::session::TrainSession::snapshot`, rounded to 4).
pub fn page_data(e: &Exploration, decimals: Option<i32>) -> Value {
    let round = |x: f64, d: i32| decimals.map_or(x, |n| round(x, n.min(d)));
    let c = &e.config;
    let maps: Vec<Value> = e
        .attention
        .iter()
        .map(|m| {
            json!({
                "kind": m.kind.name(), "layer": m.layer, "queries": m.queries, "keys": m.keys,
                "heads": (0..m.heads()).map(|h| rows(m, h, decimals)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let steps: Vec<Value> = e
        .steps
        .iter()
        .map(|s| {
            json!({
                "read": s.read, "chosen": s.chosen, "p": round(s.probability, 4),
                "top": s.top.iter().map(|(w, p)| json!([w, round(*p, 4)])).collect::<Vec<_>>(),
            })
        })
        .collect();
    let beam: Vec<Vec<Value>> = e
        .beam_steps
        .iter()
        .map(|step| {
            step.iter()
                .map(|n| {
                    json!({
                        "tokens": n.tokens, "log_prob": round(n.log_prob, 3),
                        "finished": n.finished, "best": n.on_best_path,
                    })
                })
                .collect()
        })
        .collect();
    json!({
        "task": e.task.name(), "input": e.input, "output": e.output,
        "log_prob": round(e.log_prob, 3), "beam": e.beam,
        "model": {
            "kind": c.kind().name(), "sizes": c.sizes(),
            "src_vocab": c.src_vocab, "tgt_vocab": c.tgt_vocab,
        },
        "source": e.src_tokens, "outputs": e.outputs,
        "attention": maps, "steps": steps, "beam_steps": beam,
        "marks": e.marks.iter().map(mark_json).collect::<Vec<_>>(),
    })
}

/// A mark on the input as the page reads it (its labels, in English and
/// Chinese, are the page's): `{"kind": "rare", "word": .., "count": ..}`,
/// `{"kind": "outside", "trigram": [a, b, c]}`, `{"kind": "set_aside",
/// "mark": ..}`, `{"kind": "counts_not_stored"}`, `{"kind": "trigrams_not_stored"}`.
fn mark_json(m: &Mark) -> Value {
    match m {
        Mark::Rare { word, count, .. } => json!({"kind": "rare", "word": word, "count": count}),
        Mark::Outside(g) => json!({"kind": "outside", "trigram": g}),
        Mark::SetAside(mark) => json!({"kind": "set_aside", "mark": mark}),
        Mark::CountsNotStored => json!({"kind": "counts_not_stored"}),
        Mark::TrigramsNotStored => json!({"kind": "trigrams_not_stored"}),
    }
}
/// Head `h` of `m` as rows of numbers, rounded to `decimals` if given.
fn rows(m: &AttentionMap, h: usize, decimals: Option<i32>) -> Vec<Vec<f64>> {
    let (q, k) = (m.queries.len(), m.keys.len());
    let head = &m.weights.data()[h * q * k..(h + 1) * q * k];
    head.chunks(k)
        .map(|r| {
            r.iter()
                .map(|&w| decimals.map_or(w, |d| round(w, d)))
                .collect()
        })
        .collect()
}

/// `x` rounded to `decimals` places.
fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// A text cell of CSV: the text as [`printable`] writes it (no control or
/// bidirectional character, as on a terminal), with `'` put before it when
/// it starts with `=`, `+`, `-` or `@` (or a tab or CR, which `printable`
/// already escapes), so that a spreadsheet shows it as text instead of
/// evaluating it as a formula (OWASP's advice against CSV injection); then
/// in double quotes, a quote inside doubled, as RFC 4180 asks.
///
/// ```
/// use encdec::viz::explorer::text_cell;
/// assert_eq!(text_cell("=SUM(A1)"), "\"'=SUM(A1)\"");
/// assert_eq!(text_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
/// ```
pub fn text_cell(s: &str) -> String {
    let text = printable(s);
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = if formula { "'" } else { "" };
    format!("\"{quote}{}\"", text.replace('"', "\"\""))
}
