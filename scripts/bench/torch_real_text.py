# Long file: the PyTorch reference of the real-text benchmark in one place (both
# recipes, training with smoothing and warm-up, greedy and beam decoding).
"""The PyTorch reference of scripts/bench/real_text.py: train a recipe on a
train/valid pair of TSV files, keep the epoch with the lowest validation loss,
and write its greedy and beam outputs on a test file, one line per test pair,
for `encdec bleu` to score (so that both sides are scored by the same code).

    python3 scripts/bench/torch_real_text.py --model attention|transformer \\
        --train T.tsv --valid V.tsv --test X.tsv --out DIR [--epochs 10 --threads 2 ...]

Recipes:
- attention: encdec's attention model, layer for layer
  (scripts/bench/torch_corpus_epoch.py's AttentionSeq2Seq: LSTM encoder and
  decoder, Luong dot attention, tanh combine), Adam at a constant --lr.
- transformer: `nn.Transformer` (post-norm, ReLU, as Vaswani et al.) with
  scaled embeddings and sinusoidal positions, label smoothing
  (--label-smoothing), Adam(0.9, 0.98) with a linear warm-up over --warmup
  steps to --lr and inverse-square-root decay after it.
Both: the tokenizer, vocabularies and bucketed batches of
torch_corpus_epoch.py, float32 (what a practitioner runs), --threads threads.

Prints `epoch=N seconds=S loss=L val_loss=V` per epoch (training time only,
data preparation and validation excluded), `parameters=P`, and writes
DIR/greedy.txt and DIR/beam.txt (beam width --beam).
Outputs are tokens joined by spaces with the space before , . ; : ! ? ) and
after ( removed; sacreBLEU's 13a tokenizer splits those marks again, so the
joining does not change the score of such marks.
"""

import argparse
import copy
import math
import random
import sys
import time

from torch_threads import threads_before_import

THREADS = threads_before_import()

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from torch_corpus_epoch import (  # noqa: E402
    BOS, EOS, PAD, AttentionSeq2Seq, bucketed_batches, build_vocab, encode, read_pairs)

MAX_OUT = 60  # longest output, in tokens (and at most 2 * source + 10)


class Attention(AttentionSeq2Seq):
    """encdec's attention model with the two halves decoding needs."""

    def encode_source(self, src, src_lengths):
        x = self.src_embed(src)
        packed = nn.utils.rnn.pack_padded_sequence(x, src_lengths, batch_first=True,
                                                   enforce_sorted=False)
        memory, state = self.encoder(packed)
        memory, _ = nn.utils.rnn.pad_packed_sequence(memory, batch_first=True,
                                                     total_length=src.shape[1])
        padded = torch.arange(src.shape[1])[None, :] >= src_lengths[:, None]
        return memory, padded, state

    def step(self, memory, padded, state, prev):
        """Log-probabilities of the next token after `prev` [B], and the new state."""
        s, state = self.decoder(self.tgt_embed(prev)[:, None, :], state)
        scores = (s @ memory.transpose(1, 2)).masked_fill(padded[:, None, :], float("-inf"))
        context = scores.softmax(-1) @ memory
        combined = torch.tanh(self.combine(torch.cat([context, s], dim=-1)))
        return self.output(combined)[:, 0].log_softmax(-1), state


def sinusoids(length, d_model):
    pos = torch.arange(length)[:, None].double()
    i = torch.arange(0, d_model, 2).double()
    angle = pos / torch.pow(10000.0, i / d_model)
    table = torch.zeros(length, d_model, dtype=torch.float64)
    table[:, 0::2], table[:, 1::2] = torch.sin(angle), torch.cos(angle)
    return table


class Transformer(nn.Module):
    """nn.Transformer with embeddings scaled by sqrt(d_model) and sinusoidal positions."""

    def __init__(self, src_vocab, tgt_vocab, d_model, d_ff, heads, layers, dropout):
        super().__init__()
        self.d_model = d_model
        self.src_embed = nn.Embedding(src_vocab, d_model)
        self.tgt_embed = nn.Embedding(tgt_vocab, d_model)
        self.register_buffer("positions", sinusoids(256, d_model).float())
        self.core = nn.Transformer(d_model, heads, layers, layers, d_ff, dropout, batch_first=True)
        self.output = nn.Linear(d_model, tgt_vocab)
        self.dropout = nn.Dropout(dropout)

    def embed(self, table, ids):
        x = table(ids) * math.sqrt(self.d_model) + self.positions[: ids.shape[1]]
        return self.dropout(x)

    def forward(self, src, src_lengths, tgt_in):
        memory, padded, _ = self.encode_source(src, src_lengths)
        return self.decode(memory, padded, tgt_in)

    def encode_source(self, src, src_lengths):
        padded = src == PAD
        memory = self.core.encoder(self.embed(self.src_embed, src), src_key_padding_mask=padded)
        return memory, padded, None

    def decode(self, memory, padded, tgt_in):
        causal = nn.Transformer.generate_square_subsequent_mask(tgt_in.shape[1])
        h = self.core.decoder(self.embed(self.tgt_embed, tgt_in), memory, tgt_mask=causal,
                              tgt_key_padding_mask=tgt_in == PAD,
                              memory_key_padding_mask=padded)
        return self.output(h)

    def step(self, memory, padded, prefix, prev):
        """Log-probabilities of the next token; the state is the prefix so far."""
        prefix = torch.cat([prefix, prev[:, None]], dim=1)
        return self.decode(memory, padded, prefix)[:, -1].log_softmax(-1), prefix


def start_state(model, state, batch):
    """The decoder's state before the first token: the encoder's (h, c) or an empty prefix."""
    return state if isinstance(model, Attention) else torch.zeros(batch, 0, dtype=torch.long)


def select(state, index):
    """Rows `index` of a decoder state (the LSTM's (h, c) hold the batch on axis 1)."""
    if isinstance(state, tuple):
        return tuple(s[:, index] for s in state)
    return state[index]


@torch.no_grad()
def greedy(model, src, src_lengths):
    memory, padded, state = model.encode_source(src, src_lengths)
    state = start_state(model, state, src.shape[0])
    prev = torch.full((src.shape[0],), BOS)
    out, done = [], torch.zeros(src.shape[0], dtype=torch.bool)
    for _ in range(min(MAX_OUT, 2 * src.shape[1] + 10)):
        logp, state = model.step(memory, padded, state, prev)
        prev = logp.argmax(-1)
        out.append(prev)
        done |= prev == EOS
        if done.all():
            break
    rows = torch.stack(out, 1).tolist()
    return [row[: row.index(EOS)] if EOS in row else row for row in rows]


@torch.no_grad()
def beam(model, src, src_lengths, width):
    """Beam search on one sentence (batch of 1): the finished hypothesis with the
    best log-probability divided by its length (with </s>)."""
    memory, padded, state = model.encode_source(src, src_lengths)
    state = start_state(model, state, 1)
    live = [(0.0, [])]
    finished = []
    for _ in range(min(MAX_OUT, 2 * src.shape[1] + 10)):
        k = len(live)
        prev = torch.tensor([h[-1] if h else BOS for _, h in live])
        logp, new = model.step(memory.expand(k, -1, -1), padded.expand(k, -1), state, prev)
        scores = torch.tensor([s for s, _ in live])[:, None] + logp
        top = scores.flatten().topk(min(width, scores.numel()))
        candidates = []
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            row, token = divmod(flat, logp.shape[1])
            if token == EOS:
                finished.append((value / (len(live[row][1]) + 1), live[row][1]))
            else:
                candidates.append((value, live[row][1] + [token], row))
        if len(finished) >= width or not candidates:
            break
        index = torch.tensor([row for _, _, row in candidates])
        live = [(v, h) for v, h, _ in candidates]
        state = select(new, index)
    if not finished:
        finished = [(s / max(len(h), 1), h) for s, h in live]
    return max(finished, key=lambda f: f[0])[1]


def detokenize(tokens):
    text = " ".join(tokens)
    for mark in ",.;:!?)":
        text = text.replace(" " + mark, mark)
    return text.replace("( ", "(")


def batch_of(examples):
    src = [s + [EOS] for s in examples]
    longest = max(map(len, src))
    return (torch.tensor([s + [PAD] * (longest - len(s)) for s in src]),
            torch.tensor([len(s) for s in src]))


def write_outputs(model, sources, path, words, width):
    """Decodes every source (greedy in batches of 64, or beam one by one) into `path`."""
    model.eval()
    lines = []
    if width == 1:
        for start in range(0, len(sources), 64):
            for ids in greedy(model, *batch_of(sources[start : start + 64])):
                lines.append(detokenize([words[i] for i in ids]))
    else:
        for s in sources:
            ids = beam(model, *batch_of([s]), width)
            lines.append(detokenize([words[i] for i in ids]))
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))


def token_loss(model, batch, smoothing):
    src, src_lengths, tgt_in, tgt_out = batch
    logits = model(src, src_lengths, tgt_in)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1),
                           ignore_index=PAD, label_smoothing=smoothing)


def mean_loss(model, batches):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for batch in batches:
            n = int((batch[3] != PAD).sum())
            total += token_loss(model, batch, 0.0).item() * n
            count += n
    return total / max(count, 1)


def build(args, n_src, n_tgt):
    if args.model == "attention":
        model = Attention(n_src, n_tgt, args.emb, args.hidden, args.dropout)
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        return model, opt, lambda step: 1.0
    model = Transformer(n_src, n_tgt, args.d_model, args.d_ff, args.heads, args.layers,
                        args.dropout)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.98), eps=1e-9)
    warm = max(args.warmup, 1)
    return model, opt, lambda step: min((step + 1) / warm, math.sqrt(warm / (step + 1)))


def arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("train", "valid", "test", "out"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--model", choices=["attention", "transformer"], required=True)
    for name, default in (("emb", 64), ("hidden", 128), ("d-model", 64), ("d-ff", 256),
                          ("heads", 4), ("layers", 2), ("batch-size", 32), ("epochs", 10),
                          ("warmup", 400), ("beam", 4), ("max-len", 50), ("seed", 0),
                          ("threads", 1)):
        p.add_argument(f"--{name}", type=int, default=default)
    p.add_argument("--max-vocab", type=int, default=None)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--lr", type=float, default=None,
                   help="default 0.005 (attention), 0.001 (transformer: the warm-up's peak)")
    p.add_argument("--clip", type=float, default=5.0)
    args = p.parse_args()
    if args.lr is None:
        args.lr = 0.005 if args.model == "attention" else 0.001
    return args


def main():
    args = arguments()
    torch.set_num_threads(THREADS)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    train = [(s, t) for s, t in read_pairs(args.train)
             if len(s) <= args.max_len and len(t) <= args.max_len]
    valid = [(s, t) for s, t in read_pairs(args.valid)
             if len(s) <= args.max_len and len(t) <= args.max_len]
    test = read_pairs(args.test)
    src_vocab = build_vocab((s for s, _ in train), args.max_vocab, 1)
    tgt_vocab = build_vocab((t for _, t in train), args.max_vocab, 1)
    words = sorted(tgt_vocab, key=tgt_vocab.get)

    def enc(pairs):
        return [(encode(s, src_vocab), encode(t, tgt_vocab)) for s, t in pairs]

    examples, valid_batches = enc(train), bucketed_batches(enc(valid), 64, rng)
    model, opt, factor = build(args, len(src_vocab), len(tgt_vocab))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    print(f"parameters={sum(p.numel() for p in model.parameters())} threads={THREADS} "
          f"train={len(examples)} vocab={len(src_vocab)}/{len(tgt_vocab)}", flush=True)
    best = (math.inf, None)
    for epoch in range(1, args.epochs + 1):
        batches = bucketed_batches(examples, args.batch_size, rng)
        model.train()
        start, total, count = time.perf_counter(), 0.0, 0
        for batch in batches:
            opt.zero_grad()
            loss = token_loss(model, batch, args.label_smoothing)
            loss.backward()
            if args.clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            opt.step()
            sched.step()
            n = int((batch[3] != PAD).sum())
            total, count = total + loss.item() * n, count + n
        seconds = time.perf_counter() - start
        val = mean_loss(model, valid_batches)
        if not math.isfinite(val):
            sys.exit(f"epoch {epoch}: validation loss is {val}")
        if val < best[0]:
            best = (val, copy.deepcopy(model.state_dict()))
        print(f"epoch={epoch} seconds={seconds:.3f} loss={total / max(count, 1):.4f} "
              f"val_loss={val:.4f}", flush=True)
    model.load_state_dict(best[1])
    sources = [encode(s, src_vocab)[: 4 * args.max_len] for s, _ in test]
    for name, width in (("greedy", 1), ("beam", args.beam)):
        start = time.perf_counter()
        write_outputs(model, sources, f"{args.out}/{name}.txt", words, width)
        print(f"decoded={name} seconds={time.perf_counter() - start:.3f}", flush=True)


if __name__ == "__main__":
    main()
