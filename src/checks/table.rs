//! `encdec gradcheck`'s table: one row per operation, layer and word-vector
//! gradient, each checked against finite differences.

use super::layers::layer_cases;
use super::ops::op_cases;
use super::word_vectors::word_vector_checks;
use crate::autograd::GradcheckReport;

/// One row of the table.
#[derive(Clone, Debug)]
pub struct CheckRow {
    /// The op or layer.
    pub name: &'static str,
    /// What was checked: the input shapes, or the inputs and parameters.
    pub checked: String,
    /// The check's report.
    pub report: GradcheckReport,
    /// Parameters the loss never reached (a forgotten backward).
    pub detached: Vec<String>,
}

impl CheckRow {
    /// Whether the gradients agree and every parameter got one.
    pub fn ok(&self) -> bool {
        self.report.ok() && self.detached.is_empty()
    }

    /// The row as the table prints it.
    pub fn line(&self) -> String {
        let verdict = if self.ok() { "ok" } else { "FAIL" };
        format!(
            "{:<27} {:<28} {:>12.3e} {:>12.3e}  {verdict}",
            self.name,
            self.checked,
            self.report.max_abs_err(),
            self.report.max_rel_err()
        )
    }
}

/// The table's header line.
pub fn header() -> String {
    format!(
        "{:<27} {:<28} {:>12} {:>12}  ok",
        "op or layer", "checked", "max abs err", "max rel err"
    )
}

/// Every gradient check, with inputs drawn from `seed`: the ops on small
/// seeded inputs, the layers through all their parameters, the
/// hand-derived word-vector gradients.
pub fn gradcheck_rows(seed: u64) -> Vec<CheckRow> {
    let mut rows = vec![];
    for case in op_cases() {
        let inputs = case.seeded_inputs([2, 3, 4], seed);
        let shapes: Vec<_> = inputs.iter().map(|t| t.shape().to_vec()).collect();
        rows.push(CheckRow {
            name: case.name,
            checked: format!("{shapes:?}"),
            report: case.check(&inputs),
            detached: vec![],
        });
    }
    for case in layer_cases() {
        let check = (case.run)(seed);
        let params = check
            .report
            .inputs
            .iter()
            .filter(|r| !r.name.starts_with("input"))
            .count();
        let n_inputs = check.report.inputs.len() - params;
        rows.push(CheckRow {
            name: case.name,
            checked: format!("{n_inputs} inputs, {params} params"),
            report: check.report,
            detached: check.detached,
        });
    }
    for (name, report) in word_vector_checks(seed) {
        rows.push(CheckRow {
            name,
            checked: "hand-derived gradients".into(),
            report,
            detached: vec![],
        });
    }
    rows
}
