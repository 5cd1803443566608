//! Gradient checks for layers: the checker of [`crate::autograd::gradcheck()`]
//! applied to a layer's inputs and every one of its parameters, and a check
//! that no parameter is silently cut off from the loss.

use crate::autograd::{GradcheckConfig, GradcheckReport, Tape, Var, gradcheck};
use crate::nn::Module;
use crate::tensor::{Tensor, rng};
use std::cell::RefCell;

/// A scalar loss that reaches every element of `y`: $L = \sum_i y_i r_i$
/// with fixed random weights $r \sim \mathcal N(0, 1)$ drawn from `seed`.
/// (A plain sum would hide errors: the sum of a softmax or a layer norm's
/// output does not depend on its input.)
pub fn weighted_sum<'t>(y: Var<'t>, seed: u64) -> Var<'t> {
    let r = Tensor::randn(&y.shape(), 0.0, 1.0, &mut rng(seed));
    (y * y.tape().constant(r)).sum()
}

/// Checks the gradient of `loss(module, tape, inputs)` with respect to the
/// inputs and to every trainable parameter of `module`. The report names
/// each input `input 0`, … and each parameter by its name. (The module is
/// borrowed mutably only because its parameter list is
/// [`Module::params_mut`]; the check leaves it unchanged.)
pub fn gradcheck_module<M, F>(module: &mut M, inputs: &[Tensor], loss: F) -> GradcheckReport
where
    M: Module,
    F: for<'t> Fn(&M, &'t Tape, &[Var<'t>]) -> Var<'t>,
{
    let mut all: Vec<Tensor> = inputs.to_vec();
    let mut names: Vec<String> = (0..inputs.len()).map(|i| format!("input {i}")).collect();
    for p in module.params().into_iter().filter(|p| p.trainable) {
        all.push(p.value.clone());
        names.push(p.name.clone());
    }
    let n = inputs.len();
    // Each run of `loss` first walks the parameter list (a mutable borrow),
    // then reads the module (a shared one); the cell hands out one at a time.
    let module = RefCell::new(module);
    let report = gradcheck(
        |tape, vars| {
            // The checker's leaves stand in for the parameters, so that
            // perturbing a leaf perturbs the weight the layer uses.
            let mut m = module.borrow_mut();
            let params = m.params().into_iter().filter(|p| p.trainable);
            for (p, v) in params.zip(&vars[n..]) {
                tape.bind_param(p, *v);
            }
            drop(m);
            loss(&module.borrow(), tape, &vars[..n])
        },
        &all,
        &GradcheckConfig::default(),
    );
    report.named(&names)
}

/// The names of trainable parameters that one backward pass of `loss` leaves
/// without a usable gradient: none at all, a non-finite one, or all zeros.
/// An empty list means no parameter is silently detached.
pub fn detached_params<M, F>(module: &mut M, inputs: &[Tensor], loss: F) -> Vec<String>
where
    M: Module,
    F: for<'t> Fn(&M, &'t Tape, &[Var<'t>]) -> Var<'t>,
{
    let tape = Tape::new();
    let vars: Vec<Var> = inputs.iter().map(|x| tape.leaf(x.clone())).collect();
    let l = loss(module, &tape, &vars);
    tape.backward(l);
    module
        .params()
        .into_iter()
        .filter(|p| p.trainable)
        .filter(|p| match tape.param_grad(p) {
            None => true,
            Some(g) => {
                g.data().iter().any(|v| !v.is_finite()) || g.data().iter().all(|&v| v == 0.0)
            }
        })
        .map(|p| p.name.clone())
        .collect()
}
