//! The stepping record of `Tape::trace_backward` (`src/autograd/trace.rs`):
//! it replays the reverse loop, so it must end where `Tape::backward` ends.

use encdec::autograd::{NodeRole, Tape};
use encdec::nn::{Activation, rnn_step};
use encdec::tensor::{Tensor, rng};

/// Every node's final gradient in the record equals `Tape::backward`'s
/// stored one exactly (same functions, same order of `+=`).
fn assert_record_matches_backward(tape: &Tape, loss: encdec::autograd::Var<'_>) {
    tape.backward(loss);
    let trace = tape.trace_backward(loss);
    assert_eq!(trace.nodes.len(), loss.index() + 1);
    for (i, node) in trace.nodes.iter().enumerate() {
        let stored = tape.var(i).grad();
        match (&node.grad, &stored) {
            (Some(a), Some(b)) => assert_eq!(a.data(), b.data(), "node #{i} {}", node.op),
            (None, None) => {}
            _ => panic!(
                "node #{i} {}: record {:?}, backward {:?}",
                node.op, node.grad, stored
            ),
        }
    }
}

#[test]
fn the_stepping_record_ends_with_the_tapes_gradients() {
    let mut r = rng(3);
    let tape = Tape::new();
    let w_xh = tape.leaf(Tensor::randn(&[3, 3], 0.0, 0.5, &mut r));
    let w_hh = tape.leaf(Tensor::randn(&[3, 3], 0.0, 0.5, &mut r));
    let b_h = tape.leaf(Tensor::randn(&[3], 0.0, 0.5, &mut r));
    let mut h = tape.constant(Tensor::randn(&[2, 3], 0.0, 0.5, &mut r));
    for _ in 0..3 {
        let x = tape.constant(Tensor::randn(&[2, 3], 0.0, 1.0, &mut r));
        h = rnn_step(x, h, w_xh, w_hh, b_h, Activation::Tanh);
    }
    let loss = (h.softmax() * h).sum();
    assert_record_matches_backward(&tape, loss);
}

// x = 3, y = x * x + x:
//   step 1, node y = (x*x) + x: dy = 1  =>  d(x*x) += 1, dx += 1            (x: 1)
//   step 2, node x*x:           d(x*x) = 1  =>  da += 1 * 3, db += 1 * 3     (x: 1 + 3 + 3 = 7)
// and dy/dx = 2x + 1 = 7.
#[test]
fn a_value_used_three_times_receives_three_contributions_that_sum_to_its_gradient() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::scalar(3.0)).named("x");
    let y = x * x + x;
    let trace = tape.trace_backward(y);
    let into_x: Vec<f64> = trace
        .steps
        .iter()
        .flat_map(|s| &s.contributions)
        .filter(|c| c.to == x.index())
        .map(|c| c.amount.item())
        .collect();
    assert_eq!(into_x, [1.0, 3.0, 3.0]);
    let last = trace.steps[1].contributions[1].clone();
    assert_eq!(last.before.unwrap().item(), 4.0);
    assert_eq!(last.after.item(), 7.0);
    assert_eq!(last.rule, "db += dy * a");
    assert_eq!(last.arithmetic, ["db += 1 * 3 = 3"]);
    assert_eq!(trace.nodes[x.index()].grad.as_ref().unwrap().item(), 7.0);
    assert_eq!(trace.nodes[x.index()].role, NodeRole::Leaf);
    assert!(
        tape.grad(x).is_none(),
        "the replay leaves the stored gradients alone"
    );
}

// forward: y = tanh(x), x = 0.5  =>  y = 0.4621, and with dL/dy = 1:
//   dx += dy * (1 - y²) = 1 * (1 - 0.4621²) = 0.7864
#[test]
fn the_arithmetic_shows_the_rule_with_the_numbers() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::scalar(0.5));
    let trace = tape.trace_backward(x.tanh());
    let c = &trace.steps[0].contributions[0];
    assert_eq!(c.rule, "dx += dy * (1 - y²)");
    assert_eq!(c.arithmetic, ["dx += 1 * (1 - 0.4621²) = 0.7864"]);
}

#[test]
fn a_matrix_product_shows_one_sum_per_element() {
    // y = a bᵀ with a = [[1, 2]], b = [[3, 4]]: y = [[11]];
    // da[0][j] = dy[0][0] * b[0][j]: da = [[3, 4]]; db[0][j] = dy[0][0] * a[0][j]: db = [[1, 2]].
    let tape = Tape::new();
    let a = tape.leaf(Tensor::from_vec(vec![1.0, 2.0], &[1, 2]));
    let b = tape.leaf(Tensor::from_vec(vec![3.0, 4.0], &[1, 2]));
    let trace = tape.trace_backward(a.matmul_nt(b));
    let lines: Vec<&str> = trace.steps[0]
        .contributions
        .iter()
        .flat_map(|c| c.arithmetic.iter().map(String::as_str))
        .collect();
    assert_eq!(
        lines,
        [
            "da[0][0] += 1 * 3 = 3",
            "da[0][1] += 1 * 4 = 4",
            "db[0][0] += 1 * 1 = 1",
            "db[0][1] += 1 * 2 = 2"
        ]
    );
}

#[test]
#[should_panic(expected = "trace_backward: loss must hold one element")]
fn tracing_from_a_vector_panics() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::ones(&[2]));
    tape.trace_backward(x.tanh());
}
