//! Your own operation: a forward and a backward you write yourself.
//!
//! This is how a reader adds an op without touching the crate, and how the
//! tests prove that the gradient checker catches a wrong backward pass.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::Tensor;
use std::rc::Rc;

/// A user-defined operation for [`Var::custom`].
///
/// ```
/// use encdec::autograd::{CustomOp, Tape, Var};
/// use encdec::tensor::Tensor;
/// use std::rc::Rc;
///
/// /// y = sin(x), dy/dx = cos(x).
/// struct Sin;
/// impl CustomOp for Sin {
///     fn name(&self) -> &str { "sin" }
///     fn forward(&self, x: &[&Tensor]) -> Tensor { x[0].map(f64::sin) }
///     fn backward(&self, x: &[&Tensor], _y: &Tensor, g: &Tensor) -> Vec<Tensor> {
///         // forward: y = sin(x)  =>  dx += dy * cos(x)
///         vec![g.zip_map(x[0], "sin", |dy, x| dy * x.cos())]
///     }
/// }
///
/// let tape = Tape::new();
/// let x = tape.leaf(Tensor::scalar(0.0));
/// let y = Var::custom(Rc::new(Sin), &[x]);
/// tape.backward(y);
/// assert_eq!(x.grad().unwrap().item(), 1.0); // cos(0) = 1
/// ```
pub trait CustomOp {
    /// A short name for reports and graphs.
    fn name(&self) -> &str;
    /// Computes the output from the inputs' values.
    fn forward(&self, inputs: &[&Tensor]) -> Tensor;
    /// Given the inputs, the output `y` and the output gradient $\bar y$,
    /// returns one gradient contribution per input, each of its input's shape.
    /// The tape panics, naming the op, on a missing gradient or a wrong shape
    /// (`tests/core/panics.rs::a_custom_op_returning_too_few_gradients_panics_with_its_name`).
    fn backward(&self, inputs: &[&Tensor], y: &Tensor, grad_out: &Tensor) -> Vec<Tensor>;
}

impl<'t> Var<'t> {
    /// Records a [`CustomOp`] applied to `inputs`.
    ///
    /// # Panics
    /// If `inputs` is empty or the inputs are on different tapes.
    pub fn custom(op: Rc<dyn CustomOp>, inputs: &[Var<'t>]) -> Var<'t> {
        assert!(
            !inputs.is_empty(),
            "custom: an operation needs at least one input"
        );
        let first = inputs[0];
        let value = {
            let nodes = first.tape.nodes();
            for v in inputs {
                first.same_tape(v, op.name());
            }
            let xs: Vec<&Tensor> = inputs.iter().map(|v| &nodes[v.index].value).collect();
            op.forward(&xs)
        };
        first.tape.push(Op::Custom(op), inputs, value)
    }
}
