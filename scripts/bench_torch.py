"""Time one training step of two small encoder-decoder models in PyTorch.

This gives a reference figure for `encdec bench`, which measures the same two
fixed configurations on encdec's own tape. One training step is forward pass,
cross-entropy loss, backward pass and an Adam update (lr 1e-3), in float64 on
ONE CPU thread:

  lstm         Keras-style seq2seq (tutorial section 5.1): vocabulary 100 on
               both sides, embedding 64, one-layer LSTM encoder with hidden
               size 128 whose final (h, c) starts a one-layer LSTM decoder fed
               the target ids (teacher forcing), then a linear layer to 100
               logits.
  transformer  nn.Transformer with d_model 64, 4 heads, feed-forward 256,
               2 encoder and 2 decoder layers, no dropout; embeddings plus a
               fixed sinusoidal positional encoding on each side, a causal
               target mask, then a linear layer to 100 logits.

Both use batch 32, source and target length 12, random token ids in 4..99
(fixed seed, no padding) and cross-entropy with ignore_index=0. Each config
runs 5 warm-up steps, then at least 30 timed steps and at least about 3 s,
and prints the median, e.g.

    torch 2.15.0+cu132 threads=1 dtype=float64
    torch lstm median_ms=12.345 steps=40

Requires PyTorch (`pip install torch`). Run from anywhere with

    python3 scripts/bench_torch.py [--config lstm|transformer|all]
"""

import argparse
import math
import os
import statistics
import time

# Thread pools read these when torch is loaded, so pin them before the import.
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[var] = "1"

import torch  # noqa: E402  (must come after the environment is set)
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

VOCAB = 100
BATCH = 32
SRC_LEN = 12
TGT_LEN = 12
WARMUP_STEPS = 5
MIN_STEPS = 30
MIN_SECONDS = 3.0


class LstmSeq2Seq(nn.Module):
    """Encoder LSTM's final (h, c) initialises the decoder LSTM."""

    def __init__(self, vocab=VOCAB, embed=64, hidden=128):
        super().__init__()
        self.src_embed = nn.Embedding(vocab, embed)
        self.encoder = nn.LSTM(embed, hidden, batch_first=True)
        self.tgt_embed = nn.Embedding(vocab, embed)
        self.decoder = nn.LSTM(embed, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, src, tgt_in):
        _, state = self.encoder(self.src_embed(src))
        dec, _ = self.decoder(self.tgt_embed(tgt_in), state)
        return self.out(dec)


def sinusoidal_encoding(length, d_model):
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same angle)."""
    pos = torch.arange(length, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)
    angle = pos / 10000.0 ** (two_i / d_model)
    pe = torch.zeros(length, d_model)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe


class TransformerSeq2Seq(nn.Module):
    """nn.Transformer between token embeddings (+ positions) and output logits."""

    def __init__(self, vocab=VOCAB, d_model=64, nhead=4, layers=2, ff=256, max_len=64):
        super().__init__()
        self.src_embed = nn.Embedding(vocab, d_model)
        self.tgt_embed = nn.Embedding(vocab, d_model)
        self.register_buffer("pe", sinusoidal_encoding(max_len, d_model))
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=layers,
            num_decoder_layers=layers, dim_feedforward=ff, dropout=0.0, batch_first=True)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, src, tgt_in):
        src_x = self.src_embed(src) + self.pe[: src.shape[1]]
        tgt_x = self.tgt_embed(tgt_in) + self.pe[: tgt_in.shape[1]]
        mask = nn.Transformer.generate_square_subsequent_mask(tgt_in.shape[1])
        return self.out(self.transformer(src_x, tgt_x, tgt_mask=mask))


MODELS = {"lstm": LstmSeq2Seq, "transformer": TransformerSeq2Seq}


def make_batch():
    """Random source ids, decoder input ids and next-token targets, all in 4..99."""
    src = torch.randint(4, VOCAB, (BATCH, SRC_LEN))
    tgt = torch.randint(4, VOCAB, (BATCH, TGT_LEN + 1))
    return src, tgt[:, :-1], tgt[:, 1:]


def train_step(model, opt, src, tgt_in, tgt_out):
    opt.zero_grad()
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), tgt_out.reshape(-1), ignore_index=0)
    loss.backward()
    opt.step()
    return loss.item()


def bench(name):
    """Median milliseconds per training step and the number of timed steps."""
    torch.manual_seed(0)
    model = MODELS[name]().train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = make_batch()
    for _ in range(WARMUP_STEPS):
        train_step(model, opt, *batch)
    times = []
    start = time.perf_counter()
    while len(times) < MIN_STEPS or time.perf_counter() - start < MIN_SECONDS:
        t = time.perf_counter()
        loss = train_step(model, opt, *batch)
        times.append(time.perf_counter() - t)
    assert math.isfinite(loss), f"{name}: loss is {loss}"
    return statistics.median(times) * 1e3, len(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=[*MODELS, "all"], default="all")
    args = parser.parse_args()

    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    print(f"torch {torch.__version__} threads={torch.get_num_threads()} dtype=float64")
    for name in MODELS if args.config == "all" else [args.config]:
        ms, steps = bench(name)
        print(f"torch {name} median_ms={ms:.3f} steps={steps}", flush=True)


if __name__ == "__main__":
    main()
