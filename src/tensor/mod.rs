//! Plain numbers: a row-major, contiguous, N-dimensional array of [`Float`].
//!
//! Nothing here knows about gradients. The autodiff tape in
//! [`crate::autograd`] stores one [`Tensor`] per node and calls the kernels
//! of this module (element-wise maps, broadcasting, reductions, matrix
//! multiply) to compute values and gradients.
//!
//! Layout: the element at index `[i0, i1, ..., i_{n-1}]` lives at
//! `data[i0 * s0 + i1 * s1 + ... ]` with strides `s_{n-1} = 1` and
//! `s_j = s_{j+1} \cdot shape_{j+1}`. A tensor of shape `[]` is a scalar
//! holding one number.
//!
//! The elements sit behind a reference-counted pointer: cloning a tensor or
//! reshaping it shares the buffer, and the first write to a shared buffer
//! copies it (copy on write). The tape clones values freely; this keeps
//! those clones free.

mod broadcast;
mod float_mask;
mod init;
mod mask;
mod matmul;
mod reduce;

pub use broadcast::broadcast_shape;
pub use float_mask::FloatMask;
pub use init::{Rng, rng};
pub use mask::Mask;
pub use matmul::{gemm, gemm_reference, matmul_reference};

use std::sync::Arc;

/// The one floating-point type of the crate. Everything is `f64` so that
/// finite-difference gradient checks are accurate to about `1e-9`.
pub type Float = f64;

/// A row-major, contiguous N-dimensional array of [`Float`] with an explicit shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    shape: Vec<usize>,
    data: Arc<Vec<Float>>,
}

/// Number of elements of a tensor of this shape (1 for the scalar shape `[]`).
pub fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Row-major strides of a shape: the last axis has stride 1.
pub fn strides(shape: &[usize]) -> Vec<usize> {
    let mut s = vec![1; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1];
    }
    s
}

impl Tensor {
    /// A tensor from its elements in row-major order and its shape.
    ///
    /// # Panics
    /// If `data.len()` is not the product of `shape`.
    pub fn from_vec(data: Vec<Float>, shape: &[usize]) -> Tensor {
        assert!(
            data.len() == numel(shape),
            "Tensor::from_vec: {} elements cannot have shape {:?} ({} elements)",
            data.len(),
            shape,
            numel(shape)
        );
        Tensor {
            shape: shape.to_vec(),
            data: Arc::new(data),
        }
    }

    /// A tensor of the given shape with every element equal to `value`.
    pub fn full(shape: &[usize], value: Float) -> Tensor {
        Tensor::from_vec(vec![value; numel(shape)], shape)
    }

    /// A tensor of zeros.
    pub fn zeros(shape: &[usize]) -> Tensor {
        Tensor::full(shape, 0.0)
    }

    /// A tensor of ones.
    pub fn ones(shape: &[usize]) -> Tensor {
        Tensor::full(shape, 1.0)
    }

    /// A scalar: shape `[]`, one element.
    pub fn scalar(value: Float) -> Tensor {
        Tensor::from_vec(vec![value], &[])
    }

    /// The shape, outermost axis first.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The number of axes.
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// The number of elements.
    pub fn numel(&self) -> usize {
        self.data.len()
    }

    /// The elements in row-major order.
    pub fn data(&self) -> &[Float] {
        &self.data
    }

    /// The elements in row-major order, mutable (copied first if the buffer is shared).
    pub fn data_mut(&mut self) -> &mut [Float] {
        Arc::make_mut(&mut self.data).as_mut_slice()
    }

    /// Consumes the tensor, returning its elements (copied if the buffer is shared).
    pub fn into_data(self) -> Vec<Float> {
        Arc::try_unwrap(self.data).unwrap_or_else(|shared| shared.as_ref().clone())
    }

    /// The single element of a one-element tensor.
    ///
    /// # Panics
    /// If the tensor holds more or fewer than one element.
    pub fn item(&self) -> Float {
        assert!(
            self.data.len() == 1,
            "Tensor::item: tensor of shape {:?} does not hold exactly one element",
            self.shape
        );
        self.data[0]
    }

    /// The element at a multi-index.
    ///
    /// # Panics
    /// If the index has the wrong length or is out of range.
    pub fn at(&self, index: &[usize]) -> Float {
        assert!(
            index.len() == self.shape.len() && index.iter().zip(&self.shape).all(|(i, n)| i < n),
            "Tensor::at: index {:?} is out of range for shape {:?}",
            index,
            self.shape
        );
        let offset: usize = index
            .iter()
            .zip(strides(&self.shape))
            .map(|(i, s)| i * s)
            .sum();
        self.data[offset]
    }

    /// The same elements under another shape with the same number of elements.
    ///
    /// # Panics
    /// If the element counts differ.
    pub fn reshape(&self, shape: &[usize]) -> Tensor {
        assert!(
            numel(shape) == self.numel(),
            "reshape: cannot reshape {:?} into {:?}",
            self.shape,
            shape
        );
        Tensor {
            shape: shape.to_vec(),
            data: Arc::clone(&self.data),
        }
    }

    /// Applies `f` to every element.
    pub fn map(&self, f: impl Fn(Float) -> Float) -> Tensor {
        Tensor::from_vec(self.data.iter().map(|&x| f(x)).collect(), &self.shape)
    }

    /// Combines two tensors of the same shape element by element.
    ///
    /// # Panics
    /// If the shapes differ; the message names `op` and both shapes.
    pub fn zip_map(&self, other: &Tensor, op: &str, f: impl Fn(Float, Float) -> Float) -> Tensor {
        assert_same_shape(op, &self.shape, &other.shape);
        let data = self
            .data
            .iter()
            .zip(other.data.iter())
            .map(|(&a, &b)| f(a, b))
            .collect();
        Tensor::from_vec(data, &self.shape)
    }

    /// `self += other`, element by element, for tensors of the same shape.
    ///
    /// # Panics
    /// If the shapes differ.
    pub fn add_assign(&mut self, other: &Tensor) {
        assert_same_shape("add_assign", &self.shape, &other.shape);
        for (a, b) in Arc::make_mut(&mut self.data)
            .iter_mut()
            .zip(other.data.iter())
        {
            *a += b;
        }
    }

    /// Swaps the last two axes: `[.., m, n]` becomes `[.., n, m]`.
    ///
    /// # Panics
    /// If the tensor has fewer than 2 axes.
    pub fn transpose_last2(&self) -> Tensor {
        let nd = self.ndim();
        assert!(
            nd >= 2,
            "transpose: needs at least 2 axes, got shape {:?}",
            self.shape
        );
        let (m, n) = (self.shape[nd - 2], self.shape[nd - 1]);
        let mut shape = self.shape.clone();
        shape.swap(nd - 2, nd - 1);
        let mut data = vec![0.0; self.numel()];
        for (src, dst) in self.data.chunks(m * n).zip(data.chunks_mut(m * n)) {
            for i in 0..m {
                for j in 0..n {
                    dst[j * m + i] = src[i * n + j];
                }
            }
        }
        Tensor::from_vec(data, &shape)
    }

    /// The largest absolute difference to another tensor of the same shape;
    /// NaN if an element of either is NaN. Equal elements differ by 0, equal
    /// infinities included.
    ///
    /// # Panics
    /// If the shapes differ.
    pub fn max_abs_diff(&self, other: &Tensor) -> Float {
        assert_same_shape("max_abs_diff", &self.shape, &other.shape);
        self.data
            .iter()
            .zip(other.data.iter())
            // inf - inf is NaN, but equal infinities do not differ.
            .map(|(a, b)| if a == b { 0.0 } else { (a - b).abs() })
            // `Float::max` would drop a NaN difference: a NaN must show.
            .fold(0.0, max_or_nan)
    }
}

/// The larger of two numbers, or NaN if either is NaN (`f64::max` returns
/// the other number instead).
pub(crate) fn max_or_nan(a: Float, b: Float) -> Float {
    if a.is_nan() || b.is_nan() {
        Float::NAN
    } else {
        a.max(b)
    }
}

/// Panics with `op` and both shapes unless the shapes are equal.
pub(crate) fn assert_same_shape(op: &str, a: &[usize], b: &[usize]) {
    assert!(a == b, "{op}: shapes {a:?} and {b:?} differ");
}

/// Rows `rows` of `data`, a row-major table with rows of `row_len` values:
/// row `r` of the result is row `rows[r]`.
///
/// # Panics
/// If a row index is out of range (naming it and the number of rows).
pub fn take_rows<T: Copy>(data: &[T], row_len: usize, rows: &[usize]) -> Vec<T> {
    let n = data.len() / row_len.max(1);
    let mut out = Vec::with_capacity(rows.len() * row_len);
    for &r in rows {
        assert!(r < n, "take_rows: row {r} of a table of {n} rows");
        out.extend_from_slice(&data[r * row_len..(r + 1) * row_len]);
    }
    out
}
