//! Experiments that break a model on purpose to show why a piece exists
//! (`encdec experiment NAME`). Each experiment is one file holding one
//! function from a [`Setup`] (its size and seed) to a [`Report`]: a table,
//! the lines of one chart and the numbers as JSON. This file runs any of
//! them and writes `NAME.png`, `NAME.md` (the table as the docs show it)
//! and `NAME.json`; adding an experiment is a new file and a line in
//! [`EXPERIMENTS`].
//!
//! Checked by `tests/cli/experiments.rs`.

mod bottleneck;
mod causal;
mod cells;
mod positions;
mod probe;
mod scale;

use super::options::TrainOptions;
use super::train::{RunError, TrainOutcome, train};
use crate::files::write_atomic;
use crate::seq2seq::train::Progress;
use crate::text::printable;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How big a run is: `small` is what CI runs (seconds to a minute), `full`
/// what the docs' numbers come from (a few minutes on 2 cores).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ExperimentSize {
    /// Tiny corpora and few epochs: checks that the experiment runs.
    #[default]
    Small,
    /// The docs' size.
    Full,
}

/// What an experiment is run with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    /// Small or full.
    pub size: ExperimentSize,
    /// Seed of the corpora, the weights and the batch order.
    pub seed: u64,
}

impl Setup {
    /// `small` at the small size, `full` at the full one.
    pub fn pick<T>(&self, small: T, full: T) -> T {
        match self.size {
            ExperimentSize::Small => small,
            ExperimentSize::Full => full,
        }
    }
}

/// A table of results, as written to `NAME.md`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Rows, each as many cells as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table in Markdown, one line per row.
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut s = line(&self.header);
        s.push_str(&format!("|{}\n", "---|".repeat(self.header.len())));
        for r in &self.rows {
            s.push_str(&line(r));
        }
        s
    }
}

/// The lines of an experiment's chart: one value per category per series.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lines {
    /// The chart's title.
    pub title: String,
    /// Caption of the x axis.
    pub x_label: String,
    /// Caption of the y axis.
    pub y_label: String,
    /// The x axis's categories, in order.
    pub categories: Vec<String>,
    /// Each series' name and values.
    pub series: Vec<(String, Vec<f64>)>,
}

/// What an experiment found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// The table.
    pub table: Table,
    /// Lines written under the table (an example, a note).
    pub notes: Vec<String>,
    /// The chart.
    pub chart: Lines,
    /// Every number, for a notebook or a script.
    pub json: Value,
}

/// An experiment's body: from a setup to a report, progress lines to the `FnMut`.
pub type RunFn = fn(&Setup, &mut dyn FnMut(String)) -> Result<Report, RunError>;

/// One experiment: its name on the command line, one line about it, and
/// the function that runs it (progress lines go to the `FnMut`).
pub struct Experiment {
    /// `encdec experiment NAME`.
    pub name: &'static str,
    /// What it shows, in one line.
    pub about: &'static str,
    /// Runs it.
    pub run: RunFn,
}

/// Every experiment, in the docs' order.
pub const EXPERIMENTS: [Experiment; 5] = [
    bottleneck::EXPERIMENT,
    scale::EXPERIMENT,
    positions::EXPERIMENT,
    causal::EXPERIMENT,
    cells::EXPERIMENT,
];

/// What `encdec experiment` is asked.
#[derive(Clone, Debug, PartialEq)]
pub struct ExperimentOptions {
    /// Which experiment ([`EXPERIMENTS`]).
    pub name: String,
    /// Small or full.
    pub size: ExperimentSize,
    /// The seed.
    pub seed: u64,
    /// The folder the three files go to (it must exist).
    pub out: PathBuf,
}

/// What [`run_experiment`] wrote.
pub struct Written {
    /// `NAME.png`, `NAME.md`, `NAME.json`.
    pub files: [PathBuf; 3],
    /// The Markdown written to `NAME.md`.
    pub markdown: String,
    /// Wall-clock seconds the experiment took.
    pub seconds: f64,
}

/// The experiment called `name`, or an error listing the names.
pub fn find_experiment(name: &str) -> Result<&'static Experiment, String> {
    EXPERIMENTS.iter().find(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = EXPERIMENTS.iter().map(|e| e.name).collect();
        format!(
            "unknown experiment '{}': expected one of {}",
            printable(name),
            names.join(", ")
        )
    })
}

/// The three output paths, checked before any work.
fn outputs(name: &str, out: &Path) -> Result<[PathBuf; 3], String> {
    if !out.is_dir() {
        return Err(format!(
            "--out {}: is not an existing folder; create it first",
            printable(&out.display().to_string())
        ));
    }
    let files = ["png", "md", "json"].map(|ext| out.join(format!("{name}.{ext}")));
    for f in &files {
        crate::files::check_output("--out", f, &[])?;
    }
    Ok(files)
}

/// Runs the experiment `o.name` at `o.size` and writes its picture, table
/// and numbers into `o.out`; progress lines go to `say`.
///
/// # Errors
/// An unknown name or an output folder that does not exist (both before
/// any work); a run or a file that fails.
pub fn run_experiment(
    o: &ExperimentOptions,
    say: &mut dyn FnMut(String),
) -> Result<Written, RunError> {
    let experiment = find_experiment(&o.name)?;
    let files = outputs(experiment.name, &o.out)?;
    let started = Instant::now();
    let setup = Setup {
        size: o.size,
        seed: o.seed,
    };
    let report = (experiment.run)(&setup, say)?;
    let seconds = started.elapsed().as_secs_f64();
    let c = &report.chart;
    let series: Vec<(&str, &[f64])> = c
        .series
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let labels = (c.title.as_str(), c.x_label.as_str(), c.y_label.as_str());
    crate::viz::category_chart(&files[0], labels, &c.categories, &series)?;
    let mut markdown = report.table.markdown();
    for n in &report.notes {
        markdown.push('\n');
        markdown.push_str(n);
        markdown.push('\n');
    }
    write_atomic(&files[1], markdown.as_bytes())?;
    let json = serde_json::json!({
        "experiment": experiment.name,
        "size": format!("{:?}", o.size).to_lowercase(),
        "seed": o.seed,
        "seconds": seconds,
        "results": report.json,
    });
    write_atomic(&files[2], serde_json::to_string_pretty(&json)?.as_bytes())?;
    Ok(Written {
        files,
        markdown,
        seconds,
    })
}

/// The options of a run on the built-in translation corpus: `kind`,
/// `pairs` pairs, `epochs` epochs, the setup's seed, every other option
/// at its default.
pub(super) fn translation_options(
    kind: crate::seq2seq::config::ModelKind,
    (pairs, epochs): (usize, usize),
    s: &Setup,
) -> TrainOptions {
    let mut o = TrainOptions::new(crate::seq2seq::task::Task::Translation, kind);
    o.data.pairs = Some(pairs);
    o.run.epochs = epochs;
    o.run.seed = s.seed;
    o
}

/// Trains as `o` says, telling `say` one line per epoch.
pub(super) fn train_quietly(
    o: &TrainOptions,
    say: &mut dyn FnMut(String),
) -> Result<TrainOutcome, RunError> {
    train(o, &mut |p| {
        if let Progress::EpochDone(s) = p {
            say(s.line());
        }
    })
}

/// A number with `places` decimals.
pub(super) fn fixed(x: f64, places: usize) -> String {
    format!("{x:.places$}")
}
