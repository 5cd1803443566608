//! Softmax and log-softmax along the last axis, numerically stable.
//!
//! Both subtract the row maximum $m = \max_k x_k$ first, which changes
//! nothing mathematically ($\mathrm{softmax}(x - m) = \mathrm{softmax}(x)$)
//! but keeps every $e^{x_k - m} \le 1$, so logits of $\pm 10^4$ do not overflow.
//!
//! A row whose entries are all $-\infty$ (a fully masked attention row) has
//! no finite maximum; we define its softmax as all zeros and pass no
//! gradient through it, instead of the $0/0 = \mathrm{NaN}$ of the formula.
//! A row holding a NaN gives NaN everywhere: a NaN is never mistaken for a
//! masked row.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor};

/// Softmax of one row, written into `out`; a row of only $-\infty$ gives zeros.
pub(crate) fn softmax_row(x: &[Float], out: &mut [Float]) {
    if x.iter().any(|v| v.is_nan()) {
        out.fill(Float::NAN);
        return;
    }
    let m = x.iter().copied().fold(Float::NEG_INFINITY, Float::max);
    if m == Float::NEG_INFINITY {
        out.fill(0.0);
        return;
    }
    let mut z = 0.0;
    for (o, &v) in out.iter_mut().zip(x) {
        *o = (v - m).exp();
        z += *o;
    }
    for o in out.iter_mut() {
        *o /= z;
    }
}

/// Log-softmax of one row, $x_j - m - \ln\sum_k e^{x_k - m}$; a row of only
/// $-\infty$ stays $-\infty$.
pub(crate) fn log_softmax_row(x: &[Float], out: &mut [Float]) {
    if x.iter().any(|v| v.is_nan()) {
        out.fill(Float::NAN);
        return;
    }
    let m = x.iter().copied().fold(Float::NEG_INFINITY, Float::max);
    if m == Float::NEG_INFINITY {
        out.fill(Float::NEG_INFINITY);
        return;
    }
    let log_z = x.iter().map(|&v| (v - m).exp()).sum::<Float>().ln();
    for (o, &v) in out.iter_mut().zip(x) {
        *o = v - m - log_z;
    }
}

/// Applies a row function to every row along the last axis.
fn rowwise(x: &Tensor, op: &str, f: fn(&[Float], &mut [Float])) -> Tensor {
    assert!(
        x.ndim() >= 1,
        "{op}: needs at least 1 axis, got shape {:?}",
        x.shape()
    );
    let n = x.shape()[x.ndim() - 1].max(1);
    let mut out = Tensor::zeros(x.shape());
    for (row, o) in x.data().chunks(n).zip(out.data_mut().chunks_mut(n)) {
        f(row, o);
    }
    out
}

impl<'t> Var<'t> {
    /// Softmax along the last axis: $y_j = \frac{e^{x_j}}{\sum_k e^{x_k}}$.
    /// Each row of the output is a probability distribution.
    ///
    /// # Backward
    /// With $\bar y = \partial L/\partial y$:
    /// $\bar x_j = y_j\big(\bar y_j - \sum_k y_k \bar y_k\big)$.
    ///
    /// # Shapes
    /// `[.., n] -> [.., n]`
    ///
    /// # Panics
    /// If `x` is a scalar (shape `[]`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::softmax_gradcheck`.
    pub fn softmax(self) -> Var<'t> {
        let value = rowwise(&self.tape.nodes()[self.index].value, "softmax", softmax_row);
        self.tape.push(Op::Softmax, &[self], value)
    }

    /// Log-softmax along the last axis:
    /// $y_j = x_j - \ln \sum_k e^{x_k}$, computed as $x_j - m - \ln\sum_k e^{x_k - m}$.
    ///
    /// # Backward
    /// $\bar x_j = \bar y_j - e^{y_j} \sum_k \bar y_k$ (since $e^{y_j}$ is the softmax).
    ///
    /// # Shapes
    /// `[.., n] -> [.., n]`
    ///
    /// # Panics
    /// If `x` is a scalar (shape `[]`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::log_softmax_gradcheck`.
    pub fn log_softmax(self) -> Var<'t> {
        let value = rowwise(
            &self.tape.nodes()[self.index].value,
            "log_softmax",
            log_softmax_row,
        );
        self.tape.push(Op::LogSoftmax, &[self], value)
    }
}

// forward: y = softmax(x) (per row)  =>  dx_j += y_j * (dy_j - sum_k y_k dy_k)
pub(crate) fn softmax_backward(g: &Tensor, y: &Tensor) -> Tensor {
    let n = y.shape()[y.ndim() - 1].max(1);
    let mut dx = Tensor::zeros(y.shape());
    let rows = g.data().chunks(n).zip(y.data().chunks(n));
    for ((dy, y), dx) in rows.zip(dx.data_mut().chunks_mut(n)) {
        let dot: Float = dy.iter().zip(y).map(|(a, b)| a * b).sum();
        for ((d, &dyj), &yj) in dx.iter_mut().zip(dy).zip(y) {
            *d = yj * (dyj - dot);
        }
    }
    dx
}

// forward: y = x - logsumexp(x) (per row)  =>  dx_j += dy_j - exp(y_j) * sum_k dy_k
pub(crate) fn log_softmax_backward(g: &Tensor, y: &Tensor) -> Tensor {
    let n = y.shape()[y.ndim() - 1].max(1);
    let mut dx = Tensor::zeros(y.shape());
    let rows = g.data().chunks(n).zip(y.data().chunks(n));
    for ((dy, y), dx) in rows.zip(dx.data_mut().chunks_mut(n)) {
        let total: Float = dy.iter().sum();
        for ((d, &dyj), &yj) in dx.iter_mut().zip(dy).zip(y) {
            // exp(-inf) = 0: a fully masked row passes dy through, and the
            // masked fill below it then stops the gradient.
            *d = dyj - yj.exp() * total;
        }
    }
    dx
}
