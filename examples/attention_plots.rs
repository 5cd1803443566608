//! Draws the three kinds of picture of `encdec::plot` from made-up numbers:
//! an English→French attention heatmap, a grid of four heads, and two loss
//! curves.
//!
//! ```sh
//! cargo run --release --example attention_plots -- target/plots
//! ```
//!
//! The weights are not from a trained model: each target word puts most of
//! its attention on the source word it translates, the rest on its
//! neighbours, through a softmax so that every row sums to 1.

use std::error::Error;
use std::path::PathBuf;

use encdec::tensor::Tensor;
use encdec::viz::{attention_heads, attention_heatmap, line_chart};

/// Row-wise softmax of a `[rows, cols]` score matrix given as a function.
fn softmax_rows(rows: usize, cols: usize, score: impl Fn(usize, usize) -> f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(rows * cols);
    for i in 0..rows {
        let s: Vec<f64> = (0..cols).map(|j| score(i, j)).collect();
        let max = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = s.iter().map(|v| (v - max).exp()).collect();
        let z: f64 = e.iter().sum();
        out.extend(e.iter().map(|v| v / z));
    }
    out
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or("target/plots".into()));
    std::fs::create_dir_all(&dir)?;

    let src = words("the quick brown fox jumps over the lazy dog </s>");
    let tgt = words("le renard brun rapide saute par-dessus le chien paresseux </s>");
    // Which source word each target word translates.
    let align = [0usize, 3, 2, 1, 4, 5, 6, 8, 7, 9];
    let (t, s) = (tgt.len(), src.len());

    let near = |i: usize, j: usize| {
        let d = (align[i] as f64 - j as f64).abs();
        4.0 - 2.0 * d.min(2.0)
    };
    let weights = Tensor::from_vec(softmax_rows(t, s, near), &[t, s]);
    let heatmap = dir.join("example_heatmap.png");
    attention_heatmap(
        &heatmap,
        &weights,
        &src,
        &tgt,
        "encoder–decoder attention, EN → FR",
    )?;

    // Four heads with four habits: the aligned word, the word before it,
    // the end-of-sentence token, and everything a little.
    let habits: [&dyn Fn(usize, usize) -> f64; 4] = [
        &near,
        &|i, j| {
            if j + 1 == align[i] || (align[i] == 0 && j == 0) {
                3.0
            } else {
                0.0
            }
        },
        &|_, j| {
            if j + 1 == s {
                2.5
            } else {
                0.2 * j as f64 / s as f64
            }
        },
        &|i, j| 0.4 * ((i * 7 + j * 3) % 5) as f64,
    ];
    let mut all = Vec::new();
    for habit in habits {
        all.extend(softmax_rows(t, s, habit));
    }
    let heads = Tensor::from_vec(all, &[4, t, s]);
    attention_heads(
        &dir.join("example_heads.png"),
        &heads,
        &src,
        &tgt,
        "layer 1, 4 heads",
    )?;

    let train: Vec<f64> = (0..20)
        .map(|e| 0.25 + 2.2 * (-0.22 * e as f64).exp())
        .collect();
    let valid: Vec<f64> = (0..20)
        .map(|e| 0.45 + 2.0 * (-0.2 * e as f64).exp() + 0.004 * (e as f64 - 10.0).max(0.0).powi(2))
        .collect();
    line_chart(
        &dir.join("example_loss.png"),
        "cross-entropy per token",
        "loss",
        &[("train", &train), ("validation", &valid)],
    )?;
    println!("wrote 3 pictures to {}", dir.display());
    Ok(())
}
