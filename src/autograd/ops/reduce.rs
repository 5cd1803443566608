//! Sums and means, of the whole tensor or along one axis.

use crate::autograd::op::{Op, Reduce};
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor};

impl<'t> Var<'t> {
    fn reduce(self, axis: Option<usize>, keepdim: bool, mean: bool) -> Var<'t> {
        let value = {
            let nodes = self.tape.nodes();
            let x = &nodes[self.index].value;
            let (total, count) = match axis {
                None => (Tensor::scalar(x.sum_all()), x.numel()),
                Some(a) => {
                    let name = if mean { "mean_axis" } else { "sum_axis" };
                    assert!(
                        a < x.ndim(),
                        "{name}: axis {a} is out of range for shape {:?}",
                        x.shape()
                    );
                    (x.sum_axis(a, keepdim), x.shape()[a])
                }
            };
            if mean {
                total.map(|s| s / count as Float)
            } else {
                total
            }
        };
        let r = Reduce { axis, keepdim };
        let op = if mean { Op::Mean(r) } else { Op::Sum(r) };
        self.tape.push(op, &[self], value)
    }

    /// Sum of all elements: $y = \sum_i x_i$, a scalar (shape `[]`).
    /// Backward: $\bar x_i = \bar y$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::sum_gradcheck`.
    pub fn sum(self) -> Var<'t> {
        self.reduce(None, false, false)
    }

    /// Mean of all elements: $y = \frac1N \sum_i x_i$. Backward: $\bar x_i = \bar y / N$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::mean_gradcheck`.
    pub fn mean(self) -> Var<'t> {
        self.reduce(None, false, true)
    }

    /// Sum along `axis`: $y_{o,j} = \sum_i x_{o,i,j}$. Backward repeats the
    /// gradient along the axis: $\bar x_{o,i,j} = \bar y_{o,j}$.
    ///
    /// # Shapes
    /// `axis` is removed, or kept with size 1 when `keepdim`.
    ///
    /// # Panics
    /// If `axis` is out of range (`sum_axis: axis 3 is out of range for shape [..]`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::sum_axis_gradcheck`.
    pub fn sum_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.reduce(Some(axis), keepdim, false)
    }

    /// Mean along `axis`: $y_{o,j} = \frac1n \sum_{i=1}^{n} x_{o,i,j}$.
    /// Backward: $\bar x_{o,i,j} = \bar y_{o,j} / n$.
    ///
    /// # Shapes
    /// As [`Var::sum_axis`].
    ///
    /// # Panics
    /// If `axis` is out of range.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::mean_axis_gradcheck`.
    pub fn mean_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.reduce(Some(axis), keepdim, true)
    }
}

// forward: y = sum_i x_i (over everything, or over `axis`)  =>  dx_i += dy
pub(crate) fn sum_backward(g: &Tensor, x_shape: &[usize], r: &Reduce) -> Tensor {
    match r.axis {
        None => Tensor::full(x_shape, g.item()),
        Some(axis) => g.repeat_axis(axis, x_shape),
    }
}

// forward: y = (1/n) sum_i x_i  =>  dx_i += dy / n
pub(crate) fn mean_backward(g: &Tensor, x_shape: &[usize], r: &Reduce) -> Tensor {
    let n = match r.axis {
        None => x_shape.iter().product::<usize>(),
        Some(axis) => x_shape[axis],
    };
    sum_backward(g, x_shape, r).map(|v| v / n as Float)
}
