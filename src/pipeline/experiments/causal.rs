//! Without the causal mask: the decoder's self-attention sees the whole
//! target under teacher forcing, so it learns to copy the next word from
//! its input; the training loss collapses. Decoding step by step has no
//! future to copy from (the cached decoder sees only the words it wrote),
//! and fails.

use super::{Experiment, Lines, Report, Setup, Table, fixed, train_quietly, translation_options};
use crate::pipeline::train::RunError;
use crate::seq2seq::config::{DecoderMask, ModelKind};
use serde_json::json;

/// `encdec experiment causal`.
pub const EXPERIMENT: Experiment = Experiment {
    name: "causal",
    about: "the Transformer's decoder with and without the causal mask",
    run,
};

fn run(s: &Setup, say: &mut dyn FnMut(String)) -> Result<Report, RunError> {
    let (pairs, epochs) = s.pick((400, 2), (3000, 6));
    let header = [
        "decoder mask",
        "training loss",
        "teacher-forced accuracy (validation)",
        "greedy BLEU (test)",
    ];
    let mut rows = vec![];
    let mut series = vec![];
    let mut results = vec![];
    for mask in [DecoderMask::Causal, DecoderMask::None] {
        say(format!("decoder mask {}", mask.name()));
        let mut o = translation_options(ModelKind::Transformer, (pairs, epochs), s);
        o.sizes.decoder_mask = Some(mask);
        let outcome = train_quietly(&o, say)?;
        let epochs_seen = &outcome.history.epochs;
        let last = epochs_seen.last().ok_or("no epoch ran")?;
        rows.push(vec![
            mask.name().to_string(),
            fixed(last.train_loss, 3),
            fixed(last.valid_accuracy, 3),
            fixed(outcome.test.bleu4, 3),
        ]);
        let losses: Vec<f64> = epochs_seen.iter().map(|e| e.train_loss).collect();
        series.push((
            format!("training loss, mask {}", mask.name()),
            losses.clone(),
        ));
        results.push(json!({
            "decoder_mask": mask.name(), "train_loss": losses,
            "valid_accuracy": last.valid_accuracy, "bleu4": outcome.test.bleu4,
            "example": outcome.test.hypotheses.first(),
        }));
    }
    Ok(Report {
        table: Table {
            header: header.map(String::from).to_vec(),
            rows,
        },
        notes: vec![format!(
            "Last epoch's training loss (per target token) and teacher-forced token accuracy on the validation pairs; BLEU-4 on tokens of greedy decoding, which writes one word at a time and so never sees the future. Default Transformer, {pairs} pairs, {epochs} epochs, seed {}.",
            s.seed
        )],
        chart: Lines {
            title: "Training loss with and without the causal mask".into(),
            x_label: "epoch".into(),
            y_label: "training loss".into(),
            categories: (1..=epochs).map(|e| e.to_string()).collect(),
            series,
        },
        json: json!(results),
    })
}
