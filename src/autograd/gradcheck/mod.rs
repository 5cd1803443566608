//! The gradient checker: analytic gradients from the tape against central
//! finite differences.
//!
//! For an input element $x_e$ and an output element $y_j$ the numeric
//! derivative is the central difference
//!
//! $$ \frac{\partial y_j}{\partial x_e} \approx \frac{y_j(x + \varepsilon e) - y_j(x - \varepsilon e)}{2\varepsilon} $$
//!
//! whose error is $O(\varepsilon^2)$; in `f64` with $\varepsilon = 10^{-6}$ it
//! agrees with the true derivative to about $10^{-9}$. An analytic entry
//! $a$ passes against its numeric value $n$ when $|a - n| \le
//! \mathrm{atol} + \mathrm{rtol}\cdot|n|$.
//!
//! Two modes:
//! - **Full**: every entry of the Jacobian $J = \partial y/\partial x$.
//!   The analytic $J$ takes one backward pass per output element (seeded with
//!   a one-hot $\bar y$), the numeric one two forward passes per input element.
//! - **Directional**: for random $u$ (an input direction) and $v$ (an output
//!   weighting) compare $v^\top J u$ from one backward pass with
//!   $\frac{v^\top y(x + \varepsilon u) - v^\top y(x - \varepsilon u)}{2\varepsilon}$.
//!   Cheap for large inputs. A wrong gradient shows along almost every
//!   random direction, but only as much as its error: one whose error stays
//!   within `atol + rtol·|n|` along the directions drawn passes (full mode
//!   compares every entry). `tests/core/gradcheck_checker.rs` makes both modes
//!   fail on wrong backward passes.

use super::tape::{Tape, Var};
use crate::tensor::{Float, Tensor, max_or_nan, rng};
mod report;

pub use report::{GradcheckReport, InputReport, Worst};

/// How the checker compares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Every Jacobian entry.
    Full,
    /// `directions` random projections $v^\top J u$ per input, drawn from `seed`.
    Directional {
        /// How many random $(u, v)$ pairs per input.
        directions: usize,
        /// Seed of the random directions.
        seed: u64,
    },
    /// Full when the Jacobian has at most 20,000 entries, else 8 directions.
    Auto,
}

/// Settings of [`gradcheck`].
#[derive(Clone, Copy, Debug)]
pub struct GradcheckConfig {
    /// Finite-difference step $\varepsilon$.
    pub eps: Float,
    /// Absolute tolerance.
    pub atol: Float,
    /// Relative tolerance (times $|n|$).
    pub rtol: Float,
    /// Full Jacobian or random directions.
    pub mode: Mode,
}

impl Default for GradcheckConfig {
    fn default() -> Self {
        GradcheckConfig {
            eps: 1e-6,
            atol: 1e-6,
            rtol: 1e-5,
            mode: Mode::Auto,
        }
    }
}

/// Runs `f` on fresh leaves holding `inputs`; returns the output value and,
/// when `seed` is given, the gradient of every input for that output gradient.
fn run<F: for<'t> Fn(&'t Tape, &[Var<'t>]) -> Var<'t>>(
    f: &F,
    inputs: &[Tensor],
    seed: Option<&Tensor>,
) -> (Tensor, Vec<Tensor>) {
    let tape = Tape::new();
    let vars: Vec<Var> = inputs.iter().map(|x| tape.leaf(x.clone())).collect();
    let out = f(&tape, &vars);
    let y = out.value();
    let grads = match seed {
        None => vec![],
        Some(s) => {
            tape.backward_with(out, s.clone());
            // An input that no gradient reached has gradient zero.
            (vars.iter().zip(inputs))
                .map(|(v, x)| tape.grad(*v).unwrap_or_else(|| Tensor::zeros(x.shape())))
                .collect()
        }
    };
    (y, grads)
}

/// Compares analytic gradients of `f` with finite differences at `inputs`:
/// $\frac{y_j(x + \varepsilon e) - y_j(x - \varepsilon e)}{2\varepsilon}$, an entry
/// passing when $\lvert a - n\rvert \le \mathrm{atol} + \mathrm{rtol}\cdot\lvert n\rvert$.
///
/// ```
/// use encdec::autograd::{gradcheck, GradcheckConfig};
/// use encdec::tensor::Tensor;
/// let x = Tensor::from_vec(vec![0.3, -1.2, 2.0], &[3]);
/// let report = gradcheck(|_, v| v[0].tanh(), &[x], &GradcheckConfig::default());
/// assert!(report.ok(), "{report}");
/// ```
pub fn gradcheck<F>(f: F, inputs: &[Tensor], config: &GradcheckConfig) -> GradcheckReport
where
    F: for<'t> Fn(&'t Tape, &[Var<'t>]) -> Var<'t>,
{
    let (y0, _) = run(&f, inputs, None);
    let n_in: usize = inputs.iter().map(Tensor::numel).sum();
    let mode = match config.mode {
        Mode::Auto if y0.numel() * n_in <= 20_000 => Mode::Full,
        Mode::Auto => Mode::Directional {
            directions: 8,
            seed: 0,
        },
        m => m,
    };
    match mode {
        Mode::Directional { directions, seed } => {
            directional(&f, inputs, &y0, directions, seed, config)
        }
        _ => full(&f, inputs, &y0, config),
    }
}

/// Accumulates comparisons into an [`InputReport`].
struct Tally<'c> {
    report: InputReport,
    worst_ratio: Float,
    config: &'c GradcheckConfig,
}

impl<'c> Tally<'c> {
    fn new(input: usize, shape: &[usize], config: &'c GradcheckConfig) -> Self {
        let report = InputReport {
            input,
            name: format!("input {input}"),
            shape: shape.to_vec(),
            checked: 0,
            failures: 0,
            max_abs_err: 0.0,
            max_rel_err: 0.0,
            worst: None,
        };
        Tally {
            report,
            worst_ratio: -1.0,
            config,
        }
    }

    fn compare(&mut self, analytic: Float, numeric: Float, element: Vec<usize>, output: usize) {
        let r = &mut self.report;
        let err = (analytic - numeric).abs();
        let tol = self.config.atol + self.config.rtol * numeric.abs();
        // Magnitudes below atol count as atol: a zero analytic entry next to
        // 1e-12 of finite-difference noise is not a 100% error.
        let scale = analytic.abs().max(numeric.abs()).max(self.config.atol);
        let rel = if err == 0.0 { 0.0 } else { err / scale };
        r.checked += 1;
        // A NaN anywhere is a failure: `err <= tol` is false for NaN.
        let pass = err <= tol;
        if !pass {
            r.failures += 1;
        }
        let ratio = if err.is_nan() {
            Float::INFINITY
        } else {
            err / tol
        };
        // `Float::max` would let a later finite error replace an earlier NaN.
        r.max_abs_err = max_or_nan(r.max_abs_err, err);
        r.max_rel_err = max_or_nan(r.max_rel_err, rel);
        if ratio > self.worst_ratio {
            self.worst_ratio = ratio;
            r.worst = Some(Worst {
                element,
                output,
                analytic,
                numeric,
            });
        }
    }
}

/// The multi-index of flat position `flat` in `shape`.
fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for ax in (0..shape.len()).rev() {
        idx[ax] = flat % shape[ax].max(1);
        flat /= shape[ax].max(1);
    }
    idx
}

/// `inputs` with element `e` of input `i` moved by `delta` times `dir`
/// (`dir = None`: by `delta` alone).
fn nudge(
    inputs: &[Tensor],
    i: usize,
    e: Option<usize>,
    dir: Option<&Tensor>,
    delta: Float,
) -> Vec<Tensor> {
    let mut moved = inputs.to_vec();
    let x = moved[i].data_mut();
    match (e, dir) {
        (Some(e), _) => x[e] += delta,
        (None, Some(u)) => x
            .iter_mut()
            .zip(u.data())
            .for_each(|(a, b)| *a += delta * b),
        (None, None) => {}
    }
    moved
}

fn full<F: for<'t> Fn(&'t Tape, &[Var<'t>]) -> Var<'t>>(
    f: &F,
    inputs: &[Tensor],
    y0: &Tensor,
    config: &GradcheckConfig,
) -> GradcheckReport {
    let m = y0.numel();
    // analytic[j][i]: gradient of output element j with respect to input i.
    let analytic: Vec<Vec<Tensor>> = (0..m)
        .map(|j| {
            let mut seed = Tensor::zeros(y0.shape());
            seed.data_mut()[j] = 1.0;
            run(f, inputs, Some(&seed)).1
        })
        .collect();
    let eps = config.eps;
    let mut reports = vec![];
    for (i, x) in inputs.iter().enumerate() {
        let mut tally = Tally::new(i, x.shape(), config);
        for e in 0..x.numel() {
            let (plus, _) = run(f, &nudge(inputs, i, Some(e), None, eps), None);
            let (minus, _) = run(f, &nudge(inputs, i, Some(e), None, -eps), None);
            for (j, grads_j) in analytic.iter().enumerate() {
                let numeric = (plus.data()[j] - minus.data()[j]) / (2.0 * eps);
                tally.compare(grads_j[i].data()[e], numeric, unravel(e, x.shape()), j);
            }
        }
        reports.push(tally.report);
    }
    GradcheckReport {
        mode: "full",
        inputs: reports,
    }
}

fn directional<F: for<'t> Fn(&'t Tape, &[Var<'t>]) -> Var<'t>>(
    f: &F,
    inputs: &[Tensor],
    y0: &Tensor,
    directions: usize,
    seed: u64,
    config: &GradcheckConfig,
) -> GradcheckReport {
    let mut r = rng(seed);
    let mut tallies: Vec<Tally> = (inputs.iter().enumerate())
        .map(|(i, x)| Tally::new(i, x.shape(), config))
        .collect();
    let dot = |a: &Tensor, b: &Tensor| -> Float {
        a.data().iter().zip(b.data()).map(|(p, q)| p * q).sum()
    };
    for d in 0..directions {
        let v = Tensor::randn(y0.shape(), 0.0, 1.0, &mut r);
        let (_, grads) = run(f, inputs, Some(&v));
        for (i, x) in inputs.iter().enumerate() {
            // An empty input or output has no direction to compare along.
            if x.numel() == 0 || y0.numel() == 0 {
                continue;
            }
            let u = Tensor::randn(x.shape(), 0.0, 1.0, &mut r);
            let analytic = dot(&grads[i], &u);
            let (plus, _) = run(f, &nudge(inputs, i, None, Some(&u), config.eps), None);
            let (minus, _) = run(f, &nudge(inputs, i, None, Some(&u), -config.eps), None);
            let numeric = (dot(&v, &plus) - dot(&v, &minus)) / (2.0 * config.eps);
            tallies[i].compare(analytic, numeric, vec![d], 0);
        }
    }
    GradcheckReport {
        mode: "directional",
        inputs: tallies.into_iter().map(|t| t.report).collect(),
    }
}
