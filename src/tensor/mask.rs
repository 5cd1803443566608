//! Boolean masks for attention: `true` marks a position that is hidden.

use super::broadcast::{broadcast_shape, broadcast_strides, for_each_broadcast};
use super::numel;

/// A boolean tensor; `true` means "hidden": masked fill writes there.
///
/// A mask broadcasts against the tensor it masks, by the rules of
/// [`broadcast_shape`], so one `[n_q, n_k]` causal mask serves a whole batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Mask {
    shape: Vec<usize>,
    data: Vec<bool>,
}

impl Mask {
    /// A mask from its elements in row-major order and its shape.
    ///
    /// # Panics
    /// If `data.len()` is not the product of `shape`.
    pub fn from_vec(data: Vec<bool>, shape: &[usize]) -> Mask {
        assert!(
            data.len() == numel(shape),
            "Mask::from_vec: {} elements cannot have shape {:?}",
            data.len(),
            shape
        );
        Mask {
            shape: shape.to_vec(),
            data,
        }
    }

    /// The causal mask of a decoder, shape `[n, n]`: query `i` may not see
    /// key `j > i`, so entry `(i, j)` is `true` exactly when `j > i`.
    pub fn causal(n: usize) -> Mask {
        let data = (0..n * n).map(|f| f % n > f / n).collect();
        Mask::from_vec(data, &[n, n])
    }

    /// A key-padding mask of shape `[batch, 1, max_len]`: for sequence `b`,
    /// key positions `lengths[b]..max_len` are `true` (padding). It
    /// broadcasts over the query axis of `[batch, n_q, max_len]` scores.
    ///
    /// # Panics
    /// If a length exceeds `max_len`.
    pub fn padding(lengths: &[usize], max_len: usize) -> Mask {
        let mut data = Vec::with_capacity(lengths.len() * max_len);
        for &len in lengths {
            assert!(
                len <= max_len,
                "Mask::padding: length {len} exceeds max_len {max_len}"
            );
            data.extend((0..max_len).map(|j| j >= len));
        }
        Mask::from_vec(data, &[lengths.len(), 1, max_len])
    }

    /// The same flags under another shape with as many elements.
    ///
    /// # Panics
    /// If the element counts differ.
    pub fn reshape(&self, shape: &[usize]) -> Mask {
        Mask::from_vec(self.data.clone(), shape)
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The elements in row-major order.
    pub fn data(&self) -> &[bool] {
        &self.data
    }

    /// The mask stretched to `shape` (one flag per element, row-major).
    ///
    /// # Panics
    /// If the mask does not broadcast to `shape`; the message names `op`.
    pub fn broadcast_to(&self, shape: &[usize], op: &str) -> Vec<bool> {
        assert!(
            broadcast_shape(&self.shape, shape).as_deref() == Some(shape),
            "{op}: mask of shape {:?} does not broadcast to {:?}",
            self.shape,
            shape
        );
        let strides = broadcast_strides(&self.shape, shape);
        let zeros = vec![0; shape.len()];
        let mut out = vec![false; numel(shape)];
        for_each_broadcast(shape, &strides, &zeros, |i, m, _| out[i] = self.data[m]);
        out
    }
}
