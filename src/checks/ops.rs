// Long file: the table of every operation's gradient check, one case each, with its domain.
//! One gradient-check case per operation, shared by `encdec gradcheck` and
//! by the property tests in `tests/core/ops_gradcheck.rs`.
//!
//! A case gives its inputs' shapes as a function of three sizes `d`, the
//! range its inputs must stay in (away from kinks and poles), and the
//! function to check. The CLI runs each case at `d = [2, 3, 4]` on seeded
//! values; the tests draw `d` and the values with proptest.

use crate::autograd::{
    CrossEntropyOptions, GradcheckConfig, GradcheckReport, Reduction, Tape, Var, gradcheck,
};
use crate::tensor::{Float, Mask, Tensor, rng};

/// Where a case's input values may lie.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Domain {
    /// Any value in about $[-2, 2]$.
    Any,
    /// Positive, in about $[0.2, 2.2]$ (log, sqrt).
    Positive,
    /// At least 0.3 away from zero (relu's kink, division, negative powers).
    AwayFromZero,
}

impl Domain {
    /// Maps a raw value in $[-2, 2]$ into the domain.
    pub fn map(self, v: Float) -> Float {
        match self {
            Domain::Any => v,
            Domain::Positive => 0.2 + v.abs(),
            Domain::AwayFromZero => v.signum() * (0.3 + v.abs()),
        }
    }
}

/// The function a case checks.
pub type CaseFn = for<'t> fn(&'t Tape, &[Var<'t>]) -> Var<'t>;

/// One operation's gradient check.
#[derive(Clone, Copy)]
pub struct OpCase {
    /// The op's name; its property test is `tests/core/ops_gradcheck.rs::<name>_gradcheck`.
    pub name: &'static str,
    /// Input shapes from three sizes, each at least 1.
    pub shapes: fn([usize; 3]) -> Vec<Vec<usize>>,
    /// Where the inputs' values may lie.
    pub domain: Domain,
    /// The computation whose gradient is checked.
    pub f: CaseFn,
}

impl OpCase {
    /// The case's inputs at sizes `d`, filled cyclically from `raw` (values in
    /// $[-2, 2]$) mapped into the case's domain.
    ///
    /// # Panics
    /// If `raw` is empty.
    pub fn inputs(&self, d: [usize; 3], raw: &[Float]) -> Vec<Tensor> {
        assert!(!raw.is_empty(), "OpCase::inputs: no raw values");
        let mut k = 0;
        (self.shapes)(d)
            .iter()
            .map(|shape| {
                let n = shape.iter().product();
                let data = (0..n)
                    .map(|_| {
                        k += 1;
                        self.domain.map(raw[(k - 1) % raw.len()])
                    })
                    .collect();
                Tensor::from_vec(data, shape)
            })
            .collect()
    }

    /// Runs the gradient check (full Jacobian) on the given inputs.
    pub fn check(&self, inputs: &[Tensor]) -> GradcheckReport {
        let config = GradcheckConfig {
            mode: crate::autograd::Mode::Full,
            ..GradcheckConfig::default()
        };
        gradcheck(self.f, inputs, &config)
    }

    /// Seeded inputs at sizes `d`, for the CLI.
    pub fn seeded_inputs(&self, d: [usize; 3], seed: u64) -> Vec<Tensor> {
        let raw = Tensor::rand_uniform(&[97], -2.0, 2.0, &mut rng(seed));
        self.inputs(d, raw.data())
    }
}

fn case(
    name: &'static str,
    shapes: fn([usize; 3]) -> Vec<Vec<usize>>,
    domain: Domain,
    f: CaseFn,
) -> OpCase {
    OpCase {
        name,
        shapes,
        domain,
        f,
    }
}

/// Targets for the cross-entropy case: row 1 has the ignored class 0
/// (padding), so `ignore_index` is exercised whenever there are two rows or
/// more; the other rows cycle through the classes 1, 3, 5, … (mod
/// `classes - 1`, plus one).
///
/// Checked by `tests/core/gradcheck_checker.rs::the_cross_entropy_case_exercises_the_ignored_class`.
pub fn ce_targets(rows: usize, classes: usize) -> Vec<usize> {
    (0..rows)
        .map(|r| match (r, classes) {
            (1, _) | (_, 0 | 1) => 0,
            _ => 1 + (2 * r) % (classes - 1),
        })
        .collect()
}

/// Options for the cross-entropy cases: class 0 ignored, smoothing 0.1 and
/// unequal class weights $w_k = 0.5 + 0.25 k$.
fn ce_options(classes: usize, reduction: Reduction) -> CrossEntropyOptions {
    CrossEntropyOptions {
        ignore_index: Some(0),
        label_smoothing: 0.1,
        weight: Some((0..classes).map(|k| 0.5 + 0.25 * k as Float).collect()),
        reduction,
    }
}

/// Every op of the tape, each with its gradient check.
// Long function: a table, one entry per operation of the tape.
pub fn op_cases() -> Vec<OpCase> {
    use Domain::*;
    vec![
        case(
            "add",
            |[a, b, _]| vec![vec![a, b], vec![b]],
            Any,
            |_, x| x[0] + x[1],
        ),
        case(
            "sub",
            |[a, b, c]| vec![vec![a, b, c], vec![b, 1]],
            Any,
            |_, x| x[0] - x[1],
        ),
        case(
            "mul",
            |[a, b, _]| vec![vec![a, b], vec![]],
            Any,
            |_, x| x[0] * x[1],
        ),
        case(
            "div",
            |[a, b, _]| vec![vec![a, b], vec![a, 1]],
            AwayFromZero,
            |_, x| x[0] / x[1],
        ),
        case("neg", |[a, b, _]| vec![vec![a, b]], Any, |_, x| -x[0]),
        case(
            "add_scalar",
            |[a, _, _]| vec![vec![a]],
            Any,
            |_, x| x[0] + 1.5,
        ),
        case(
            "mul_scalar",
            |[a, _, _]| vec![vec![a]],
            Any,
            |_, x| x[0] * -0.7,
        ),
        case(
            "matmul",
            |[a, b, c]| vec![vec![a, b], vec![b, c]],
            Any,
            |_, x| x[0].matmul(x[1]),
        ),
        case(
            "matmul_batched",
            |[a, b, c]| vec![vec![a, b, c], vec![a, c, b]],
            Any,
            |_, x| x[0].matmul(x[1]),
        ),
        case(
            "matmul_shared",
            |[a, b, c]| vec![vec![a, b, c], vec![c, b]],
            Any,
            |_, x| x[0].matmul(x[1]),
        ),
        case(
            "matmul_nt",
            |[a, b, c]| vec![vec![a, b, c], vec![a + 1, c]],
            Any,
            |_, x| x[0].matmul_nt(x[1]),
        ),
        case(
            "matmul_nt_batched",
            |[a, b, c]| vec![vec![a, b, c], vec![a, a + 1, c]],
            Any,
            |_, x| x[0].matmul_nt(x[1]),
        ),
        case(
            "transpose",
            |[a, b, c]| vec![vec![a, b, c]],
            Any,
            |_, x| x[0].transpose(),
        ),
        case(
            "reshape",
            |[a, b, c]| vec![vec![a, b, c]],
            Any,
            |_, x| {
                let s = x[0].shape();
                x[0].reshape(&[s[0] * s[1], s[2]])
            },
        ),
        case(
            "concat",
            |[a, b, c]| vec![vec![a, b, c], vec![a, 2, c]],
            Any,
            |_, x| Var::concat(&[x[0], x[1]], 1),
        ),
        case(
            "slice",
            |[a, b, c]| vec![vec![a, b + 2, c]],
            Any,
            |_, x| {
                let n = x[0].shape()[1];
                x[0].slice(1, 1, n - 1)
            },
        ),
        case(
            "gather_rows",
            |[a, b, _]| vec![vec![a + 2, b]],
            Any,
            |_, x| {
                let v = x[0].shape()[0];
                // Row 0 twice (its gradient adds up), row 1 never (gets zero).
                x[0].gather_rows(&[0, v - 1, 0, 2])
            },
        ),
        case("sum", |[a, b, _]| vec![vec![a, b]], Any, |_, x| x[0].sum()),
        case(
            "mean",
            |[a, b, _]| vec![vec![a, b]],
            Any,
            |_, x| x[0].mean(),
        ),
        case(
            "sum_axis",
            |[a, b, c]| vec![vec![a, b, c]],
            Any,
            |_, x| x[0].sum_axis(1, false),
        ),
        case(
            "mean_axis",
            |[a, b, c]| vec![vec![a, b, c]],
            Any,
            |_, x| x[0].mean_axis(0, true),
        ),
        case("exp", |[a, b, _]| vec![vec![a, b]], Any, |_, x| x[0].exp()),
        case(
            "log",
            |[a, b, _]| vec![vec![a, b]],
            Positive,
            |_, x| x[0].log(),
        ),
        case(
            "sqrt",
            |[a, b, _]| vec![vec![a, b]],
            Positive,
            |_, x| x[0].sqrt(),
        ),
        case(
            "powi",
            |[a, b, _]| vec![vec![a, b]],
            AwayFromZero,
            |_, x| x[0].powi(3) + x[0].powi(-2),
        ),
        case(
            "tanh",
            |[a, b, _]| vec![vec![a, b]],
            Any,
            |_, x| x[0].tanh(),
        ),
        case(
            "sigmoid",
            |[a, b, _]| vec![vec![a, b]],
            Any,
            |_, x| x[0].sigmoid(),
        ),
        case(
            "relu",
            |[a, b, _]| vec![vec![a, b]],
            AwayFromZero,
            |_, x| x[0].relu(),
        ),
        case(
            "gelu",
            |[a, b, _]| vec![vec![a, b]],
            Any,
            |_, x| x[0].gelu(),
        ),
        case(
            "softmax",
            |[a, b, c]| vec![vec![a, b, c]],
            Any,
            |_, x| x[0].softmax(),
        ),
        case(
            "log_softmax",
            |[a, b, _]| vec![vec![a, b]],
            Any,
            |_, x| x[0].log_softmax(),
        ),
        case(
            "masked_fill",
            |[a, b, _]| vec![vec![a, b, b]],
            Any,
            |_, x| {
                // The attention pattern: hide the future with -inf, then softmax.
                let n = x[0].shape()[1];
                x[0].masked_fill(&Mask::causal(n), Float::NEG_INFINITY)
                    .softmax()
            },
        ),
        case(
            "dropout",
            |[a, b, _]| vec![vec![a, b + 3]],
            Any,
            |_, x| x[0].dropout(0.5, Some(&mut rng(7))),
        ),
        case(
            "attention",
            |[b, n, h]| vec![vec![b, n, 2 * h], vec![b, n + 1, 2 * h], vec![b, n + 1, 4]],
            Any,
            |_, x| {
                // Two heads; the last key of row 0 is padding; both outputs count.
                let [b, n_k] = [x[1].shape()[0], x[1].shape()[1]];
                let lengths: Vec<usize> = (0..b).map(|r| n_k - usize::from(r == 0)).collect();
                let (z, a) =
                    x[0].attention(x[1], x[2], 2, 0.7, Some(&Mask::padding(&lengths, n_k)));
                z.sum() + (a * a).sum()
            },
        ),
        case(
            "layer_norm_fused",
            |[a, b, c]| vec![vec![a, b, c + 1], vec![c + 1], vec![c + 1]],
            Any,
            |_, x| x[0].layer_norm_fused(x[1], x[2], 1e-5),
        ),
        case(
            "lstm_sequence",
            |[b, t, h]| vec![vec![b, t, 4 * h], vec![b, h], vec![b, h], vec![4 * h, h]],
            Any,
            |_, x| {
                // Odd rows stop one step early, so padded steps are checked too.
                let [b, t] = [x[0].shape()[0], x[0].shape()[1]];
                let lengths: Vec<usize> = (0..b).map(|r| t - r % 2).collect();
                x[0].lstm_sequence((x[1], x[2]), x[3], Some(&lengths))
            },
        ),
        case(
            "gru_sequence",
            |[b, t, h]| vec![vec![b, t, 3 * h], vec![b, h], vec![3 * h, h], vec![3 * h]],
            Any,
            |_, x| {
                // Odd rows stop one step early, so padded steps are checked too.
                let [b, t] = [x[0].shape()[0], x[0].shape()[1]];
                let lengths: Vec<usize> = (0..b).map(|r| t - r % 2).collect();
                x[0].gru_sequence(x[1], x[2], x[3], Some(&lengths))
            },
        ),
        case(
            "cross_entropy",
            |[a, b, _]| vec![vec![a + 2, b + 1]],
            Any,
            |_, x| {
                let s = x[0].shape();
                x[0].cross_entropy(&ce_targets(s[0], s[1]), Some(0))
            },
        ),
        case(
            "cross_entropy_options",
            |[a, b, _]| vec![vec![a + 2, b + 1]],
            Any,
            |_, x| {
                let s = x[0].shape();
                let o = ce_options(s[1], Reduction::Mean);
                x[0].cross_entropy_with(&ce_targets(s[0], s[1]), &o)
            },
        ),
        case(
            "cross_entropy_per_row",
            |[a, b, _]| vec![vec![a + 2, b + 1]],
            Any,
            |_, x| {
                let s = x[0].shape();
                let o = ce_options(s[1], Reduction::None);
                x[0].cross_entropy_with(&ce_targets(s[0], s[1]), &o)
            },
        ),
    ]
}
