//! RNN vs GRU vs LSTM on long sentences (tutorial §4.1, §5.1): how much
//! gradient reaches the first step of a 30-step sequence through each cell
//! at initialisation, and what that costs in BLEU, by source length, for
//! the plain encoder–decoder whose decoder sees only the encoder's final
//! state — so every word must survive the whole recurrence.

use super::bottleneck::{bucket_parts, buckets, header, train_by_bucket};
use super::{Experiment, Report, Setup, Table, fixed};
use crate::corpora::translation_corpus_clauses;
use crate::nn::{Activation, Gru, Lstm, Rnn};
use crate::nn::{gru_hidden_gradient_norms, lstm_hidden_gradient_norms, rnn_hidden_gradient_norms};
use crate::pipeline::train::RunError;
use crate::seq2seq::config::ModelKind;
use crate::tensor::{Tensor, rng};
use serde_json::json;

/// `encdec experiment cells`.
pub const EXPERIMENT: Experiment = Experiment {
    name: "cells",
    about: "RNN vs GRU vs LSTM: gradient through 30 steps and BLEU by source length (§4.1)",
    run,
};

/// Steps of the gradient measurement: about the longest source of 3 clauses.
const STEPS: usize = 30;

/// $g_1/g_T$ of each cell's unrolled layer at the default model's sizes
/// (input 48, hidden 96), PyTorch's initialisation, one random sequence of
/// [`STEPS`] steps: the share of the gradient at the last state that
/// reaches the first ([`crate::nn::rnn_hidden_gradient_norms`]).
fn first_step_gradients(seed: u64) -> Result<[f64; 3], String> {
    let (input, hidden) = (48, 96);
    let mut r = rng(seed);
    let rnn = Rnn::new("rnn", input, hidden, Activation::Tanh, &mut r);
    let gru = Gru::new("gru", input, hidden, &mut r);
    let lstm = Lstm::new("lstm", input, hidden, &mut r);
    let x = Tensor::randn(&[1, STEPS, input], 0.0, 1.0, &mut r);
    let ratio = |g: Vec<f64>| g[0] / g[g.len() - 1];
    Ok([
        ratio(rnn_hidden_gradient_norms(&rnn, &x)?),
        ratio(gru_hidden_gradient_norms(&gru, &x)?),
        ratio(lstm_hidden_gradient_norms(&lstm, &x)?),
    ])
}

fn run(s: &Setup, say: &mut dyn FnMut(String)) -> Result<Report, RunError> {
    let (pairs, clauses, epochs) = s.pick((300, 2, 1), (6000, 2, 12));
    let gradients = first_step_gradients(s.seed)?;
    let test = translation_corpus_clauses(pairs, s.seed, clauses).test;
    let (used, counts) = buckets(&test);
    let mut head = header(&used, &counts);
    head.insert(1, format!("g_1/g_{STEPS} at init"));
    let mut table = Table {
        header: head,
        rows: vec![],
    };
    let mut series = vec![];
    for (kind, g) in [ModelKind::Rnn, ModelKind::Gru, ModelKind::Lstm]
        .into_iter()
        .zip(gradients)
    {
        let (by_bucket, bleu4) =
            train_by_bucket(kind, (pairs, clauses, epochs), s, (&test, &used), say)?;
        let mut row = vec![kind.name().to_string(), format!("{g:.1e}")];
        row.extend(by_bucket.iter().map(|b| fixed(*b, 3)));
        row.push(fixed(bleu4, 3));
        table.rows.push(row);
        series.push((kind.name().to_string(), by_bucket));
    }
    let (chart, mut json) = bucket_parts(
        "Plain encoder-decoders: BLEU by source length, by cell",
        (pairs, clauses, epochs),
        (&used, &counts),
        series,
    );
    json["steps"] = json!(STEPS);
    json["first_step_gradient"] =
        json!({"rnn": gradients[0], "gru": gradients[1], "lstm": gradients[2]});
    Ok(Report {
        notes: vec![format!(
            "g_1/g_{STEPS}: the gradient norm at the first of {STEPS} hidden states over the norm at the last, L = sum of h_{STEPS}, one random sequence, input 48, hidden 96, PyTorch's initialisation. BLEU-4 on tokens (0 to 1), greedy decoding, plain encoder-decoders (no attention), by source length in words (test sentences per bucket in brackets); {pairs} pairs of 1 to {clauses} clauses, {epochs} epochs, seed {}.",
            s.seed
        )],
        chart,
        table,
        json,
    })
}
