"""PyTorch reference fixtures for the Transformer's options: pre-norm
(`norm_first=True`), GELU in the feed-forward block, and the final layer
norm of a stack (`norm=` of nn.TransformerEncoder / nn.TransformerDecoder).

Same format and loss as scripts/make_fixtures.py (whose helpers this script
reuses): float64, every parameter overwritten with 0.5 * N(0, 1), train mode
with dropout 0, and the gradients of L = sum_o (o * W_o).sum(). Read by
tests/transformer_options.rs, which never runs Python. Regenerate from the
crate root with

    python3 scripts/make_transformer_fixtures.py

which (over)writes tests/fixtures/{gelu,erf,pre_norm_*}.json.
"""

import json

import torch
from torch import nn

from make_fixtures import (OUT_DIR, causal_mask, padding_mask, rand_input, randomize,
                           tensor_json, write_fixture)

OPTIONS_CFG = {"d_model": 6, "nhead": 2, "dim_feedforward": 8, "dropout": 0.0,
               "activation": "gelu", "batch_first": True, "norm_first": True}
POST_NORM_CFG = dict(OPTIONS_CFG, activation="relu", norm_first=False)


def gelu():
    torch.manual_seed(20)
    m = nn.GELU()  # approximate='none': x * Phi(x), Phi through erf
    x = torch.cat([torch.linspace(-6.0, 6.0, 25), torch.randn(15)]).requires_grad_(True)
    return write_fixture("gelu", m, {"approximate": "none"}, {"x": x}, {"y": m(x)})


def erf():
    # Not a layer: erf itself, at points from the series' and the continued
    # fraction's ranges (the switch is at |x| = 3) and far into the tails.
    x = torch.tensor([0.0, 1e-8, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 2.9, 2.999, 3.0, 3.001,
                      3.5, 4.0, 5.0, 6.0, 8.0, 27.0, -0.3, -1.7, -3.2, -10.0])
    path = OUT_DIR / "erf.json"
    path.write_text(json.dumps({"layer": "erf", "torch_version": torch.__version__,
                                "inputs": {"x": tensor_json(x)},
                                "outputs": {"erf": tensor_json(torch.erf(x))}}) + "\n")
    return path


def encoder_fixture(name, seed, make, cfg=OPTIONS_CFG):
    """An encoder layer or stack `make()` on a padded batch (lengths 4 and 2)."""
    torch.manual_seed(seed)
    m = randomize(make())
    x = rand_input(2, 4, 6)
    src_len = [4, 2]
    y = m(x, src_key_padding_mask=padding_mask(src_len, 4))
    return write_fixture(name, m, cfg, {"x": x}, {"y": y}, lengths={"src": src_len})


def decoder_fixture(name, seed, make, cfg=OPTIONS_CFG):
    """A decoder layer or stack `make()`: causal target, padded memory."""
    torch.manual_seed(seed)
    m = randomize(make())
    tgt, memory = rand_input(2, 3, 6), rand_input(2, 4, 6)
    mem_len = [4, 2]
    y = m(tgt, memory, tgt_mask=causal_mask(3),
          memory_key_padding_mask=padding_mask(mem_len, 4))
    return write_fixture(name, m, cfg, {"tgt": tgt, "memory": memory}, {"y": y},
                         lengths={"memory": mem_len})


# The stacks: two layers and a final norm; enable_nested_tensor=False keeps
# PyTorch from zeroing the padded positions of the encoder's output.
FIXTURES = [
    gelu,
    erf,
    lambda: encoder_fixture("pre_norm_encoder_layer", 21, lambda: nn.TransformerEncoderLayer(**OPTIONS_CFG)),
    lambda: decoder_fixture("pre_norm_decoder_layer", 22, lambda: nn.TransformerDecoderLayer(**OPTIONS_CFG)),
    lambda: encoder_fixture("pre_norm_encoder_stack", 23, lambda: nn.TransformerEncoder(
        nn.TransformerEncoderLayer(**OPTIONS_CFG), 2, norm=nn.LayerNorm(6), enable_nested_tensor=False)),
    lambda: decoder_fixture("pre_norm_decoder_stack", 24, lambda: nn.TransformerDecoder(
        nn.TransformerDecoderLayer(**OPTIONS_CFG), 2, norm=nn.LayerNorm(6))),
    # The flags are independent: post-norm ReLU layers, then a final norm.
    lambda: encoder_fixture("post_norm_encoder_stack_with_norm", 25, lambda: nn.TransformerEncoder(
        nn.TransformerEncoderLayer(**POST_NORM_CFG), 2, norm=nn.LayerNorm(6), enable_nested_tensor=False), POST_NORM_CFG),
]


def main():
    torch.set_default_dtype(torch.float64)
    for make in FIXTURES:
        path = make()
        print(f"wrote {path.relative_to(OUT_DIR.parent.parent)}")


if __name__ == "__main__":
    main()
