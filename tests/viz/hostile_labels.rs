//! Hostile labels: a token is whatever a vocabulary holds, and a checkpoint
//! or a corpus can hold anything. For any label — arbitrary Unicode, the
//! C0 and C1 controls, bidirectional controls, characters XML 1.0 forbids,
//! `= + - @` at the start, tabs, CR — every SVG encdec writes parses as
//! XML, no CSV text cell starts a spreadsheet formula, and text as printed
//! holds no control or bidirectional character, in JSON either, where
//! every label still reads back exactly (issue 23, faults 3, 4, 5).

use crate::plot_support::TempFile;

use encdec::seq2seq::config::{ModelConfig, ModelKind};
use encdec::seq2seq::decode::{AttentionKind, AttentionMap, Exploration};
use encdec::seq2seq::task::Task;
use encdec::tensor::Tensor;
use encdec::text::printable;
use encdec::viz::explorer::{PageModel, attention_csv, attention_json, json_text, to_html};
use encdec::viz::{attention_heatmap, line_chart, scatter_labels};
use proptest::prelude::*;

/// Pieces that have broken a writer somewhere: formula starts, controls
/// that retitle a terminal or reverse a line, characters XML forbids, and
/// the characters XML and CSV quote.
const PIECES: &[&str] = &[
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\u{1b}]0;owned\u{7}",
    "\u{1b}[31m",
    "\u{202e}",
    "\u{2066}",
    "\u{200f}",
    "\u{61c}",
    "\u{0}",
    "\u{1}",
    "\u{c}",
    "\u{7f}",
    "\u{85}",
    "\u{9b}",
    "\u{fffe}",
    "\u{ffff}",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "a",
    "é",
    " ",
    "HYPERLINK(\"x\",\"y\")",
];

/// A label: arbitrary Unicode, or a string of hostile pieces.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(PIECES), 1..6).prop_map(|v| v.concat()),
    ]
}

/// A bidirectional control: a character that reorders what follows it.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Panics unless `svg` is well-formed XML 1.0.
fn assert_xml(svg: &str, what: &str) {
    if let Err(e) = roxmltree::Document::parse(svg) {
        panic!("{what}: not well-formed XML: {e}");
    }
}

/// The records of RFC 4180 CSV text (quoted fields may hold `,`, `"` doubled, and line ends).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (vec![], vec![], String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

/// An exploration holding one cross-attention map with these labels.
fn exploration(queries: &[String], keys: &[String]) -> Exploration {
    let (q, k) = (queries.len(), keys.len());
    let weights = Tensor::from_vec(vec![1.0 / k as f64; q * k], &[1, q, k]);
    Exploration {
        task: Task::Translation,
        config: ModelConfig::new(ModelKind::Attention, 8, 8),
        input: keys.join(" "),
        output: queries.join(" "),
        src_tokens: keys.to_vec(),
        decoder_inputs: queries.to_vec(),
        outputs: queries.to_vec(),
        log_prob: -1.0,
        attention: vec![AttentionMap {
            kind: AttentionKind::Cross,
            layer: 1,
            queries: queries.to_vec(),
            keys: keys.to_vec(),
            weights,
        }],
        steps: vec![],
        beam: 1,
        beam_steps: vec![],
        marks: vec![],
    }
}

/// Panics unless no text cell of the attention CSV starts a formula and
/// every numeric cell is a plain number.
fn assert_csv_safe(csv: &str) {
    let records = csv_records(csv);
    assert_eq!(
        records[0],
        [
            "kind",
            "layer",
            "head",
            "query_index",
            "query",
            "key_index",
            "key",
            "weight"
        ]
    );
    for r in &records[1..] {
        assert_eq!(r.len(), 8, "{r:?}");
        for text in [&r[0], &r[4], &r[6]] {
            let first = text.chars().next();
            assert!(
                !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                "a formula cell: {text:?} in {r:?}"
            );
        }
        for number in [&r[1], &r[2], &r[3], &r[5], &r[7]] {
            assert!(number.parse::<f64>().is_ok(), "{number:?} in {r:?}");
        }
    }
}

#[test]
fn the_owasp_examples_are_neutralised_in_csv() {
    let tokens: Vec<String> = [
        "=HYPERLINK(\"http://x\",\"x\")",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A2)",
        "+1",
        "\tx",
        "\rx",
        "plain",
    ]
    .map(String::from)
    .to_vec();
    let csv = attention_csv(&exploration(&tokens, &tokens));
    assert_csv_safe(&csv);
    // The text survives after the quote that neutralises it.
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"x\"\")\""),
        "{csv}"
    );
    assert!(csv.contains(",\"plain\","), "{csv}");
}

#[test]
fn a_heatmap_label_with_an_xml_forbidden_character_is_escaped_in_the_svg() {
    let out = TempFile::new("hostile-heatmap.svg");
    let src: Vec<String> = ["a\u{1}b", "\u{fffe}", "</s>"].map(String::from).to_vec();
    let tgt: Vec<String> = ["\u{c}x", "</s>"].map(String::from).to_vec();
    let w = Tensor::from_vec(vec![0.5, 0.25, 0.25, 0.1, 0.1, 0.8], &[2, 3]);
    attention_heatmap(&out.0, &w, &src, &tgt, "t\u{1b}]0;x\u{7}").unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    assert_xml(&svg, "heatmap");
    // The label is shown with the escape the terminal shows.
    assert!(svg.contains("a\\u{1}b"), "{svg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_label_gives_a_heatmap_svg_that_parses_as_xml(
        src in prop::collection::vec(label(), 1..4),
        tgt in prop::collection::vec(label(), 1..3),
        title in label(),
    ) {
        let out = TempFile::new("prop-heatmap.svg");
        let w = Tensor::from_vec(vec![0.5; src.len() * tgt.len()], &[tgt.len(), src.len()]);
        attention_heatmap(&out.0, &w, &src, &tgt, &title).unwrap();
        assert_xml(&std::fs::read_to_string(&out.0).unwrap(), "heatmap");
    }

    #[test]
    fn any_label_gives_a_scatter_plot_and_a_line_chart_that_parse_as_xml(
        labels in prop::collection::vec(label(), 2..4),
        title in label(),
    ) {
        let out = TempFile::new("prop-scatter.svg");
        let points: Vec<(f64, f64)> = (0..labels.len()).map(|i| (i as f64, (i * i) as f64)).collect();
        scatter_labels(&out.0, &title, &points, &labels, Some(&labels)).unwrap();
        assert_xml(&std::fs::read_to_string(&out.0).unwrap(), "scatter plot");
        let out = TempFile::new("prop-curves.svg");
        line_chart(&out.0, &title, &labels[0], &[(&labels[1], &[2.0, 1.0, 0.5])]).unwrap();
        assert_xml(&std::fs::read_to_string(&out.0).unwrap(), "line chart");
    }

    #[test]
    fn no_csv_text_cell_starts_a_formula(
        queries in prop::collection::vec(label(), 1..4),
        keys in prop::collection::vec(label(), 1..4),
    ) {
        assert_csv_safe(&attention_csv(&exploration(&queries, &keys)));
    }

    #[test]
    fn attention_json_reads_back_exactly_and_holds_no_control_or_bidi_character(
        queries in prop::collection::vec(label(), 1..4),
        keys in prop::collection::vec(label(), 1..4),
    ) {
        let text = json_text(&attention_json(&exploration(&queries, &keys)));
        let bad = |c: char| (c.is_control() && c != '\n') || is_bidi(c) || c == '\u{fffe}' || c == '\u{ffff}';
        prop_assert!(!text.chars().any(bad), "{text:?}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&v["attention"][0]["queries"], &serde_json::json!(queries));
        prop_assert_eq!(&v["attention"][0]["keys"], &serde_json::json!(keys));
    }

    #[test]
    fn any_label_gives_an_explorer_page_with_no_raw_control_or_bidi_character(
        queries in prop::collection::vec(label(), 1..4),
        keys in prop::collection::vec(label(), 1..4),
    ) {
        let page = to_html(&exploration(&queries, &keys), &PageModel::Static);
        let bad = |c: char| (c.is_control() && c != '\n') || is_bidi(c) || c == '\u{fffe}' || c == '\u{ffff}';
        let found: Vec<char> = page.chars().filter(|&c| bad(c)).collect();
        prop_assert!(found.is_empty(), "the page holds {:?}", found);
        // The script reads its data with JSON.parse: every label comes back exactly.
        let open = r#"<script type="application/json" id="encdec-data">"#;
        let start = page.find(open).unwrap() + open.len();
        let end = start + page[start..].find("</script>").unwrap();
        let v: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
        prop_assert_eq!(&v["attention"][0]["queries"], &serde_json::json!(queries));
        prop_assert_eq!(&v["source"], &serde_json::json!(keys));
        prop_assert_eq!(&v["input"], &serde_json::json!(keys.join(" ")));
    }

    #[test]
    fn text_as_printed_holds_no_control_or_bidi_character(s in label()) {
        let p = printable(&s);
        prop_assert!(!p.chars().any(|c| c.is_control() || is_bidi(c)), "{p:?}");
        // Printing twice changes nothing more: echoes and outputs can share it.
        prop_assert_eq!(printable(&p), p.clone());
        // And what is printed is XML text.
        assert_xml(&format!("<t>{}</t>", p.replace('&', "&amp;").replace('<', "&lt;")), "printed text");
    }
}
