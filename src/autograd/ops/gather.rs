//! Row lookup: the embedding table of tutorial §3.1 (step 2) and §5.1.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::Tensor;

impl<'t> Var<'t> {
    /// Looks up rows of a table: $Y_{r,:} = E_{\mathrm{idx}_r,:}$. With `E` an
    /// embedding matrix and `idx` token ids, this turns words into vectors.
    ///
    /// # Backward
    /// Scatter-add: $\bar E_{i,:} = \sum_{r : \mathrm{idx}(r) = i} \bar Y_{r,:}$.
    /// Rows that were not looked up receive zero; a row looked up twice
    /// receives both gradients.
    ///
    /// # Shapes
    /// table `[vocab, dim]`, `indices` of length `n` -> `[n, dim]`.
    ///
    /// # Panics
    /// If the table is not 2-D or an index is out of range
    /// (`gather_rows: index 7 is out of range for table of shape [5, 3]`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::gather_rows_gradcheck`.
    pub fn gather_rows(self, indices: &[usize]) -> Var<'t> {
        let value = {
            let nodes = self.tape.nodes();
            let table = &nodes[self.index].value;
            let shape = table.shape();
            assert!(
                shape.len() == 2,
                "gather_rows: table must be 2-D [vocab, dim], got shape {shape:?}"
            );
            let dim = shape[1];
            let mut out = Vec::with_capacity(indices.len() * dim);
            for &i in indices {
                assert!(
                    i < shape[0],
                    "gather_rows: index {i} is out of range for table of shape {shape:?}"
                );
                out.extend_from_slice(&table.data()[i * dim..][..dim]);
            }
            Tensor::from_vec(out, &[indices.len(), dim])
        };
        let op = Op::GatherRows {
            indices: indices.to_vec(),
        };
        self.tape.push(op, &[self], value)
    }
}

// forward: y[r, :] = table[idx[r], :]  =>  dtable[idx[r], :] += dy[r, :]
pub(crate) fn gather_rows_backward(g: &Tensor, table_shape: &[usize], indices: &[usize]) -> Tensor {
    let dim = table_shape[1];
    let mut dt = Tensor::zeros(table_shape);
    for (r, &i) in indices.iter().enumerate() {
        let src = &g.data()[r * dim..][..dim];
        for (d, s) in dt.data_mut()[i * dim..][..dim].iter_mut().zip(src) {
            *d += s;
        }
    }
    dt
}
