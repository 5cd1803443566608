"""Generate PyTorch reference fixtures for encdec's stacked and bidirectional LSTM.

`nn.LSTM(num_layers=L, bidirectional=B, dropout=p, batch_first=True)` in
float64, evaluated on a padded batch through `pack_padded_sequence` (so each
sequence's backward direction starts at its own last real token), with
initial states for every layer and direction. The module is in evaluation
mode, where PyTorch applies no dropout between layers, as encdec's
`LstmStack::forward` with `train = None`.

The JSON layout and the loss are those of scripts/make_fixtures.py (its
helpers are imported): L = sum over outputs o of (o * W_o).sum(), with the
gradients of every parameter and every float input. Parameter names drop
`_l0` only from layer 0's forward direction (`weight_ih_l0` -> `weight_ih`);
`weight_ih_l1`, `weight_hh_l0_reverse`, ... are kept, as encdec names them.

Regenerate from the crate root with

    python3 scripts/make_rnn_fixtures.py

which (over)writes tests/fixtures/lstm_stack*.json. Seeds are fixed.
"""

import sys
from pathlib import Path

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import OUT_DIR, randomize, rand_input, write_fixture  # noqa: E402

torch.set_default_dtype(torch.float64)


def run_packed(m, x, lengths, h0, c0):
    """Run `m` on the padded batch `x` as packed sequences; pad the output back."""
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True,
                                  enforce_sorted=False)
    out, (h_n, c_n) = m(packed, (h0, c0))
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    return out, h_n, c_n


def lstm_stack_bidirectional():
    torch.manual_seed(21)
    m = randomize(nn.LSTM(3, 4, num_layers=2, bidirectional=True, dropout=0.5, batch_first=True))
    m.eval()  # no dropout between the layers, as encdec with train = None
    x, h0, c0 = rand_input(3, 5, 3), rand_input(4, 3, 4), rand_input(4, 3, 4)
    lengths = [5, 3, 1]
    out, h_n, c_n = run_packed(m, x, lengths, h0, c0)
    cfg = {"input_size": 3, "hidden_size": 4, "num_layers": 2, "bidirectional": True,
           "dropout": 0.5, "batch_first": True}
    return write_fixture("lstm_stack_bidirectional", m, cfg, {"x": x, "h0": h0, "c0": c0},
                         {"output": out, "h_n": h_n, "c_n": c_n}, lengths={"x": lengths})


def lstm_stack_three_layers():
    torch.manual_seed(22)
    m = randomize(nn.LSTM(3, 4, num_layers=3, batch_first=True))
    x = rand_input(2, 4, 3)
    out, (h_n, c_n) = m(x)
    cfg = {"input_size": 3, "hidden_size": 4, "num_layers": 3, "batch_first": True}
    return write_fixture("lstm_stack_three_layers", m, cfg, {"x": x},
                         {"output": out, "h_n": h_n, "c_n": c_n})


def main():
    for make in (lstm_stack_bidirectional, lstm_stack_three_layers):
        path = make()
        print(f"wrote {path.relative_to(OUT_DIR.parent.parent)}")


if __name__ == "__main__":
    main()
