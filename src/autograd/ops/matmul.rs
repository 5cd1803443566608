//! Matrix product over the last two axes, batched over leading axes.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Tensor, gemm};

impl<'t> Var<'t> {
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
    /// Checked by `tests/ops_gradcheck.rs::matmul_gradcheck` and
    /// `matmul_batched_gradcheck`.
    pub fn matmul(self, other: Var<'t>) -> Var<'t> {
        self.same_tape(&other, "matmul");
        let value = {
            let nodes = self.tape.nodes();
            nodes[self.index].value.matmul(&nodes[other.index].value)
        };
        self.tape.push(Op::MatMul, &[self, other], value)
    }
}

/// Backward of `y = a @ b`, computing only the gradients that are needed.
pub(crate) fn matmul_backward(
    g: &Tensor,
    a: &Tensor,
    b: &Tensor,
    need_a: bool,
    need_b: bool,
) -> (Option<Tensor>, Option<Tensor>) {
    // forward: y = a @ b  =>  da += dy @ b^T
    let da = need_a.then(|| {
        let da = g.matmul_t(b, false, true);
        // a was 2-D and shared by a batched b: sum over the batch.
        if da.shape() == a.shape() {
            da
        } else {
            sum_leading(&da, a.shape())
        }
    });
    // forward: y = a @ b  =>  db += a^T @ dy
    let db = need_b.then(|| {
        if b.ndim() == 2 && a.ndim() > 2 {
            // b shared by a batched a: stack the batch, one product
            // [k, batch*n] x [batch*n, m] sums it.
            let (k, m) = (b.shape()[0], b.shape()[1]);
            let rows = a.numel() / k.max(1);
            let mut db = vec![0.0; k * m];
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
            Tensor::from_vec(db, &[k, m])
        } else {
            let db = a.matmul_t(g, true, false);
            if db.shape() == b.shape() {
                db
            } else {
                sum_leading(&db, b.shape())
            }
        }
    });
    (da, db)
}

/// Sums a batched `[.., r, c]` gradient over its leading axes to `[r, c]`.
fn sum_leading(t: &Tensor, shape: &[usize]) -> Tensor {
    let flat = t.reshape(&[t.numel() / (shape[0] * shape[1]).max(1), shape[0], shape[1]]);
    flat.sum_axis(0, false)
}
