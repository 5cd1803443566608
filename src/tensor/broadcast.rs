//! Broadcasting, as NumPy and PyTorch define it.
//!
//! Two shapes are aligned on their last axis; on each axis the sizes must be
//! equal or one of them must be 1 (or missing), and the result takes the
//! larger size. A bias row `[n]` thus broadcasts over a batch `[b, n]`, and a
//! scalar `[]` over anything.
//!
//! The backward pass of a broadcast operation sums the gradient over the
//! axes that were stretched: [`Tensor::sum_to_shape`].

use super::{Float, Tensor, numel, strides};

/// The shape two operands broadcast to, or `None` if they do not broadcast.
///
/// ```
/// use encdec::tensor::broadcast_shape;
/// assert_eq!(broadcast_shape(&[4, 1, 3], &[5, 3]), Some(vec![4, 5, 3]));
/// assert_eq!(broadcast_shape(&[2, 3], &[]), Some(vec![2, 3]));
/// assert_eq!(broadcast_shape(&[2, 3], &[2]), None);
/// ```
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        // Size along the i-th axis counted from the right; missing axes are 1.
        let da = if i < a.len() { a[a.len() - 1 - i] } else { 1 };
        let db = if i < b.len() { b[b.len() - 1 - i] } else { 1 };
        out[n - 1 - i] = match (da, db) {
            _ if da == db => da,
            (1, _) => db,
            (_, 1) => da,
            _ => return None,
        };
    }
    Some(out)
}

/// Strides that read a tensor of shape `shape` as if it had shape `out`:
/// 0 on every axis that is broadcast.
pub(crate) fn broadcast_strides(shape: &[usize], out: &[usize]) -> Vec<usize> {
    let s = strides(shape);
    let offset = out.len() - shape.len();
    (0..out.len())
        .map(|i| {
            if i < offset || shape[i - offset] == 1 {
                0
            } else {
                s[i - offset]
            }
        })
        .collect()
}

/// When `small` broadcast to `big` only repeats one contiguous block of
/// axes — `small` is, after padding with leading 1s, ones, then `big`'s
/// sizes, then ones — returns `(outer, mid, inner)`: `big` read as
/// `[outer, mid, inner]` holds `small`'s `mid` elements, each repeated
/// `inner` times, the whole repeated `outer` times. This covers a bias row
/// (`[n]` over `[b, n]`), a scalar, and per-row statistics (`[b, t, 1]` over
/// `[b, t, d]`), the broadcasts every layer uses.
fn block_pattern(big: &[usize], small: &[usize]) -> Option<(usize, usize, usize)> {
    if small.len() > big.len() || small.contains(&0) {
        return None;
    }
    let padded: Vec<usize> = std::iter::repeat_n(1, big.len() - small.len())
        .chain(small.iter().copied())
        .collect();
    // Axes where small is stretched (size 1 but big is not) must all lie
    // before or after one block of equal axes.
    let kept: Vec<usize> = (0..big.len())
        .filter(|&i| !(padded[i] == 1 && big[i] != 1))
        .collect();
    let (first, last) = match (kept.first(), kept.last()) {
        (Some(&f), Some(&l)) => (f, l),
        _ => return Some((numel(big), 1, 1)),
    };
    if (first..=last).any(|i| padded[i] != big[i]) {
        return None;
    }
    Some((
        numel(&big[..first]),
        numel(&big[first..=last]),
        numel(&big[last + 1..]),
    ))
}

/// Calls `visit(out_index, a_offset, b_offset)` for every element of `out`
/// in row-major order, with the matching offsets into two broadcast operands.
/// An "odometer" over the multi-index: no recursion, no allocation per step.
pub(crate) fn for_each_broadcast(
    out: &[usize],
    sa: &[usize],
    sb: &[usize],
    mut visit: impl FnMut(usize, usize, usize),
) {
    let n = numel(out);
    let mut idx = vec![0usize; out.len()];
    let (mut oa, mut ob) = (0usize, 0usize);
    for flat in 0..n {
        visit(flat, oa, ob);
        // Advance the multi-index by one, carrying into outer axes.
        for ax in (0..out.len()).rev() {
            idx[ax] += 1;
            oa += sa[ax];
            ob += sb[ax];
            if idx[ax] < out[ax] {
                break;
            }
            oa -= sa[ax] * out[ax];
            ob -= sb[ax] * out[ax];
            idx[ax] = 0;
        }
    }
}

impl Tensor {
    /// Combines two tensors element by element after broadcasting them to a
    /// common shape.
    ///
    /// # Panics
    /// If the shapes do not broadcast; the message names `op` and both shapes.
    pub fn broadcast_zip(
        &self,
        other: &Tensor,
        op: &str,
        f: impl Fn(Float, Float) -> Float,
    ) -> Tensor {
        let (a, b) = (self.shape(), other.shape());
        if a == b {
            return self.zip_map(other, op, f);
        }
        let out = broadcast_shape(a, b)
            .unwrap_or_else(|| panic!("{op}: shapes {a:?} and {b:?} do not broadcast"));
        let (x, y) = (self.data(), other.data());
        // Fast paths: one operand is the other with one block of axes repeated.
        if out == a
            && let Some((outer, mid, inner)) = block_pattern(a, b)
        {
            let mut data = Vec::with_capacity(x.len());
            for o in 0..outer {
                if inner == 1 {
                    let row = &x[o * mid..][..mid];
                    data.extend(row.iter().zip(y).map(|(&p, &q)| f(p, q)));
                    continue;
                }
                for (m, &q) in y.iter().enumerate().take(mid) {
                    let row = &x[(o * mid + m) * inner..][..inner];
                    data.extend(row.iter().map(|&p| f(p, q)));
                }
            }
            return Tensor::from_vec(data, &out);
        }
        if out == b
            && let Some((outer, mid, inner)) = block_pattern(b, a)
        {
            let mut data = Vec::with_capacity(y.len());
            for o in 0..outer {
                for (m, &p) in x.iter().enumerate().take(mid) {
                    let row = &y[(o * mid + m) * inner..][..inner];
                    data.extend(row.iter().map(|&q| f(p, q)));
                }
            }
            return Tensor::from_vec(data, &out);
        }
        let (sa, sb) = (broadcast_strides(a, &out), broadcast_strides(b, &out));
        let mut data = vec![0.0; numel(&out)];
        for_each_broadcast(&out, &sa, &sb, |i, ia, ib| data[i] = f(x[ia], y[ib]));
        Tensor::from_vec(data, &out)
    }

    /// Sums a gradient of a broadcast result back to the shape of one operand:
    /// every axis that broadcasting stretched is summed over.
    ///
    /// This is the backward pass of broadcasting: if `y = broadcast(x)` then
    /// $\bar x_j = \sum_{i \mapsto j} \bar y_i$.
    ///
    /// # Panics
    /// If `shape` does not broadcast to the shape of `self`.
    pub fn sum_to_shape(&self, shape: &[usize]) -> Tensor {
        let out = self.shape();
        if out == shape {
            return self.clone();
        }
        assert!(
            broadcast_shape(shape, out).as_deref() == Some(out),
            "sum_to_shape: {shape:?} does not broadcast to {out:?}"
        );
        let g = self.data();
        let mut data = vec![0.0; numel(shape)];
        if let Some((outer, mid, inner)) = block_pattern(out, shape) {
            for o in 0..outer {
                if inner == 1 {
                    for (d, &v) in data.iter_mut().zip(&g[o * mid..][..mid]) {
                        *d += v;
                    }
                    continue;
                }
                for (m, d) in data.iter_mut().enumerate().take(mid) {
                    *d += g[(o * mid + m) * inner..][..inner].iter().sum::<Float>();
                }
            }
        } else {
            let st = broadcast_strides(shape, out);
            let zeros = vec![0; out.len()];
            for_each_broadcast(out, &st, &zeros, |i, it, _| data[it] += g[i]);
        }
        Tensor::from_vec(data, shape)
    }
}
