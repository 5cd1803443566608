//! RNN (tutorial §4.1), LSTM (§5.1) and GRU: worked examples, gradient
//! checks through time, the Keras-style options and padding.

use crate::common;

use approx::assert_abs_diff_eq;
use encdec::autograd::Tape;
use encdec::nn::{Activation, Gru, Lstm, RecurrentOptions, Rnn, gru_step, lstm_step, rnn_step};
use encdec::tensor::{Tensor, rng};

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn scalar_2d(v: f64) -> Tensor {
    Tensor::from_vec(vec![v], &[1, 1])
}

#[test]
fn rnn_step_by_hand() {
    // One input, one hidden unit: x_t = 1, h_prev = 0.5, W_xh = 2, W_hh = -1, b_h = 0.1.
    // a = 2*1 + (-1)*0.5 + 0.1 = 1.6; tanh(1.6) = 0.92167; sigmoid(1.6) = 0.83202.
    let tape = Tape::new();
    let x = tape.constant(scalar_2d(1.0));
    let h_prev = tape.constant(scalar_2d(0.5));
    let w_xh = tape.leaf(scalar_2d(2.0));
    let w_hh = tape.leaf(scalar_2d(-1.0));
    let b_h = tape.leaf(Tensor::from_vec(vec![0.1], &[1]));
    let h = rnn_step(x, h_prev, w_xh, w_hh, b_h, Activation::Tanh);
    assert_abs_diff_eq!(h.item(), 1.6f64.tanh(), epsilon = 1e-15);
    assert_abs_diff_eq!(h.item(), 0.921_668_554_4, epsilon = 1e-9);
    let hs = rnn_step(x, h_prev, w_xh, w_hh, b_h, Activation::Sigmoid);
    assert_abs_diff_eq!(hs.item(), 0.832_018_385_1, epsilon = 1e-9);
    // dh/dW_hh = (1 - h^2) * h_prev
    tape.backward(h);
    assert_abs_diff_eq!(
        w_hh.grad().unwrap().item(),
        (1.0 - 1.6f64.tanh().powi(2)) * 0.5,
        epsilon = 1e-15
    );
}

#[test]
fn rnn_unrolls_two_steps_by_hand() {
    // Hidden 1, input 1, W_xh = 1, W_hh = 0.5, b = 0 (split over the two biases).
    // h1 = tanh(1 * 1 + 0.5 * 0) = tanh 1; h2 = tanh(1 * -1 + 0.5 * tanh 1).
    let mut rnn = Rnn::new("", 1, 1, Activation::Tanh, &mut rng(0));
    rnn.weights.weight_ih.value = scalar_2d(1.0);
    rnn.weights.weight_hh.value = scalar_2d(0.5);
    rnn.weights.bias_ih.value = Tensor::from_vec(vec![0.25], &[1]);
    rnn.weights.bias_hh.value = Tensor::from_vec(vec![-0.25], &[1]);
    let tape = Tape::new();
    let x = tape.constant(Tensor::from_vec(vec![1.0, -1.0], &[1, 2, 1]));
    let opts = RecurrentOptions {
        return_sequences: true,
        lengths: None,
    };
    let out = rnn.forward(&tape, x, None, opts);
    let h1 = 1f64.tanh();
    let h2 = (-1.0 + 0.5 * h1).tanh();
    let seq = out.sequence.unwrap().value();
    assert_eq!(seq.shape(), &[1, 2, 1]);
    assert_abs_diff_eq!(seq.data()[0], h1, epsilon = 1e-15);
    assert_abs_diff_eq!(seq.data()[1], h2, epsilon = 1e-15);
    assert_abs_diff_eq!(out.h.item(), h2, epsilon = 1e-15);
}

#[test]
fn rnn_step_gradcheck() {
    common::layer_gradcheck("rnn_tanh");
    common::layer_gradcheck("rnn_sigmoid");
}

#[test]
fn lstm_step_by_hand() {
    // Input 1, hidden 1; W_ih = [0.5, -0.5, 1, 2] for the gates i, f, g, o;
    // W_hh = 0, b = 0; x = 1, h_prev = 0, c_prev = 0.5:
    //   i = sigmoid(0.5), f = sigmoid(-0.5), g = tanh(1), o = sigmoid(2)
    //   c = f * 0.5 + i * g,  h = o * tanh(c)
    let tape = Tape::new();
    let x = tape.constant(scalar_2d(1.0));
    let h_prev = tape.constant(scalar_2d(0.0));
    let c_prev = tape.constant(scalar_2d(0.5));
    let w_ih = tape.leaf(Tensor::from_vec(vec![0.5, -0.5, 1.0, 2.0], &[4, 1]));
    let w_hh = tape.leaf(Tensor::zeros(&[4, 1]));
    let b = tape.leaf(Tensor::zeros(&[4]));
    let (h, c) = lstm_step(x, (h_prev, c_prev), w_ih, w_hh, b);
    let (i, f, g, o) = (sigmoid(0.5), sigmoid(-0.5), 1f64.tanh(), sigmoid(2.0));
    let c_expected = f * 0.5 + i * g; // = 0.37754 * 0.5 + 0.62246 * 0.76159 = 0.18877 + 0.47406
    assert_abs_diff_eq!(c.item(), c_expected, epsilon = 1e-15);
    assert_abs_diff_eq!(c.item(), 0.662_831_7, epsilon = 1e-7);
    assert_abs_diff_eq!(h.item(), o * c_expected.tanh(), epsilon = 1e-15);
}

#[test]
fn lstm_gradcheck() {
    // The layer as models run it: the fused recurrence.
    common::layer_gradcheck("lstm");
}

#[test]
fn lstm_steps_gradcheck() {
    // The step-by-step reference, as gradient-checked as the fused layer.
    common::layer_gradcheck("lstm_steps");
}

#[test]
fn gru_step_by_hand() {
    // Input 1, hidden 1; W_ih = [1, -1, 0.5] for r, z, n; W_hh = [0, 0, 2]; biases 0;
    // x = 1, h_prev = 0.5:
    //   r = sigmoid(1), z = sigmoid(-1), n = tanh(0.5 + r * (2 * 0.5)),
    //   h = (1 - z) n + z h_prev
    let tape = Tape::new();
    let x = tape.constant(scalar_2d(1.0));
    let h_prev = tape.constant(scalar_2d(0.5));
    let w_ih = tape.leaf(Tensor::from_vec(vec![1.0, -1.0, 0.5], &[3, 1]));
    let w_hh = tape.leaf(Tensor::from_vec(vec![0.0, 0.0, 2.0], &[3, 1]));
    let zeros = tape.leaf(Tensor::zeros(&[3]));
    let h = gru_step(x, h_prev, (w_ih, w_hh), (zeros, zeros));
    let (r, z) = (sigmoid(1.0), sigmoid(-1.0));
    let n = (0.5 + r * 1.0).tanh();
    assert_abs_diff_eq!(h.item(), (1.0 - z) * n + z * 0.5, epsilon = 1e-15);
}

#[test]
fn gru_gradcheck() {
    common::layer_gradcheck("gru");
}

#[test]
fn gru_steps_gradcheck() {
    // The step-by-step reference, as gradient-checked as the fused layer.
    common::layer_gradcheck("gru_steps");
}

#[test]
fn return_sequences_and_final_state_agree() {
    let lstm = Lstm::new("", 3, 4, &mut rng(3));
    let tape = Tape::new();
    let x = tape.constant(Tensor::randn(&[2, 6, 3], 0.0, 1.0, &mut rng(4)));
    let full = lstm.forward(
        &tape,
        x,
        None,
        RecurrentOptions {
            return_sequences: true,
            lengths: None,
        },
    );
    let last = lstm.forward(&tape, x, None, RecurrentOptions::default());
    assert!(last.sequence.is_none());
    let seq = full.sequence.unwrap().value();
    assert_eq!(seq.shape(), &[2, 6, 4]);
    // The final hidden state is the last step of the sequence.
    for b in 0..2 {
        for j in 0..4 {
            assert_eq!(seq.at(&[b, 5, j]), full.h.value().at(&[b, j]));
        }
    }
    assert_eq!(full.h.value(), last.h.value());
    assert_eq!(full.c.value(), last.c.value());
}

#[test]
fn padding_carries_the_state_and_zeroes_the_output() {
    // Sequence 1 has length 2 of 4: its final state equals running it on its
    // first 2 steps alone, and its outputs at steps 2 and 3 are zero.
    let gru = Gru::new("", 2, 3, &mut rng(5));
    let tape = Tape::new();
    let xs = Tensor::randn(&[2, 4, 2], 0.0, 1.0, &mut rng(6));
    let x = tape.constant(xs.clone());
    let lengths = [4, 2];
    let out = gru.forward(
        &tape,
        x,
        None,
        RecurrentOptions {
            return_sequences: true,
            lengths: Some(&lengths),
        },
    );
    let short = tape.constant(Tensor::from_vec(xs.data()[8..12].to_vec(), &[1, 2, 2]));
    let alone = gru.forward(&tape, short, None, RecurrentOptions::default());
    let h = out.h.value();
    for j in 0..3 {
        assert_abs_diff_eq!(h.at(&[1, j]), alone.h.value().at(&[0, j]), epsilon = 1e-15);
    }
    let seq = out.sequence.unwrap().value();
    for t in 2..4 {
        for j in 0..3 {
            assert_eq!(seq.at(&[1, t, j]), 0.0);
        }
    }
}

#[test]
fn initial_state_is_used() {
    let rnn = Rnn::new("", 2, 3, Activation::Tanh, &mut rng(7));
    let tape = Tape::new();
    let x = tape.constant(Tensor::zeros(&[1, 1, 2]));
    let h0 = tape.leaf(Tensor::from_vec(vec![0.3, -0.2, 0.9], &[1, 3]));
    let with = rnn
        .forward(&tape, x, Some(h0), RecurrentOptions::default())
        .h
        .value();
    let without = rnn
        .forward(&tape, x, None, RecurrentOptions::default())
        .h
        .value();
    assert!(with.max_abs_diff(&without) > 1e-3);
}

#[test]
#[should_panic(expected = "lstm: input of shape [2, 5] is not [batch, time, 3]")]
fn recurrent_input_shape_is_checked() {
    let lstm = Lstm::new("", 3, 4, &mut rng(0));
    let tape = Tape::new();
    lstm.forward(
        &tape,
        tape.constant(Tensor::zeros(&[2, 5])),
        None,
        RecurrentOptions::default(),
    );
}

#[test]
#[should_panic(expected = "rnn: lengths [6] do not fit input of shape [1, 5, 2]")]
fn lengths_are_checked() {
    let rnn = Rnn::new("", 2, 4, Activation::Tanh, &mut rng(0));
    let tape = Tape::new();
    let opts = RecurrentOptions {
        return_sequences: false,
        lengths: Some(&[6]),
    };
    rnn.forward(&tape, tape.constant(Tensor::zeros(&[1, 5, 2])), None, opts);
}
