//! Element-wise functions $y = f(x)$. Backward multiplies the output gradient
//! by the local derivative $f^\prime(x)$, written where possible in terms of the
//! forward value $y$, which the tape keeps.

use crate::autograd::op::Op;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor};

impl<'t> Var<'t> {
    fn unary(self, op: Op, f: impl Fn(Float) -> Float) -> Var<'t> {
        let value = self.tape.nodes()[self.index].value.map(f);
        self.tape.push(op, &[self], value)
    }

    /// Exponential: $y = e^x$, with $\frac{d}{dx} e^x = e^x = y$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::exp_gradcheck`.
    pub fn exp(self) -> Var<'t> {
        self.unary(Op::Exp, Float::exp)
    }

    /// Natural logarithm: $y = \ln x$, with $\frac{d}{dx}\ln x = 1/x$.
    /// Defined for $x > 0$; $\ln 0 = -\infty$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::log_gradcheck`.
    pub fn log(self) -> Var<'t> {
        self.unary(Op::Log, Float::ln)
    }

    /// Square root: $y = \sqrt x$, with $\frac{d}{dx}\sqrt x = \frac{1}{2\sqrt x} = \frac{1}{2y}$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::sqrt_gradcheck`.
    pub fn sqrt(self) -> Var<'t> {
        self.unary(Op::Sqrt, Float::sqrt)
    }

    /// Integer power: $y = x^n$, with $\frac{d}{dx} x^n = n x^{n-1}$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::powi_gradcheck`.
    pub fn powi(self, n: i32) -> Var<'t> {
        self.unary(Op::Powi(n), |x| x.powi(n))
    }

    /// Hyperbolic tangent, the usual RNN activation $f$ (tutorial §4.1):
    /// $y = \tanh x$, with $\frac{d}{dx}\tanh x = 1 - \tanh^2 x = 1 - y^2$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::tanh_gradcheck`.
    pub fn tanh(self) -> Var<'t> {
        self.unary(Op::Tanh, Float::tanh)
    }

    /// Logistic sigmoid, the other activation the tutorial names (§4.1) and
    /// the gate function of the LSTM:
    /// $y = \sigma(x) = \frac{1}{1 + e^{-x}}$, with $\sigma^\prime(x) = \sigma(x)(1 - \sigma(x)) = y(1-y)$.
    ///
    /// Computed without overflow: for $x < 0$ as $e^x / (1 + e^x)$.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::sigmoid_gradcheck`.
    pub fn sigmoid(self) -> Var<'t> {
        self.unary(Op::Sigmoid, sigmoid)
    }

    /// Rectified linear unit: $y = \max(0, x)$, with derivative $1$ for
    /// $x > 0$ and $0$ for $x \le 0$ (the kink at 0 gets the subgradient 0).
    /// A NaN input gives NaN, forward and backward: nothing hides it.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::relu_gradcheck`.
    pub fn relu(self) -> Var<'t> {
        // `f64::max` would turn NaN into 0: NaN must propagate.
        self.unary(Op::Relu, |x| if x.is_nan() { x } else { x.max(0.0) })
    }
}

/// The logistic function, stable for large $|x|$.
pub(crate) fn sigmoid(x: Float) -> Float {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

// forward: y = exp(x)  =>  dx += dy * y
pub(crate) fn exp_backward(g: &Tensor, y: &Tensor) -> Tensor {
    g.zip_map(y, "exp", |dy, y| dy * y)
}

// forward: y = ln(x)  =>  dx += dy / x
pub(crate) fn log_backward(g: &Tensor, x: &Tensor) -> Tensor {
    g.zip_map(x, "log", |dy, x| dy / x)
}

// forward: y = sqrt(x)  =>  dx += dy / (2 y)
pub(crate) fn sqrt_backward(g: &Tensor, y: &Tensor) -> Tensor {
    g.zip_map(y, "sqrt", |dy, y| dy / (2.0 * y))
}

// forward: y = x^n  =>  dx += dy * n * x^(n-1)
pub(crate) fn powi_backward(g: &Tensor, x: &Tensor, n: i32) -> Tensor {
    g.zip_map(x, "powi", |dy, x| dy * n as Float * x.powi(n - 1))
}

// forward: y = tanh(x)  =>  dx += dy * (1 - y*y)
pub(crate) fn tanh_backward(g: &Tensor, y: &Tensor) -> Tensor {
    g.zip_map(y, "tanh", |dy, y| dy * (1.0 - y * y))
}

// forward: y = sigmoid(x)  =>  dx += dy * y * (1 - y)
pub(crate) fn sigmoid_backward(g: &Tensor, y: &Tensor) -> Tensor {
    g.zip_map(y, "sigmoid", |dy, y| dy * y * (1.0 - y))
}

// forward: y = max(0, x)  =>  dx += dy * [x > 0]   (NaN where x is NaN)
pub(crate) fn relu_backward(g: &Tensor, x: &Tensor) -> Tensor {
    g.zip_map(x, "relu", |dy, x| {
        if x.is_nan() {
            x
        } else if x > 0.0 {
            dy
        } else {
            0.0
        }
    })
}
