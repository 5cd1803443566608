//! How the cost of a training step grows with the length: counted from the
//! matrix products, and seen in the times.

use super::bench::{BATCH, StepTimes, bench_config, median};
use crate::seq2seq::config::{Arch, ModelConfig, ModelKind, RnnConfig};
use crate::tensor::Float;

/// Multiply-adds in the matrix products of one forward pass over a batch of
/// [`BATCH`] sentences of length $n$ on both sides: $B(a n + b n^2)$, where
/// $a n$ counts the products applied to each position and $b n^2$ those
/// between positions (attention). The backward pass does about twice the
/// forward's products, so the total grows the same way.
///
/// With embedding $e$, hidden size $h$ (for the Transformer $d = d_{model}$,
/// feed-forward $f$, $L$ layers per stack) and target vocabulary $V$:
/// - LSTM: $a = 2 \cdot 4h(e + h) + hV$ (the encoder's and the decoder's
///   gates, the output layer), $b = 0$; with GRU or RNN cells 3 or 1 gates
///   in place of 4;
/// - recurrent with attention: $a$ as without plus $2h \cdot h$ for
///   $\tanh(W_c[c_t; s_t])$, $b = 2h$ (scores and context);
/// - Transformer: $a = L(4d^2 + 2df) + L(8d^2 + 2df) + dV$ (projections and
///   feed-forward of the encoder and decoder layers, the output layer),
///   $b = L \cdot 2d + L \cdot 4d$ ($QK^\top$ and the weighted sum of values:
///   once per encoder layer, twice per decoder layer).
pub fn multiply_adds(c: &ModelConfig, n: usize) -> Float {
    let v = c.tgt_vocab;
    let lstm = |r: &RnnConfig| {
        let (e, h) = (r.emb, r.hidden);
        2 * r.cell.gates() * h * (e + h) + h * v
    };
    let (a, b) = match &c.arch {
        Arch::Lstm(r) => (lstm(r), 0),
        Arch::Attention(r) => (lstm(r) + 2 * r.hidden * r.hidden, 2 * r.hidden),
        Arch::Transformer(t) => {
            let (d, f, l) = (t.d_model, t.d_ff, t.layers);
            (
                l * (4 * d * d + 2 * d * f) + l * (8 * d * d + 2 * d * f) + d * v,
                l * 2 * d + l * 4 * d,
            )
        }
    };
    let n = n as Float;
    BATCH as Float * (a as Float * n + b as Float * n * n)
}

/// How a cost grows from one length to another, as the exponent $k$ in
/// cost ∝ length^k: `seen` from the measured times, `expected` from
/// [`multiply_adds`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Growth {
    /// The shorter length.
    pub from: usize,
    /// The longer length.
    pub to: usize,
    /// The exponent the times show.
    pub seen: Float,
    /// The exponent the count of multiply-adds predicts.
    pub expected: Float,
}

/// The slope of $\ln y$ against $\ln x$, fitted by least squares:
/// $k = \sum_i (u_i - \bar u)(w_i - \bar w) / \sum_i (u_i - \bar u)^2$ with
/// $u = \ln x$, $w = \ln y$. For two points it is
/// $\ln(y_2/y_1) / \ln(x_2/x_1)$; a cost $y = c x^k$ gives exactly $k$.
///
/// # Panics
/// If fewer than two points are given or all `x` are equal.
pub fn log_log_slope(points: &[(Float, Float)]) -> Float {
    assert!(points.len() >= 2, "log_log_slope: needs two points or more");
    let n = points.len() as Float;
    let (u, w): (Vec<Float>, Vec<Float>) = points.iter().map(|&(x, y)| (x.ln(), y.ln())).unzip();
    let (u_mean, w_mean) = (u.iter().sum::<Float>() / n, w.iter().sum::<Float>() / n);
    let cov: Float = u
        .iter()
        .zip(&w)
        .map(|(a, b)| (a - u_mean) * (b - w_mean))
        .sum();
    let var: Float = u.iter().map(|a| (a - u_mean) * (a - u_mean)).sum();
    assert!(var > 0.0, "log_log_slope: the lengths must differ");
    cov / var
}

/// The growth of the median step time between each pair of successive
/// lengths, then over all of them (a least-squares fit, first to last
/// length), for the benchmark model `kind`. Empty with fewer than two lengths.
pub fn growth(kind: ModelKind, runs: &[StepTimes]) -> Vec<Growth> {
    if runs.len() < 2 {
        return vec![];
    }
    let c = bench_config(kind);
    let fit = |runs: &[StepTimes]| {
        let seen: Vec<_> = runs
            .iter()
            .map(|r| (r.len as Float, median(&r.ms)))
            .collect();
        let counted: Vec<_> = runs
            .iter()
            .map(|r| (r.len as Float, multiply_adds(&c, r.len)))
            .collect();
        Growth {
            from: runs[0].len,
            to: runs[runs.len() - 1].len,
            seen: log_log_slope(&seen),
            expected: log_log_slope(&counted),
        }
    };
    let mut all: Vec<Growth> = runs.windows(2).map(fit).collect();
    if runs.len() > 2 {
        all.push(fit(runs));
    }
    all
}

/// Says in words how the time grew over all lengths and between the last
/// two (`all` as [`growth`] returns it), and how that compares with the
/// count of multiply-adds. Empty when `all` is.
pub fn growth_words(kind: ModelKind, all: &[Growth]) -> String {
    match all {
        [] => String::new(),
        [only] => one_growth(kind, only),
        [.., last, overall] => format!(
            "{}; between the last two lengths, {} and {}: length^{:.2} seen, length^{:.2} counted",
            one_growth(kind, overall),
            last.from,
            last.to,
            last.seen,
            last.expected
        ),
    }
}

/// How a cost that grows as length^k grows, in words.
fn shape(k: Float) -> &'static str {
    match k {
        k if k < 0.9 => "less than linear",
        k if k <= 1.1 => "about linear",
        k if k < 1.9 => "between linear and quadratic",
        k if k <= 2.1 => "about quadratic",
        _ => "faster than quadratic",
    }
}

/// One [`Growth`] in words, with what the count of multiply-adds says.
fn one_growth(kind: ModelKind, g: &Growth) -> String {
    let model = match kind {
        ModelKind::Transformer => {
            "projections and feed-forward layers linear, attention's n×n scores quadratic"
        }
        ModelKind::Attention => "the recurrent layers linear, attention's scores quadratic",
        ModelKind::Lstm | ModelKind::Gru | ModelKind::Rnn => {
            "every product applied once per position"
        }
    };
    let verdict = match g.seen - g.expected {
        d if d.abs() <= 0.1 => "as the count predicts".to_string(),
        d if d < 0.0 => format!(
            "{:.2} below the count: costs fixed per step (one call per operation, the optimizer) may weigh more at short lengths, or the timings are noisy",
            -d
        ),
        d => format!(
            "{d:.2} above the count: costs it leaves out (element-wise work, memory traffic as the tape outgrows the caches) may grow faster than the products, or the timings are noisy"
        ),
    };
    format!(
        "{kind}: from length {} to {} the time grew as length^{:.2}, {}; counting multiply-adds ({model}) predicts length^{:.2}, {}: {verdict}",
        g.from,
        g.to,
        g.seen,
        shape(g.seen),
        g.expected,
        shape(g.expected)
    )
}
