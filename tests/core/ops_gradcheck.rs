//! Every op of the tape, gradient-checked on shapes and values drawn by
//! proptest. Each test runs the op's case from `encdec::checks::ops`
//! (the same cases `encdec gradcheck` prints) with the full Jacobian:
//! every analytic entry must satisfy |a - n| <= 1e-6 + 1e-5 |n| against
//! central differences with eps = 1e-6.

use encdec::checks::ops::op_cases;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Runs the named case at sizes `d` on values `raw` and fails with the
/// checker's report if any entry is off.
fn check(name: &str, d: [usize; 3], raw: &[f64]) -> Result<(), TestCaseError> {
    let case = op_cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no gradient-check case named {name}"));
    let inputs = case.inputs(d, raw);
    let report = case.check(&inputs);
    prop_assert!(report.ok(), "{name} at sizes {d:?}:\n{report}");
    Ok(())
}

fn sizes() -> impl Strategy<Value = [usize; 3]> {
    [1usize..=4, 1usize..=4, 1usize..=4]
}

fn values() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-2.0f64..2.0, 1..64)
}

macro_rules! gradcheck_tests {
    ($($test:ident => $name:literal),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]
            $(
                #[test]
                fn $test(d in sizes(), raw in values()) {
                    check($name, d, &raw)?;
                }
            )*
        }
        /// The names this file tests, to compare with the suite.
        const TESTED: &[&str] = &[$($name),*];
    };
}

gradcheck_tests! {
    add_gradcheck => "add",
    sub_gradcheck => "sub",
    mul_gradcheck => "mul",
    div_gradcheck => "div",
    neg_gradcheck => "neg",
    add_scalar_gradcheck => "add_scalar",
    mul_scalar_gradcheck => "mul_scalar",
    matmul_gradcheck => "matmul",
    matmul_batched_gradcheck => "matmul_batched",
    matmul_shared_gradcheck => "matmul_shared",
    matmul_nt_gradcheck => "matmul_nt",
    matmul_nt_batched_gradcheck => "matmul_nt_batched",
    transpose_gradcheck => "transpose",
    reshape_gradcheck => "reshape",
    concat_gradcheck => "concat",
    slice_gradcheck => "slice",
    gather_rows_gradcheck => "gather_rows",
    sum_gradcheck => "sum",
    mean_gradcheck => "mean",
    sum_axis_gradcheck => "sum_axis",
    mean_axis_gradcheck => "mean_axis",
    exp_gradcheck => "exp",
    log_gradcheck => "log",
    sqrt_gradcheck => "sqrt",
    powi_gradcheck => "powi",
    tanh_gradcheck => "tanh",
    sigmoid_gradcheck => "sigmoid",
    lstm_sequence_gradcheck => "lstm_sequence",
    gru_sequence_gradcheck => "gru_sequence",
    attention_gradcheck => "attention",
    layer_norm_fused_gradcheck => "layer_norm_fused",
    relu_gradcheck => "relu",
    gelu_gradcheck => "gelu",
    softmax_gradcheck => "softmax",
    log_softmax_gradcheck => "log_softmax",
    masked_fill_gradcheck => "masked_fill",
    dropout_gradcheck => "dropout",
    cross_entropy_gradcheck => "cross_entropy",
    cross_entropy_options_gradcheck => "cross_entropy_options",
    cross_entropy_per_row_gradcheck => "cross_entropy_per_row",
}

#[test]
fn every_op_in_the_suite_has_a_property_test() {
    let suite: Vec<&str> = op_cases().iter().map(|c| c.name).collect();
    let mut missing: Vec<&&str> = suite.iter().filter(|n| !TESTED.contains(n)).collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "ops without a gradcheck test: {missing:?}"
    );
    assert_eq!(
        suite.len(),
        TESTED.len(),
        "a tested name is not in the suite"
    );
}
