//! `encdec heatmap` and `encdec explore`: looking inside a trained model.

use super::train::plot_attention;
use super::{CliResult, print_line};
use encdec::explore::{Exploration, ExploreOptions};
use encdec::seq2seq::{Checkpoint, Task};
use std::path::Path;

/// What `heatmap --format` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatmapFormat {
    /// A picture (the format follows the file name: .png or .svg).
    Picture,
    /// Every attention matrix with its labels, as JSON.
    Json,
    /// Every attention weight as a CSV row.
    Csv,
}

impl std::str::FromStr for HeatmapFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "png" | "svg" => Ok(HeatmapFormat::Picture),
            "json" => Ok(HeatmapFormat::Json),
            "csv" => Ok(HeatmapFormat::Csv),
            _ => Err(format!(
                "unknown format '{s}': expected png, svg, json or csv"
            )),
        }
    }
}

/// `encdec heatmap`: a picture of the cross-attention (one layer), or with
/// `--format json|csv` every attention matrix as data.
pub fn heatmap(
    checkpoint: &Path,
    sentence: &str,
    out: &Path,
    layer: Option<usize>,
    format: Option<&str>,
) -> CliResult {
    let endings = ["png", "svg", "json", "csv"];
    if format.is_none() {
        encdec::files::check_output("--out", out, &endings)?;
    }
    let ending = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let format = format.unwrap_or(&ending);
    let kind: HeatmapFormat = format.parse().map_err(|e| format!("--format: {e}"))?;
    if ending != format {
        return Err(format!(
            "--out {} does not end in .{format}: name the file for the format it will hold",
            out.display()
        )
        .into());
    }
    encdec::files::check_output("--out", out, &[format])?;
    encdec::files::check_distinct(&[("--out", out)], &[("--checkpoint", checkpoint)])?;
    let c = Checkpoint::load(checkpoint)?;
    if kind == HeatmapFormat::Picture {
        if c.task == Task::Dialogue {
            return Err(format!("{} holds a dialogue model; `encdec heatmap` draws translation and summarization models (use --format json or csv, or `encdec explore`, for a dialogue's attention)", checkpoint.display()).into());
        }
        let t = c.decode_text(sentence, 1)?;
        print_line(&t.text);
        return plot_attention(&t, out, layer, c.model.config().kind);
    }
    if layer.is_some() {
        return Err("--layer chooses the picture's layer; json and csv hold every layer".into());
    }
    let e = Exploration::new(&c, sentence, &ExploreOptions::default())?;
    print_line(&e.output);
    let text = match kind {
        HeatmapFormat::Json => format!("{:#}\n", e.attention_json()),
        _ => e.attention_csv(),
    };
    encdec::files::write_atomic(out, text.as_bytes())
        .map_err(|err| format!("cannot write {}: {err}", out.display()))?;
    let matrices: usize = e.attention.iter().map(|m| m.heads()).sum();
    print_line(&format!(
        "wrote {} ({matrices} attention matrices)",
        out.display()
    ));
    Ok(())
}

/// `encdec explore`: the self-contained explorer page of one input.
pub fn explore(
    checkpoint: &Path,
    sentence: &str,
    out: &Path,
    options: &ExploreOptions,
) -> CliResult {
    encdec::files::check_output("--out", out, &["html"])?;
    encdec::files::check_distinct(&[("--out", out)], &[("--checkpoint", checkpoint)])?;
    let c = Checkpoint::load(checkpoint)?;
    let e = Exploration::new(&c, sentence, options)?;
    print_line(&e.output);
    e.write_html(out)
        .map_err(|err| format!("cannot write {}: {err}", out.display()))?;
    let matrices: usize = e.attention.iter().map(|m| m.heads()).sum();
    print_line(&format!(
        "wrote {} ({} bytes: {matrices} attention matrices, {} decoding steps{})",
        out.display(),
        std::fs::metadata(out).map_or(0, |m| m.len()),
        e.steps.len(),
        if e.beam > 1 {
            format!(", a beam of width {}", e.beam)
        } else {
            String::new()
        }
    ));
    Ok(())
}
