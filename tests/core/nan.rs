//! NaN is never swallowed (issue 11): a NaN that an op reads reaches its
//! output and the gradient of the input it came from, and nothing that
//! summarises numbers (a norm, an error, a difference) turns a NaN into a
//! finite value. One test per fault found, then a property over every op of
//! the tape and a check of the layers.

use encdec::autograd::{CustomOp, GradcheckConfig, Tape, Var, gradcheck};
use encdec::checks::ops::op_cases;
use encdec::nn::*;
use encdec::optim::clip_grad_norm;
use encdec::tensor::{Mask, Tensor, rng};
use proptest::prelude::*;
use proptest::sample::Index;
use std::rc::Rc;

fn has_nan(t: &Tensor) -> bool {
    t.data().iter().any(|v| v.is_nan())
}

#[test]
fn clip_by_norm_spreads_a_nan_norm_to_every_gradient() {
    // PyTorch's clip_grad_norm_ multiplies every gradient by the NaN
    // coefficient; a NaN norm must not pass as "no clipping needed".
    let mut grads = vec![
        Some(Tensor::from_vec(vec![f64::NAN, 1.0], &[2])),
        None,
        Some(Tensor::from_vec(vec![3.0], &[1])),
    ];
    let norm = clip_grad_norm(&mut grads, 1.0);
    assert!(norm.is_nan());
    for g in grads.iter().flatten() {
        assert!(g.data().iter().all(|v| v.is_nan()), "{g:?}");
    }
}

#[test]
fn max_abs_diff_is_nan_when_an_element_is_nan() {
    let a = Tensor::from_vec(vec![f64::NAN, 1.0, f64::NEG_INFINITY], &[3]);
    let b = Tensor::from_vec(vec![0.0, 1.5, f64::NEG_INFINITY], &[3]);
    assert!(a.max_abs_diff(&b).is_nan());
    assert!(b.max_abs_diff(&a).is_nan());
    // Equal entries differ by 0, infinities included.
    assert_eq!(b.max_abs_diff(&b), 0.0);
}

/// y = x with a backward that is NaN at element 0 and right elsewhere.
struct NanAtZero;

impl CustomOp for NanAtZero {
    fn name(&self) -> &str {
        "nan_at_zero"
    }
    fn forward(&self, x: &[&Tensor]) -> Tensor {
        x[0].clone()
    }
    fn backward(&self, _x: &[&Tensor], _y: &Tensor, g: &Tensor) -> Vec<Tensor> {
        let mut d = g.clone();
        d.data_mut()[0] = f64::NAN;
        vec![d]
    }
}

#[test]
fn gradcheck_input_report_keeps_a_nan_error_seen_before_finite_ones() {
    let x = Tensor::from_vec(vec![0.5, -1.0, 2.0], &[3]);
    let report = gradcheck(
        |_, v| Var::custom(Rc::new(NanAtZero), &[v[0]]),
        &[x],
        &GradcheckConfig::default(),
    );
    let r = &report.inputs[0];
    assert!(!r.ok());
    assert!(r.max_abs_err.is_nan(), "max_abs_err = {}", r.max_abs_err);
    assert!(r.max_rel_err.is_nan(), "max_rel_err = {}", r.max_rel_err);
}

#[test]
fn gradcheck_report_max_errors_keep_a_nan_input() {
    let x = Tensor::from_vec(vec![0.5], &[1]);
    let report = gradcheck(
        |_, v| Var::custom(Rc::new(NanAtZero), &[v[0]]) + v[1],
        &[x.clone(), x],
        &GradcheckConfig::default(),
    );
    assert!(report.inputs[0].max_abs_err.is_nan());
    assert!(!report.inputs[1].max_abs_err.is_nan());
    assert!(report.max_abs_err().is_nan());
    assert!(report.max_rel_err().is_nan());
}

/// Why a NaN at `flat` in input `which` of a suite case is legitimately not
/// read (so it need not reach the output), or `None` if it is read.
/// The index patterns mirror the cases in `src/checks/ops.rs`.
fn not_read(case: &str, which: usize, shape: &[usize], flat: usize) -> Option<&'static str> {
    match (case, which) {
        ("gather_rows", 0) => {
            // The case looks up rows [0, v - 1, 0, 2] of a [v, dim] table.
            let (v, dim) = (shape[0], shape[1]);
            let row = flat / dim;
            (![0, v - 1, 2].contains(&row)).then_some("a row gather_rows does not look up")
        }
        ("slice", 0) => {
            // The case keeps 1..n-1 of axis 1 of [a, n, c].
            let (n, c) = (shape[1], shape[2]);
            let i = (flat / c) % n;
            (i == 0 || i == n - 1).then_some("a position slice cuts off")
        }
        ("masked_fill", 0) => {
            // The causal mask overwrites key j > query i of [a, n, n] with -inf.
            let n = shape[1];
            let (i, j) = ((flat / n) % n, flat % n);
            (j > i).then_some("a position masked_fill overwrites")
        }
        ("cross_entropy" | "cross_entropy_options" | "cross_entropy_per_row", 0) => {
            // A row whose target is 0 is ignored (padding).
            let classes = shape[1];
            let targets = encdec::checks::ops::ce_targets(shape[0], classes);
            (targets[flat / classes] == 0).then_some("a row cross_entropy ignores")
        }
        ("lstm_sequence", 0) => {
            // Odd rows of [b, t, 4h] stop one step early: their last step is padding.
            let (t, g4) = (shape[1], shape[2]);
            let (row, step) = (flat / (t * g4), (flat / g4) % t);
            (step + row % 2 >= t).then_some("a padded step lstm_sequence carries over")
        }
        ("gru_sequence", 0) => {
            // Odd rows of [b, t, 3h] stop one step early: their last step is padding.
            let (t, g3) = (shape[1], shape[2]);
            let (row, step) = (flat / (t * g3), (flat / g3) % t);
            (step + row % 2 >= t).then_some("a padded step gru_sequence carries over")
        }
        ("attention", 1) => {
            // The last key of row 0 is masked: its score is replaced by -inf.
            let (n_k, d) = (shape[1], shape[2]);
            (flat / (n_k * d) == 0 && (flat / d) % n_k == n_k - 1).then_some("a masked key")
        }
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For every op of the tape: a NaN placed anywhere in any input reaches
    /// the forward output, and the gradient of $L = \sum y^2$ (which feeds
    /// the output's NaN back, unlike a plain sum) w.r.t. that input. Where
    /// the op does not read the position ([`not_read`]) nothing may be NaN.
    /// (Dropout needs no exception: a dropped NaN is $0 \cdot \mathrm{NaN}$.)
    #[test]
    fn a_nan_in_any_input_reaches_the_output_and_its_gradient(
        d in [1usize..=4, 1usize..=4, 1usize..=4],
        raw in prop::collection::vec(-2.0f64..2.0, 1..32),
        which in any::<Index>(),
        pos in any::<Index>(),
    ) {
        for case in op_cases() {
            let mut inputs = case.inputs(d, &raw);
            let i = which.index(inputs.len());
            let flat = pos.index(inputs[i].numel());
            inputs[i].data_mut()[flat] = f64::NAN;

            let tape = Tape::new();
            let xs: Vec<Var> = inputs.iter().map(|t| tape.leaf(t.clone())).collect();
            let y = (case.f)(&tape, &xs);
            tape.backward((y * y).sum());
            let (out, grad) = (y.value(), tape.grad(xs[i]).expect("input gets a gradient"));

            let at = format!("{} input {i} {:?} at {flat}", case.name, inputs[i].shape());
            match not_read(case.name, i, inputs[i].shape(), flat) {
                None => {
                    prop_assert!(has_nan(&out), "{at}: forward {out:?}");
                    prop_assert!(has_nan(&grad), "{at}: gradient {grad:?}");
                }
                Some(why) => {
                    prop_assert!(!has_nan(&out), "{at} ({why}): forward {out:?}");
                    prop_assert!(!has_nan(&grad), "{at} ({why}): gradient {grad:?}");
                }
            }
        }
    }
}

/// Runs `f` on leaves of `inputs`, one of which holds a NaN, and asserts
/// that the output and the gradient of every input are NaN somewhere.
fn assert_nan_through(
    name: &str,
    inputs: &[Tensor],
    f: impl for<'t> Fn(&'t Tape, &[Var<'t>]) -> Var<'t>,
) {
    let tape = Tape::new();
    let xs: Vec<Var> = inputs.iter().map(|t| tape.leaf(t.clone())).collect();
    let y = f(&tape, &xs);
    assert!(has_nan(&y.value()), "{name}: forward has no NaN");
    tape.backward((y * y).sum());
    for (k, x) in xs.iter().enumerate() {
        let g = tape.grad(*x).expect("every input gets a gradient");
        assert!(has_nan(&g), "{name}: gradient of input {k} has no NaN");
    }
}

#[test]
fn layers_let_a_nan_input_through() {
    let randn = |shape: &[usize], seed| Tensor::randn(shape, 0.0, 1.0, &mut rng(seed));
    let with_nan = |mut t: Tensor, k: usize| {
        t.data_mut()[k] = f64::NAN;
        t
    };
    let (b, h, i) = (2, 3, 4);

    let x = with_nan(randn(&[b, 5], 1), 3);
    assert_nan_through(
        "layer_norm",
        &[x, randn(&[5], 2), randn(&[5], 3)],
        |_, v| layer_norm(v[0], v[1], v[2], 1e-5),
    );

    let lstm = [randn(&[b, i], 4), randn(&[b, h], 5), randn(&[b, h], 6)];
    let w = [
        randn(&[4 * h, i], 7),
        randn(&[4 * h, h], 8),
        randn(&[4 * h], 9),
    ];
    let mut all = vec![
        with_nan(lstm[0].clone(), 1),
        lstm[1].clone(),
        lstm[2].clone(),
    ];
    all.extend(w.iter().cloned());
    assert_nan_through("lstm_step", &all, |_, v| {
        let (h, c) = lstm_step(v[0], (v[1], v[2]), v[3], v[4], v[5]);
        Var::concat(&[h, c], 1)
    });

    let gru = [
        with_nan(randn(&[b, i], 10), 0),
        randn(&[b, h], 11),
        randn(&[3 * h, i], 12),
        randn(&[3 * h, h], 13),
        randn(&[3 * h], 14),
        randn(&[3 * h], 15),
    ];
    assert_nan_through("gru_step", &gru, |_, v| {
        gru_step(v[0], v[1], (v[2], v[3]), (v[4], v[5]))
    });

    let rnn = [
        randn(&[b, i], 16),
        with_nan(randn(&[b, h], 17), 2),
        randn(&[h, i], 18),
        randn(&[h, h], 19),
        randn(&[h], 20),
    ];
    assert_nan_through("rnn_step", &rnn, |_, v| {
        rnn_step(v[0], v[1], v[2], v[3], v[4], Activation::Tanh)
    });

    // A NaN key at a real (unpadded) position of the shorter sequence:
    // padding hides positions 2.. of sequence 1, not position 0.
    let (q, k, v) = (
        randn(&[b, 3, h], 21),
        randn(&[b, 4, h], 22),
        randn(&[b, 4, h], 23),
    );
    let k = with_nan(k, 4 * h);
    let mask = Mask::padding(&[4, 2], 4);
    assert_nan_through("masked attention", &[q, k, v], |_, x| {
        scaled_dot_product_attention(x[0], x[1], x[2], Some(&mask)).0
    });
}

#[test]
fn huge_finite_gradients_are_clipped_not_zeroed() {
    // 1e200 squared overflows: the norm must still be found (1e200·√2).
    let mut grads = vec![Some(Tensor::from_vec(vec![1e200, -1e200], &[2]))];
    let norm = clip_grad_norm(&mut grads, 1.0);
    assert!((norm / (1e200 * 2f64.sqrt()) - 1.0).abs() < 1e-12, "{norm}");
    let g = grads[0].as_ref().unwrap().data().to_vec();
    assert!((g[0] - 1.0 / 2f64.sqrt()).abs() < 1e-9, "{g:?}");
    assert!((g[1] + 1.0 / 2f64.sqrt()).abs() < 1e-9, "{g:?}");
}

#[test]
fn a_nan_row_is_never_counted_as_correct() {
    use encdec::seq2seq::eval::token_accuracy;
    // Target 0 would win a `>`-based argmax that skips NaN; the row is NaN, so it is wrong.
    let logits = Tensor::from_vec(vec![f64::NAN, f64::NAN, f64::NAN, 1.0, 2.0, 0.0], &[2, 3]);
    assert_eq!(token_accuracy(&logits, &[1, 1]), (1, 2));
    let logits = Tensor::from_vec(vec![0.0, f64::NAN, 5.0], &[1, 3]);
    assert_eq!(token_accuracy(&logits, &[2]), (0, 1));
}
