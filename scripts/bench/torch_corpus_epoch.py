"""Train encdec's attention model in PyTorch on a corpus file and time each epoch.

This is the PyTorch twin of `encdec train --model attention --corpus FILE`,
built layer for layer as encdec builds it (src/seq2seq/attention.rs), so that
the seconds per epoch of the two can be compared on real-sized data:

  source embedding -> dropout -> one-layer LSTM encoder over the source
  (`</s>` appended, padding excluded through the lengths); its final (h, c)
  starts a one-layer LSTM decoder that reads `<s> y1 .. yn` (teacher
  forcing) through its own embedding and dropout; Luong dot attention of
  each decoder state s_t over the encoder outputs (padded source positions
  masked) gives the context c_t; tanh(W_c [c_t; s_t] + b) -> dropout ->
  linear layer to the target vocabulary. Cross-entropy against
  `y1 .. yn </s>` with ignore_index=0 (<pad>), mean over tokens; Adam
  (lr 0.005), gradient clipping to global norm 5. Ids 0..3 are
  <pad> <unk> <s> </s>.

Data: the first two tab-separated columns of each line (the Tatoeba/Anki
`fra.txt` format, e.g. from `encdec corpus --out DIR`),
lowercased and tokenized like encdec (words with accents, joined by single
hyphens or apostrophes; `l'` `qu'` ... split off; decimal numbers whole;
every other symbol alone). Vocabularies
keep the most frequent words (ties alphabetically) seen at least
--min-count times, at most --max-vocab ids including the 4 specials. Pairs
with a side longer than --max-len tokens are dropped. Each epoch shuffles
the pairs, sorts pools of 100 batches' worth by source length, cuts them
into batches and shuffles the batch order.

Run on one CPU thread, or --threads N:

    python3 scripts/bench/torch_corpus_epoch.py --train DIR/train.tsv \\
        [--emb 64 --hidden 128 --batch-size 64 --max-vocab 5000 --min-count 1 \\
         --max-len 40 --dtype float64|float32 --epochs 1 --seed 0 --dropout 0.1 --threads 1]

Prints to stdout one line per epoch, timed without the data preparation,

    torch dtype=float64 epoch=1 seconds=12.345 tokens_per_second=6789 loss=4.321

where tokens counts the non-pad source tokens (with `</s>`) plus the non-pad
target tokens (with `</s>`) of the training batches, and loss is the mean
cross-entropy per target token over the epoch; then `peak_rss_mb=...` (the
process's peak resident memory). Notes about the data go to stderr.
Requires only PyTorch (`pip install torch`).
"""

import argparse
import math
import random
import re
import resource
import sys
import time
from collections import Counter

from torch_threads import threads_before_import

THREADS = threads_before_import()

import torch  # noqa: E402  (must come after the environment is set)
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402


def peak_rss_mb():
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


IMPORT_RSS_MB = peak_rss_mb()  # the cost of `import torch` alone

PAD, UNK, BOS, EOS = 0, 1, 2, 3
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]
POOL_BATCHES = 100
# encdec's tokenizer (src/data/tokenizer.rs) on lowercased text with ’ written ':
# an elided French word (`l'`, `qu'`, ...) at the start of a word ends at its
# apostrophe; a word is letters or digits (not `_`), runs of them joined by one
# hyphen or apostrophe, or by `.` / `,` between ASCII digits (`3.5`, `2,5`);
# `...` is one token; anything else that is not whitespace stands alone.
# Python's \s covers the no-break spaces U+00A0 and U+202F of French text.
ELISIONS = "c d j l m n s t qu jusqu lorsqu puisqu quoiqu presqu".split()
TOKEN = re.compile(r"(?<![^\W_])(?:%s)'(?=[^\W_])" % "|".join(ELISIONS)
                   + r"|[^\W_]+(?:(?:[-\u2010']|(?<=[0-9])[.,](?=[0-9]))[^\W_]+)*"
                   + r"|\.{3,}|[^\w\s]|_")


def tokenize(text):
    return TOKEN.findall(text.lower().replace("\u2019", "'"))


def read_pairs(path):
    """Tokenized (source, target) pairs from the first two tab-separated columns."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 2:
                if line.strip():
                    sys.exit(f"{path}:{number}: expected at least two tab-separated columns")
                continue
            pairs.append((tokenize(cols[0]), tokenize(cols[1])))
    return pairs


def build_vocab(sentences, max_vocab, min_count):
    """Token -> id: specials, then the most frequent tokens (ties alphabetically)."""
    counts = Counter(t for s in sentences for t in s)
    kept = sorted((t for t, c in counts.items() if c >= max(min_count, 1) and t not in SPECIALS),
                  key=lambda t: (-counts[t], t))
    if max_vocab is not None:
        kept = kept[: max(max_vocab - len(SPECIALS), 0)]
    return {t: i for i, t in enumerate(SPECIALS + kept)}


def encode(tokens, vocab):
    return [vocab.get(t, UNK) for t in tokens]


def pad(rows, length):
    return [row + [PAD] * (length - len(row)) for row in rows]


def make_batch(examples):
    """Padded tensors: source + </s>, its lengths, <s> + target, target + </s>."""
    src = [s + [EOS] for s, _ in examples]
    tgt_in = [[BOS] + t for _, t in examples]
    tgt_out = [t + [EOS] for _, t in examples]
    src_len = max(map(len, src))
    tgt_len = max(map(len, tgt_in))
    return (torch.tensor(pad(src, src_len)), torch.tensor([len(s) for s in src]),
            torch.tensor(pad(tgt_in, tgt_len)), torch.tensor(pad(tgt_out, tgt_len)))


def bucketed_batches(examples, batch_size, rng):
    """Shuffle, sort pools of POOL_BATCHES batches by source length, cut, shuffle batches."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    pool = batch_size * POOL_BATCHES
    groups = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: len(examples[i][0]))
        groups.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(groups)
    return [make_batch([examples[i] for i in g]) for g in groups]


class AttentionSeq2Seq(nn.Module):
    """LSTM encoder-decoder with Luong dot attention, as encdec's `attention` model."""

    def __init__(self, src_vocab, tgt_vocab, emb, hidden, dropout):
        super().__init__()
        self.src_embed = nn.Embedding(src_vocab, emb)
        self.encoder = nn.LSTM(emb, hidden, batch_first=True)
        self.tgt_embed = nn.Embedding(tgt_vocab, emb)
        self.decoder = nn.LSTM(emb, hidden, batch_first=True)
        self.combine = nn.Linear(2 * hidden, hidden)
        self.output = nn.Linear(hidden, tgt_vocab)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src, src_lengths, tgt_in):
        x = self.dropout(self.src_embed(src))
        packed = pack_padded_sequence(x, src_lengths, batch_first=True, enforce_sorted=False)
        memory, state = self.encoder(packed)  # state: (h, c) at each source's last real step
        memory, _ = pad_packed_sequence(memory, batch_first=True, total_length=src.shape[1])
        states, _ = self.decoder(self.dropout(self.tgt_embed(tgt_in)), state)  # [B, T, H]
        scores = states @ memory.transpose(1, 2)  # [B, T, S]: s_t . h_j
        padded = torch.arange(src.shape[1])[None, None, :] >= src_lengths[:, None, None]
        weights = scores.masked_fill(padded, float("-inf")).softmax(dim=-1)
        contexts = weights @ memory  # [B, T, H]
        combined = torch.tanh(self.combine(torch.cat([contexts, states], dim=-1)))
        return self.output(self.dropout(combined))


def train_epoch(model, opt, batches, clip):
    """Mean loss per target token over the epoch's batches."""
    model.train()
    loss_sum, counted = 0.0, 0
    for src, src_lengths, tgt_in, tgt_out in batches:
        opt.zero_grad()
        logits = model(src, src_lengths, tgt_in)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1),
                               ignore_index=PAD)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        n = int((tgt_out != PAD).sum())
        loss_sum += loss.item() * n
        counted += n
    return loss_sum / max(counted, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True, help="training file: English<TAB>French[<TAB>...]")
    parser.add_argument("--emb", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--max-vocab", type=int, default=5000, help="per side, specials included")
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--max-len", type=int, default=40, help="longest side kept, in tokens")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--clip", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")
    args = parser.parse_args()
    for name in ("emb", "hidden", "batch_size", "max_vocab", "max_len", "epochs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")

    torch.set_num_threads(THREADS)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    pairs = read_pairs(args.train)
    kept = [(s, t) for s, t in pairs if len(s) <= args.max_len and len(t) <= args.max_len]
    if not kept:
        sys.exit(f"{args.train}: no pair of at most {args.max_len} tokens per side")
    src_vocab = build_vocab((s for s, _ in kept), args.max_vocab, args.min_count)
    tgt_vocab = build_vocab((t for _, t in kept), args.max_vocab, args.min_count)
    examples = [(encode(s, src_vocab), encode(t, tgt_vocab)) for s, t in kept]
    print(f"torch {torch.__version__} threads={torch.get_num_threads()} dtype={args.dtype}; "
          f"{len(examples)} of {len(pairs)} pairs kept; vocabularies: {len(src_vocab)} source, "
          f"{len(tgt_vocab)} target; {IMPORT_RSS_MB:.0f} MB resident after importing torch",
          file=sys.stderr)

    dtype = getattr(torch, args.dtype)
    model = AttentionSeq2Seq(len(src_vocab), len(tgt_vocab), args.emb, args.hidden,
                             args.dropout).to(dtype)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(1, args.epochs + 1):
        batches = bucketed_batches(examples, args.batch_size, rng)
        tokens = sum(int(l.sum()) + int((out != PAD).sum()) for _, l, _, out in batches)
        start = time.perf_counter()
        loss = train_epoch(model, opt, batches, args.clip)
        seconds = time.perf_counter() - start
        if not math.isfinite(loss):
            sys.exit(f"epoch {epoch}: loss is {loss}")
        print(f"torch dtype={args.dtype} epoch={epoch} seconds={seconds:.3f} "
              f"tokens_per_second={tokens / seconds:.0f} loss={loss:.4f}", flush=True)
    print(f"peak_rss_mb={peak_rss_mb():.1f}")


if __name__ == "__main__":
    main()
