//! Looking inside a trained model (`encdec heatmap`, `encdec explore`): its
//! attention as a picture or as data, and the explorer page of one input.
//!
//! Checked by `tests/cli/inspect.rs`.

use super::playground::page_checkpoint;
use super::train::RunError;
use crate::files::{check_distinct, check_output, write_atomic};
use crate::seq2seq::decode::{DecodeError, Exploration, ExploreOptions, UnknownWords};
use crate::seq2seq::io::Checkpoint;
use crate::seq2seq::task::Task;
use crate::viz::explorer::{PageModel, attention_csv, attention_json, json_text, write_html};
use std::path::PathBuf;

/// What `encdec heatmap --format` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HeatmapFormat {
    /// A PNG picture.
    Png,
    /// An SVG picture.
    Svg,
    /// Every attention matrix with its labels, as JSON.
    Json,
    /// Every attention weight as a CSV row.
    Csv,
}

/// What `encdec heatmap` is asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct HeatmapOptions {
    /// A checkpoint of an attention or transformer model.
    #[arg(long)]
    pub checkpoint: PathBuf,
    /// The input: a sentence to translate, a document to summarize, a conversation.
    pub sentence: String,
    /// Output file: .png or .svg (a picture), .json or .csv (every attention matrix with its labels).
    #[arg(long)]
    pub out: PathBuf,
    /// png, svg, json or csv (default: the ending of --out, which must agree).
    #[arg(long, value_enum)]
    pub format: Option<HeatmapFormat>,
    /// Pictures of a Transformer: which decoder layer's heads to show (from 1; default the last).
    #[arg(long)]
    pub layer: Option<usize>,
    /// Translate unknown words as `<unk>` instead of refusing the input.
    #[arg(long)]
    pub allow_unknown: bool,
}

impl HeatmapOptions {
    /// The format: `--format`, or the ending of `--out`; the two must agree.
    ///
    /// # Errors
    /// An ending that is not a format, or one that disagrees with `--format`.
    pub fn format(&self) -> Result<HeatmapFormat, String> {
        let ending = self
            .out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let from_ending = ending
            .as_deref()
            .and_then(|e| clap::ValueEnum::from_str(e, true).ok());
        match (self.format, from_ending) {
            (Some(f), Some(e)) if f == e => Ok(f),
            (None, Some(e)) => Ok(e),
            (Some(f), _) => Err(format!(
                "--out {} does not end in .{}: name the file for the format it will hold",
                self.out.display(),
                name(f)
            )),
            (None, None) => Err(format!(
                "--out {}: the file name must end in .png, .svg, .json or .csv",
                self.out.display()
            )),
        }
    }
}

fn name(f: HeatmapFormat) -> &'static str {
    match f {
        HeatmapFormat::Png => "png",
        HeatmapFormat::Svg => "svg",
        HeatmapFormat::Json => "json",
        HeatmapFormat::Csv => "csv",
    }
}

/// Draws the cross-attention of one layer, or writes every attention matrix
/// as data; returns the lines to print. A plain LSTM has no attention, and
/// an output without words has no rows to show: both are refused, and no
/// file is written.
///
/// # Errors
/// Bad options, an unreadable checkpoint, an input the model refuses, a
/// model without attention, an output without words
/// ([`DecodeError::NothingWritten`]), a file that cannot be written.
pub fn heatmap(o: &HeatmapOptions) -> Result<Vec<String>, RunError> {
    if o.format.is_none() {
        check_output("--out", &o.out, &["png", "svg", "json", "csv"])?;
    }
    let format = o.format()?;
    check_output("--out", &o.out, &[name(format)])?;
    check_distinct(&[("--out", &o.out)], &[("--checkpoint", &o.checkpoint)])?;
    let t = Checkpoint::load(&o.checkpoint)?.translator;
    let unknown = match o.allow_unknown {
        true => UnknownWords::AsUnk,
        false => UnknownWords::Refuse,
    };
    if let HeatmapFormat::Png | HeatmapFormat::Svg = format {
        if t.task == Task::Dialogue {
            return Err(format!("{} holds a dialogue model; `encdec heatmap` draws translation and summarization models (use --format json or csv, or `encdec explore`, for a dialogue's attention)", o.checkpoint.display()).into());
        }
        let decoded = t.decode_text(&o.sentence, 1, unknown)?;
        if decoded.text.is_empty() {
            return Err(DecodeError::NothingWritten.into());
        }
        crate::viz::decoded_attention(&o.out, &decoded, o.layer, t.model.config().kind())?;
        return Ok(vec![decoded.text, format!("wrote {}", o.out.display())]);
    }
    if o.layer.is_some() {
        return Err("--layer chooses the picture's layer; json and csv hold every layer".into());
    }
    let options = ExploreOptions {
        allow_unknown: o.allow_unknown,
        ..ExploreOptions::default()
    };
    let e = Exploration::new(&t, &o.sentence, &options)?;
    if e.output.is_empty() {
        return Err(DecodeError::NothingWritten.into());
    }
    if e.attention.is_empty() {
        return Err(format!(
            "the {} model has no attention to export; train an attention or transformer model (`encdec explore` shows its decoding)",
            e.config.kind()
        )
        .into());
    }
    let text = match format {
        HeatmapFormat::Json => json_text(&attention_json(&e)),
        _ => attention_csv(&e),
    };
    write_atomic(&o.out, text.as_bytes())
        .map_err(|err| format!("cannot write {}: {err}", o.out.display()))?;
    let matrices: usize = e.attention.iter().map(|m| m.heads()).sum();
    Ok(vec![
        e.output,
        format!("wrote {} ({matrices} attention matrices)", o.out.display()),
    ])
}

/// What `explore` prints, and the page shows, for an output without words.
pub const NO_OUTPUT_PAGE: &str =
    "(no output: the model wrote </s> first; the page shows that step)";

/// What `encdec explore` is asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct ExploreJob {
    /// A checkpoint written by `train` (any model, any task).
    #[arg(long)]
    pub checkpoint: PathBuf,
    /// The input: a sentence to translate, a document to summarize, a conversation.
    pub sentence: String,
    /// The page to write (.html).
    #[arg(long)]
    pub out: PathBuf,
    /// How to decode and what each step shows.
    #[command(flatten)]
    pub options: ExploreOptions,
    /// Write the static page: the views of this input only, without the
    /// model and the WebAssembly module that make the page live.
    #[arg(long = "static")]
    pub static_page: bool,
    /// The snapshots `encdec train --watch` recorded (the `.watch.json`
    /// file beside the checkpoint), for the page's training panel to replay.
    #[arg(long)]
    pub watch: Option<PathBuf>,
}

/// The largest watch file `explore --watch` reads.
const WATCH_CAP: crate::files::ReadCap = crate::files::ReadCap {
    bytes: 256 << 20,
    what: "a watch file",
    remedy: "record fewer snapshots (a larger --watch-every)",
};

/// A watch file's snapshots, checked to be one.
fn read_watch(path: &std::path::Path) -> Result<serde_json::Value, RunError> {
    let bytes = crate::files::read_capped(path, WATCH_CAP)
        .map_err(|e| format!("cannot read --watch {}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "--watch {} is not JSON ({e}); give the .watch.json that `encdec train --watch` wrote",
            path.display()
        )
    })?;
    if !v["snapshots"].is_array() {
        return Err(format!("--watch {} holds no \"snapshots\" list; give the .watch.json that `encdec train --watch` wrote", path.display()).into());
    }
    Ok(v)
}

/// Writes the explorer page of one input; returns the lines to print. An
/// output without words is not refused here: the page shows the decoding
/// step by step, which is where to see why the model wrote `</s>` first;
/// the page's header and the printed line say [`NO_OUTPUT_PAGE`] instead of
/// showing an empty output
/// (`tests/cli/outputs.rs::an_empty_output_is_never_printed_or_drawn_as_one`).
///
/// # Errors
/// Bad options, an unreadable checkpoint, an input the model refuses, a
/// page that cannot be written.
pub fn explore(o: &ExploreJob) -> Result<Vec<String>, RunError> {
    o.options.check()?;
    check_output("--out", &o.out, &["html"])?;
    check_distinct(&[("--out", &o.out)], &[("--checkpoint", &o.checkpoint)])?;
    let watch = o.watch.as_deref().map(read_watch).transpose()?;
    let mut c = Checkpoint::load(&o.checkpoint)?;
    let e = Exploration::new(&c.translator, &o.sentence, &o.options)?;
    let live = match o.static_page {
        true => vec![],
        false => page_checkpoint(&mut c)?,
    };
    let model = match live.is_empty() {
        true => PageModel::Static,
        false => PageModel::Live {
            checkpoint: &live,
            watch: watch.as_ref(),
        },
    };
    write_html(&e, &model, &o.out)
        .map_err(|err| format!("cannot write {}: {err}", o.out.display()))?;
    let matrices: usize = e.attention.iter().map(|m| m.heads()).sum();
    let beam = match e.beam {
        1 => String::new(),
        b => format!(", a beam of width {b}"),
    };
    let output = match e.output.is_empty() {
        true => NO_OUTPUT_PAGE.to_string(),
        false => e.output.clone(),
    };
    Ok(vec![
        output,
        format!(
            "wrote {} ({} bytes: {matrices} attention matrices, {} decoding steps{beam})",
            o.out.display(),
            std::fs::metadata(&o.out).map_or(0, |m| m.len()),
            e.steps.len(),
        ),
    ])
}
