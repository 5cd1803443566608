//! Matrix products over the last two axes, batched over leading axes:
//! $Y = AB$ ([`Var::matmul`]) and $Y = AB^\top$ ([`Var::matmul_nt`], the
//! form of every linear layer and of attention scores).

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Tensor, gemm};

impl<'t> Var<'t> {
    fn product(self, other: Var<'t>, trans_b: bool) -> Var<'t> {
        self.same_tape(&other, "matmul");
        let value = {
            let nodes = self.tape.nodes();
            nodes[self.index]
                .value
                .matmul_t(&nodes[other.index].value, false, trans_b)
        };
        let op = if trans_b { Op::MatMulNT } else { Op::MatMul };
        self.tape.push(op, &[self, other], value)
    }

    /// Matrix product $Y = A B$, i.e. $Y_{ij} = \sum_p A_{ip} B_{pj}$, over the
    /// last two axes and batched over the leading ones.
    ///
    /// # Backward
    /// $\bar A = \bar Y B^\top$ and $\bar B = A^\top \bar Y$. When a 2-D $B$ is
    /// shared by a batch, $\bar B$ sums $A_b^\top \bar Y_b$ over the batch.
    ///
    /// # Shapes
    /// `[.., n, k] x [.., k, m] -> [.., n, m]`; the leading axes are equal,
    /// or one operand is 2-D and shared (`[batch, t, d] x [d, h]`).
    ///
    /// # Panics
    /// If an operand has fewer than 2 axes or the shapes do not match
    /// (`matmul: shapes [..] and [..] do not match`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::matmul_gradcheck`,
    /// `matmul_batched_gradcheck` and `matmul_shared_gradcheck`.
    pub fn matmul(self, other: Var<'t>) -> Var<'t> {
        self.product(other, false)
    }

    /// Product with the second operand transposed, $Y = A B^\top$:
    /// $Y_{ij} = \sum_p A_{ip} B_{jp}$. A linear layer with a PyTorch-layout
    /// weight `[out, in]` is `x.matmul_nt(w)`, and attention scores are
    /// `q.matmul_nt(k)`; no transposed copy is made.
    ///
    /// # Backward
    /// $\bar A = \bar Y B$ and $\bar B = \bar Y^\top A$ (summed over the batch
    /// when a 2-D $B$ is shared).
    ///
    /// # Shapes
    /// `[.., n, k] x [.., m, k] -> [.., n, m]`, batching as [`Var::matmul`].
    ///
    /// # Panics
    /// As [`Var::matmul`] (`matmul: shapes [..] and [..] do not match`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::matmul_nt_gradcheck` and
    /// `matmul_nt_batched_gradcheck`.
    pub fn matmul_nt(self, other: Var<'t>) -> Var<'t> {
        self.product(other, true)
    }
}

/// Backward of `y = a @ op(b)` with `op(b) = b^T` when `trans_b`, computing
/// only the gradients that are needed.
pub(crate) fn matmul_backward(
    g: &Tensor,
    a: &Tensor,
    b: &Tensor,
    trans_b: bool,
    (need_a, need_b): (bool, bool),
) -> (Option<Tensor>, Option<Tensor>) {
    // forward: y = a @ b    =>  da += dy @ b^T
    // forward: y = a @ b^T  =>  da += dy @ b
    let da = need_a.then(|| {
        let da = g.matmul_t(b, false, !trans_b);
        // a was 2-D and shared by a batched b: sum over the batch.
        if da.shape() == a.shape() {
            da
        } else {
            sum_leading(&da, a.shape())
        }
    });
    // forward: y = a @ b    =>  db += a^T @ dy
    // forward: y = a @ b^T  =>  db += dy^T @ a
    let db = need_b.then(|| {
        if b.ndim() == 2 && a.ndim() > 2 {
            shared_weight_grad(g, a, b.shape(), trans_b)
        } else {
            let db = if trans_b {
                g.matmul_t(a, true, false)
            } else {
                a.matmul_t(g, true, false)
            };
            if db.shape() == b.shape() {
                db
            } else {
                sum_leading(&db, b.shape())
            }
        }
    });
    (da, db)
}

/// The gradient of a 2-D `b` shared by a batched `a`: stack the batch and
/// make one product, which sums over it. `a` is `[rows, k]` once stacked and
/// `dy` is `[rows, m]`; the result has `b`'s shape (`[k, m]`, or `[m, k]`
/// when `trans_b`).
fn shared_weight_grad(g: &Tensor, a: &Tensor, b_shape: &[usize], trans_b: bool) -> Tensor {
    let k = a.shape()[a.ndim() - 1];
    let m = g.shape()[g.ndim() - 1];
    let rows = a.numel() / k.max(1);
    let mut db = vec![0.0; k * m];
    if trans_b {
        // db[m, k] = dy^T a
        gemm(
            (m, rows, k),
            g.data(),
            (1, m),
            a.data(),
            (k, 1),
            &mut db,
            (k, 1),
            false,
        );
    } else {
        // db[k, m] = a^T dy
        gemm(
            (k, rows, m),
            a.data(),
            (1, k),
            g.data(),
            (m, 1),
            &mut db,
            (m, 1),
            false,
        );
    }
    Tensor::from_vec(db, b_shape)
}

/// Sums a batched `[.., r, c]` gradient over its leading axes to `[r, c]`.
fn sum_leading(t: &Tensor, shape: &[usize]) -> Tensor {
    let flat = t.reshape(&[t.numel() / (shape[0] * shape[1]).max(1), shape[0], shape[1]]);
    flat.sum_axis(0, false)
}
