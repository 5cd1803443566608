//! `encdec gradcheck`: the gradient check of every op and layer, as a table.

use super::{CliResult, print_line};
use encdec::autograd::GradcheckReport;
use encdec::checks::layers::layer_cases;
use encdec::checks::ops::op_cases;
use encdec::checks::word_vectors::word_vector_checks;

/// Prints one row per op and layer; fails if any check fails.
pub fn gradcheck(seed: u64) -> CliResult {
    print_line(&format!(
        "{:<27} {:<28} {:>12} {:>12}  ok",
        "op or layer", "checked", "max abs err", "max rel err"
    ));
    let mut failed = 0;
    let mut total = 0;
    let mut row = |name: &str, checked: String, report: &GradcheckReport, detached: &[String]| {
        let ok = report.ok() && detached.is_empty();
        let verdict = if ok { "ok" } else { "FAIL" };
        print_line(&format!(
            "{name:<27} {checked:<28} {:>12.3e} {:>12.3e}  {verdict}",
            report.max_abs_err(),
            report.max_rel_err()
        ));
        if !ok {
            failed += 1;
            eprintln!("{name}: {report}");
            if !detached.is_empty() {
                eprintln!("{name}: parameters without gradient: {detached:?}");
            }
        }
        total += 1;
    };
    for case in op_cases() {
        let inputs = case.seeded_inputs([2, 3, 4], seed);
        let shapes: Vec<_> = inputs.iter().map(|t| t.shape().to_vec()).collect();
        row(case.name, format!("{shapes:?}"), &case.check(&inputs), &[]);
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
        row(
            case.name,
            format!("{n_inputs} inputs, {params} params"),
            &check.report,
            &check.detached,
        );
    }
    for (name, report) in word_vector_checks(seed) {
        row(name, "hand-derived gradients".into(), &report, &[]);
    }
    if failed > 0 {
        return Err(format!("{failed} of {total} gradient checks FAILED").into());
    }
    print_line(&format!("all {total} ops and layers ok"));
    Ok(())
}
