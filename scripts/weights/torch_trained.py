"""Models trained in PyTorch, converted by from_torch.py, for encdec's tests to import.

    python3 scripts/weights/torch_trained.py

For each family (lstm, gru, attention, transformer) it trains a tiny model a few Adam
steps in float64 on ten English-French pairs (teacher forcing, cross-entropy with
padding ignored), saves `torch.save(model.state_dict(), ...)` and the two vocabularies
into target/torch-trained/ (the `.pt` files a user would have), runs from_torch.py on
them as a user would, and writes into tests/fixtures/:

    torch_trained_{family}.safetensors          from_torch.py's output
    torch_trained_{family}_logits.safetensors   a padded batch (src, src_lengths, tgt_in),
                                                PyTorch's logits on it, and in its metadata
                                                "greedy": PyTorch's greedy translations of
                                                a few sentences (source and target tokens)

tests/seq2seq/torch_trained.rs imports each file and checks encdec's logits against
PyTorch's to 1e-12 and its greedy translations against PyTorch's, with no Python. Last, it checks that from_torch.py refuses, in one line, a
missing tensor, a tensor left over, a wrong shape, a vocabulary of another size than its
embedding and an unknown family.
The models are modules of torch_weights.py's `Model` (the names docs/weights.md lists).
CI runs this script (scripts/docs/doc_commands.py) and compares what it rewrites with the
committed fixtures. Takes a few seconds; requires torch and safetensors.
"""

import contextlib
import io
import json
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import from_torch  # noqa: E402
from torch_weights import FIXTURES, ROOT, Model, save_atomically  # noqa: E402

OUT = ROOT / "target" / "torch-trained"
PAIRS = [
    ("the cat sleeps", "le chat dort"),
    ("the dog sleeps", "le chien dort"),
    ("the cat eats", "le chat mange"),
    ("the dog eats", "le chien mange"),
    ("a cat runs", "un chat court"),
    ("a dog runs", "un chien court"),
    ("the bird sings", "l' oiseau chante"),
    ("a bird eats", "un oiseau mange"),
    ("the cat", "le chat"),
    ("a dog eats a bird", "un chien mange un oiseau"),
]
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]
PAD, BOS, EOS = 0, 2, 3
STEPS = 100  # Adam steps, lr 0.03, on the whole batch of ten pairs
MAX_LEN = 6  # the text setting max_len: greedy decoding writes at most MAX_LEN + 1 tokens
# family -> the sizes after kind and vocabularies (layout 2), and the converter's extra flags
FAMILIES = {
    "lstm": (dict(emb=6, hidden=8, layers=1, bidirectional=False, bridge="concat"), []),
    "gru": (dict(emb=6, hidden=8, layers=1, bidirectional=False, bridge="concat"), []),
    "attention": (dict(emb=6, hidden=8, layers=2, bidirectional=True, bridge="project"), []),
    "transformer": (dict(d_model=8, d_ff=16, heads=2, layers=2, norm_first=True, activation="relu",
                         final_norm=True), ["--heads", "2", "--norm-first"]),
}


def vocab(sentences):
    words = sorted({w for s in sentences for w in s.split()})
    return SPECIALS + words


def padded(rows, pad=PAD):
    width = max(len(r) for r in rows)
    return torch.tensor([r + [pad] * (width - len(r)) for r in rows], dtype=torch.int64)


def batch(pairs, src_v, tgt_v):
    """src (ids + </s>), src_lengths, tgt_in (<s> + ids), tgt_out (ids + </s>), padded."""
    src = [[src_v.index(w) for w in s.split()] + [EOS] for s, _ in pairs]
    tgt = [[tgt_v.index(w) for w in t.split()] for _, t in pairs]
    lengths = torch.tensor([len(s) for s in src], dtype=torch.int64)
    return padded(src), lengths, padded([[BOS] + t for t in tgt]), padded([t + [EOS] for t in tgt])


def train(family, src_v, tgt_v, seed):
    torch.manual_seed(seed)
    sizes, _ = FAMILIES[family]
    config = dict(kind=family, src_vocab=len(src_v), tgt_vocab=len(tgt_v), **sizes)
    model = Model(config).double()
    src, lengths, tgt_in, tgt_out = batch(PAIRS, src_v, tgt_v)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
    for _ in range(STEPS):
        optimizer.zero_grad()
        logits = model(src, lengths, tgt_in)
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
        loss.backward()
        optimizer.step()
    return model.eval(), loss.item()


def greedy(model, src_ids):
    """encdec's greedy decoding, recomputing the prefix each step: from <s>, the argmax over
    every id but <pad>, <unk>, <s>, until </s> or MAX_LEN + 1 tokens."""
    src = torch.tensor([src_ids + [EOS]])
    lengths = torch.tensor([len(src_ids) + 1])
    out = []
    with torch.no_grad():
        for _ in range(MAX_LEN + 1):
            row = model(src, lengths, torch.tensor([[BOS] + out]))[0, -1].clone()
            row[[PAD, 1, BOS]] = -torch.inf
            out.append(int(row.argmax()))
            if out[-1] == EOS:
                break
    return out


def convert(family, pt, flags):
    out = FIXTURES / f"torch_trained_{family}.safetensors"
    argv = [str(pt), "--family", family, "--src-vocab", str(OUT / "src.txt"),
            "--tgt-vocab", str(OUT / "tgt.txt"), "--max-len", str(MAX_LEN), "--out", str(out), *flags]
    if from_torch.main(argv) != 0:  # as `python3 scripts/weights/from_torch.py ...` (same process)
        raise SystemExit(f"from_torch.py refused the {family} model")
    return out


# Edits of the lstm state dict and the start of from_torch.py's one-line refusal of each.
REFUSALS = [
    ("a missing tensor", lambda s: s.pop("decoder.output.bias"), [], "tensor decoder.output.bias is missing"),
    ("a tensor left over", lambda s: s.update({"decoder.extra": torch.zeros(2)}), [],
     "tensor decoder.extra is not a parameter of a lstm model"),
    ("a wrong shape", lambda s: s.update({"decoder.output.weight": torch.zeros(14, 9)}), [],
     "tensor decoder.output.weight has shape [14, 9], expected [14, 8]"),
    ("a vocabulary of another size", lambda s: s.update({"decoder.embedding.weight": torch.zeros(15, 6)}), [],
     "--tgt-vocab"),
    ("an unknown family", lambda s: None, ["--family", "tree"], "unknown family 'tree'"),
]


def check_refusals(pt):
    """Runs from_torch.py on broken copies of `pt`; each must fail with its one line."""
    for what, edit, flags, says in REFUSALS:
        state = torch.load(pt)
        edit(state)
        broken = OUT / "broken.pt"
        torch.save(state, broken)
        argv = [str(broken), "--family", "lstm", "--src-vocab", str(OUT / "src.txt"), "--tgt-vocab",
                str(OUT / "tgt.txt"), "--out", str(OUT / "broken.safetensors"), *flags]
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = from_torch.main(argv)
        line = err.getvalue()
        if code != 1 or line.count("\n") != 1 or says not in line:
            raise SystemExit(f"from_torch.py on {what}: exit {code}, said {line!r}, expected {says!r}")
    print(f"from_torch.py refuses in one line: {', '.join(r[0] for r in REFUSALS)}")


def main():
    torch.backends.mha.set_fastpath_enabled(False)
    torch.set_num_threads(1)  # tiny tensors: threads only wait for each other
    OUT.mkdir(parents=True, exist_ok=True)
    src_v, tgt_v = vocab(s for s, _ in PAIRS), vocab(t for _, t in PAIRS)
    (OUT / "src.txt").write_text("\n".join(src_v) + "\n", encoding="utf-8")
    (OUT / "tgt.txt").write_text("\n".join(tgt_v) + "\n", encoding="utf-8")
    sources = ["the cat sleeps", "a dog eats", "the bird runs", "a cat sings"]
    for seed, family in enumerate(FAMILIES):
        start = time.time()
        model, loss = train(family, src_v, tgt_v, seed)
        pt = OUT / f"{family}.pt"
        torch.save(model.state_dict(), pt)
        convert(family, pt, FAMILIES[family][1])
        src, lengths, tgt_in, _ = batch(PAIRS[5:], src_v, tgt_v)  # lengths 4, 4, 4, 3, 6
        with torch.no_grad():
            logits = model(src, lengths, tgt_in)
        found = [dict(source=s.split(), translation=[tgt_v[i] for i in greedy(model, [src_v.index(w) for w in s.split()])])
                 for s in sources]
        tensors = dict(src=src, src_lengths=lengths, tgt_in=tgt_in, logits=logits.contiguous())
        save_atomically(tensors, FIXTURES / f"torch_trained_{family}_logits.safetensors",
                        dict(greedy=json.dumps(found)))
        shown = "; ".join(" ".join(g["translation"]) for g in found)
        print(f"{family}: trained {STEPS} Adam steps (loss {loss:.3f}), converted, greedy: {shown} "
              f"({time.time() - start:.1f} s)")
    check_refusals(OUT / "lstm.pt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
