//! Without $1/\sqrt{d_k}$ (tutorial §4.2): how saturated the softmax is —
//! mean entropy of the attention rows, share of rows whose largest weight
//! is above 0.99 — the gradient norm of the attention's input projections,
//! and BLEU, at three head sizes, with and without the scale.

use super::probe::{Probe, probe};
use super::{Experiment, Lines, Report, Setup, Table, fixed, train_quietly, translation_options};
use crate::pipeline::prepare::prepare;
use crate::pipeline::train::{RunError, model_config};
use crate::seq2seq::config::{AttentionScale, ModelKind};
use crate::seq2seq::models::build;
use crate::tensor::rng;
use serde_json::json;

/// `encdec experiment scale`.
pub const EXPERIMENT: Experiment = Experiment {
    name: "scale",
    about: "attention with and without 1/sqrt(d_k) at d_k = 16, 64, 256 (§4.2)",
    run,
};

/// One training run's numbers.
struct Run {
    d_k: usize,
    scale: AttentionScale,
    init: Probe,
    trained: Probe,
    bleu: f64,
}

fn one_run(
    s: &Setup,
    (d_k, scale): (usize, AttentionScale),
    (pairs, epochs): (usize, usize),
    say: &mut dyn FnMut(String),
) -> Result<Run, RunError> {
    say(format!("d_k {d_k}, scale {}", scale.name()));
    let mut o = translation_options(ModelKind::Transformer, (pairs, epochs), s);
    o.sizes.heads = Some(1);
    o.sizes.layers = Some(1);
    o.sizes.d_model = Some(d_k);
    o.sizes.d_ff = Some(2 * d_k);
    o.sizes.attention_scale = Some(scale);
    let data = prepare(&o, None, &mut |_| {})?;
    let config = model_config(&o, data.src_vocab.len(), data.tgt_vocab.len(), None);
    let mut fresh = build(&config, &mut rng(s.seed))?;
    let init = probe(fresh.as_mut(), &data.valid);
    let mut outcome = train_quietly(&o, say)?;
    let trained = probe(outcome.checkpoint.translator.model.as_mut(), &data.valid);
    Ok(Run {
        d_k,
        scale,
        init,
        trained,
        bleu: outcome.test.bleu4,
    })
}

fn scale_name(a: AttentionScale) -> &'static str {
    match a {
        AttentionScale::InverseSqrtDk => "1/sqrt(d_k)",
        AttentionScale::None => "none",
    }
}

/// One row per run.
fn table(runs: &[Run]) -> Table {
    let header = [
        "d_k",
        "scale",
        "entropy (init)",
        "rows > 0.99 (init)",
        "grad norm (init)",
        "entropy (trained)",
        "rows > 0.99 (trained)",
        "BLEU",
    ];
    let rows = runs
        .iter()
        .map(|r| {
            vec![
                r.d_k.to_string(),
                scale_name(r.scale).to_string(),
                fixed(r.init.saturation.mean_entropy, 3),
                fixed(r.init.saturation.saturated_share, 3),
                format!("{:.3e}", r.init.grad_norm),
                fixed(r.trained.saturation.mean_entropy, 3),
                fixed(r.trained.saturation.saturated_share, 3),
                fixed(r.bleu, 3),
            ]
        })
        .collect();
    Table {
        header: header.map(String::from).to_vec(),
        rows,
    }
}

fn run(s: &Setup, say: &mut dyn FnMut(String)) -> Result<Report, RunError> {
    let sizes: &[usize] = s.pick(&[16, 64], &[16, 64, 256]);
    let budget = s.pick((300, 1), (2000, 5));
    let scales = [AttentionScale::InverseSqrtDk, AttentionScale::None];
    let mut runs = vec![];
    for &d_k in sizes {
        for scale in scales {
            runs.push(one_run(s, (d_k, scale), budget, say)?);
        }
    }
    let pick = |scale: AttentionScale, f: &dyn Fn(&Run) -> f64| -> Vec<f64> {
        runs.iter().filter(|r| r.scale == scale).map(f).collect()
    };
    let mut series = vec![];
    for scale in scales {
        let n = scale_name(scale);
        series.push((format!("BLEU, {n}"), pick(scale, &|r| r.bleu)));
        series.push((
            format!("rows > 0.99 at init, {n}"),
            pick(scale, &|r| r.init.saturation.saturated_share),
        ));
    }
    let json = json!(runs.iter().map(|r| json!({
        "d_k": r.d_k, "scale": r.scale.name(),
        "init": {"mean_entropy": r.init.saturation.mean_entropy,
                 "saturated_share": r.init.saturation.saturated_share, "grad_norm": r.init.grad_norm},
        "trained": {"mean_entropy": r.trained.saturation.mean_entropy,
                    "saturated_share": r.trained.saturation.saturated_share, "grad_norm": r.trained.grad_norm},
        "bleu4": r.bleu,
    })).collect::<Vec<_>>());
    let (pairs, epochs) = budget;
    Ok(Report {
        table: table(&runs),
        notes: vec![format!(
            "One head of size d_k (d_model = d_k), one encoder and one decoder layer; entropy in nats (mean over every attention row of a batch of 64 validation pairs, all layers); grad norm: of W^Q, W^K, W^V of every attention, on that batch; BLEU-4 on tokens, greedy. {pairs} pairs, {epochs} epochs, seed {}.",
            s.seed
        )],
        chart: Lines {
            title: "Without 1/sqrt(d_k): saturation and BLEU".into(),
            x_label: "d_k".into(),
            y_label: "BLEU-4 / share of rows".into(),
            categories: sizes.iter().map(|d| d.to_string()).collect(),
            series,
        },
        json,
    })
}
