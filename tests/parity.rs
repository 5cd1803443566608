//! Parity with PyTorch (float64): each fixture in `tests/fixtures/` holds a
//! layer's weights, inputs, outputs and gradients computed by PyTorch; the
//! layer here must reproduce every output and every gradient to 1e-9.
//!
//! The fixtures were made by `scripts/make_fixtures.py`, e.g. for the LSTM:
//! ```python
//! lstm = nn.LSTM(3, 4, batch_first=True)          # float64, every weight ~ 0.5 N(0, 1)
//! output, (h_n, c_n) = lstm(x, (h0.unsqueeze(0), c0.unsqueeze(0)))
//! loss = sum((o * w_o).sum() for o, w_o in outputs_and_loss_weights)
//! loss.backward()                                  # grads of every param, x, h0, c0
//! ```
//! The loss weights `w_o` are stored in the fixture, so the same scalar loss
//! is differentiated here.

use encdec::autograd::{Tape, Var};
use encdec::nn::*;
use encdec::tensor::{Mask, Tensor, rng};
use serde_json::Value;
use std::collections::BTreeMap;

const TOL: f64 = 1e-9;

struct Fixture(Value);

impl Fixture {
    fn load(name: &str) -> Fixture {
        let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        Fixture(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    fn tensor(&self, section: &str, name: &str) -> Tensor {
        let t = &self.0[section][name];
        assert!(t.is_object(), "fixture has no {section}.{name}");
        let shape: Vec<usize> = t["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let data: Vec<f64> = t["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        Tensor::from_vec(data, &shape)
    }

    fn names(&self, section: &str) -> Vec<String> {
        self.0[section]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn ints(&self, section: &str, name: &str) -> Vec<usize> {
        let v = &self.0[section][name];
        let arr = if v.is_object() { &v["data"] } else { v };
        arr.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect()
    }

    fn config(&self, key: &str) -> f64 {
        self.0["config"][key]
            .as_f64()
            .unwrap_or_else(|| panic!("config has no {key}"))
    }
}

/// Loads PyTorch's weights into `m`; every parameter must be in the fixture
/// and every fixture parameter must be used.
fn load_params<M: Module>(m: &mut M, fx: &Fixture) {
    let mut unused = fx.names("params");
    for p in m.params_mut() {
        let value = fx.tensor("params", &p.name);
        assert_eq!(p.value.shape(), value.shape(), "{}", p.name);
        p.value = value;
        unused.retain(|n| n != &p.name);
    }
    assert!(
        unused.is_empty(),
        "fixture params with no counterpart: {unused:?}"
    );
}

fn max_err(name: &str, ours: &Tensor, theirs: &Tensor) -> f64 {
    assert_eq!(ours.shape(), theirs.shape(), "shape of {name}");
    ours.max_abs_diff(theirs)
}

/// Runs `forward` on the fixture's inputs, compares outputs and gradients,
/// and returns the largest absolute difference seen.
fn check<M, F>(layer: &str, mut m: M, forward: F) -> f64
where
    M: Module,
    F: for<'t> Fn(
        &M,
        &'t Tape,
        &Fixture,
        &BTreeMap<String, Var<'t>>,
    ) -> Vec<(&'static str, Var<'t>)>,
{
    let fx = Fixture::load(layer);
    load_params(&mut m, &fx);
    let tape = Tape::new();
    let inputs: BTreeMap<String, Var> = fx
        .names("inputs")
        .into_iter()
        .map(|n| (n.clone(), tape.leaf(fx.tensor("inputs", &n))))
        .collect();
    let outputs = forward(&m, &tape, &fx, &inputs);
    assert_eq!(
        outputs.len(),
        fx.names("outputs").len(),
        "{layer}: outputs compared"
    );
    let mut worst = 0.0f64;
    let mut loss = None;
    for (name, y) in &outputs {
        worst = worst.max(max_err(name, &y.value(), &fx.tensor("outputs", name)));
        let term = (*y * tape.constant(fx.tensor("loss_weights", name))).sum();
        loss = Some(loss.map_or(term, |l: Var| l + term));
    }
    tape.backward(loss.unwrap());
    for p in m.params() {
        let g = tape
            .param_grad(p)
            .unwrap_or_else(|| panic!("{layer}: no gradient for {}", p.name));
        worst = worst.max(max_err(&p.name, &g, &fx.tensor("grads", &p.name)));
    }
    for (name, x) in &inputs {
        worst = worst.max(max_err(name, &x.grad().unwrap(), &fx.tensor("grads", name)));
    }
    eprintln!("parity {layer}: max abs error {worst:.3e}");
    assert!(worst <= TOL, "{layer}: max abs error {worst:e} > {TOL:e}");
    worst
}

fn seq_opts(return_sequences: bool) -> RecurrentOptions<'static> {
    RecurrentOptions {
        return_sequences,
        lengths: None,
    }
}

#[test]
fn linear_matches_pytorch() {
    check(
        "linear",
        Linear::new("", 4, 3, true, &mut rng(0)),
        |m, t, _, x| vec![("y", m.forward(t, x["x"]))],
    );
}

#[test]
fn embedding_matches_pytorch() {
    check(
        "embedding",
        Embedding::new("", 7, 3, &mut rng(0)),
        |m, t, fx, _| vec![("y", m.forward(t, &fx.ints("indices", "ids"), &[2, 4]))],
    );
}

#[test]
fn rnn_matches_pytorch() {
    check(
        "rnn",
        Rnn::new("", 3, 4, Activation::Tanh, &mut rng(0)),
        |m, t, _, x| {
            let out = m.forward(t, x["x"], Some(x["h0"]), seq_opts(true));
            vec![("output", out.sequence.unwrap()), ("h_n", out.h)]
        },
    );
}

#[test]
fn lstm_matches_pytorch() {
    check("lstm", Lstm::new("", 3, 4, &mut rng(0)), |m, t, _, x| {
        let out = m.forward(t, x["x"], Some((x["h0"], x["c0"])), seq_opts(true));
        vec![
            ("output", out.sequence.unwrap()),
            ("h_n", out.h),
            ("c_n", out.c),
        ]
    });
}

#[test]
fn gru_matches_pytorch() {
    check("gru", Gru::new("", 3, 4, &mut rng(0)), |m, t, _, x| {
        let out = m.forward(t, x["x"], Some(x["h0"]), seq_opts(true));
        vec![("output", out.sequence.unwrap()), ("h_n", out.h)]
    });
}

#[test]
fn layer_norm_matches_pytorch() {
    let mut ln = LayerNorm::new("", 6);
    ln.eps = Fixture::load("layer_norm").config("eps");
    check("layer_norm", ln, |m, t, _, x| {
        vec![("y", m.forward(t, x["x"]))]
    });
}

#[test]
fn mha_cross_matches_pytorch() {
    check(
        "mha_cross",
        MultiHeadAttention::new("", 6, 2, &mut rng(0)),
        |m, t, fx, x| {
            let mask = Mask::padding(&fx.ints("lengths", "key"), 5);
            let (y, w) = m.forward(t, x["query"], x["key"], x["value"], Some(&mask));
            vec![("output", y), ("weights", w)]
        },
    );
}

#[test]
fn mha_self_causal_matches_pytorch() {
    check(
        "mha_self_causal",
        MultiHeadAttention::new("", 6, 2, &mut rng(0)),
        |m, t, _, x| {
            let (y, w) = m.forward(t, x["x"], x["x"], x["x"], Some(&Mask::causal(4)));
            vec![("output", y), ("weights", w)]
        },
    );
}

#[test]
fn transformer_encoder_layer_matches_pytorch() {
    let layer = EncoderLayer::new("", 6, 2, 8, 0.0, &mut rng(0));
    check("transformer_encoder_layer", layer, |m, t, fx, x| {
        let mask = Mask::padding(&fx.ints("lengths", "src"), 4);
        vec![("y", m.forward(t, x["x"], Some(&mask), None).0)]
    });
}

#[test]
fn transformer_decoder_layer_matches_pytorch() {
    let layer = DecoderLayer::new("", 6, 2, 8, 0.0, &mut rng(0));
    check("transformer_decoder_layer", layer, |m, t, fx, x| {
        let memory_mask = Mask::padding(&fx.ints("lengths", "memory"), 4);
        let out = m.forward(
            t,
            x["tgt"],
            x["memory"],
            (Some(&Mask::causal(3)), Some(&memory_mask)),
            None,
        );
        vec![("y", out.y)]
    });
}
