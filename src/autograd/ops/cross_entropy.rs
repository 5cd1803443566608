//! Sparse categorical cross-entropy from logits, with an ignore index for padding.

use super::softmax::{log_softmax_row, softmax_row};
use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor};

/// Number of rows that count (targets other than `ignore_index`).
fn counted(targets: &[usize], ignore_index: Option<usize>) -> usize {
    targets.iter().filter(|&&t| Some(t) != ignore_index).count()
}

impl<'t> Var<'t> {
    /// Mean cross-entropy of integer targets under softmax probabilities,
    /// computed from logits $z$ (what Keras calls
    /// `sparse_categorical_crossentropy(from_logits=True)`, tutorial §5.1):
    ///
    /// $$ L = -\frac{1}{\lvert R\rvert} \sum_{r \in R} \log p_{r t_r}
    ///      = \frac{1}{\lvert R\rvert} \sum_{r \in R} \Big(\log\sum_k e^{z_{rk}} - z_{r t_r}\Big) $$
    ///
    /// where $R$ are the rows whose target is not `ignore_index` (padding).
    /// The log-sum-exp subtracts the row maximum, so logits of $\pm 10^4$ give
    /// finite losses. If every row is ignored the loss is 0.
    ///
    /// # Backward
    /// $\bar z_{rk} = \frac{\bar L}{|R|}\big(\mathrm{softmax}(z_r)_k - [k = t_r]\big)$
    /// for $r \in R$, and 0 for ignored rows.
    ///
    /// # Shapes
    /// logits `[n, classes]` (or `[.., classes]`, flattened to rows),
    /// `targets` of length `n` -> `[]`.
    ///
    /// # Panics
    /// If the number of targets is not the number of rows, or a counted
    /// target is not a class (`cross_entropy: target 9 is out of range for 5 classes`).
    ///
    /// Checked by `tests/ops_gradcheck.rs::cross_entropy_gradcheck`.
    pub fn cross_entropy(self, targets: &[usize], ignore_index: Option<usize>) -> Var<'t> {
        let loss = {
            let nodes = self.tape.nodes();
            let z = &nodes[self.index].value;
            let shape = z.shape();
            let classes = *shape.last().unwrap_or(&0);
            let rows = z.numel() / classes.max(1);
            assert!(
                !shape.is_empty() && rows == targets.len(),
                "cross_entropy: logits of shape {shape:?} and {} targets do not match",
                targets.len()
            );
            let mut total = 0.0;
            let mut logp = vec![0.0; classes];
            for (row, &t) in z.data().chunks(classes.max(1)).zip(targets) {
                if Some(t) == ignore_index {
                    continue;
                }
                assert!(
                    t < classes,
                    "cross_entropy: target {t} is out of range for {classes} classes"
                );
                log_softmax_row(row, &mut logp);
                total -= logp[t];
            }
            let n = counted(targets, ignore_index);
            Tensor::scalar(if n == 0 { 0.0 } else { total / n as Float })
        };
        let op = Op::CrossEntropy {
            targets: targets.to_vec(),
            ignore_index,
        };
        self.tape.push(op, &[self], loss)
    }
}

// forward: L = mean_r (logsumexp(z_r) - z_r[t_r])  =>  dz_r += dL * (softmax(z_r) - onehot(t_r)) / |R|
pub(crate) fn cross_entropy_backward(
    g: &Tensor,
    z: &Tensor,
    targets: &[usize],
    ignore_index: Option<usize>,
) -> Tensor {
    let classes = *z.shape().last().unwrap_or(&1);
    let n = counted(targets, ignore_index);
    let mut dz = Tensor::zeros(z.shape());
    if n == 0 {
        return dz;
    }
    let scale = g.item() / n as Float;
    let rows = z
        .data()
        .chunks(classes)
        .zip(dz.data_mut().chunks_mut(classes));
    for ((row, d), &t) in rows.zip(targets) {
        if Some(t) == ignore_index {
            continue;
        }
        softmax_row(row, d);
        d[t] -= 1.0;
        for v in d.iter_mut() {
            *v *= scale;
        }
    }
    dz
}
