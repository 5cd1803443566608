//! Inverted dropout: seeded in training, the identity in evaluation.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Rng, Tensor};
use rand::RngExt;

impl<'t> Var<'t> {
    /// Inverted dropout. In training (`train` holds the random number
    /// generator) each element is kept with probability $1-p$ and scaled by
    /// $\frac{1}{1-p}$, so its expectation is unchanged:
    /// $y_i = \frac{m_i}{1-p} x_i$ with $m_i \sim \mathrm{Bernoulli}(1-p)$.
    /// In evaluation (`train` is `None`) or with $p = 0$ it is the identity
    /// and draws nothing. With $p = 1$ every element is dropped. This is the
    /// one place that says "dropout only in training": every layer passes
    /// its `train` on.
    ///
    /// The mask comes from the generator, so the same seed drops the same elements.
    ///
    /// # Backward
    /// $\bar x_i = \frac{m_i}{1-p} \bar y_i$: the same mask, the same scale.
    ///
    /// # Panics
    /// If `p` is not in $[0, 1]$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::dropout_gradcheck`.
    pub fn dropout(self, p: Float, train: Option<&mut Rng>) -> Var<'t> {
        assert!(
            (0.0..=1.0).contains(&p),
            "dropout: p = {p} is not in [0, 1]"
        );
        let Some(rng) = train.filter(|_| p > 0.0) else {
            return self;
        };
        let (value, scale) = {
            let nodes = self.tape.nodes();
            let x = &nodes[self.index].value;
            let keep = 1.0 - p;
            let scale: Vec<Float> = (0..x.numel())
                .map(|_| {
                    if rng.random::<Float>() < keep {
                        1.0 / keep
                    } else {
                        0.0
                    }
                })
                .collect();
            let data = x.data().iter().zip(&scale).map(|(v, s)| v * s).collect();
            (Tensor::from_vec(data, x.shape()), scale)
        };
        self.tape.push(Op::Dropout { scale }, &[self], value)
    }
}

// forward: y = x * m / (1 - p)  =>  dx += dy * m / (1 - p)
pub(crate) fn dropout_backward(g: &Tensor, scale: &[Float]) -> Tensor {
    let data = g.data().iter().zip(scale).map(|(dy, s)| dy * s).collect();
    Tensor::from_vec(data, g.shape())
}
