//! Matrix multiply: a readable reference and a fast kernel.
//!
//! [`gemm_reference`] is the textbook triple loop
//! $C_{ij} = \sum_p A_{ip} B_{pj}$, kept so that tests can check the fast
//! [`gemm`] (the `matrixmultiply` crate's cache-blocked, SIMD `dgemm`) against it.
//! Both read their operands through row and column strides, so a transposed
//! operand costs nothing: $A^\top$ is $A$ read with the strides swapped.
//!
//! [`Tensor::matmul`] multiplies the last two axes and batches over the
//! leading ones.

use super::{Float, Tensor, numel};

/// Checks that a strided `rows x cols` matrix fits in a slice of length `len`.
fn check_fits(name: &str, rows: usize, cols: usize, rs: usize, cs: usize, len: usize) {
    if rows > 0 && cols > 0 {
        let last = (rows - 1) * rs + (cols - 1) * cs;
        assert!(
            last < len,
            "gemm: {name} ({rows}x{cols}, strides {rs},{cs}) does not fit in {len} elements"
        );
    }
}

/// The reference matrix multiply, three plain loops:
/// $C_{ij} \mathrel{(+)}= \sum_{p} A_{ip} B_{pj}$ for an `m x k` matrix `a`
/// and a `k x n` matrix `b`, each read through (row, column) strides.
/// With `accumulate` the product is added to `c`; otherwise it overwrites `c`.
///
/// # Panics
/// If a strided matrix does not fit in its slice.
#[allow(clippy::too_many_arguments)]
pub fn gemm_reference(
    (m, k, n): (usize, usize, usize),
    a: &[Float],
    (rsa, csa): (usize, usize),
    b: &[Float],
    (rsb, csb): (usize, usize),
    c: &mut [Float],
    (rsc, csc): (usize, usize),
    accumulate: bool,
) {
    check_fits("a", m, k, rsa, csa, a.len());
    check_fits("b", k, n, rsb, csb, b.len());
    check_fits("c", m, n, rsc, csc, c.len());
    for i in 0..m {
        for j in 0..n {
            let mut sum = 0.0;
            for p in 0..k {
                sum += a[i * rsa + p * csa] * b[p * rsb + j * csb];
            }
            let cij = &mut c[i * rsc + j * csc];
            *cij = if accumulate { *cij + sum } else { sum };
        }
    }
}

/// The fast matrix multiply: same contract as [`gemm_reference`], computed by
/// `matrixmultiply::dgemm` (packing into cache-sized blocks, then a SIMD
/// micro-kernel chosen at run time). Single-threaded.
///
/// # Panics
/// If a strided matrix does not fit in its slice.
#[allow(clippy::too_many_arguments)]
pub fn gemm(
    (m, k, n): (usize, usize, usize),
    a: &[Float],
    (rsa, csa): (usize, usize),
    b: &[Float],
    (rsb, csb): (usize, usize),
    c: &mut [Float],
    (rsc, csc): (usize, usize),
    accumulate: bool,
) {
    check_fits("a", m, k, rsa, csa, a.len());
    check_fits("b", k, n, rsb, csb, b.len());
    check_fits("c", m, n, rsc, csc, c.len());
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            for i in 0..m {
                for j in 0..n {
                    c[i * rsc + j * csc] = 0.0;
                }
            }
        }
        return;
    }
    let beta = if accumulate { 1.0 } else { 0.0 };
    // SAFETY: check_fits proved that every index the kernel reads or writes,
    // (i * rs + j * cs) for i < rows and j < cols, lies inside its slice, and
    // `c` is borrowed mutably so it cannot alias `a` or `b`.
    unsafe {
        matrixmultiply::dgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa as isize,
            csa as isize,
            b.as_ptr(),
            rsb as isize,
            csb as isize,
            beta,
            c.as_mut_ptr(),
            rsc as isize,
            csc as isize,
        );
    }
}

/// The reference product of two 2-D tensors, `[m, k] x [k, n] -> [m, n]`.
///
/// # Panics
/// If either tensor is not 2-D or the inner sizes differ.
pub fn matmul_reference(a: &Tensor, b: &Tensor) -> Tensor {
    let (sa, sb) = (a.shape(), b.shape());
    assert!(
        sa.len() == 2 && sb.len() == 2 && sa[1] == sb[0],
        "matmul_reference: shapes {sa:?} and {sb:?} do not match"
    );
    let (m, k, n) = (sa[0], sa[1], sb[1]);
    let mut c = vec![0.0; m * n];
    gemm_reference(
        (m, k, n),
        a.data(),
        (k, 1),
        b.data(),
        (n, 1),
        &mut c,
        (n, 1),
        false,
    );
    Tensor::from_vec(c, &[m, n])
}

impl Tensor {
    /// Matrix product over the last two axes, batched over the leading ones:
    /// `[.., n, k] x [.., k, m] -> [.., n, m]`.
    ///
    /// The leading axes must be equal, or one operand must be 2-D and is then
    /// shared by every batch element (`x @ W` for a batch of sequences).
    ///
    /// # Panics
    /// If an operand has fewer than 2 axes or the shapes do not match; the
    /// message names `matmul` and both shapes.
    pub fn matmul(&self, other: &Tensor) -> Tensor {
        self.matmul_t(other, false, false)
    }

    /// [`Tensor::matmul`] of `op(self)` and `op(other)`, where `op` transposes
    /// the last two axes when its flag is set: the three products of a matmul's
    /// forward and backward passes without copying a transpose.
    ///
    /// # Panics
    /// As [`Tensor::matmul`], with the shapes as stored.
    pub fn matmul_t(&self, other: &Tensor, trans_a: bool, trans_b: bool) -> Tensor {
        let (sa, sb) = (self.shape(), other.shape());
        let (n, k, m) = product_dims(sa, sb, trans_a, trans_b);
        let (ra, ca) = (sa[sa.len() - 2], sa[sa.len() - 1]);
        let (rb, cb) = (sb[sb.len() - 2], sb[sb.len() - 1]);
        let (ba, bb) = (&sa[..sa.len() - 2], &sb[..sb.len() - 2]);
        let batch = if ba.is_empty() { bb } else { ba };
        let mut out_shape = batch.to_vec();
        out_shape.extend([n, m]);
        let mut out = vec![0.0; numel(&out_shape)];
        // Strides of the logical (possibly transposed) operands.
        let st_a = if trans_a { (1, ca) } else { (ca, 1) };
        let st_b = if trans_b { (1, cb) } else { (cb, 1) };
        if bb.is_empty() && !trans_a {
            // A shared 2-D right operand: stack every batch's rows into one
            // tall matrix and multiply once.
            let rows = numel(batch) * n;
            gemm(
                (rows, k, m),
                self.data(),
                st_a,
                other.data(),
                st_b,
                &mut out,
                (m, 1),
                false,
            );
        } else {
            let (step_a, step_b) = (ra * ca, rb * cb);
            for i in 0..numel(batch) {
                let a = if ba.is_empty() {
                    self.data()
                } else {
                    &self.data()[i * step_a..][..step_a]
                };
                let b = if bb.is_empty() {
                    other.data()
                } else {
                    &other.data()[i * step_b..][..step_b]
                };
                gemm(
                    (n, k, m),
                    a,
                    st_a,
                    b,
                    st_b,
                    &mut out[i * n * m..][..n * m],
                    (m, 1),
                    false,
                );
            }
        }
        Tensor::from_vec(out, &out_shape)
    }
}

/// `(n, k, m)` of the product `op(a) op(b)` of stored shapes `sa`, `sb`
/// (`op` transposing the last two axes when its flag is set).
///
/// # Panics
/// If an operand has fewer than 2 axes, the inner sizes differ, or the
/// leading axes differ and neither operand is 2-D.
fn product_dims(sa: &[usize], sb: &[usize], trans_a: bool, trans_b: bool) -> (usize, usize, usize) {
    let bad = || -> ! { panic!("matmul: shapes {sa:?} and {sb:?} do not match") };
    if sa.len() < 2 || sb.len() < 2 {
        bad();
    }
    let (ra, ca) = (sa[sa.len() - 2], sa[sa.len() - 1]);
    let (rb, cb) = (sb[sb.len() - 2], sb[sb.len() - 1]);
    let (n, k) = if trans_a { (ca, ra) } else { (ra, ca) };
    let (k2, m) = if trans_b { (cb, rb) } else { (rb, cb) };
    let (ba, bb) = (&sa[..sa.len() - 2], &sb[..sb.len() - 2]);
    if k != k2 || !(ba == bb || ba.is_empty() || bb.is_empty()) {
        bad();
    }
    (n, k, m)
}
