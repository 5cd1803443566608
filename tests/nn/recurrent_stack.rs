//! The stacked, bidirectional recurrent layers ([`RecurrentStack`]): parity
//! with PyTorch's `nn.LSTM(num_layers, bidirectional)`, the reversal within
//! lengths, the fused layer against the step-by-step reference, dropout
//! only in training, the parameter names, and the gradient checks (of LSTM,
//! GRU and RNN stacks).

use crate::common;

use encdec::autograd::{Tape, Var};
use encdec::nn::*;
use encdec::tensor::{Tensor, rng};
use serde_json::Value;

const TOL: f64 = 1e-9;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn tensor(fx: &Value, section: &str, name: &str) -> Tensor {
    let t = &fx[section][name];
    assert!(t.is_object(), "fixture has no {section}.{name}");
    let shape: Vec<usize> = numbers(&t["shape"]).iter().map(|&n| n as usize).collect();
    Tensor::from_vec(numbers(&t["data"]), &shape)
}

/// `[batch, hidden]` states stacked as PyTorch's `h_n`: `[layers * directions, batch, hidden]`.
fn stacked<'t>(states: &[Var<'t>]) -> Var<'t> {
    let s = states[0].shape();
    let rows: Vec<Var> = states.iter().map(|v| v.reshape(&[1, s[0], s[1]])).collect();
    Var::concat(&rows, 0)
}

/// Loads the fixture's weights into `m`, runs it, and returns the largest
/// difference from PyTorch over the outputs and every gradient.
fn parity(name: &str, mut m: RecurrentStack) -> f64 {
    let fx = fixture(name);
    let names = fx["params"].as_object().unwrap().keys().cloned().collect();
    common::load_params(&mut m, names, |n| tensor(&fx, "params", n));
    let tape = Tape::new();
    let x = tape.leaf(tensor(&fx, "inputs", "x"));
    let lengths: Option<Vec<usize>> = fx["lengths"]["x"]
        .as_array()
        .map(|a| a.iter().map(|n| n.as_u64().unwrap() as usize).collect());
    let initial = fx["inputs"]["h0"].is_object().then(|| {
        let (h0, c0) = (tensor(&fx, "inputs", "h0"), tensor(&fx, "inputs", "c0"));
        (tape.leaf(h0), tape.leaf(c0))
    });
    // [h, c] of each layer and direction, in h_n order.
    let init: Option<Vec<Var>> = initial.map(|(h0, c0)| {
        let s = h0.shape();
        let mut init = vec![];
        for k in 0..s[0] {
            for v in [h0, c0] {
                init.push(v.slice(0, k, k + 1).reshape(&[s[1], s[2]]));
            }
        }
        init
    });
    let out = m.forward(&tape, x, init.as_deref(), lengths.as_deref(), None);
    let outputs = [
        ("output", out.sequence),
        ("h_n", stacked(&out.h)),
        ("c_n", stacked(&out.c)),
    ];
    let mut worst = 0.0f64;
    let mut loss = tape.constant(Tensor::zeros(&[]));
    for (name, y) in outputs {
        worst = worst.max(y.value().max_abs_diff(&tensor(&fx, "outputs", name)));
        loss = loss + (y * tape.constant(tensor(&fx, "loss_weights", name))).sum();
    }
    tape.backward(loss);
    for p in m.params() {
        let g = tape.param_grad(p).unwrap();
        worst = worst.max(g.max_abs_diff(&tensor(&fx, "grads", &p.name)));
    }
    worst = worst.max(x.grad().unwrap().max_abs_diff(&tensor(&fx, "grads", "x")));
    if let Some((h0, c0)) = initial {
        worst = worst.max(h0.grad().unwrap().max_abs_diff(&tensor(&fx, "grads", "h0")));
        worst = worst.max(c0.grad().unwrap().max_abs_diff(&tensor(&fx, "grads", "c0")));
    }
    eprintln!("parity {name}: max abs error {worst:.3e}");
    worst
}

// PyTorch lines that made tests/fixtures/lstm_stack_bidirectional.json,
// from `lstm_stack_bidirectional()` in scripts/fixtures/rnn.py:
//     torch.manual_seed(21)
//     m = randomize(nn.LSTM(3, 4, num_layers=2, bidirectional=True, dropout=0.5, batch_first=True))
//     m.eval()  # no dropout between the layers, as encdec with train = None
//     x, h0, c0 = rand_input(3, 5, 3), rand_input(4, 3, 4), rand_input(4, 3, 4)
//     lengths = [5, 3, 1]
//     packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True,
//                                   enforce_sorted=False)
//     out, (h_n, c_n) = m(packed, (h0, c0))
//     out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
//     # then, as scripts/fixtures/layers.py's write_fixture:
//     loss = sum((o * torch.randn_like(o)).sum() for o in (out, h_n, c_n)); loss.backward()
#[test]
fn stacked_bidirectional_lstm_matches_pytorch() {
    let m = RecurrentStack::new(("", Cell::Lstm), 3, 4, (2, true), 0.5, &mut rng(0));
    let err = parity("lstm_stack_bidirectional", m);
    assert!(err <= TOL, "max abs error {err:e} > {TOL:e}");
}

// PyTorch lines that made tests/fixtures/lstm_stack_three_layers.json,
// from `lstm_stack_three_layers()` in scripts/fixtures/rnn.py:
//     torch.manual_seed(22)
//     m = randomize(nn.LSTM(3, 4, num_layers=3, batch_first=True))
//     x = rand_input(2, 4, 3)
//     out, (h_n, c_n) = m(x)
#[test]
fn three_stacked_lstm_layers_match_pytorch() {
    let m = RecurrentStack::new(("", Cell::Lstm), 3, 4, (3, false), 0.0, &mut rng(0));
    let err = parity("lstm_stack_three_layers", m);
    assert!(err <= TOL, "max abs error {err:e} > {TOL:e}");
}

#[test]
fn reversing_within_lengths_keeps_padding_at_the_end() {
    // Row 0 (length 3 of 4): [a b c pad] -> [c b a pad]; row 1 (length 4): reversed whole.
    let tape = Tape::new();
    let x = tape.leaf(Tensor::from_vec(
        (1..=8).map(f64::from).collect(),
        &[2, 4, 1],
    ));
    let y = reverse_within_lengths(x, Some(&[3, 4]));
    assert_eq!(y.value().data(), &[3., 2., 1., 4., 8., 7., 6., 5.]);
    let twice = reverse_within_lengths(y, Some(&[3, 4]));
    assert_eq!(twice.value().data(), x.value().data());
}

#[test]
fn fused_stack_equals_the_step_by_step_reference() {
    let m = RecurrentStack::new(("enc", Cell::Lstm), 3, 4, (2, true), 0.0, &mut rng(1));
    let tape = Tape::new();
    let x = tape.leaf(Tensor::randn(&[3, 6, 3], 0.0, 1.0, &mut rng(2)));
    let lengths = [6, 2, 4];
    let a = m.forward(&tape, x, None, Some(&lengths), None);
    let b = m.forward_steps(&tape, x, None, Some(&lengths), None);
    assert_eq!(a.sequence.shape(), vec![3, 6, 8]);
    assert!(a.sequence.value().max_abs_diff(&b.sequence.value()) < 1e-12);
    for (p, q) in a.h.iter().chain(&a.c).zip(b.h.iter().chain(&b.c)) {
        assert!(p.value().max_abs_diff(&q.value()) < 1e-12);
    }
    // Padding stays zero in both directions' halves.
    let seq = a.sequence.value();
    assert!(
        seq.data()[(6 + 2) * 8..(6 + 6) * 8]
            .iter()
            .all(|&v| v == 0.0)
    );
}

#[test]
fn dropout_between_layers_acts_only_in_training() {
    let m = RecurrentStack::new(("", Cell::Lstm), 3, 4, (2, false), 0.5, &mut rng(3));
    let tape = Tape::new();
    let x = tape.leaf(Tensor::randn(&[2, 5, 3], 0.0, 1.0, &mut rng(4)));
    let eval = m.forward(&tape, x, None, None, None).sequence.value();
    let again = m.forward(&tape, x, None, None, None).sequence.value();
    assert_eq!(eval.data(), again.data());
    let train = m.forward(&tape, x, None, None, Some(&mut rng(5)));
    assert!(train.sequence.value().max_abs_diff(&eval) > 1e-3);
    // One layer has no layer below to drop: training changes nothing.
    let one = RecurrentStack::new(("", Cell::Lstm), 3, 4, (1, true), 0.5, &mut rng(3));
    let e = one.forward(&tape, x, None, None, None).sequence.value();
    let t = one.forward(&tape, x, None, None, Some(&mut rng(5)));
    assert_eq!(e.data(), t.sequence.value().data());
}

#[test]
fn parameters_are_named_as_pytorch_and_layer_0_forward_keeps_single_layer_names() {
    let mut stack = RecurrentStack::new(
        ("encoder.lstm", Cell::Lstm),
        3,
        4,
        (2, true),
        0.0,
        &mut rng(6),
    );
    let names: Vec<String> = stack.params().iter().map(|p| p.name.clone()).collect();
    assert_eq!(names.len(), 16);
    assert_eq!(names[0], "encoder.lstm.weight_ih");
    assert_eq!(names[4], "encoder.lstm.weight_ih_l0_reverse");
    assert_eq!(names[9], "encoder.lstm.weight_hh_l1");
    assert_eq!(names[15], "encoder.lstm.bias_hh_l1_reverse");
    assert_eq!(stack.params()[8].value.shape(), &[16, 8]); // layer 1 reads [h->; h<-]
    // One layer, one direction: the very parameters (and draws) of `Lstm`.
    let mut one = RecurrentStack::new(
        ("encoder.lstm", Cell::Lstm),
        3,
        4,
        (1, false),
        0.0,
        &mut rng(6),
    );
    let mut lstm = Lstm::new("encoder.lstm", 3, 4, &mut rng(6));
    for (p, q) in one.params().iter().zip(lstm.params()) {
        assert_eq!((&p.name, p.value.data()), (&q.name, q.value.data()));
    }
}

#[test]
fn lstm_stack_gradcheck() {
    // Two bidirectional layers, padded batch, initial states, dropout between layers.
    common::layer_gradcheck("lstm_stack");
}

#[test]
fn gru_and_rnn_stacks_pass_gradcheck() {
    // The same two bidirectional layers with GRU cells (state [h]) and tanh RNN cells.
    common::layer_gradcheck("gru_stack");
    common::layer_gradcheck("rnn_stack");
}

#[test]
fn gru_and_rnn_stacks_have_their_cells_names_and_one_state() {
    // Gates stacked in weight_ih: 3 (r, z, n) for the GRU, 1 for the RNN.
    for (cell, gates) in [(Cell::Gru, 3), (Cell::Rnn, 1)] {
        let mut m = RecurrentStack::new(("encoder.gru", cell), 3, 4, (2, true), 0.0, &mut rng(6));
        assert_eq!(m.params()[0].value.shape(), &[gates * 4, 3]);
        assert_eq!(m.params()[8].value.shape(), &[gates * 4, 8]);
        let tape = Tape::new();
        let x = tape.leaf(Tensor::randn(&[3, 6, 3], 0.0, 1.0, &mut rng(2)));
        let lengths = [6, 2, 4];
        let a = m.forward(&tape, x, None, Some(&lengths), None);
        let b = m.forward_steps(&tape, x, None, Some(&lengths), None);
        assert_eq!((a.h.len(), a.c.len()), (4, 0), "{cell:?}");
        assert!(a.sequence.value().max_abs_diff(&b.sequence.value()) < 1e-12);
        for (p, q) in a.h.iter().zip(&b.h) {
            assert!(p.value().max_abs_diff(&q.value()) < 1e-12);
        }
    }
}

#[test]
fn lstm_stack_steps_gradcheck() {
    common::layer_gradcheck("lstm_stack_steps");
}
