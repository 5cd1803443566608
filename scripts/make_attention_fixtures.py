"""Generate PyTorch reference fixtures for the options of encdec's
multi-head attention: separate key/value sizes (`kdim`, `vdim`), no-bias
projections (`bias=False`) and float (additive) attention masks.

Same format and loss as scripts/make_fixtures.py (whose helpers this script
reuses): every parameter overwritten with 0.5 * N(0, 1), float64, outputs,
and the gradients of L = sum_o (o * W_o).sum() for every parameter and
input. Read by tests/attention_options.rs, which needs no Python.
Regenerate from the crate root with

    python3 scripts/make_attention_fixtures.py

which (over)writes tests/fixtures/mha_*options*.json.
"""

import json

import torch
from torch import nn

from make_fixtures import causal_mask, padding_mask, rand_input, randomize
from make_fixtures import write_fixture as write_layer_fixture

NEG_INF = float("-inf")


def write_fixture(layer, module, config, inputs, outputs, lengths=None, extra=None):
    """make_fixtures.write_fixture, then the float masks under "float_masks"
    (JSON has no -inf: such entries are written as null)."""
    path = write_layer_fixture(layer, module, config, inputs, outputs, lengths=lengths)
    doc = json.loads(path.read_text())
    doc["float_masks"] = {
        k: {"shape": list(t.shape),
            "data": [None if x == NEG_INF else float(x) for x in t.reshape(-1).tolist()]}
        for k, t in (extra or {}).items()}
    path.write_text(json.dumps(doc) + "\n")
    return path


def float_mask(*shape, hidden=None):
    """Finite N(0, 1) biases, -inf where the boolean `hidden` is True."""
    m = torch.randn(*shape)
    if hidden is not None:
        m = m.masked_fill(hidden, NEG_INF)
    return m


def mha_kv_sizes_no_bias():
    """kdim = 4, vdim = 5, no biases, one [T, S] float mask for every head."""
    torch.manual_seed(21)
    cfg = {"embed_dim": 6, "num_heads": 2, "kdim": 4, "vdim": 5, "bias": False,
           "batch_first": True, "dropout": 0.0}
    m = randomize(nn.MultiheadAttention(**cfg))
    q, k, v = rand_input(2, 3, 6), rand_input(2, 5, 4), rand_input(2, 5, 5)
    hidden = torch.zeros(3, 5, dtype=torch.bool)
    hidden[0, 4] = hidden[1, 0] = hidden[2, 2] = True
    mask = float_mask(3, 5, hidden=hidden)
    out, w = m(q, k, v, attn_mask=mask, need_weights=True, average_attn_weights=False)
    return write_fixture("mha_options_kv_sizes_no_bias", m, cfg,
                         {"query": q, "key": k, "value": v},
                         {"output": out, "weights": w},
                         extra={"float_mask": mask})


def mha_kv_sizes_per_head():
    """kdim = 4, vdim = 5 with biases, a per-head [B*H, T, S] float mask and
    a boolean key padding mask."""
    torch.manual_seed(22)
    cfg = {"embed_dim": 6, "num_heads": 2, "kdim": 4, "vdim": 5, "bias": True,
           "batch_first": True, "dropout": 0.0}
    m = randomize(nn.MultiheadAttention(**cfg))
    q, k, v = rand_input(2, 3, 6), rand_input(2, 5, 4), rand_input(2, 5, 5)
    key_len = [5, 4]
    mask = float_mask(2 * 2, 3, 5)
    mask[1, 2, 1] = NEG_INF
    # PyTorch adds a float key padding mask to attn_mask; encdec's boolean
    # Mask::padding hides the same keys.
    key_padding = torch.zeros(2, 5).masked_fill(padding_mask(key_len, 5), NEG_INF)
    out, w = m(q, k, v, attn_mask=mask, key_padding_mask=key_padding,
               need_weights=True, average_attn_weights=False)
    return write_fixture("mha_options_per_head", m, cfg,
                         {"query": q, "key": k, "value": v},
                         {"output": out, "weights": w}, lengths={"key": key_len},
                         extra={"float_mask": mask})


def mha_self_no_bias_causal_float():
    """Self-attention, d_model = 6 (packed in_proj_weight), no biases, a
    float mask that is causal (-inf above the diagonal) plus finite biases."""
    torch.manual_seed(23)
    cfg = {"embed_dim": 6, "num_heads": 3, "bias": False,
           "batch_first": True, "dropout": 0.0}
    m = randomize(nn.MultiheadAttention(**cfg))
    x = rand_input(2, 4, 6)
    mask = float_mask(4, 4, hidden=causal_mask(4))
    out, w = m(x, x, x, attn_mask=mask, need_weights=True, average_attn_weights=False)
    return write_fixture("mha_options_self_no_bias", m, cfg, {"x": x},
                         {"output": out, "weights": w}, extra={"float_mask": mask})


FIXTURES = [mha_kv_sizes_no_bias, mha_kv_sizes_per_head, mha_self_no_bias_causal_float]


def main():
    torch.set_default_dtype(torch.float64)
    for make in FIXTURES:
        print(f"wrote {make()}")


if __name__ == "__main__":
    main()
