//! Sparse categorical cross-entropy from logits, with an ignore index for
//! padding, and PyTorch's options: label smoothing, class weights and the
//! reductions mean, sum and none.

use super::softmax::{log_softmax_row, softmax_row};
use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor};

/// How [`Var::cross_entropy_with`] combines the per-row losses
/// (PyTorch's `reduction=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reduction {
    /// Divided by the number of counted rows, or by the sum of their
    /// targets' class weights when there are weights (`"mean"`).
    #[default]
    Mean,
    /// Summed (`"sum"`).
    Sum,
    /// One loss per row, 0 for ignored rows (`"none"`).
    None,
}

/// The options of [`Var::cross_entropy_with`], as
/// `torch.nn.functional.cross_entropy` names them; the default is the plain
/// mean loss with nothing ignored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CrossEntropyOptions {
    /// Rows with this target do not count (padding).
    pub ignore_index: Option<usize>,
    /// $\varepsilon$ in $[0, 1]$: the share of the target's probability
    /// spread evenly over all classes.
    pub label_smoothing: Float,
    /// A weight $w_k \ge 0$ per class (`None`: all 1).
    pub weight: Option<Vec<Float>>,
    /// How the rows' losses are combined.
    pub reduction: Reduction,
}

/// The class weight of class `k` (1 without weights).
fn w(o: &CrossEntropyOptions, k: usize) -> Float {
    o.weight.as_ref().map_or(1.0, |w| w[k])
}

/// The divisor of the mean: the summed class weights of the counted rows'
/// targets (their number without weights); 0 when every row is ignored.
fn divisor(targets: &[usize], o: &CrossEntropyOptions) -> Float {
    let counted = targets.iter().filter(|&&t| Some(t) != o.ignore_index);
    counted.map(|&t| w(o, t)).sum()
}

/// The factor of row `r`'s loss in the output gradient: $\bar L / D$ for
/// the mean, $\bar L$ for the sum, $\bar\ell_r$ for none.
fn row_scale(g: &Tensor, r: usize, d: Float, o: &CrossEntropyOptions) -> Float {
    match o.reduction {
        Reduction::Mean => g.item() / d,
        Reduction::Sum => g.item(),
        Reduction::None => g.data()[r],
    }
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
    /// finite losses. If every row is ignored the loss is 0. This is
    /// [`Var::cross_entropy_with`] with its default options.
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
    /// Checked by `tests/core/ops_gradcheck.rs::cross_entropy_gradcheck`.
    pub fn cross_entropy(self, targets: &[usize], ignore_index: Option<usize>) -> Var<'t> {
        let options = CrossEntropyOptions {
            ignore_index,
            ..CrossEntropyOptions::default()
        };
        self.cross_entropy_with(targets, &options)
    }

    /// Cross-entropy with label smoothing $\varepsilon$ and class weights
    /// $w_k$, as `torch.nn.functional.cross_entropy` defines them. Row $r$
    /// of $C$ classes with target $t_r$ and $\log p_{rk} = \mathrm{log\_softmax}(z_r)_k$ loses
    ///
    /// $$ \ell_r = -(1-\varepsilon) w_{t_r} \log p_{r t_r} - \frac{\varepsilon}{C} \sum_{k} w_k \log p_{rk} $$
    ///
    /// ($\ell_r = 0$ for rows whose target is `ignore_index`), and the rows
    /// $R$ that count combine by `reduction`: the sum $\sum_{r \in R} \ell_r$,
    /// the vector $\ell$, or the mean
    ///
    /// $$ L = \frac{\sum_{r \in R} \ell_r}{\sum_{r \in R} w_{t_r}} $$
    ///
    /// which divides by the number of counted rows when there are no
    /// weights, and is 0 when nothing counts.
    ///
    /// # Backward
    /// With $W = \sum_k w_k$ and $s_r$ the factor of $\ell_r$ in the
    /// reduction ($\bar L / \sum_{r \in R} w_{t_r}$, $\bar L$ or $\bar\ell_r$):
    /// $\bar z_{rk} = s_r\big(((1-\varepsilon) w_{t_r} + \tfrac{\varepsilon}{C} W) p_{rk} -
    /// (1-\varepsilon) w_{t_r} [k = t_r] - \tfrac{\varepsilon}{C} w_k\big)$ for $r \in R$, 0 otherwise.
    ///
    /// # Shapes
    /// logits `[.., classes]` with as many rows as `targets` -> `[]`, or
    /// the logits' shape without its last axis for [`Reduction::None`].
    ///
    /// # Panics
    /// As [`Var::cross_entropy`], and if $\varepsilon$ is not in $[0, 1]$ or
    /// the weights are not one finite, non-negative number per class.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::cross_entropy_options_gradcheck`
    /// and `tests/core/loss.rs::cross_entropy_options_match_pytorch`.
    pub fn cross_entropy_with(self, targets: &[usize], o: &CrossEntropyOptions) -> Var<'t> {
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
            let eps = o.label_smoothing;
            assert!(
                (0.0..=1.0).contains(&eps),
                "cross_entropy: label smoothing {eps} is not in [0, 1]"
            );
            if let Some(w) = &o.weight {
                assert!(
                    w.len() == classes && w.iter().all(|v| v.is_finite() && *v >= 0.0),
                    "cross_entropy: {} class weights for {classes} classes (need one finite weight >= 0 each)",
                    w.len()
                );
            }
            let mut per_row = vec![0.0; rows];
            let mut logp = vec![0.0; classes];
            for ((row, &t), l) in z
                .data()
                .chunks(classes.max(1))
                .zip(targets)
                .zip(&mut per_row)
            {
                if Some(t) == o.ignore_index {
                    continue;
                }
                assert!(
                    t < classes,
                    "cross_entropy: target {t} is out of range for {classes} classes"
                );
                log_softmax_row(row, &mut logp);
                let smooth: Float = (0..classes).map(|k| w(o, k) * logp[k]).sum();
                *l = -(1.0 - eps) * w(o, t) * logp[t] - eps / classes as Float * smooth;
            }
            let total: Float = per_row.iter().sum();
            match o.reduction {
                Reduction::None => Tensor::from_vec(per_row, &shape[..shape.len() - 1]),
                Reduction::Sum => Tensor::scalar(total),
                Reduction::Mean => {
                    let d = divisor(targets, o);
                    Tensor::scalar(if d == 0.0 { 0.0 } else { total / d })
                }
            }
        };
        let op = Op::CrossEntropy {
            targets: targets.to_vec(),
            options: Box::new(o.clone()),
        };
        self.tape.push(op, &[self], loss)
    }
}

// forward: l_r = -(1-eps) w_t logp_t - eps/C sum_k w_k logp_k, reduced
//   =>  dz_r += s_r * (((1-eps) w_t + eps/C W) p - (1-eps) w_t onehot(t) - eps/C w)
pub(crate) fn cross_entropy_backward(
    g: &Tensor,
    z: &Tensor,
    targets: &[usize],
    o: &CrossEntropyOptions,
) -> Tensor {
    let classes = *z.shape().last().unwrap_or(&1);
    let d = divisor(targets, o);
    let mut dz = Tensor::zeros(z.shape());
    if o.reduction == Reduction::Mean && d == 0.0 {
        return dz;
    }
    let (eps, c) = (o.label_smoothing, classes as Float);
    let total_w: Float = (0..classes).map(|k| w(o, k)).sum();
    let rows = z
        .data()
        .chunks(classes)
        .zip(dz.data_mut().chunks_mut(classes));
    for (r, ((row, dr), &t)) in rows.zip(targets).enumerate() {
        if Some(t) == o.ignore_index {
            continue;
        }
        let s = row_scale(g, r, d, o);
        let hit = (1.0 - eps) * w(o, t);
        softmax_row(row, dr);
        for (k, v) in dr.iter_mut().enumerate() {
            *v = s * ((hit + eps / c * total_w) * *v - eps / c * w(o, k));
        }
        dr[t] -= s * hit;
    }
    dz
}
