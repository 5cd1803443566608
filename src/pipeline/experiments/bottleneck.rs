//! The fixed-length bottleneck (tutorial §2.3, §3.1 step 4): BLEU by source
//! length for the plain LSTM encoder–decoder, the LSTM with attention and
//! the Transformer, on sentences of 1 to several clauses — Bahdanau et al.
//! (2014), figure 2, on a laptop.

use super::{Experiment, Lines, Report, Setup, Table, fixed, train_quietly, translation_options};
use crate::corpora::translation_corpus_clauses;
use crate::pipeline::train::{RunError, TrainOutcome};
use crate::seq2seq::config::ModelKind;
use crate::seq2seq::eval::corpus_bleu;
use crate::text::TextPair;
use serde_json::json;

/// `encdec experiment bottleneck`.
pub const EXPERIMENT: Experiment = Experiment {
    name: "bottleneck",
    about: "BLEU by source length: LSTM, LSTM with attention, Transformer (§2.3, §3.1)",
    run,
};

/// Source lengths in words: each bucket's first length (the last is open).
const BUCKETS: [usize; 4] = [1, 11, 21, 31];

pub(super) fn bucket_name(k: usize) -> String {
    match BUCKETS.get(k + 1) {
        Some(next) => format!("{}-{}", BUCKETS[k], next - 1),
        None => format!("{}+", BUCKETS[k]),
    }
}

pub(super) fn bucket_of(words: usize) -> usize {
    BUCKETS.iter().rposition(|&b| words >= b).unwrap_or(0)
}

/// Source length of each test pair, in words.
pub(super) fn lengths(test: &[TextPair]) -> Vec<usize> {
    test.iter()
        .map(|p| p.source.split_whitespace().count())
        .collect()
}

/// Corpus BLEU-4 of the test outputs in each bucket of `used`.
fn bleu_by_bucket(outcome: &TrainOutcome, test: &[TextPair], used: &[usize]) -> Vec<f64> {
    let tok = outcome.checkpoint.translator.tokenizer();
    let lengths = lengths(test);
    let hyps: Vec<Vec<String>> = outcome
        .test
        .hypotheses
        .iter()
        .map(|h| tok.tokenize(h))
        .collect();
    let refs: Vec<Vec<String>> = test.iter().map(|p| tok.tokenize(&p.target)).collect();
    used.iter()
        .map(|&k| {
            let pick = |v: &[Vec<String>]| -> Vec<Vec<String>> {
                (v.iter().zip(&lengths))
                    .filter(|(_, l)| bucket_of(**l) == k)
                    .map(|(x, _)| x.clone())
                    .collect()
            };
            corpus_bleu(&pick(&hyps), &pick(&refs))
        })
        .collect()
}

/// The length buckets that hold test sentences, and how many each holds.
pub(super) fn buckets(test: &[TextPair]) -> (Vec<usize>, Vec<usize>) {
    let lengths = lengths(test);
    let used: Vec<usize> = (0..BUCKETS.len())
        .filter(|&k| lengths.iter().any(|&l| bucket_of(l) == k))
        .collect();
    let counts = used
        .iter()
        .map(|&k| lengths.iter().filter(|&&l| bucket_of(l) == k).count())
        .collect();
    (used, counts)
}

/// `model`, each bucket with its number of test sentences, `all`.
pub(super) fn header(used: &[usize], counts: &[usize]) -> Vec<String> {
    let mut header = vec!["model".to_string()];
    header.extend(
        used.iter()
            .zip(counts)
            .map(|(&k, n)| format!("{} words ({n})", bucket_name(k))),
    );
    header.push("all".into());
    header
}

/// Trains `kind` on `pairs` pairs of 1 to `clauses` clauses for `epochs`
/// epochs and returns its test BLEU-4 in each bucket of `used`, and over all
/// of `test` (the run's own test split, which it checks).
pub(super) fn train_by_bucket(
    kind: ModelKind,
    (pairs, clauses, epochs): (usize, usize, usize),
    s: &Setup,
    (test, used): (&[TextPair], &[usize]),
    say: &mut dyn FnMut(String),
) -> Result<(Vec<f64>, f64), RunError> {
    say(format!("training the {kind} model"));
    let mut o = translation_options(kind, (pairs, epochs), s);
    o.data.clauses = Some(clauses);
    let outcome = train_quietly(&o, say)?;
    if outcome.test.hypotheses.len() != test.len() {
        return Err("the test split differs from the corpus's: no length to bucket by".into());
    }
    Ok((bleu_by_bucket(&outcome, test, used), outcome.test.bleu4))
}

/// What every BLEU-by-length experiment reports besides its table: the
/// chart titled `title` (one line per model over the buckets `used`) and
/// the JSON of its corpus (pairs, clauses, epochs), the buckets, their
/// sentence `counts` and each model's BLEU per bucket.
pub(super) fn bucket_parts(
    title: &str,
    (pairs, clauses, epochs): (usize, usize, usize),
    (used, counts): (&[usize], &[usize]),
    series: Vec<(String, Vec<f64>)>,
) -> (Lines, serde_json::Value) {
    let json = json!({
        "pairs": pairs, "clauses": clauses, "epochs": epochs,
        "buckets": used.iter().map(|&k| bucket_name(k)).collect::<Vec<_>>(),
        "sentences": counts,
        "bleu": series.iter().map(|(n, v)| json!({"model": n, "bleu4": v})).collect::<Vec<_>>(),
    });
    let chart = Lines {
        title: title.into(),
        x_label: "source length (words)".into(),
        y_label: "BLEU-4".into(),
        categories: used.iter().map(|&k| bucket_name(k)).collect(),
        series,
    };
    (chart, json)
}

fn run(s: &Setup, say: &mut dyn FnMut(String)) -> Result<Report, RunError> {
    let (pairs, clauses, epochs) = s.pick((600, 3, 2), (3000, 4, 6));
    let test = translation_corpus_clauses(pairs, s.seed, clauses).test;
    let (used, counts) = buckets(&test);
    let mut table = Table {
        header: header(&used, &counts),
        rows: vec![],
    };
    let mut series = vec![];
    for kind in [
        ModelKind::Lstm,
        ModelKind::Attention,
        ModelKind::Transformer,
    ] {
        let (by_bucket, bleu4) =
            train_by_bucket(kind, (pairs, clauses, epochs), s, (&test, &used), say)?;
        let mut row = vec![kind.name().to_string()];
        row.extend(by_bucket.iter().map(|b| fixed(*b, 3)));
        row.push(fixed(bleu4, 3));
        table.rows.push(row);
        series.push((kind.name().to_string(), by_bucket));
    }
    let (chart, json) = bucket_parts(
        "BLEU by source length",
        (pairs, clauses, epochs),
        (&used, &counts),
        series,
    );
    Ok(Report {
        notes: vec![format!(
            "BLEU-4 on tokens (0 to 1), greedy decoding, by source length in words (test sentences per bucket in brackets); {pairs} pairs of 1 to {clauses} clauses, {epochs} epochs, seed {}.",
            s.seed
        )],
        chart,
        table,
        json,
    })
}
