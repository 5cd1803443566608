//! A shape bug panics with the op's name and both shapes (or the shape and
//! the offending argument), as each op's `# Panics` section says.

use encdec::autograd::{Tape, Var};
use encdec::tensor::{Mask, Tensor};

fn leaf<'t>(tape: &'t Tape, shape: &[usize]) -> Var<'t> {
    tape.leaf(Tensor::zeros(shape))
}

#[test]
#[should_panic(expected = "add: shapes [2, 3] and [2] do not broadcast")]
fn add_names_both_shapes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[2, 3]) + leaf(&tape, &[2]);
}

#[test]
#[should_panic(expected = "sub: shapes [4] and [3] do not broadcast")]
fn sub_names_both_shapes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[4]) - leaf(&tape, &[3]);
}

#[test]
#[should_panic(expected = "mul: shapes [2, 2] and [3, 1] do not broadcast")]
fn mul_names_both_shapes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[2, 2]) * leaf(&tape, &[3, 1]);
}

#[test]
#[should_panic(expected = "div: shapes [5] and [2] do not broadcast")]
fn div_names_both_shapes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[5]) / leaf(&tape, &[2]);
}

#[test]
#[should_panic(expected = "matmul: shapes [2, 3] and [2, 3] do not match")]
fn matmul_names_both_shapes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[2, 3]).matmul(leaf(&tape, &[2, 3]));
}

#[test]
#[should_panic(expected = "matmul: shapes [3] and [3, 1] do not match")]
fn matmul_needs_two_axes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[3]).matmul(leaf(&tape, &[3, 1]));
}

#[test]
#[should_panic(expected = "transpose: needs at least 2 axes, got shape [4]")]
fn transpose_needs_two_axes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[4]).transpose();
}

#[test]
#[should_panic(expected = "reshape: cannot reshape [2, 3] into [4, 2]")]
fn reshape_names_both_shapes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[2, 3]).reshape(&[4, 2]);
}

#[test]
#[should_panic(expected = "concat: shapes [2, 3] and [3, 3] differ off axis 1")]
fn concat_names_both_shapes() {
    let tape = Tape::new();
    let _ = Var::concat(&[leaf(&tape, &[2, 3]), leaf(&tape, &[3, 3])], 1);
}

#[test]
#[should_panic(expected = "slice: range 1..4 on axis 0 is outside shape [3, 2]")]
fn slice_names_range_and_shape() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[3, 2]).slice(0, 1, 4);
}

#[test]
#[should_panic(expected = "gather_rows: index 5 is out of range for table of shape [5, 3]")]
fn gather_rows_names_index_and_shape() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[5, 3]).gather_rows(&[0, 5]);
}

#[test]
#[should_panic(expected = "sum_axis: axis 2 is out of range for shape [2, 3]")]
fn sum_axis_names_axis_and_shape() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[2, 3]).sum_axis(2, false);
}

#[test]
#[should_panic(expected = "mean_axis: axis 1 is out of range for shape [4]")]
fn mean_axis_names_axis_and_shape() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[4]).mean_axis(1, true);
}

#[test]
#[should_panic(expected = "softmax: needs at least 1 axis, got shape []")]
fn softmax_needs_an_axis() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[]).softmax();
}

#[test]
#[should_panic(expected = "masked_fill: mask of shape [3, 3] does not broadcast to [2, 4, 4]")]
fn masked_fill_names_both_shapes() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[2, 4, 4]).masked_fill(&Mask::causal(3), f64::NEG_INFINITY);
}

#[test]
#[should_panic(expected = "cross_entropy: logits of shape [3, 4] and 2 targets do not match")]
fn cross_entropy_names_shape_and_targets() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[3, 4]).cross_entropy(&[0, 1], None);
}

#[test]
#[should_panic(expected = "cross_entropy: target 4 is out of range for 4 classes")]
fn cross_entropy_names_a_bad_target() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[2, 4]).cross_entropy(&[0, 4], None);
}

#[test]
#[should_panic(expected = "dropout: p = 1.5 is not in [0, 1]")]
fn dropout_checks_p() {
    let tape = Tape::new();
    let _ = leaf(&tape, &[2]).dropout(1.5, Some(&mut encdec::tensor::rng(0)));
}

#[test]
#[should_panic(expected = "backward_with: shapes [2] and [3] differ")]
fn backward_seed_must_match_the_output() {
    let tape = Tape::new();
    let x = leaf(&tape, &[2]);
    tape.backward_with(x.exp(), Tensor::zeros(&[3]));
}

/// A custom op whose backward returns one gradient for two inputs.
struct TooFewGradients;

impl encdec::autograd::CustomOp for TooFewGradients {
    fn name(&self) -> &str {
        "too_few"
    }
    fn forward(&self, x: &[&Tensor]) -> Tensor {
        x[0].zip_map(x[1], "too_few", |a, b| a * b)
    }
    fn backward(&self, x: &[&Tensor], _y: &Tensor, g: &Tensor) -> Vec<Tensor> {
        vec![g.zip_map(x[1], "too_few", |dy, b| dy * b)]
    }
}

#[test]
#[should_panic(expected = "custom op `too_few`: backward returned 1 gradients for 2 inputs")]
fn a_custom_op_returning_too_few_gradients_panics_with_its_name() {
    let tape = Tape::new();
    let (a, b) = (leaf(&tape, &[2]), leaf(&tape, &[2]));
    let y = Var::custom(std::rc::Rc::new(TooFewGradients), &[a, b]);
    tape.backward(y.sum());
}
