//! Reductions along one axis and their inverse, repetition along one axis.
//!
//! A shape is split around `axis` into `outer x len x inner`, so that
//! element `(o, i, j)` lives at `(o * len + i) * inner + j`.

use super::{Float, Tensor, numel};

/// Splits `shape` around `axis` into `(outer, len, inner)`.
///
/// # Panics
/// If `axis` is out of range; the message names `op` and the shape.
pub(crate) fn split_at_axis(shape: &[usize], axis: usize, op: &str) -> (usize, usize, usize) {
    assert!(
        axis < shape.len(),
        "{op}: axis {axis} is out of range for shape {shape:?}"
    );
    (
        numel(&shape[..axis]),
        shape[axis],
        numel(&shape[axis + 1..]),
    )
}

/// `shape` with `axis` removed, or set to 1 when `keepdim`.
pub(crate) fn reduced_shape(shape: &[usize], axis: usize, keepdim: bool) -> Vec<usize> {
    let mut s = shape.to_vec();
    if keepdim {
        s[axis] = 1;
    } else {
        s.remove(axis);
    }
    s
}

impl Tensor {
    /// The sum of all elements.
    pub fn sum_all(&self) -> Float {
        self.data().iter().sum()
    }

    /// Sums along `axis`: $y_{o,j} = \sum_i x_{o,i,j}$. The axis is removed, or
    /// kept with size 1 when `keepdim`.
    ///
    /// # Panics
    /// If `axis` is out of range.
    pub fn sum_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        let (outer, len, inner) = split_at_axis(self.shape(), axis, "sum_axis");
        let x = self.data();
        if inner == 1 {
            // Summing along the last axis: each output is one contiguous run.
            let out = x
                .chunks(len.max(1))
                .take(outer)
                .map(|run| run.iter().sum())
                .collect();
            let out = if len == 0 { vec![0.0; outer] } else { out };
            return Tensor::from_vec(out, &reduced_shape(self.shape(), axis, keepdim));
        }
        let mut out = vec![0.0; outer * inner];
        for o in 0..outer {
            for i in 0..len {
                let row = &x[(o * len + i) * inner..][..inner];
                for (y, v) in out[o * inner..][..inner].iter_mut().zip(row) {
                    *y += v;
                }
            }
        }
        Tensor::from_vec(out, &reduced_shape(self.shape(), axis, keepdim))
    }

    /// Repeats `self` `len` times along a new (or size-1) axis `axis`, giving
    /// `shape`: the inverse of [`Tensor::sum_axis`]'s shape change, and the
    /// backward pass of a sum.
    ///
    /// # Panics
    /// If `self` does not hold `shape` with `axis` reduced.
    pub fn repeat_axis(&self, axis: usize, shape: &[usize]) -> Tensor {
        let (outer, len, inner) = split_at_axis(shape, axis, "repeat_axis");
        assert!(
            self.numel() == outer * inner,
            "repeat_axis: {:?} is not {:?} reduced along axis {axis}",
            self.shape(),
            shape
        );
        let g = self.data();
        let mut out = Vec::with_capacity(numel(shape));
        for o in 0..outer {
            for _ in 0..len {
                out.extend_from_slice(&g[o * inner..][..inner]);
            }
        }
        Tensor::from_vec(out, shape)
    }
}
