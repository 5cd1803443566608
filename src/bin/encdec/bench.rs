//! `encdec bench` and `encdec gradcheck`: what the crate checks about
//! itself, printed.

use crate::print::{CliResult, print_line};
use encdec::checks::bench::{BenchOptions, bench_report};
use encdec::checks::table::{gradcheck_rows, header};

/// `encdec bench`: one line per model and length, then how the time grew.
pub fn bench(o: &BenchOptions) -> CliResult {
    bench_report(o, &mut |line| print_line(&line))?;
    Ok(())
}

/// `encdec gradcheck`: one row per op and layer; fails if any check fails.
pub fn gradcheck(seed: u64) -> CliResult {
    print_line(&header());
    let rows = gradcheck_rows(seed);
    let mut failed = 0;
    for row in &rows {
        print_line(&row.line());
        if !row.ok() {
            failed += 1;
            eprintln!("{}: {}", row.name, row.report);
            if !row.detached.is_empty() {
                eprintln!(
                    "{}: parameters without gradient: {:?}",
                    row.name, row.detached
                );
            }
        }
    }
    if failed > 0 {
        return Err(format!("{failed} of {} gradient checks FAILED", rows.len()).into());
    }
    print_line(&format!("all {} ops and layers ok", rows.len()));
    Ok(())
}
