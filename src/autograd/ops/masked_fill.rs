//! Masked fill: hide positions before a softmax (causal and padding masks).

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Mask, Tensor};

impl<'t> Var<'t> {
    /// Replaces the masked entries by `value`:
    /// $y_i = \mathrm{value}$ where $\mathrm{mask}_i$, else $y_i = x_i$.
    ///
    /// For attention use `value = f64::NEG_INFINITY`: after a softmax a hidden
    /// key then gets weight exactly 0, and a row hidden completely gets all
    /// zeros ([`Var::softmax`] defines that case), never NaN. A large finite
    /// sentinel such as `-1e4` would leak weight instead.
    ///
    /// # Backward
    /// $\bar x_i = 0$ where masked, $\bar x_i = \bar y_i$ elsewhere.
    ///
    /// # Shapes
    /// `x`: any; `mask` broadcasts to the shape of `x`.
    ///
    /// # Panics
    /// If the mask does not broadcast to `x`
    /// (`masked_fill: mask of shape [..] does not broadcast to [..]`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::masked_fill_gradcheck`.
    pub fn masked_fill(self, mask: &Mask, value: Float) -> Var<'t> {
        let (out, flags) = {
            let nodes = self.tape.nodes();
            let x = &nodes[self.index].value;
            let flags = mask.broadcast_to(x.shape(), "masked_fill");
            let data = x
                .data()
                .iter()
                .zip(&flags)
                .map(|(&v, &hide)| if hide { value } else { v })
                .collect();
            (Tensor::from_vec(data, x.shape()), flags)
        };
        self.tape.push(Op::MaskedFill { mask: flags }, &[self], out)
    }
}

// forward: y = mask ? value : x  =>  dx += mask ? 0 : dy
pub(crate) fn masked_fill_backward(g: &Tensor, mask: &[bool]) -> Tensor {
    let data = g
        .data()
        .iter()
        .zip(mask)
        .map(|(&dy, &hide)| if hide { 0.0 } else { dy })
        .collect();
    Tensor::from_vec(data, g.shape())
}
