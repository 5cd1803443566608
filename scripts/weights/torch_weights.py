"""Run encdec's models in PyTorch, and PyTorch-made models in encdec.

encdec's models are built here from torch.nn modules whose parameter
names are the ones `encdec export` writes (see src/seq2seq/io/safetensors.rs),
sized and wired as the "config" metadata says (layout 2 of
src/seq2seq/io/config_json.rs; files of format encdec-weights-1 hold layout 1,
which is read too):

    lstm         encoder/decoder: nn.Embedding(vocab, emb) and
                 nn.LSTM(emb, hidden, num_layers=layers, batch_first=True),
                 the encoder's bidirectional when "bidirectional";
                 decoder.output: nn.Linear
    gru, rnn     the same with nn.GRU or nn.RNN(nonlinearity="tanh") in place
                 of nn.LSTM (encoder.gru, decoder.gru; encoder.rnn, ...)
    attention    the same, plus dot-product attention over the encoder's
                 outputs and decoder.combine: nn.Linear(2H, H) with tanh;
                 its cell is the config's "cell" (absent: "lstm")
    transformer  embeddings scaled by sqrt(d_model) plus sinusoidal
                 positions; encoder.layers.i: nn.TransformerEncoderLayer,
                 decoder.layers.i: nn.TransformerDecoderLayer (d_model, heads,
                 d_ff, batch_first=True, "norm_first" and "activation" as the
                 config says); encoder.norm and decoder.norm: nn.LayerNorm
                 when "final_norm" (the `norm=` of nn.TransformerEncoder and
                 nn.TransformerDecoder); decoder.output: nn.Linear

In the recurrent models, decoder layer l starts from encoder layer l's final
state, with a bidirectional encoder the two directions concatenated; then
either the decoder is 2H wide ("bridge": "concat"), or ("project") bridge.h,
bridge.c: nn.Linear(2H, H), shared by the layers, give h0 =
tanh(bridge.h([h->; h<-])) and c0 = bridge.c([c->; c<-]) (GRU and RNN: h0
alone, no bridge.c), and the attention model reads its memory through
bridge.memory: nn.Linear(2H, H). See src/seq2seq/models/bridge.rs.

Four commands (run from anywhere; `trained` and `fixtures` find the crate from
this file's place):

    python3 scripts/weights/torch_weights.py check model.safetensors logits.safetensors
        loads weights written by `encdec export --logits ...` into the torch
        modules, runs the batch stored in the logits file and checks that
        PyTorch's logits equal encdec's to 1e-12 (exit status 1 if not).

    python3 scripts/weights/torch_weights.py trained
        for each kind, trains a small model with encdec (`cargo run --release
        -- train --pairs 200 --epochs 1`, default --shards and --threads),
        exports it with --logits in a temporary folder and runs `check` on
        it; lstm and attention also with `--layers 2 --bidirectional` and
        with `--layers 2 --bidirectional --bridge project`; the transformer
        also with --norm-first --gelu --final-norm; attention with --cell
        gru, and gru with --layers 2 --bidirectional --bridge project.

    python3 scripts/weights/torch_weights.py fixtures
        makes one small seeded model of each kind (lstm, attention,
        transformer, rnn, gru) in PyTorch (float64) and
        writes tests/fixtures/torch_{kind}.safetensors (weights and encdec's
        metadata: format encdec-weights-2, the config in layout 2) and
        tests/fixtures/torch_{kind}_logits.safetensors (a batch and
        PyTorch's logits on it), which tests/weights.rs reads; then runs
        arch-fixtures.

    python3 scripts/weights/torch_weights.py arch-fixtures
        the same for the models of ARCH_FIXTURES (LSTM models with two
        layers, a bidirectional encoder, each bridge; a Transformer with
        norm_first, GELU and final norms; attention with GRU cells; GRU and
        RNN models with two layers, a bidirectional encoder and each
        bridge): torch_{name}.safetensors and torch_{name}_logits.safetensors.

Requires torch and safetensors (`pip install torch safetensors`); the Rust
tests need neither.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch import nn

torch.backends.mha.set_fastpath_enabled(False)  # the plain path, as in training
TOLERANCE = 1e-12
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def positional_encoding(length, d):
    """pe[pos, j] = sin or cos of pos / 10000^(2i/d), with 2i = j - j % 2."""
    pe = torch.zeros(length, d, dtype=torch.float64)
    for pos in range(length):
        for j in range(d):
            angle = pos / 10000 ** ((j - j % 2) / d)
            pe[pos, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return pe


FORMATS = ("encdec-weights-2", "encdec-weights-1")

# The recurrent layer of each cell, as encdec's (the RNN is §4.1's with f = tanh).
CELLS = {"lstm": nn.LSTM, "gru": nn.GRU,
         "rnn": lambda *a, **k: nn.RNN(*a, nonlinearity="tanh", **k)}


def layout_2(c, fmt="encdec-weights-2"):
    """The config `c` in layout 2, from a file of format `fmt`.

    Layout 1 (format encdec-weights-1) names the Transformer's d_model and
    d_ff `emb` and `hidden`, puts `layers` and `heads` on every model and
    the options in an `arch` object (absent in the oldest files: one layer,
    one direction, post-norm, ReLU, no final norm); its `layers` is the
    Transformer's, the LSTMs' is `arch.rnn_layers`. In layout 2 the optional
    keys left out take their defaults."""
    if fmt not in FORMATS:
        raise ValueError(f"metadata format is {fmt!r}, expected one of {', '.join(FORMATS)}")
    if fmt == "encdec-weights-2":
        # The optional keys at their defaults (docs/weights.md, "The config's keys").
        if c["kind"] == "transformer":
            return dict(dict(norm_first=False, activation="relu", final_norm=False), **c)
        return dict(dict(layers=1, bidirectional=False, bridge="concat"), **c)
    arch = c.get("arch") or {}
    common = {k: c[k] for k in ("kind", "src_vocab", "tgt_vocab", "dropout")}
    if c["kind"] == "transformer":
        return dict(common, d_model=c["emb"], d_ff=c["hidden"], heads=c["heads"],
                    layers=c["layers"], norm_first=arch.get("norm_first", False),
                    activation="gelu" if arch.get("gelu", False) else "relu",
                    final_norm=arch.get("final_norm", False))
    return dict(common, emb=c["emb"], hidden=c["hidden"], layers=arch.get("rnn_layers", 1),
                bidirectional=arch.get("bidirectional", False),
                bridge=arch.get("bridge", "concat"))


def transformer_stacks(encoder, decoder, c):
    """The layers (and final norms) of both stacks, wired as the config says."""
    options = dict(dropout=0.0, batch_first=True, norm_first=c["norm_first"],
                   activation=c["activation"])
    d, heads, d_ff = c["d_model"], c["heads"], c["d_ff"]
    encoder.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, heads, d_ff, **options)
                                   for _ in range(c["layers"]))
    decoder.layers = nn.ModuleList(nn.TransformerDecoderLayer(d, heads, d_ff, **options)
                                   for _ in range(c["layers"]))
    if c["final_norm"]:
        encoder.norm, decoder.norm = nn.LayerNorm(d), nn.LayerNorm(d)


def final_norm(stack, x):
    """The stack's final LayerNorm on x, if it has one."""
    return stack.norm(x) if hasattr(stack, "norm") else x


class Model(nn.Module):
    """One of encdec's models, named as `encdec export` names them."""

    def __init__(self, c):
        """`c`: a config in layout 2."""
        super().__init__()
        self.kind = c["kind"]
        self.encoder, self.decoder = nn.Module(), nn.Module()
        transformer = self.kind == "transformer"
        d = c["d_model"] if transformer else c["emb"]
        self.encoder.embedding = nn.Embedding(c["src_vocab"], d)
        self.decoder.embedding = nn.Embedding(c["tgt_vocab"], d)
        if transformer:
            transformer_stacks(self.encoder, self.decoder, c)
            self.decoder.output = nn.Linear(d, c["tgt_vocab"])
        else:
            h, layers, self.bidirectional = c["hidden"], c["layers"], c["bidirectional"]
            self.project = self.bidirectional and c["bridge"] == "project"
            dh = 2 * h if self.bidirectional and not self.project else h  # the decoder's width
            self.cell = c.get("cell", "lstm") if self.kind == "attention" else self.kind
            layer = CELLS[self.cell]
            setattr(self.encoder, self.cell, layer(d, h, num_layers=layers,
                                                   bidirectional=self.bidirectional, batch_first=True))
            setattr(self.decoder, self.cell, layer(d, dh, num_layers=layers, batch_first=True))
            if self.kind == "attention":
                self.decoder.combine = nn.Linear(2 * dh, dh)
            self.decoder.output = nn.Linear(dh, c["tgt_vocab"])
            if self.project:
                self.bridge = nn.Module()
                self.bridge.h = nn.Linear(2 * h, h)
                if self.cell == "lstm":
                    self.bridge.c = nn.Linear(2 * h, h)
                if self.kind == "attention":
                    self.bridge.memory = nn.Linear(2 * h, h)

    def forward(self, src, src_lengths, tgt_in):
        s = src.shape[1]
        padding = torch.arange(s)[None, :] >= src_lengths[:, None]  # True: masked
        if self.kind == "transformer":
            return self.transformer(src, padding, tgt_in)
        x = self.encoder.embedding(src)
        packed = nn.utils.rnn.pack_padded_sequence(x, src_lengths, batch_first=True, enforce_sorted=False)
        out, state = getattr(self.encoder, self.cell)(packed)
        memory, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=s)
        state = self.bridged(state)
        if self.project and self.kind == "attention":
            memory = self.bridge.memory(memory)
        states, _ = getattr(self.decoder, self.cell)(self.decoder.embedding(tgt_in), state)
        if self.kind != "attention":
            return self.decoder.output(states)
        scores = (states @ memory.transpose(1, 2)).masked_fill(padding[:, None, :], -math.inf)
        context = torch.softmax(scores, dim=-1) @ memory
        combined = torch.tanh(self.decoder.combine(torch.cat([context, states], dim=-1)))
        return self.decoder.output(combined)

    def bridged(self, state):
        """The encoder's (h_n, c_n) (GRU, RNN: h_n), [L*D, B, H] each, as the decoder's first state."""
        if not self.bidirectional:
            return state
        both = lambda x: x.reshape(-1, 2, *x.shape[1:]).permute(0, 2, 1, 3).reshape(x.shape[0] // 2, x.shape[1], -1)
        if self.cell != "lstm":
            h = both(state)  # [L, B, 2H]: [h->; h<-] per layer
            return (torch.tanh(self.bridge.h(h)) if self.project else h).contiguous()
        h_n, c_n = state
        h, c = both(h_n), both(c_n)
        if self.project:
            h, c = torch.tanh(self.bridge.h(h)), self.bridge.c(c)
        return h.contiguous(), c.contiguous()

    def transformer(self, src, padding, tgt_in):
        d = self.encoder.embedding.embedding_dim
        embed = lambda table, ids: table(ids) * math.sqrt(d) + positional_encoding(ids.shape[1], d)
        x = embed(self.encoder.embedding, src)
        for layer in self.encoder.layers:
            x = layer(x, src_key_padding_mask=padding)
        x = final_norm(self.encoder, x)
        t = tgt_in.shape[1]
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        y = embed(self.decoder.embedding, tgt_in)
        for layer in self.decoder.layers:
            y = layer(y, x, tgt_mask=causal, memory_key_padding_mask=padding)
        return self.decoder.output(final_norm(self.decoder, y))


def check(weights, logits_file, label=None):
    with safe_open(weights, "pt") as f:
        metadata = f.metadata() or {}
    if "config" not in metadata:
        raise SystemExit(f"{weights}: no config in its metadata (not written by `encdec export`?)")
    try:
        config = layout_2(json.loads(metadata["config"]), metadata.get("format"))
    except ValueError as e:
        raise SystemExit(f"{weights}: {e}")
    model = Model(config).double().eval()
    model.load_state_dict(load_file(weights), strict=True)
    batch = load_file(logits_file)
    with torch.no_grad():
        ours = model(batch["src"], batch["src_lengths"], batch["tgt_in"])
    diff = (ours - batch["logits"]).abs().max().item()
    ok = diff <= TOLERANCE
    print(f"{label or config['kind']}: PyTorch's logits {list(ours.shape)} differ from encdec's by at most {diff:.2e} "
          f"({'within' if ok else 'OVER'} {TOLERANCE:g})")
    return ok


# The fixtures' sizes, in layout 2 (after kind, src_vocab, tgt_vocab and dropout).
RNN_SIZES = dict(emb=5, hidden=6, layers=1, bidirectional=False, bridge="concat")
FIXTURE_CONFIGS = {
    "transformer": dict(src_vocab=9, tgt_vocab=11, d_model=8, d_ff=12, heads=2, layers=2,
                        norm_first=False, activation="relu", final_norm=False),
    "lstm": dict(src_vocab=9, tgt_vocab=11, **RNN_SIZES),
    "attention": dict(src_vocab=9, tgt_vocab=11, **RNN_SIZES),
    "rnn": dict(src_vocab=9, tgt_vocab=11, **RNN_SIZES),
    "gru": dict(src_vocab=9, tgt_vocab=11, **RNN_SIZES),
}


# The models with architecture options: fixture name -> (kind, what differs from
# FIXTURE_CONFIGS[kind], seed).
ARCH_FIXTURES = {
    "lstm_stacked_concat": ("lstm", dict(layers=2, bidirectional=True, bridge="concat"), 10),
    "attention_stacked_project": ("attention", dict(layers=2, bidirectional=True, bridge="project"), 11),
    "transformer_arch": ("transformer", dict(norm_first=True, activation="gelu", final_norm=True), 7),
    "attention_gru": ("attention", dict(cell="gru"), 12),
    "gru_stacked_project": ("gru", dict(layers=2, bidirectional=True, bridge="project"), 13),
    "attention_rnn_stacked_concat": ("attention", dict(cell="rnn", layers=2, bidirectional=True, bridge="concat"), 14),
}


def save_atomically(tensors, path, metadata=None):
    """save_file to a temporary file beside `path`, then renamed over it, so that a test
    reading `path` meanwhile finds the old file or the new one, whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        save_file(tensors, tmp, metadata=metadata)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def make_fixture(kind, out_dir, seed, name=None, arch=None):
    """torch_{name}.safetensors and torch_{name}_logits.safetensors (name: the kind)."""
    name = name or kind
    torch.manual_seed(seed)
    sizes = FIXTURE_CONFIGS[kind]
    config = dict(kind=kind, src_vocab=sizes["src_vocab"], tgt_vocab=sizes["tgt_vocab"],
                  dropout=0.1)
    config.update(sizes, **(arch or {}))
    model = Model(config).double().eval()
    with torch.no_grad():
        for p in model.parameters():  # LayerNorm's ones and zeros too: every tensor matters
            p.copy_(torch.randn_like(p) * 0.5)
    lengths = [4, 2, 3]
    src = torch.zeros(3, 4, dtype=torch.int64)  # words, </s> (3), then <pad> (0)
    tgt_in = torch.zeros(3, 4, dtype=torch.int64)  # <s> (2), words, then <pad>
    for row, n in enumerate(lengths):
        src[row, : n - 1] = torch.randint(4, config["src_vocab"], (n - 1,))
        src[row, n - 1] = 3
        tgt_in[row, 0] = 2
        tgt_in[row, 1:n] = torch.randint(4, config["tgt_vocab"], (n - 1,))
    src_lengths = torch.tensor(lengths, dtype=torch.int64)
    with torch.no_grad():
        logits = model(src, src_lengths, tgt_in)
    words = lambda n, p: ["<pad>", "<unk>", "<s>", "</s>"] + [f"{p}{i}" for i in range(4, n)]
    metadata = {
        "format": "encdec-weights-2",
        "task": "translation",
        "config": json.dumps(config),
        "text": json.dumps(dict(lowercase=True, src_lang="en", tgt_lang="fr", max_len=50)),
        "src_vocab": json.dumps(words(config["src_vocab"], "en")),
        "tgt_vocab": json.dumps(words(config["tgt_vocab"], "fr")),
    }
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_atomically(state, out_dir / f"torch_{name}.safetensors", metadata)
    batch = dict(src=src, src_lengths=src_lengths, tgt_in=tgt_in, logits=logits.contiguous())
    save_atomically(batch, out_dir / f"torch_{name}_logits.safetensors")
    print(f"wrote tests/fixtures/torch_{name}.safetensors and torch_{name}_logits.safetensors")


def train_export_check(tmp, name, train_args):
    """Trains with `encdec train` and `train_args`, exports with --logits, runs check; a step
    that fails is reported in one line (with encdec's error) and counts as a failed check."""
    label = " ".join(train_args[1:])
    ckpt, weights, logits = (f"{tmp}/{name}{end}" for end in [".ckpt", ".safetensors", "_logits.safetensors"])
    encdec = ["cargo", "run", "--release", "--quiet", "--"]
    steps = [("train", ["train", *train_args, "--pairs", "200", "--epochs", "1", "--out", ckpt]),
             ("export", ["export", "--checkpoint", ckpt, "--out", weights, "--logits", logits])]
    for step, args in steps:
        p = subprocess.run(encdec + args, cwd=ROOT, capture_output=True, text=True)
        if p.returncode != 0:
            why = (p.stderr.strip() or p.stdout.strip() or f"exit {p.returncode}").splitlines()[-1]
            print(f"{label}: `encdec {step}` FAILED: {why}")
            return False
    return check(weights, logits, label)


def trained():
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        stacked = ["--layers", "2", "--bidirectional"]
        runs = [("transformer", []), ("lstm", []), ("attention", []), ("rnn", []), ("gru", [])]
        runs += [(kind, stacked + bridge) for kind in ["lstm", "attention"]
                 for bridge in [[], ["--bridge", "project"]]]
        runs += [("attention", ["--cell", "gru"]), ("gru", stacked + ["--bridge", "project"])]
        runs += [("transformer", ["--norm-first", "--gelu", "--final-norm"])]
        for i, (kind, flags) in enumerate(runs):
            ok = train_export_check(tmp, f"{kind}{i}", ["--model", kind, *flags]) and ok
    return ok


def main(argv):
    if len(argv) == 3 and argv[0] == "check":
        return 0 if check(argv[1], argv[2]) else 1
    if argv == ["trained"]:
        return 0 if trained() else 1
    if argv == ["fixtures"]:
        for seed, kind in enumerate(FIXTURE_CONFIGS):
            make_fixture(kind, FIXTURES, seed)
        return 0 if main(["arch-fixtures"]) == 0 else 1
    if argv == ["arch-fixtures"]:
        for name, (kind, arch, seed) in ARCH_FIXTURES.items():
            make_fixture(kind, FIXTURES, seed, name, arch)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
