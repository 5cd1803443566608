//! Linear and embedding layers: worked examples and gradient checks.

use crate::common;

use approx::assert_abs_diff_eq;
use encdec::autograd::Tape;
use encdec::nn::{Embedding, Linear, LinearInit, Module, linear};
use encdec::tensor::{Tensor, rng};

#[test]
fn linear_by_hand() {
    // x = [1, 2]; W = [[1, 0], [0, 1], [1, 1]]; b = [0.5, 0, -1]
    // y = x W^T + b = [1*1 + 2*0 + 0.5, 1*0 + 2*1 + 0, 1*1 + 2*1 - 1] = [1.5, 2, 2]
    let tape = Tape::new();
    let x = tape.leaf(Tensor::from_vec(vec![1.0, 2.0], &[1, 2]));
    let w = tape.leaf(Tensor::from_vec(
        vec![1.0, 0.0, 0.0, 1.0, 1.0, 1.0],
        &[3, 2],
    ));
    let b = tape.leaf(Tensor::from_vec(vec![0.5, 0.0, -1.0], &[3]));
    let y = linear(x, w, Some(b));
    assert_eq!(y.value().data(), &[1.5, 2.0, 2.0]);
    // dL/dW for L = sum(y): each row of W gets x; dL/db = 1 per output.
    tape.backward(y.sum());
    assert_eq!(w.grad().unwrap().data(), &[1.0, 2.0, 1.0, 2.0, 1.0, 2.0]);
    assert_eq!(b.grad().unwrap().data(), &[1.0, 1.0, 1.0]);
}

#[test]
fn linear_layer_keeps_leading_axes_and_pytorch_names() {
    let mut layer = Linear::new("proj", 4, 3, true, &mut rng(0));
    let names: Vec<_> = layer.params().iter().map(|p| p.name.clone()).collect();
    assert_eq!(names, ["proj.weight", "proj.bias"]);
    assert_eq!(layer.weight.shape(), &[3, 4]);
    let tape = Tape::new();
    let y = layer.forward(&tape, tape.constant(Tensor::ones(&[2, 5, 4])));
    assert_eq!(y.shape(), vec![2, 5, 3]);
    // Zero bias at creation: y = row sums of W for x = ones.
    let w = &layer.weight.value;
    let row0: f64 = w.data()[..4].iter().sum();
    assert_abs_diff_eq!(y.value().data()[0], row0, epsilon = 1e-12);
}

#[test]
fn linear_restarts_as_told() {
    // 96 -> 9056, the real benchmark's output layer: Xavier's bound is sqrt(6/9152) = 0.0256,
    // the fan-in bound 1/sqrt(96) = 0.102, and only the fan-in start moves the bias off zero.
    let mut layer = Linear::new("decoder.output", 96, 9056, true, &mut rng(3));
    let max = |t: &Tensor| t.data().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(max(&layer.weight.value) < 0.0257);
    layer.restart(LinearInit::FanIn, &mut rng(4));
    let bias = &layer.bias.as_ref().unwrap().value;
    assert!((max(&layer.weight.value) - 0.102).abs() < 0.001);
    assert!(max(bias) > 0.1 && max(bias) <= 1.0 / 96f64.sqrt());
    assert_eq!(layer.weight.name, "decoder.output.weight");
    assert_eq!(bias.shape(), &[9056]);
    layer.restart(LinearInit::Xavier, &mut rng(4));
    assert!(max(&layer.weight.value) < 0.0257);
    assert_eq!(max(&layer.bias.as_ref().unwrap().value), 0.0);
    assert_eq!(LinearInit::FanIn.name(), "fan-in");
}

#[test]
fn linear_gradcheck() {
    common::layer_gradcheck("linear");
}

#[test]
fn embedding_by_hand_only_looked_up_rows_get_gradient() {
    let mut emb = Embedding::new("", 4, 2, &mut rng(1));
    emb.weight.value = Tensor::from_vec(vec![0.0, 0.1, 1.0, 1.1, 2.0, 2.1, 3.0, 3.1], &[4, 2]);
    let tape = Tape::new();
    // ids [[2, 0], [2, 2]] -> rows 2, 0, 2, 2
    let y = emb.forward(&tape, &[2, 0, 2, 2], &[2, 2]);
    assert_eq!(y.shape(), vec![2, 2, 2]);
    assert_eq!(y.value().data(), &[2.0, 2.1, 0.0, 0.1, 2.0, 2.1, 2.0, 2.1]);
    tape.backward(y.sum());
    // Row 2 looked up 3 times, row 0 once, rows 1 and 3 never.
    let g = tape.param_grad(&emb.weight).unwrap();
    assert_eq!(g.data(), &[1.0, 1.0, 0.0, 0.0, 3.0, 3.0, 0.0, 0.0]);
}

#[test]
fn frozen_embedding_gets_no_gradient() {
    let vectors = Tensor::ones(&[3, 2]);
    let emb = Embedding::from_vectors("", vectors, false);
    let tape = Tape::new();
    tape.backward(emb.forward(&tape, &[0, 1], &[2]).sum());
    assert!(tape.param_grad(&emb.weight).is_none());
}

#[test]
fn embedding_gradcheck() {
    common::layer_gradcheck("embedding");
}

#[test]
fn a_parameter_used_many_times_is_one_leaf() {
    let layer = Linear::new("", 2, 2, false, &mut rng(2));
    let tape = Tape::new();
    let x = tape.constant(Tensor::ones(&[1, 2]));
    let y = layer.forward(&tape, layer.forward(&tape, x));
    tape.backward(y.sum());
    // Two uses, one leaf: the gradient is the sum over both uses.
    let w = layer.weight.value.clone();
    let (a, b, c, d) = (w.data()[0], w.data()[1], w.data()[2], w.data()[3]);
    // h = x W^T = [a + b, c + d]; y = h W^T; L = sum(y) = (a + c) h0 + (b + d) h1
    // dL/da = h0 + (a + c) = a + b + a + c, and so on.
    let h0 = a + b;
    let h1 = c + d;
    let expected = [h0 + (a + c), h1 + (a + c), h0 + (b + d), h1 + (b + d)];
    let g = tape.param_grad(&layer.weight).unwrap();
    for (x, y) in g.data().iter().zip(expected) {
        assert_abs_diff_eq!(*x, y, epsilon = 1e-12);
    }
}
