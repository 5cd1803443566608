//! Arithmetic: `+ - * /` with broadcasting, negation, and scalar shifts and scales.
//!
//! For a broadcast operand the local derivative is summed over the stretched
//! axes ([`Tensor::sum_to_shape`]): a bias row added to every row of a batch
//! receives the sum of the rows' gradients.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor};

impl<'t> Var<'t> {
    fn binary(
        self,
        other: Var<'t>,
        op: Op,
        name: &str,
        f: impl Fn(Float, Float) -> Float,
    ) -> Var<'t> {
        self.same_tape(&other, name);
        let value = {
            let nodes = self.tape.nodes();
            nodes[self.index]
                .value
                .broadcast_zip(&nodes[other.index].value, name, f)
        };
        self.tape.push(op, &[self, other], value)
    }

    /// Element-wise sum with broadcasting: $y = a + b$.
    ///
    /// Local derivatives: $\partial y/\partial a = \partial y/\partial b = 1$.
    ///
    /// # Shapes
    /// `a`, `b` broadcast to `y` (e.g. `[batch, n] + [n]`, or anything `+ []`).
    ///
    /// # Panics
    /// If the shapes do not broadcast (`add: shapes [..] and [..] do not broadcast`).
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::add_gradcheck`.
    #[allow(clippy::should_implement_trait)] // std::ops::Add below calls this
    pub fn add(self, other: Var<'t>) -> Var<'t> {
        self.binary(other, Op::Add, "add", |a, b| a + b)
    }

    /// Element-wise difference with broadcasting: $y = a - b$.
    ///
    /// Local derivatives: $\partial y/\partial a = 1$, $\partial y/\partial b = -1$.
    ///
    /// # Shapes
    /// As [`Var::add`].
    ///
    /// # Panics
    /// If the shapes do not broadcast.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::sub_gradcheck`.
    #[allow(clippy::should_implement_trait)] // std::ops::Sub below calls this
    pub fn sub(self, other: Var<'t>) -> Var<'t> {
        self.binary(other, Op::Sub, "sub", |a, b| a - b)
    }

    /// Element-wise (Hadamard) product with broadcasting: $y = a \odot b$.
    ///
    /// Local derivatives: $\partial y/\partial a = b$, $\partial y/\partial b = a$.
    ///
    /// # Shapes
    /// As [`Var::add`].
    ///
    /// # Panics
    /// If the shapes do not broadcast.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::mul_gradcheck`.
    #[allow(clippy::should_implement_trait)] // std::ops::Mul below calls this
    pub fn mul(self, other: Var<'t>) -> Var<'t> {
        self.binary(other, Op::Mul, "mul", |a, b| a * b)
    }

    /// Element-wise quotient with broadcasting: $y = a / b$.
    ///
    /// Local derivatives: $\partial y/\partial a = 1/b$, $\partial y/\partial b = -a/b^2$.
    ///
    /// # Shapes
    /// As [`Var::add`].
    ///
    /// # Panics
    /// If the shapes do not broadcast.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::div_gradcheck`.
    #[allow(clippy::should_implement_trait)] // std::ops::Div below calls this
    pub fn div(self, other: Var<'t>) -> Var<'t> {
        self.binary(other, Op::Div, "div", |a, b| a / b)
    }

    /// Negation: $y = -x$, with $\partial y/\partial x = -1$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::neg_gradcheck`.
    #[allow(clippy::should_implement_trait)] // std::ops::Neg below calls this
    pub fn neg(self) -> Var<'t> {
        let value = self.tape.nodes()[self.index].value.map(|x| -x);
        self.tape.push(Op::Neg, &[self], value)
    }

    /// Adds a constant: $y = x + c$, with $\partial y/\partial x = 1$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::add_scalar_gradcheck`.
    pub fn add_scalar(self, c: Float) -> Var<'t> {
        let value = self.tape.nodes()[self.index].value.map(|x| x + c);
        self.tape.push(Op::AddScalar, &[self], value)
    }

    /// Scales by a constant: $y = c x$, with $\partial y/\partial x = c$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::mul_scalar_gradcheck`.
    pub fn mul_scalar(self, c: Float) -> Var<'t> {
        let value = self.tape.nodes()[self.index].value.map(|x| c * x);
        self.tape.push(Op::MulScalar(c), &[self], value)
    }
}

// forward: y = a + b  =>  da += dy, db += dy (each summed to its own shape)
pub(crate) fn add_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> (Tensor, Tensor) {
    (g.sum_to_shape(a.shape()), g.sum_to_shape(b.shape()))
}

// forward: y = a - b  =>  da += dy, db += -dy
pub(crate) fn sub_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> (Tensor, Tensor) {
    (
        g.sum_to_shape(a.shape()),
        g.map(|v| -v).sum_to_shape(b.shape()),
    )
}

// forward: y = a * b  =>  da += dy * b, db += dy * a
pub(crate) fn mul_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> (Tensor, Tensor) {
    let da = g.broadcast_zip(b, "mul", |dy, b| dy * b);
    let db = g.broadcast_zip(a, "mul", |dy, a| dy * a);
    (da.sum_to_shape(a.shape()), db.sum_to_shape(b.shape()))
}

// forward: y = a / b  =>  da += dy / b, db += -dy * a / b^2
pub(crate) fn div_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> (Tensor, Tensor) {
    let da = g.broadcast_zip(b, "div", |dy, b| dy / b);
    // dy * a / b^2 = (dy / b) * (a / b); `da` already holds dy / b.
    let a_over_b = a.broadcast_zip(b, "div", |a, b| a / b);
    let db = da.broadcast_zip(&a_over_b, "div", |q, r| -q * r);
    (da.sum_to_shape(a.shape()), db.sum_to_shape(b.shape()))
}

// forward: y = -x  =>  dx += -dy
pub(crate) fn neg_backward(g: &Tensor) -> Tensor {
    g.map(|dy| -dy)
}

// forward: y = c * x  =>  dx += c * dy
pub(crate) fn mul_scalar_backward(g: &Tensor, c: Float) -> Tensor {
    g.map(|dy| c * dy)
}

impl<'t> std::ops::Add for Var<'t> {
    type Output = Var<'t>;
    fn add(self, rhs: Var<'t>) -> Var<'t> {
        Var::add(self, rhs)
    }
}

impl<'t> std::ops::Sub for Var<'t> {
    type Output = Var<'t>;
    fn sub(self, rhs: Var<'t>) -> Var<'t> {
        Var::sub(self, rhs)
    }
}

impl<'t> std::ops::Mul for Var<'t> {
    type Output = Var<'t>;
    fn mul(self, rhs: Var<'t>) -> Var<'t> {
        Var::mul(self, rhs)
    }
}

impl<'t> std::ops::Div for Var<'t> {
    type Output = Var<'t>;
    fn div(self, rhs: Var<'t>) -> Var<'t> {
        Var::div(self, rhs)
    }
}

impl<'t> std::ops::Neg for Var<'t> {
    type Output = Var<'t>;
    fn neg(self) -> Var<'t> {
        Var::neg(self)
    }
}

impl<'t> std::ops::Add<Float> for Var<'t> {
    type Output = Var<'t>;
    fn add(self, c: Float) -> Var<'t> {
        self.add_scalar(c)
    }
}

impl<'t> std::ops::Mul<Float> for Var<'t> {
    type Output = Var<'t>;
    fn mul(self, c: Float) -> Var<'t> {
        self.mul_scalar(c)
    }
}
