//! Parity with PyTorch (float64): each fixture in `tests/fixtures/` holds a
//! layer's weights, inputs, outputs and gradients computed by PyTorch; the
//! layer here must reproduce every output and every gradient to 1e-9.
//!
//! The fixtures were made by `scripts/fixtures/layers.py`, e.g. for the LSTM:
//! ```python
//! lstm = nn.LSTM(3, 4, batch_first=True)          # float64, every weight ~ 0.5 N(0, 1)
//! output, (h_n, c_n) = lstm(x, (h0.unsqueeze(0), c0.unsqueeze(0)))
//! loss = sum((o * w_o).sum() for o, w_o in outputs_and_loss_weights)
//! loss.backward()                                  # grads of every param, x, h0, c0
//! ```
//! The loss weights `w_o` are stored in the fixture, so the same scalar loss
//! is differentiated here.

use crate::fixture_support;

use encdec::nn::*;
use encdec::tensor::{Mask, rng};
use fixture_support::{Fixture, check, undocumented_parity_tests};

fn seq_opts(return_sequences: bool) -> RecurrentOptions<'static> {
    RecurrentOptions {
        return_sequences,
        lengths: None,
    }
}

// PyTorch lines that made tests/fixtures/linear.json,
// from `linear()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     torch.manual_seed(1)
//     m = randomize(nn.Linear(4, 3))
//     x = rand_input(2, 5, 4)
//     return write_fixture("linear", m, {"in_features": 4, "out_features": 3, "bias": True},
//                          {"x": x}, {"y": m(x)})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
#[test]
fn linear_matches_pytorch() {
    check(
        "linear",
        Linear::new("", 4, 3, true, &mut rng(0)),
        |m, t, _, x| vec![("y", m.forward(t, x["x"]))],
    );
}

// PyTorch lines that made tests/fixtures/embedding.json,
// from `embedding()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     torch.manual_seed(2)
//     m = randomize(nn.Embedding(7, 3))
//     ids = torch.tensor([[1, 3, 3, 0], [6, 1, 2, 3]])  # 3 repeated, 4 and 5 unused
//     return write_fixture("embedding", m, {"num_embeddings": 7, "embedding_dim": 3},
//                          {}, {"y": m(ids)}, indices={"ids": ids})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
#[test]
fn embedding_matches_pytorch() {
    check(
        "embedding",
        Embedding::new("", 7, 3, &mut rng(0)),
        |m, t, fx, _| vec![("y", m.forward(t, &fx.ints("indices", "ids"), &[2, 4]))],
    );
}

// PyTorch lines that made tests/fixtures/rnn.json,
// from `rnn()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     torch.manual_seed(3)
//     m = randomize(nn.RNN(3, 4, nonlinearity="tanh", batch_first=True))
//     x, h0 = rand_input(2, 5, 3), rand_input(2, 4)
//     out, h_n = m(x, h0.unsqueeze(0))
//     cfg = {"input_size": 3, "hidden_size": 4, "nonlinearity": "tanh", "batch_first": True}
//     return write_fixture("rnn", m, cfg, {"x": x, "h0": h0},
//                          {"output": out, "h_n": h_n.squeeze(0)})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
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

// PyTorch lines that made tests/fixtures/lstm.json,
// from `lstm()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     torch.manual_seed(4)
//     m = randomize(nn.LSTM(3, 4, batch_first=True))
//     x, h0, c0 = rand_input(2, 5, 3), rand_input(2, 4), rand_input(2, 4)
//     out, (h_n, c_n) = m(x, (h0.unsqueeze(0), c0.unsqueeze(0)))
//     cfg = {"input_size": 3, "hidden_size": 4, "batch_first": True}
//     return write_fixture("lstm", m, cfg, {"x": x, "h0": h0, "c0": c0},
//                          {"output": out, "h_n": h_n.squeeze(0), "c_n": c_n.squeeze(0)})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
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

// PyTorch lines that made tests/fixtures/gru.json,
// from `gru()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     torch.manual_seed(5)
//     m = randomize(nn.GRU(3, 4, batch_first=True))
//     x, h0 = rand_input(2, 5, 3), rand_input(2, 4)
//     out, h_n = m(x, h0.unsqueeze(0))
//     cfg = {"input_size": 3, "hidden_size": 4, "batch_first": True}
//     return write_fixture("gru", m, cfg, {"x": x, "h0": h0},
//                          {"output": out, "h_n": h_n.squeeze(0)})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
#[test]
fn gru_matches_pytorch() {
    check("gru", Gru::new("", 3, 4, &mut rng(0)), |m, t, _, x| {
        let out = m.forward(t, x["x"], Some(x["h0"]), seq_opts(true));
        vec![("output", out.sequence.unwrap()), ("h_n", out.h)]
    });
}

// PyTorch lines that made tests/fixtures/layer_norm.json,
// from `layer_norm()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     torch.manual_seed(6)
//     m = randomize(nn.LayerNorm(6, eps=1e-5))
//     x = rand_input(2, 3, 6)
//     return write_fixture("layer_norm", m, {"normalized_shape": 6, "eps": 1e-5},
//                          {"x": x}, {"y": m(x)})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
#[test]
fn layer_norm_matches_pytorch() {
    let mut ln = LayerNorm::new("", 6);
    ln.eps = Fixture::load("layer_norm").config("eps");
    check("layer_norm", ln, |m, t, _, x| {
        vec![("y", m.forward(t, x["x"]))]
    });
}

// PyTorch lines that made tests/fixtures/mha_cross.json,
// from `mha_cross()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     MHA_CFG = {"embed_dim": 6, "num_heads": 2, "batch_first": True, "dropout": 0.0}
//     torch.manual_seed(7)
//     m = randomize(nn.MultiheadAttention(**MHA_CFG))
//     q, k, v = rand_input(2, 4, 6), rand_input(2, 5, 6), rand_input(2, 5, 6)
//     key_len = [5, 3]
//     # padding_mask(lengths, max_len): True at positions >= length (not attended to)
//     out, w = m(q, k, v, key_padding_mask=padding_mask(key_len, 5),
//                need_weights=True, average_attn_weights=False)
//     return write_fixture("mha_cross", m, dict(MHA_CFG, causal=False),
//                          {"query": q, "key": k, "value": v},
//                          {"output": out, "weights": w}, lengths={"key": key_len})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
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

// PyTorch lines that made tests/fixtures/mha_self_causal.json,
// from `mha_self_causal()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     MHA_CFG = {"embed_dim": 6, "num_heads": 2, "batch_first": True, "dropout": 0.0}
//     torch.manual_seed(8)
//     m = randomize(nn.MultiheadAttention(**MHA_CFG))
//     x = rand_input(2, 4, 6)
//     # causal_mask(n): torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
//     out, w = m(x, x, x, attn_mask=causal_mask(4),
//                need_weights=True, average_attn_weights=False)
//     return write_fixture("mha_self_causal", m, dict(MHA_CFG, causal=True),
//                          {"x": x}, {"output": out, "weights": w})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
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

// PyTorch lines that made tests/fixtures/transformer_encoder_layer.json,
// from `transformer_encoder_layer()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     LAYER_CFG = {"d_model": 6, "nhead": 2, "dim_feedforward": 8, "dropout": 0.0,
//                  "activation": "relu", "batch_first": True, "norm_first": False}
//     torch.manual_seed(9)
//     m = randomize(nn.TransformerEncoderLayer(**LAYER_CFG))
//     x = rand_input(2, 4, 6)
//     src_len = [4, 2]
//     # padding_mask(lengths, max_len): True at positions >= length (not attended to)
//     y = m(x, src_key_padding_mask=padding_mask(src_len, 4))
//     return write_fixture("transformer_encoder_layer", m, dict(LAYER_CFG, eps=m.norm1.eps),
//                          {"x": x}, {"y": y}, lengths={"src": src_len})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
#[test]
fn transformer_encoder_layer_matches_pytorch() {
    let layer = EncoderLayer::new("", 6, 2, 8, 0.0, &mut rng(0));
    check("transformer_encoder_layer", layer, |m, t, fx, x| {
        let mask = Mask::padding(&fx.ints("lengths", "src"), 4);
        vec![("y", m.forward(t, x["x"], Some(&mask), None).0)]
    });
}

// PyTorch lines that made tests/fixtures/transformer_decoder_layer.json,
// from `transformer_decoder_layer()` in scripts/fixtures/layers.py:
//     torch.set_default_dtype(torch.float64)
//     # randomize(module): every parameter <- 0.5 * N(0, 1), train mode
//     # rand_input(*shape): torch.randn(*shape).requires_grad_(True)
//     LAYER_CFG = {"d_model": 6, "nhead": 2, "dim_feedforward": 8, "dropout": 0.0,
//                  "activation": "relu", "batch_first": True, "norm_first": False}
//     torch.manual_seed(10)
//     m = randomize(nn.TransformerDecoderLayer(**LAYER_CFG))
//     tgt, memory = rand_input(2, 3, 6), rand_input(2, 4, 6)
//     mem_len = [4, 2]
//     # causal_mask(n): True above the diagonal; padding_mask: True at positions >= length
//     y = m(tgt, memory, tgt_mask=causal_mask(3),
//           memory_key_padding_mask=padding_mask(mem_len, 4))
//     return write_fixture("transformer_decoder_layer", m,
//                          dict(LAYER_CFG, eps=m.norm1.eps, causal_tgt=True),
//                          {"tgt": tgt, "memory": memory}, {"y": y},
//                          lengths={"memory": mem_len})
//     # write_fixture(layer, module, config, inputs, outputs, ...) then runs:
//     loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
//     loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
//     loss.backward()  # compared: the outputs, and .grad of every parameter and float input
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

/// The Python code line of a `//     ...` comment line, without its trailing
/// `# ...` comment; `None` for prose and for lines that are only a comment.

#[test]
fn every_parity_test_shows_the_pytorch_lines_that_made_its_fixture() {
    const SCRIPT: &str = "scripts/fixtures/layers.py";
    let source = include_str!("parity.rs");
    let script = include_str!("../../scripts/fixtures/layers.py");
    let problems = undocumented_parity_tests(source, script, SCRIPT);
    assert!(problems.is_empty(), "{problems:#?}");

    // The checker can fail: on a drifted constructor and on a missing block.
    let lstm = "//     m = randomize(nn.LSTM(3, 4, batch_first=True))";
    let drifted = source.replacen(
        lstm,
        "//     m = randomize(nn.LSTM(4, 3, batch_first=True))",
        1,
    );
    assert_ne!(drifted, source);
    assert!(!undocumented_parity_tests(&drifted, script, SCRIPT).is_empty());
    let gru_block = source
        .find("// PyTorch lines that made tests/fixtures/gru.json")
        .unwrap();
    let gru_test = source.find("#[test]\nfn gru_matches_pytorch").unwrap();
    let without = format!("{}{}", &source[..gru_block], &source[gru_test..]);
    assert!(!undocumented_parity_tests(&without, script, SCRIPT).is_empty());
}
