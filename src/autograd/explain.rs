//! Each operation's backward rule in words a reader can check with a
//! pencil: the rule (`dx += dy * (1 - y²)`) and the same rule with the
//! numbers of one backward step, element by element
//! (`dx += dy * (1 - y²) = 0.3 * (1 - 0.46²) = 0.2365`). The result after
//! the last `=` is always the tape's own number; the rest shows where it
//! came from. Used by [`super::Tape::trace_backward`].

use super::op::Op;
use crate::tensor::{Float, Tensor};

/// At most this many lines of arithmetic per `+=`.
const MAX_LINES: usize = 12;

/// The backward rule of `op` for its operand `operand` (`x` for a one-input
/// op, `a` and `b` for two; `y` is the output).
pub(crate) fn rule(op: &Op, operand: usize) -> String {
    let first = operand == 0;
    let rule = match op {
        Op::Add => pick(first, "da += dy", "db += dy"),
        Op::Sub => pick(first, "da += dy", "db += -dy"),
        Op::Mul => pick(first, "da += dy * b", "db += dy * a"),
        Op::Div => pick(first, "da += dy / b", "db += -dy * a / b²"),
        Op::Neg => "dx += -dy",
        Op::AddScalar => "dx += dy",
        Op::MulScalar(_) => "dx += c * dy",
        Op::MatMul => pick(first, "da += dy · bᵀ", "db += aᵀ · dy"),
        Op::MatMulNT => pick(first, "da += dy · b", "db += dyᵀ · a"),
        Op::Sum(_) => "dx += dy (for every element of x)",
        Op::Exp => "dx += dy * y",
        Op::Log => "dx += dy / x",
        Op::Tanh => "dx += dy * (1 - y²)",
        Op::Sigmoid => "dx += dy * y * (1 - y)",
        Op::Relu => "dx += dy * [x > 0]",
        Op::Softmax => "dx_i += y_i * (dy_i - Σ_j y_j * dy_j)   (per row)",
        _ => return format!("the backward rule of {} (src/autograd/ops/)", op.name()),
    };
    rule.to_string()
}

fn pick<'a>(first: bool, a: &'a str, b: &'a str) -> &'a str {
    if first { a } else { b }
}

/// The rule of `op` for `operand` with the numbers: `x` the inputs, `y` the
/// output, `g` its gradient, `amount` what the tape added. One line per
/// element, at most [`MAX_LINES`]; none where the rule does not go element
/// by element with these shapes (a broadcast, a batched product).
pub(crate) fn arithmetic(
    op: &Op,
    operand: usize,
    x: &[&Tensor],
    y: &Tensor,
    g: &Tensor,
    amount: &Tensor,
) -> Vec<String> {
    let d = if x.len() == 1 {
        "dx"
    } else {
        ["da", "db"][operand.min(1)]
    };
    let out = amount.data();
    let lines: Vec<String> = match op {
        Op::MatMul | Op::MatMulNT => products(op, operand, x, g, amount),
        Op::Sum(r) if r.axis.is_none() => (0..out.len())
            .map(|i| format!("{d}{} += dy = {}", at(amount, i), num(out[i])))
            .collect(),
        Op::Softmax => softmax_lines(y, g, amount),
        _ if same_size(&[y, g, amount]) && x.iter().all(|t| t.numel() == out.len()) => (0..out
            .len())
            .filter_map(|i| {
                let v = |t: &Tensor| t.data()[i];
                let with = element(
                    op,
                    operand,
                    &x.iter().map(|t| v(t)).collect::<Vec<_>>(),
                    v(y),
                    v(g),
                )?;
                Some(format!("{d}{} += {with} = {}", at(amount, i), num(out[i])))
            })
            .collect(),
        _ => vec![],
    };
    let mut lines: Vec<String> = lines.into_iter().take(MAX_LINES).collect();
    let binary = matches!(op, Op::Add | Op::Sub | Op::Mul | Op::Div);
    if binary && amount.shape() != y.shape() {
        lines.push(format!(
            "(summed to {d}'s shape {:?}: it was broadcast to {:?})",
            amount.shape(),
            y.shape()
        ));
    }
    lines
}

fn same_size(ts: &[&Tensor]) -> bool {
    ts.iter().all(|t| t.numel() == ts[0].numel())
}

/// One element's rule with its numbers, up to (not including) the result.
fn element(op: &Op, operand: usize, x: &[Float], y: Float, dy: Float) -> Option<String> {
    let (a, b) = (x[0], x.get(1).copied().unwrap_or(0.0));
    let dy_s = num(dy);
    Some(match (op, operand) {
        (Op::Add | Op::AddScalar, _) | (Op::Sub, 0) => dy_s,
        (Op::Sub, _) | (Op::Neg, _) => format!("-{}", par(dy)),
        (Op::Mul, 0) => format!("{dy_s} * {}", par(b)),
        (Op::Mul, _) => format!("{dy_s} * {}", par(a)),
        (Op::Div, 0) => format!("{dy_s} / {}", par(b)),
        (Op::Div, _) => format!("-{} * {} / {}²", par(dy), par(a), par(b)),
        (Op::MulScalar(c), _) => format!("{} * {dy_s}", num(*c)),
        (Op::Exp, _) => format!("{dy_s} * {}", par(y)),
        (Op::Log, _) => format!("{dy_s} / {}", par(a)),
        (Op::Tanh, _) => format!("{dy_s} * (1 - {}²)", par(y)),
        (Op::Sigmoid, _) => format!("{dy_s} * {} * (1 - {})", par(y), par(y)),
        (Op::Relu, _) => format!("{dy_s} * {}", if a > 0.0 { 1 } else { 0 }),
        _ => return None,
    })
}

/// The lines of a 2-D matrix product's backward, one sum per element.
fn products(op: &Op, operand: usize, x: &[&Tensor], g: &Tensor, amount: &Tensor) -> Vec<String> {
    if x.iter().chain([&g]).any(|t| t.ndim() != 2) || amount.ndim() != 2 {
        return vec![];
    }
    let (a, b) = (x[0], x[1]);
    let [rows, cols] = [amount.shape()[0], amount.shape()[1]];
    let mut lines = vec![];
    for i in 0..rows {
        for j in 0..cols {
            // The pairs (left, right) summed for element (i, j).
            let pairs: Vec<(Float, Float)> = match (op, operand) {
                // y = a b: da[i][j] = Σ_l dy[i][l] b[j][l]; db[i][j] = Σ_l a[l][i] dy[l][j]
                (Op::MatMul, 0) => (0..g.shape()[1])
                    .map(|l| (g.at(&[i, l]), b.at(&[j, l])))
                    .collect(),
                (Op::MatMul, _) => (0..g.shape()[0])
                    .map(|l| (a.at(&[l, i]), g.at(&[l, j])))
                    .collect(),
                // y = a bᵀ: da[i][j] = Σ_l dy[i][l] b[l][j]; db[i][j] = Σ_l dy[l][i] a[l][j]
                (_, 0) => (0..g.shape()[1])
                    .map(|l| (g.at(&[i, l]), b.at(&[l, j])))
                    .collect(),
                _ => (0..g.shape()[0])
                    .map(|l| (g.at(&[l, i]), a.at(&[l, j])))
                    .collect(),
            };
            let terms: Vec<String> = pairs
                .iter()
                .map(|&(p, q)| format!("{} * {}", par(p), par(q)))
                .collect();
            let d = ["da", "db"][operand.min(1)];
            lines.push(format!(
                "{d}[{i}][{j}] += {} = {}",
                terms.join(" + "),
                num(amount.at(&[i, j]))
            ));
        }
    }
    lines
}

/// dx_i = y_i (dy_i - Σ_j y_j dy_j), row by row.
fn softmax_lines(y: &Tensor, g: &Tensor, amount: &Tensor) -> Vec<String> {
    let n = y.shape().last().copied().unwrap_or(1).max(1);
    let (ys, gs) = (y.data(), g.data());
    (0..amount.numel())
        .map(|i| {
            let row = i / n * n;
            let dot: Float = (row..row + n).map(|k| ys[k] * gs[k]).sum();
            format!(
                "dx{} += {} * ({} - {}) = {}",
                at(amount, i),
                num(ys[i]),
                num(gs[i]),
                par(dot),
                num(amount.data()[i])
            )
        })
        .collect()
}

/// `[i]` or `[i][j]` for element `flat` of `t`; nothing for a scalar.
fn at(t: &Tensor, flat: usize) -> String {
    match t.shape() {
        [] => String::new(),
        s if s.iter().product::<usize>() == 1 => String::new(),
        [_] => format!("[{flat}]"),
        s => {
            let cols = s[s.len() - 1];
            format!("[{}][{}]", flat / cols, flat % cols)
        }
    }
}

/// A number with four significant digits, trailing zeros dropped: `0.2365`, `-1.2`, `12.35`.
pub(crate) fn num(x: Float) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{}", if x == 0.0 { 0.0 } else { x });
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 10) as usize;
    let s = format!("{x:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// [`num`], in parentheses when negative.
fn par(x: Float) -> String {
    let s = num(x);
    if s.starts_with('-') {
        format!("({s})")
    } else {
        s
    }
}
