"""Generate PyTorch reference fixtures for encdec's layer parity tests.

Each fixture is one JSON file in tests/fixtures/ describing a single PyTorch
layer evaluated in float64: its configuration, its parameters (overwritten
with random values so nothing sits at a default 0 or 1), its inputs, its
outputs, and the gradients of a fixed scalar loss with respect to every
parameter and every floating-point input. The loss is

    L = sum over named outputs o of (o * W_o).sum()

where each W_o is a fixed random tensor stored under "loss_weights".

The Rust tests only read these JSON files; they never run Python. This
script is needed only to (re)generate the files and requires PyTorch
(`pip install torch`). Regenerate from the crate root with

    python3 scripts/make_fixtures.py

which (over)writes tests/fixtures/*.json. Seeds are fixed per fixture, so
re-running produces identical files for a given PyTorch version.
"""

import json
import math
from pathlib import Path

import torch
from torch import nn

torch.set_default_dtype(torch.float64)

OUT_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def tensor_json(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def param_name(name):
    # RNN/LSTM/GRU parameters: weight_ih_l0 -> weight_ih (single layer only).
    return name[: -len("_l0")] if name.endswith("_l0") else name


def randomize(module):
    """Overwrite every parameter with N(0, 1) * 0.5; train mode, no dropout."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p) * 0.5)
    module.train()
    return module


def causal_mask(n):
    # True above the diagonal = position may not be attended to.
    return torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)


def padding_mask(lengths, max_len):
    # True at positions >= length = padding.
    return torch.arange(max_len)[None, :] >= torch.tensor(lengths)[:, None]


def write_fixture(layer, module, config, inputs, outputs,
                  indices=None, lengths=None):
    """Build the loss, backprop, check for NaNs and write the JSON file.

    `inputs` maps names to leaf tensors created with requires_grad=True;
    `outputs` maps names to output tensors still attached to the graph.
    """
    loss_weights = {k: torch.randn_like(o) for k, o in outputs.items()}
    loss = sum((o * loss_weights[k]).sum() for k, o in outputs.items())
    loss.backward()

    grads = {}
    for name, p in module.named_parameters():
        assert p.grad is not None, f"{layer}: no grad for {name}"
        grads[param_name(name)] = tensor_json(p.grad)
    for name, x in inputs.items():
        assert x.grad is not None, f"{layer}: no grad for input {name}"
        grads[name] = tensor_json(x.grad)

    doc = {
        "layer": layer,
        "torch_version": torch.__version__,
        "config": config,
        "params": {param_name(n): tensor_json(p) for n, p in module.named_parameters()},
        "inputs": {k: tensor_json(v) for k, v in inputs.items()},
    }
    if indices:
        doc["indices"] = {k: {"shape": list(v.shape), "data": [int(i) for i in v.reshape(-1).tolist()]}
                          for k, v in indices.items()}
    if lengths:
        doc["lengths"] = {k: [int(i) for i in v] for k, v in lengths.items()}
    doc["outputs"] = {k: tensor_json(v) for k, v in outputs.items()}
    doc["loss_weights"] = {k: tensor_json(v) for k, v in loss_weights.items()}
    doc["grads"] = grads

    for section in ("params", "inputs", "outputs", "loss_weights", "grads"):
        for k, t in doc[section].items():
            assert all(math.isfinite(v) for v in t["data"]), f"{layer}: non-finite {section}.{k}"

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{layer}.json"
    path.write_text(json.dumps(doc) + "\n")
    return path


def rand_input(*shape):
    return torch.randn(*shape).requires_grad_(True)


def linear():
    torch.manual_seed(1)
    m = randomize(nn.Linear(4, 3))
    x = rand_input(2, 5, 4)
    return write_fixture("linear", m, {"in_features": 4, "out_features": 3, "bias": True},
                         {"x": x}, {"y": m(x)})


def embedding():
    torch.manual_seed(2)
    m = randomize(nn.Embedding(7, 3))
    ids = torch.tensor([[1, 3, 3, 0], [6, 1, 2, 3]])  # 3 repeated, 4 and 5 unused
    return write_fixture("embedding", m, {"num_embeddings": 7, "embedding_dim": 3},
                         {}, {"y": m(ids)}, indices={"ids": ids})


def rnn():
    torch.manual_seed(3)
    m = randomize(nn.RNN(3, 4, nonlinearity="tanh", batch_first=True))
    x, h0 = rand_input(2, 5, 3), rand_input(2, 4)
    out, h_n = m(x, h0.unsqueeze(0))
    cfg = {"input_size": 3, "hidden_size": 4, "nonlinearity": "tanh", "batch_first": True}
    return write_fixture("rnn", m, cfg, {"x": x, "h0": h0},
                         {"output": out, "h_n": h_n.squeeze(0)})


def lstm():
    torch.manual_seed(4)
    m = randomize(nn.LSTM(3, 4, batch_first=True))
    x, h0, c0 = rand_input(2, 5, 3), rand_input(2, 4), rand_input(2, 4)
    out, (h_n, c_n) = m(x, (h0.unsqueeze(0), c0.unsqueeze(0)))
    cfg = {"input_size": 3, "hidden_size": 4, "batch_first": True}
    return write_fixture("lstm", m, cfg, {"x": x, "h0": h0, "c0": c0},
                         {"output": out, "h_n": h_n.squeeze(0), "c_n": c_n.squeeze(0)})


def gru():
    torch.manual_seed(5)
    m = randomize(nn.GRU(3, 4, batch_first=True))
    x, h0 = rand_input(2, 5, 3), rand_input(2, 4)
    out, h_n = m(x, h0.unsqueeze(0))
    cfg = {"input_size": 3, "hidden_size": 4, "batch_first": True}
    return write_fixture("gru", m, cfg, {"x": x, "h0": h0},
                         {"output": out, "h_n": h_n.squeeze(0)})


def layer_norm():
    torch.manual_seed(6)
    m = randomize(nn.LayerNorm(6, eps=1e-5))
    x = rand_input(2, 3, 6)
    return write_fixture("layer_norm", m, {"normalized_shape": 6, "eps": 1e-5},
                         {"x": x}, {"y": m(x)})


MHA_CFG = {"embed_dim": 6, "num_heads": 2, "batch_first": True, "dropout": 0.0}


def mha_cross():
    torch.manual_seed(7)
    m = randomize(nn.MultiheadAttention(**MHA_CFG))
    q, k, v = rand_input(2, 4, 6), rand_input(2, 5, 6), rand_input(2, 5, 6)
    key_len = [5, 3]
    out, w = m(q, k, v, key_padding_mask=padding_mask(key_len, 5),
               need_weights=True, average_attn_weights=False)
    return write_fixture("mha_cross", m, dict(MHA_CFG, causal=False),
                         {"query": q, "key": k, "value": v},
                         {"output": out, "weights": w}, lengths={"key": key_len})


def mha_self_causal():
    torch.manual_seed(8)
    m = randomize(nn.MultiheadAttention(**MHA_CFG))
    x = rand_input(2, 4, 6)
    out, w = m(x, x, x, attn_mask=causal_mask(4),
               need_weights=True, average_attn_weights=False)
    return write_fixture("mha_self_causal", m, dict(MHA_CFG, causal=True),
                         {"x": x}, {"output": out, "weights": w})


LAYER_CFG = {"d_model": 6, "nhead": 2, "dim_feedforward": 8, "dropout": 0.0,
             "activation": "relu", "batch_first": True, "norm_first": False}


def transformer_encoder_layer():
    torch.manual_seed(9)
    m = randomize(nn.TransformerEncoderLayer(**LAYER_CFG))
    x = rand_input(2, 4, 6)
    src_len = [4, 2]
    y = m(x, src_key_padding_mask=padding_mask(src_len, 4))
    return write_fixture("transformer_encoder_layer", m, dict(LAYER_CFG, eps=m.norm1.eps),
                         {"x": x}, {"y": y}, lengths={"src": src_len})


def transformer_decoder_layer():
    torch.manual_seed(10)
    m = randomize(nn.TransformerDecoderLayer(**LAYER_CFG))
    tgt, memory = rand_input(2, 3, 6), rand_input(2, 4, 6)
    mem_len = [4, 2]
    y = m(tgt, memory, tgt_mask=causal_mask(3),
          memory_key_padding_mask=padding_mask(mem_len, 4))
    return write_fixture("transformer_decoder_layer", m,
                         dict(LAYER_CFG, eps=m.norm1.eps, causal_tgt=True),
                         {"tgt": tgt, "memory": memory}, {"y": y},
                         lengths={"memory": mem_len})


FIXTURES = [linear, embedding, rnn, lstm, gru, layer_norm, mha_cross,
            mha_self_causal, transformer_encoder_layer, transformer_decoder_layer]


def main():
    for make in FIXTURES:
        path = make()
        print(f"wrote {path.relative_to(OUT_DIR.parent.parent)}")


if __name__ == "__main__":
    main()
