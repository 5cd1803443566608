"""Time one training step of two small encoder-decoder models in PyTorch.

This gives a reference figure for `encdec bench`, which measures the same two
fixed configurations on encdec's own tape. One training step is forward pass,
cross-entropy loss, backward pass and an Adam update (lr 1e-3), in float64
(or --dtype float32) on --threads CPU threads (default one):

  lstm         Keras-style seq2seq (tutorial section 5.1): vocabulary 100 on
               both sides, embedding 64, one-layer LSTM encoder with hidden
               size 128 whose final (h, c) starts a one-layer LSTM decoder fed
               the target ids (teacher forcing), then a linear layer to 100
               logits.
  transformer  nn.Transformer with d_model 64, 4 heads, feed-forward 256,
               2 encoder and 2 decoder layers, no dropout; embeddings plus a
               fixed sinusoidal positional encoding on each side, a causal
               target mask, then a linear layer to 100 logits.

Both use batch 32, source and target length 12 (or each of --lengths),
random token ids in 4..99 (fixed seed, no padding) and cross-entropy with
ignore_index=0. Each config runs --warmup untimed steps (default 5), then at
least --steps timed steps (30) and at least --seconds (3), and prints the
median, e.g.

    torch 2.15.0+cu132 threads=1 dtype=float64
    torch lstm len=12 threads=1 dtype=float64 median_ms=12.345 steps=40 peak_mb=4.98

peak_mb is the most tensor memory one more, untimed step holds at once above
what was live before it (MB = 10^6 bytes): the largest "Total Allocated" of
the CPU allocator during that step, as torch.profiler reports it with
profile_memory=True, less what was counted before the step's first
allocation. It counts tensor storage only (not Python objects or autograd's
own records), where `encdec bench` counts every heap byte.

--smoke times the same steps at a tiny size (length 4, no warm-up, one timed
step, no minimum time), to show in seconds that everything runs; its figures
mean nothing. A flag given with it wins over its sizes.

Requires PyTorch (`pip install torch`). Run from anywhere with

    python3 scripts/bench/torch_steps.py [--config lstm|transformer|all] [--lengths 12,24,48,96]
        [--threads N] [--dtype float64|float32] [--warmup 5] [--steps 30] [--seconds 3] [--smoke]
"""

import argparse
import json
import math
import os
import statistics
import tempfile
import time

from torch_threads import threads_before_import

MODEL_NAMES = ["lstm", "transformer"]
# --smoke: the same code paths at a tiny size.
SMOKE = dict(lengths=[4], warmup=0, steps=1, seconds=0.0)


def lengths_arg(text):
    """`12,24,48` as [12, 24, 48]."""
    try:
        lengths = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of lengths")
    if not lengths or min(lengths) < 1:
        raise argparse.ArgumentTypeError("lengths must be positive")
    return sorted(set(lengths))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=[*MODEL_NAMES, "all"], default="all")
    parser.add_argument("--lengths", type=lengths_arg, default=[12],
                        help="source and target lengths, comma-separated (default 12)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps first")
    parser.add_argument("--steps", type=int, default=30, help="at least this many timed steps")
    parser.add_argument("--seconds", type=float, default=3.0,
                        help="and at least this many seconds of them")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes, to check that everything runs (figures meaningless)")
    if parser.parse_args().smoke:
        parser.set_defaults(**SMOKE)
    args = parser.parse_args()
    if args.threads < 1 or args.steps < 1 or args.warmup < 0 or args.seconds < 0:
        parser.error("--threads and --steps must be at least 1, --warmup and --seconds not negative")
    return args


THREADS = threads_before_import()

import torch  # noqa: E402  (must come after the environment is set)
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402
from torch.profiler import ProfilerActivity, profile  # noqa: E402

VOCAB = 100
BATCH = 32


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
    pe = torch.zeros(length, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe


class TransformerSeq2Seq(nn.Module):
    """nn.Transformer between token embeddings (+ positions) and output logits."""

    def __init__(self, vocab=VOCAB, d_model=64, nhead=4, layers=2, ff=256, max_len=1000):
        super().__init__()
        self.src_embed = nn.Embedding(vocab, d_model)
        self.tgt_embed = nn.Embedding(vocab, d_model)
        self.register_buffer("pe", sinusoidal_encoding(max_len, d_model).to(torch.get_default_dtype()))
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


def make_batch(length):
    """Random source ids, decoder input ids and next-token targets, all in 4..99."""
    src = torch.randint(4, VOCAB, (BATCH, length))
    tgt = torch.randint(4, VOCAB, (BATCH, length + 1))
    return src, tgt[:, :-1], tgt[:, 1:]


def train_step(model, opt, src, tgt_in, tgt_out):
    opt.zero_grad()
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), tgt_out.reshape(-1), ignore_index=0)
    loss.backward()
    opt.step()
    return loss.item()


def peak_step_bytes(step):
    """The most tensor bytes `step()` holds at once above what was live before it.

    The profiler reports each allocation and release of the CPU allocator
    with the running total of bytes it has counted; the total before the
    first event is that event's total less its own size."""
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        step()
    with tempfile.TemporaryDirectory(prefix="bench_torch_") as tmp:
        path = os.path.join(tmp, "trace.json")
        prof.export_chrome_trace(path)
        with open(path) as f:
            trace = json.load(f)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    totals = [(e["args"]["Total Allocated"], e["args"]["Bytes"]) for e in events
              if e.get("name") == "[memory]" and e["args"].get("Device Type") == 0]
    if not totals:
        return None
    before = totals[0][0] - totals[0][1]
    return max(total for total, _ in totals) - before


def bench(name, length, warmup, min_steps, min_seconds):
    """Median milliseconds per training step, the number of timed steps and the peak bytes."""
    torch.manual_seed(0)
    model = MODELS[name]().train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = make_batch(length)
    for _ in range(warmup):
        train_step(model, opt, *batch)
    times = []
    start = time.perf_counter()
    while len(times) < min_steps or time.perf_counter() - start < min_seconds:
        t = time.perf_counter()
        loss = train_step(model, opt, *batch)
        times.append(time.perf_counter() - t)
    assert math.isfinite(loss), f"{name}: loss is {loss}"
    peak = peak_step_bytes(lambda: train_step(model, opt, *batch))
    return statistics.median(times) * 1e3, len(times), peak


def main():
    args = parse_args()
    torch.set_default_dtype(getattr(torch, args.dtype))
    torch.set_num_threads(THREADS)
    print(f"torch {torch.__version__} threads={torch.get_num_threads()} dtype={args.dtype}",
          flush=True)
    for name in MODEL_NAMES if args.config == "all" else [args.config]:
        for length in args.lengths:
            ms, steps, peak = bench(name, length, args.warmup, args.steps, args.seconds)
            peak_mb = "n/a" if peak is None else f"{peak / 1e6:.2f}"
            print(f"torch {name} len={length} threads={args.threads} dtype={args.dtype} "
                  f"median_ms={ms:.3f} steps={steps} peak_mb={peak_mb}", flush=True)


if __name__ == "__main__":
    main()
