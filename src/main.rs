//! The `encdec` command line: parses arguments, calls the library, prints.

use clap::{Parser, Subcommand};
use encdec::autograd::suite::op_cases;
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
    /// Check every operation's gradient against finite differences.
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
        "{:<16} {:<26} {:>12} {:>12}  ok",
        "op", "inputs", "max abs err", "max rel err"
    );
    let mut failed = 0;
    for case in op_cases() {
        let inputs = case.seeded_inputs([2, 3, 4], seed);
        let shapes: Vec<_> = inputs.iter().map(|t| t.shape().to_vec()).collect();
        let report = case.check(&inputs);
        let shapes = format!("{shapes:?}");
        let ok = if report.ok() { "ok" } else { "FAIL" };
        println!(
            "{:<16} {:<26} {:>12.3e} {:>12.3e}  {ok}",
            case.name,
            shapes,
            report.max_abs_err(),
            report.max_rel_err()
        );
        if !report.ok() {
            failed += 1;
            eprintln!("{report}");
        }
    }
    if failed == 0 {
        println!("all {} ops ok", op_cases().len());
        ExitCode::SUCCESS
    } else {
        println!("{failed} op(s) FAILED");
        ExitCode::FAILURE
    }
}
