//! `encdec experiment NAME`.

use crate::print::{CliResult, print_line, warn_line};
use encdec::pipeline::experiments::{
    ExperimentOptions, ExperimentSize, find_experiment, run_experiment,
};
use std::path::PathBuf;

/// The command line of `encdec experiment`.
#[derive(clap::Args)]
pub struct ExperimentArgs {
    /// bottleneck, scale, positions or causal.
    pub name: String,
    /// small (what CI runs: seconds to a minute) or full (the docs' numbers: a few minutes).
    #[arg(long, value_enum, default_value_t = ExperimentSize::Small)]
    pub size: ExperimentSize,
    /// Seed of the corpora, the weights and the batch order.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The folder NAME.png, NAME.md and NAME.json go to (it must exist).
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
}

/// Runs one experiment, telling its progress on stderr, then prints its
/// table and the files written.
pub fn experiment(a: &ExperimentArgs) -> CliResult {
    let o = ExperimentOptions {
        name: a.name.clone(),
        size: a.size,
        seed: a.seed,
        out: a.out.clone(),
    };
    let e = find_experiment(&a.name)?;
    warn_line(&format!("experiment {}: {}", e.name, e.about));
    let w = run_experiment(&o, &mut |line| warn_line(&line))?;
    for line in w.markdown.lines() {
        print_line(line);
    }
    for f in &w.files {
        print_line(&format!("wrote {}", f.display()));
    }
    print_line(&format!("took {:.0} s", w.seconds));
    Ok(())
}
