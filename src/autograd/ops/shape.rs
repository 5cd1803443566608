//! Operations that move numbers without changing them: transpose, reshape,
//! concatenation and slicing. Their backward passes move the gradient back.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::Tensor;

/// Block dimensions around one axis: `(outer, part_len, whole_len, inner)`.
type Dims = (usize, usize, usize, usize);

/// Writes `part` (`outer x part_len x inner`) into `whole`
/// (`outer x whole_len x inner`) at offset `start` of the middle axis.
fn put_block(part: &[f64], whole: &mut [f64], (outer, len, whole_len, inner): Dims, start: usize) {
    for o in 0..outer {
        let src = &part[o * len * inner..][..len * inner];
        whole[(o * whole_len + start) * inner..][..len * inner].copy_from_slice(src);
    }
}

/// Reads the block of `whole` at offset `start` of the middle axis into `part`:
/// the inverse of [`put_block`].
fn take_block(whole: &[f64], part: &mut [f64], (outer, len, whole_len, inner): Dims, start: usize) {
    for o in 0..outer {
        let src = &whole[(o * whole_len + start) * inner..][..len * inner];
        part[o * len * inner..][..len * inner].copy_from_slice(src);
    }
}

/// Splits `shape` into (outer, inner) around `axis`.
fn outer_inner(shape: &[usize], axis: usize) -> (usize, usize) {
    (
        shape[..axis].iter().product(),
        shape[axis + 1..].iter().product(),
    )
}

impl<'t> Var<'t> {
    /// Swaps the last two axes: $Y_{..ji} = X_{..ij}$. Backward transposes the
    /// gradient back: $\bar X = \bar Y^\top$.
    ///
    /// # Shapes
    /// `[.., m, n] -> [.., n, m]`
    ///
    /// # Panics
    /// If `x` has fewer than 2 axes.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::transpose_gradcheck`.
    pub fn transpose(self) -> Var<'t> {
        let value = self.tape.nodes()[self.index].value.transpose_last2();
        self.tape.push(Op::Transpose, &[self], value)
    }

    /// The same elements under a new shape (row-major order is kept).
    /// Backward reshapes the gradient to the input's shape.
    ///
    /// # Panics
    /// If the element counts differ (`reshape: cannot reshape [..] into [..]`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::reshape_gradcheck`.
    pub fn reshape(self, shape: &[usize]) -> Var<'t> {
        let value = self.tape.nodes()[self.index].value.reshape(shape);
        self.tape.push(Op::Reshape, &[self], value)
    }

    /// Joins tensors along `axis`. Backward hands each input the slice of
    /// the gradient where its values went.
    ///
    /// # Shapes
    /// All inputs agree on every axis but `axis`; the output's `axis` is the
    /// sum of theirs.
    ///
    /// # Panics
    /// If `parts` is empty, `axis` is out of range, or two shapes disagree
    /// off `axis` (`concat: shapes [..] and [..] differ off axis ..`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::concat_gradcheck`.
    pub fn concat(parts: &[Var<'t>], axis: usize) -> Var<'t> {
        assert!(!parts.is_empty(), "concat: no tensors to join");
        let first = parts[0];
        let value = {
            let nodes = first.tape.nodes();
            let shape0 = nodes[first.index].value.shape().to_vec();
            assert!(
                axis < shape0.len(),
                "concat: axis {axis} is out of range for shape {shape0:?}"
            );
            let mut out_shape = shape0.clone();
            out_shape[axis] = 0;
            for p in parts {
                first.same_tape(p, "concat");
                let s = nodes[p.index].value.shape();
                let agree =
                    s.len() == shape0.len() && (0..s.len()).all(|i| i == axis || s[i] == shape0[i]);
                assert!(
                    agree,
                    "concat: shapes {shape0:?} and {s:?} differ off axis {axis}"
                );
                out_shape[axis] += s[axis];
            }
            let (outer, inner) = outer_inner(&out_shape, axis);
            let mut out = Tensor::zeros(&out_shape);
            let mut start = 0;
            for p in parts {
                let part = &nodes[p.index].value;
                let len = part.shape()[axis];
                let dims = (outer, len, out_shape[axis], inner);
                put_block(part.data(), out.data_mut(), dims, start);
                start += len;
            }
            out
        };
        first.tape.push(Op::Concat { axis }, parts, value)
    }

    /// The sub-tensor `start..end` along `axis`. Backward writes the gradient
    /// into a zero tensor of the input's shape at the same place.
    ///
    /// # Shapes
    /// `axis` shrinks to `end - start`; other axes are kept.
    ///
    /// # Panics
    /// If `axis` is out of range or `start..end` is not inside the axis.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::slice_gradcheck`.
    pub fn slice(self, axis: usize, start: usize, end: usize) -> Var<'t> {
        let value = {
            let nodes = self.tape.nodes();
            let x = &nodes[self.index].value;
            let shape = x.shape();
            assert!(
                axis < shape.len() && start <= end && end <= shape[axis],
                "slice: range {start}..{end} on axis {axis} is outside shape {shape:?}"
            );
            let mut out_shape = shape.to_vec();
            out_shape[axis] = end - start;
            let (outer, inner) = outer_inner(shape, axis);
            let mut out = Tensor::zeros(&out_shape);
            let dims = (outer, end - start, shape[axis], inner);
            take_block(x.data(), out.data_mut(), dims, start);
            out
        };
        self.tape.push(Op::Slice { axis, start }, &[self], value)
    }
}

// forward: y = concat(x_0, x_1, ..; axis)  =>  dx_i += dy[.., offset_i .. offset_i + len_i, ..]
pub(crate) fn concat_backward(g: &Tensor, x: &[&Tensor], axis: usize) -> Vec<Tensor> {
    let (outer, inner) = outer_inner(g.shape(), axis);
    let mut start = 0;
    x.iter()
        .map(|xi| {
            let len = xi.shape()[axis];
            let mut dx = Tensor::zeros(xi.shape());
            let dims = (outer, len, g.shape()[axis], inner);
            take_block(g.data(), dx.data_mut(), dims, start);
            start += len;
            dx
        })
        .collect()
}

// forward: y = x[.., start .. start + len, ..]  =>  dx[.., start .. start + len, ..] += dy
pub(crate) fn slice_backward(g: &Tensor, x_shape: &[usize], axis: usize, start: usize) -> Tensor {
    let (outer, inner) = outer_inner(x_shape, axis);
    let mut dx = Tensor::zeros(x_shape);
    let dims = (outer, g.shape()[axis], x_shape[axis], inner);
    put_block(g.data(), dx.data_mut(), dims, start);
    dx
}
