//! Without positional encoding: self-attention treats its inputs as a set,
//! so the encoder becomes permutation-equivariant — shuffle the source
//! words and its outputs are the same vectors, shuffled; the decoder, which
//! averages over them, writes the same translation for every order.

use super::{Experiment, Lines, Report, Setup, Table, fixed, train_quietly, translation_options};
use crate::autograd::Tape;
use crate::corpora::FOX_EN;
use crate::pipeline::train::RunError;
use crate::seq2seq::batch::Batch;
use crate::seq2seq::config::{ModelKind, Positions};
use crate::seq2seq::decode::{Translator, UnknownWords};
use serde_json::json;

/// `encdec experiment positions`.
pub const EXPERIMENT: Experiment = Experiment {
    name: "positions",
    about: "the Transformer with and without positional encoding",
    run,
};

/// The fox sentence with its words in another order.
const SHUFFLED: &str = "dog the brown over lazy quick the jumps fox";

/// The largest difference between the encoder's outputs for `shuffled`
/// and its outputs for `sentence` put in the same order: 0 (to rounding)
/// when the encoder is permutation-equivariant.
pub(super) fn equivariance_gap(t: &Translator, sentence: &str, shuffled: &str) -> f64 {
    let ids = |s: &str| t.src_vocab.encode(&t.tokenizer().tokenize(s));
    let (a, b) = (ids(sentence), ids(shuffled));
    let memory = |ids: &[usize]| {
        let tape = Tape::new();
        let enc = t.model.encode(&tape, &Batch::sources(&[ids]), None);
        enc.memory
            .map(|m| m.value())
            .expect("a Transformer keeps its outputs")
    };
    let (ma, mb) = (memory(&a), memory(&b));
    let d = ma.shape()[2];
    let mut used = vec![false; a.len()];
    let mut gap: f64 = 0.0;
    for (i, id) in b.iter().enumerate() {
        let Some(j) = (0..a.len()).find(|&j| !used[j] && a[j] == *id) else {
            return f64::INFINITY;
        };
        used[j] = true;
        for c in 0..d {
            gap = gap.max((mb.data()[i * d + c] - ma.data()[j * d + c]).abs());
        }
    }
    gap
}

/// A table row, a note with the example pair, a chart line and the numbers.
type ModelResult = (Vec<String>, String, (String, Vec<f64>), serde_json::Value);

/// Trains with `positions` and measures the encoder and the translations.
fn one_model(
    s: &Setup,
    positions: Positions,
    (pairs, epochs): (usize, usize),
    say: &mut dyn FnMut(String),
) -> Result<ModelResult, RunError> {
    say(format!("positional encoding {}", positions.name()));
    let mut o = translation_options(ModelKind::Transformer, (pairs, epochs), s);
    o.sizes.positions = Some(positions);
    let outcome = train_quietly(&o, say)?;
    let t = &outcome.checkpoint.translator;
    let decode = |x: &str| {
        t.decode_text(x, 1, UnknownWords::Refuse)
            .map(|d| d.text)
            .map_err(|e| e.to_string())
    };
    let (fox, shuffled) = (decode(FOX_EN)?, decode(SHUFFLED)?);
    let gap = equivariance_gap(t, FOX_EN, SHUFFLED);
    let row = vec![
        positions.name().to_string(),
        format!("{gap:.1e}"),
        fixed(outcome.test.bleu4, 3),
    ];
    let note = format!(
        "Positional encoding {}: `{FOX_EN}` → `{fox}`; `{SHUFFLED}` → `{shuffled}`.",
        positions.name()
    );
    let val: Vec<f64> = outcome
        .history
        .epochs
        .iter()
        .map(|e| e.valid_accuracy)
        .collect();
    let line = (format!("validation accuracy, {}", positions.name()), val);
    let result = json!({
        "positions": positions.name(), "equivariance_gap": gap, "bleu4": outcome.test.bleu4,
        "fox": fox, "shuffled": shuffled,
    });
    Ok((row, note, line, result))
}

fn run(s: &Setup, say: &mut dyn FnMut(String)) -> Result<Report, RunError> {
    let (pairs, epochs) = s.pick((400, 2), (3000, 6));
    let mut rows = vec![];
    let (mut series, mut results, mut notes) = (vec![], vec![], vec![]);
    for positions in [Positions::Sinusoidal, Positions::None] {
        let (row, note, line, result) = one_model(s, positions, (pairs, epochs), say)?;
        rows.push(row);
        notes.push(note);
        series.push(line);
        results.push(result);
    }
    notes.push(format!(
        "Encoder gap: the largest difference between the encoder's outputs for the shuffled sentence and the same outputs for the fox sentence put in that order. BLEU-4 on tokens, greedy. Default Transformer, {pairs} pairs, {epochs} epochs, seed {}.",
        s.seed
    ));
    Ok(Report {
        table: Table {
            header: [
                "positional encoding",
                "encoder gap (shuffled)",
                "BLEU (test)",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        },
        notes,
        chart: Lines {
            title: "With and without positional encoding".into(),
            x_label: "epoch".into(),
            y_label: "teacher-forced validation accuracy".into(),
            categories: (1..=epochs).map(|e| e.to_string()).collect(),
            series,
        },
        json: json!(results),
    })
}
