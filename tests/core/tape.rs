//! The tape itself: accumulation, reuse, long chains, repeat runs, zero_grad, DOT, reading it back.

use encdec::autograd::{Tape, Var};
use encdec::tensor::Tensor;

fn scalar(v: f64) -> Tensor {
    Tensor::scalar(v)
}

#[test]
fn a_variable_used_twice_gets_both_gradients() {
    // b = a + a; c = b + b  =>  c = 4a, dc/da = 4 (not 1 or 2: every use counts).
    let tape = Tape::new();
    let a = tape.leaf(scalar(3.0));
    let b = a + a;
    let c = b + b;
    assert_eq!(c.item(), 12.0);
    tape.backward(c);
    assert_eq!(a.grad().unwrap().item(), 4.0);
    assert_eq!(b.grad().unwrap().item(), 2.0);
}

#[test]
fn product_rule_through_a_shared_input() {
    // y = x * x * x = x^3 at x = 2: dy/dx = 3 x^2 = 12.
    let tape = Tape::new();
    let x = tape.leaf(scalar(2.0));
    let y = x * x * x;
    tape.backward(y);
    assert_eq!(x.grad().unwrap().item(), 12.0);
}

#[test]
fn a_chain_of_100k_ops_does_not_overflow_the_stack() {
    // y = x + 1 + 1 + ... (100,000 times): dy/dx = 1. A recursive backward
    // would need 100,000 stack frames; the reverse loop needs none.
    let tape = Tape::new();
    let x = tape.leaf(scalar(0.5));
    let mut y = x;
    for _ in 0..100_000 {
        y = y.add_scalar(1.0);
    }
    tape.backward(y);
    assert_eq!(y.item(), 100_000.5);
    assert_eq!(x.grad().unwrap().item(), 1.0);
    assert_eq!(tape.len(), 100_001);
}

#[test]
fn a_long_tanh_chain_matches_the_chain_rule() {
    // y = tanh(tanh(...tanh(x))) n times; dy/dx = prod_k (1 - y_k^2),
    // computed here by hand along the forward values.
    let tape = Tape::new();
    let x = tape.leaf(scalar(0.9));
    let (mut y, mut expected, mut v) = (x, 1.0, 0.9f64);
    for _ in 0..50_000 {
        y = y.tanh();
        v = v.tanh();
        expected *= 1.0 - v * v;
    }
    tape.backward(y);
    let g = x.grad().unwrap().item();
    assert!(
        (g - expected).abs() <= 1e-12 * expected.abs(),
        "{g} vs {expected}"
    );
}

fn small_net(tape: &Tape) -> (Var<'_>, Var<'_>, Var<'_>) {
    let w = tape.leaf(Tensor::from_vec(
        vec![0.1, -0.4, 0.7, 0.2, 0.5, -0.3],
        &[2, 3],
    ));
    let x = tape.leaf(Tensor::from_vec(vec![1.0, -2.0], &[1, 2]));
    let loss = x.matmul(w).tanh().softmax().log().sum();
    (w, x, loss)
}

#[test]
fn backward_twice_after_zero_grad_gives_bit_identical_gradients() {
    let tape = Tape::new();
    let (w, x, loss) = small_net(&tape);
    tape.backward(loss);
    let (gw1, gx1) = (w.grad().unwrap(), x.grad().unwrap());
    tape.zero_grad();
    assert!(w.grad().is_none(), "zero_grad must forget the gradients");
    tape.backward(loss);
    let (gw2, gx2) = (w.grad().unwrap(), x.grad().unwrap());
    // Bit-identical, not merely close.
    let bits = |t: &Tensor| t.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&gw1), bits(&gw2));
    assert_eq!(bits(&gx1), bits(&gx2));
    assert!(gw1.data().iter().any(|&v| v != 0.0));
}

#[test]
fn backward_without_zero_grad_accumulates() {
    let tape = Tape::new();
    let (w, _, loss) = small_net(&tape);
    tape.backward(loss);
    let once = w.grad().unwrap();
    tape.backward(loss);
    let twice = w.grad().unwrap();
    for (a, b) in once.data().iter().zip(twice.data()) {
        assert_eq!(2.0 * a, *b);
    }
}

#[test]
fn constants_get_no_gradient_and_leaves_do() {
    let tape = Tape::new();
    let x = tape.constant(Tensor::from_vec(vec![1.0, 2.0], &[2]));
    let w = tape.leaf(Tensor::from_vec(vec![3.0, 4.0], &[2]));
    let y = (x * w).sum();
    tape.backward(y);
    assert!(x.grad().is_none());
    assert_eq!(w.grad().unwrap().data(), &[1.0, 2.0]);
}

#[test]
fn an_unused_leaf_gets_no_gradient() {
    let tape = Tape::new();
    let a = tape.leaf(scalar(1.0));
    let unused = tape.leaf(scalar(2.0));
    let y = a.exp();
    tape.backward(y);
    assert!(unused.grad().is_none());
    assert_eq!(a.grad().unwrap().item(), 1f64.exp());
}

#[test]
fn backward_with_a_seed_is_a_vector_jacobian_product() {
    // y = 3 x (element-wise), seed v: dx = 3 v.
    let tape = Tape::new();
    let x = tape.leaf(Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3]));
    let y = x * 3.0;
    tape.backward_with(y, Tensor::from_vec(vec![1.0, 0.0, -2.0], &[3]));
    assert_eq!(x.grad().unwrap().data(), &[3.0, 0.0, -6.0]);
}

#[test]
#[should_panic(expected = "backward: loss must hold one element, got shape [3]")]
fn backward_of_a_vector_needs_a_seed() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::zeros(&[3]));
    tape.backward(x.exp());
}

#[test]
#[should_panic(expected = "add: the operands belong to different tapes")]
fn mixing_tapes_panics() {
    let (t1, t2) = (Tape::new(), Tape::new());
    let _ = t1.leaf(scalar(1.0)) + t2.leaf(scalar(2.0));
}

#[test]
fn dot_has_one_node_per_op_and_one_edge_per_input() {
    // One RNN step: h = tanh(x W_xh + h_prev W_hh + b_h).
    let tape = Tape::new();
    let x = tape.constant(Tensor::ones(&[1, 2])).named("x_t");
    let w_xh = tape.leaf(Tensor::ones(&[2, 3])).named("w_xh");
    let h_prev = tape.constant(Tensor::zeros(&[1, 3])).named("h_prev");
    let w_hh = tape.leaf(Tensor::ones(&[3, 3])).named("w_hh");
    let b_h = tape.leaf(Tensor::zeros(&[3])).named("b_h");
    let h = (x.matmul(w_xh) + h_prev.matmul(w_hh) + b_h)
        .tanh()
        .named("h_t");
    let dot = tape.to_dot();
    assert_eq!(dot.matches(" [label=").count(), tape.len());
    assert_eq!(tape.len(), 10); // 5 inputs + 2 matmuls + 2 adds + tanh
    assert_eq!(dot.matches(" -> ").count(), 2 + 2 + 2 + 2 + 1);
    assert!(dot.contains("w_xh") && dot.contains("h_t") && dot.contains("tanh"));
    assert!(dot.contains(&format!("n{} [label=\"#{} tanh h_t", h.index(), h.index())));
    assert!(dot.starts_with("digraph tape {") && dot.trim_end().ends_with('}'));
}

#[test]
fn a_computation_reads_back_along_its_edges() {
    // c = (a * b).tanh(): c's input is the product, whose inputs are a and b.
    let tape = Tape::new();
    let (a, b) = (tape.leaf(scalar(0.5)), tape.constant(scalar(2.0)));
    let c = (a * b).tanh();
    assert_eq!(c.op_name(), "tanh");
    let product = c.inputs()[0];
    assert_eq!(product.op_name(), "mul");
    let ab: Vec<usize> = product.inputs().iter().map(Var::index).collect();
    assert_eq!(ab, [a.index(), b.index()]);
    assert!(a.inputs().is_empty() && a.op_name() == "leaf");
    assert_eq!(tape.var(product.index()).value().item(), 1.0);
}

#[test]
#[should_panic(expected = "Tape::var: no node 3")]
fn reading_a_node_past_the_end_panics() {
    let tape = Tape::new();
    tape.leaf(scalar(1.0));
    tape.var(3);
}
