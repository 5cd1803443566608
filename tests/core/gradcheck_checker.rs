//! The checker is itself checked: it must fail on a wrong backward pass,
//! pass on the right one, and say where the error is.

use encdec::autograd::{CustomOp, GradcheckConfig, Mode, Tape, Var, gradcheck};
use encdec::tensor::Tensor;
use std::rc::Rc;

/// y = sin(x) with a backward pass scaled by `factor`: 1 is right, -1 is
/// deliberately wrong, 1 + 1e-6 is off by one part in a million.
struct Sin {
    factor: f64,
}

impl CustomOp for Sin {
    fn name(&self) -> &str {
        "sin"
    }
    fn forward(&self, x: &[&Tensor]) -> Tensor {
        x[0].map(f64::sin)
    }
    fn backward(&self, x: &[&Tensor], _y: &Tensor, g: &Tensor) -> Vec<Tensor> {
        // forward: y = sin(x)  =>  dx += dy * cos(x), times the factor.
        vec![g.zip_map(x[0], "sin", |dy, x| self.factor * dy * x.cos())]
    }
}

/// y = x0 * x1 whose backward forgets the gradient of x1 (returns zeros).
struct ForgetfulMul;

impl CustomOp for ForgetfulMul {
    fn name(&self) -> &str {
        "forgetful_mul"
    }
    fn forward(&self, x: &[&Tensor]) -> Tensor {
        x[0].zip_map(x[1], "mul", |a, b| a * b)
    }
    fn backward(&self, x: &[&Tensor], _y: &Tensor, g: &Tensor) -> Vec<Tensor> {
        vec![
            g.zip_map(x[1], "mul", |dy, b| dy * b),
            Tensor::zeros(x[1].shape()),
        ]
    }
}

fn sin_scaled(factor: f64) -> impl for<'t> Fn(&'t Tape, &[Var<'t>]) -> Var<'t> {
    move |_, v| Var::custom(Rc::new(Sin { factor }), &[v[0]])
}

fn sin_of(wrong: bool) -> impl for<'t> Fn(&'t Tape, &[Var<'t>]) -> Var<'t> {
    sin_scaled(if wrong { -1.0 } else { 1.0 })
}

fn x() -> Tensor {
    Tensor::from_vec(vec![0.3, -1.1, 2.0, 0.7], &[2, 2])
}

fn config(mode: Mode) -> GradcheckConfig {
    GradcheckConfig {
        mode,
        ..GradcheckConfig::default()
    }
}

#[test]
fn right_backward_passes_in_full_mode() {
    let report = gradcheck(sin_of(false), &[x()], &config(Mode::Full));
    assert!(report.ok(), "{report}");
    assert_eq!(report.mode, "full");
    // 4 input elements x 4 output elements.
    assert_eq!(report.inputs[0].checked, 16);
    assert!(report.max_abs_err() < 1e-8);
}

#[test]
fn wrong_backward_fails_in_full_mode_and_names_the_worst_element() {
    let report = gradcheck(sin_of(true), &[x()], &config(Mode::Full));
    assert!(
        !report.ok(),
        "the checker passed a wrong backward:\n{report}"
    );
    let r = &report.inputs[0];
    // Only the diagonal of the Jacobian is nonzero, so exactly 4 entries fail.
    assert_eq!(r.failures, 4);
    // Largest error |(-cos x) - cos x| = 2|cos x| is at x = 0.3 (element [0, 0]).
    let w = r.worst.as_ref().unwrap();
    assert_eq!(w.element, vec![0, 0]);
    assert_eq!(w.output, 0);
    assert!((w.analytic + 0.3f64.cos()).abs() < 1e-12);
    assert!((w.numeric - 0.3f64.cos()).abs() < 1e-8);
    assert!((r.max_abs_err - 2.0 * 0.3f64.cos()).abs() < 1e-8);
    assert!((r.max_rel_err - 2.0).abs() < 1e-8);
    assert!(format!("{report}").contains("4 failed"));
}

#[test]
fn wrong_backward_fails_in_directional_mode() {
    let mode = Mode::Directional {
        directions: 4,
        seed: 3,
    };
    assert!(gradcheck(sin_of(false), &[x()], &config(mode)).ok());
    let report = gradcheck(sin_of(true), &[x()], &config(mode));
    assert!(!report.ok(), "{report}");
    assert_eq!(report.mode, "directional");
    assert_eq!(report.inputs[0].checked, 4);
}

#[test]
fn a_forgotten_input_gradient_fails_for_that_input_only() {
    fn f<'t>(_: &'t Tape, v: &[Var<'t>]) -> Var<'t> {
        Var::custom(Rc::new(ForgetfulMul), &[v[0], v[1]])
    }
    let report = gradcheck(f, &[x(), x().map(|v| v + 1.0)], &config(Mode::Full));
    assert!(report.inputs[0].ok(), "{report}");
    assert!(!report.inputs[1].ok(), "{report}");
    assert!(!report.ok());
}

#[test]
fn auto_mode_uses_directions_for_large_inputs() {
    let big = Tensor::from_vec(
        (0..40_000).map(|i| (i as f64 * 0.001).sin()).collect(),
        &[200, 200],
    );
    let report = gradcheck(|_, v| v[0].tanh(), &[big], &GradcheckConfig::default());
    assert_eq!(report.mode, "directional");
    assert!(report.ok(), "{report}");
}

#[test]
fn tolerance_is_atol_plus_rtol_times_numeric() {
    // At x = 0.3 the numeric derivative is n = cos 0.3 = 0.9553 (to ~1e-10)
    // and the analytic one a = n (1 + 1e-6), so |a - n| = 9.553e-7.
    let passes = |atol: f64, rtol: f64| {
        let config = GradcheckConfig {
            atol,
            rtol,
            ..config(Mode::Full)
        };
        gradcheck(sin_scaled(1.0 + 1e-6), &[Tensor::scalar(0.3)], &config).ok()
    };
    assert!(passes(0.0, 2e-6)); // tol = 1.911e-6
    assert!(!passes(0.0, 5e-7)); // tol = 4.777e-7
    assert!(passes(1e-6, 0.0)); // tol = 1e-6
    assert!(passes(5e-7, 5e-7)); // tol = 5e-7 + 4.777e-7 = 9.777e-7: the two add up
    assert!(!passes(5e-7, 4e-7)); // tol = 5e-7 + 3.821e-7 = 8.821e-7
}

#[test]
fn a_nan_gradient_fails() {
    // d/dx sqrt(x) at x = 0 is infinite on the tape; the numeric one is NaN
    // (sqrt of -eps). The checker must not call that a pass.
    let report = gradcheck(
        |_, v| v[0].sqrt(),
        &[Tensor::scalar(0.0)],
        &config(Mode::Full),
    );
    assert!(!report.ok(), "{report}");
}

#[test]
fn checking_nothing_does_not_pass() {
    let x = Tensor::from_vec(vec![0.3, -1.2], &[2]);
    fn tanh<'t>(_: &'t Tape, v: &[Var<'t>]) -> Var<'t> {
        v[0].tanh()
    }
    fn constant<'t>(t: &'t Tape, _: &[Var<'t>]) -> Var<'t> {
        t.leaf(Tensor::from_vec(vec![1.0], &[1]))
    }
    // Zero random directions compare nothing.
    let none = GradcheckConfig {
        mode: Mode::Directional {
            directions: 0,
            seed: 0,
        },
        ..GradcheckConfig::default()
    };
    let r = gradcheck(tanh, std::slice::from_ref(&x), &none);
    assert!(!r.ok(), "{r}");
    assert!(r.to_string().contains("nothing checked"), "{r}");
    // An empty input, in either mode, has no entry to compare.
    let empty = Tensor::from_vec(vec![], &[0]);
    for mode in [
        Mode::Full,
        Mode::Directional {
            directions: 4,
            seed: 0,
        },
    ] {
        let config = GradcheckConfig {
            mode,
            ..GradcheckConfig::default()
        };
        assert!(!gradcheck(tanh, std::slice::from_ref(&empty), &config).ok());
    }
    // No inputs at all.
    assert!(!gradcheck(constant, &[], &GradcheckConfig::default()).ok());
    // The same check on a real input still passes.
    assert!(gradcheck(tanh, &[x], &GradcheckConfig::default()).ok());
}

#[test]
fn the_cross_entropy_case_exercises_the_ignored_class() {
    use encdec::checks::ops::ce_targets;
    // For every size the gradient check draws (rows >= 3, classes >= 2),
    // some row is ignored (class 0) and some row is not.
    for rows in 3..9 {
        for classes in 2..9 {
            let t = ce_targets(rows, classes);
            assert!(t.contains(&0), "{rows}x{classes}: {t:?}");
            assert!(t.iter().any(|&c| c != 0), "{rows}x{classes}: {t:?}");
            assert!(t.iter().all(|&c| c < classes), "{rows}x{classes}: {t:?}");
        }
    }
}
