//! The `encdec` command line: parses arguments, calls the library, prints.

use clap::{Parser, Subcommand};
use encdec::autograd::GradcheckReport;
use encdec::autograd::suite::op_cases;
use encdec::nn::cases::layer_cases;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "encdec",
    version,
    about = "The encoder-decoder architecture, from scratch"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check every operation's and every layer's gradient against finite differences.
    Gradcheck {
        /// Seed of the random inputs.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Gradcheck { seed } => gradcheck(seed),
    }
}

fn gradcheck(seed: u64) -> ExitCode {
    println!(
        "{:<22} {:<28} {:>12} {:>12}  ok",
        "op or layer", "checked", "max abs err", "max rel err"
    );
    let mut failed = 0;
    let mut total = 0;
    let mut row = |name: &str, checked: String, report: &GradcheckReport, detached: &[String]| {
        let ok = report.ok() && detached.is_empty();
        println!(
            "{:<22} {:<28} {:>12.3e} {:>12.3e}  {}",
            name,
            checked,
            report.max_abs_err(),
            report.max_rel_err(),
            if ok { "ok" } else { "FAIL" }
        );
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
    if failed == 0 {
        println!("all {total} ops and layers ok");
        ExitCode::SUCCESS
    } else {
        println!("{failed} of {total} FAILED");
        ExitCode::FAILURE
    }
}
