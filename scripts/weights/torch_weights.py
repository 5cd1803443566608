"""Run encdec's models in PyTorch, and PyTorch-made models in encdec.

encdec's three models are built here from torch.nn modules whose parameter
names are the ones `encdec export` writes (see src/seq2seq/weights.rs):

    lstm         encoder/decoder: nn.Embedding + nn.LSTM(batch_first=True);
                 decoder.output: nn.Linear
    attention    the same, plus dot-product attention over the encoder's
                 outputs and decoder.combine: nn.Linear(2H, H) with tanh

For lstm and attention, the config's "arch" (absent in older files: one
layer, one direction) gives nn.LSTM(num_layers=L) to both, and
bidirectional=True to the encoder. Decoder layer l starts from encoder layer
l's final state, the two directions concatenated; then either the decoder is
2H wide ("bridge": "concat"), or ("project") bridge.h, bridge.c:
nn.Linear(2H, H), shared by the layers, give h0 = tanh(bridge.h([h->; h<-]))
and c0 = bridge.c([c->; c<-]), and the attention model reads its memory
through bridge.memory: nn.Linear(2H, H). See src/seq2seq/bridge.rs.
    transformer  embeddings scaled by sqrt(d_model) plus sinusoidal
                 positions; encoder.layers.i: nn.TransformerEncoderLayer,
                 decoder.layers.i: nn.TransformerDecoderLayer (batch_first=True;
                 post-norm and ReLU unless the config's "arch" asks for
                 norm_first=True and activation='gelu'); encoder.norm and
                 decoder.norm: nn.LayerNorm when "arch" has final_norm (the
                 `norm=` of nn.TransformerEncoder/Decoder); decoder.output: nn.Linear

Two commands, run from the crate root:

    python3 scripts/weights/torch_weights.py check model.safetensors logits.safetensors
        loads weights written by `encdec export --logits ...` into the torch
        modules, runs the batch stored in the logits file and checks that
        PyTorch's logits equal encdec's to 1e-12 (exit status 1 if not).

    python3 scripts/weights/torch_weights.py trained
        for each kind, trains a small model with encdec (`cargo run --release
        -- train --pairs 200 --epochs 1`), exports it with --logits in a
        temporary folder and runs `check` on it; lstm and attention also
        with `--layers 2 --bidirectional` and with `--layers 2
        --bidirectional --bridge project`; the transformer also with
        --norm-first --gelu --final-norm.

    python3 scripts/weights/torch_weights.py fixtures
        makes one small seeded model of each kind in PyTorch (float64) and
        writes tests/fixtures/torch_{kind}.safetensors (weights and encdec's
        metadata) and tests/fixtures/torch_{kind}_logits.safetensors (a batch
        and PyTorch's logits on it), which tests/weights.rs reads; then
        runs arch-fixtures.

    python3 scripts/weights/torch_weights.py arch-fixtures
        the same for the models of ARCH_FIXTURES (LSTM models with two
        layers, a bidirectional encoder, each bridge; a Transformer with
        norm_first, GELU and final norms): torch_{name}.safetensors and
        torch_{name}_logits.safetensors.

Requires torch and safetensors (`pip install torch safetensors`); the Rust
tests need neither.
"""

import json
import math
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


def positional_encoding(length, d):
    """pe[pos, j] = sin or cos of pos / 10000^(2i/d), with 2i = j - j % 2."""
    pe = torch.zeros(length, d, dtype=torch.float64)
    for pos in range(length):
        for j in range(d):
            angle = pos / 10000 ** ((j - j % 2) / d)
            pe[pos, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return pe


def transformer_stacks(encoder, decoder, c):
    """The layers (and final norms) of both stacks, wired as the config's
    "arch" says (absent: post-norm, ReLU, no final norm)."""
    arch = c.get("arch", {})
    options = dict(dropout=0.0, batch_first=True, norm_first=arch.get("norm_first", False),
                   activation="gelu" if arch.get("gelu", False) else "relu")
    d, heads, d_ff = c["emb"], c["heads"], c["hidden"]
    encoder.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, heads, d_ff, **options)
                                   for _ in range(c["layers"]))
    decoder.layers = nn.ModuleList(nn.TransformerDecoderLayer(d, heads, d_ff, **options)
                                   for _ in range(c["layers"]))
    if arch.get("final_norm", False):
        encoder.norm, decoder.norm = nn.LayerNorm(d), nn.LayerNorm(d)


def final_norm(stack, x):
    """The stack's final LayerNorm on x, if it has one."""
    return stack.norm(x) if hasattr(stack, "norm") else x


class Model(nn.Module):
    """One of encdec's three models, named as `encdec export` names them."""

    def __init__(self, c):
        super().__init__()
        self.kind = c["kind"]
        self.encoder, self.decoder = nn.Module(), nn.Module()
        d, h = c["emb"], c["hidden"]
        self.encoder.embedding = nn.Embedding(c["src_vocab"], d)
        self.decoder.embedding = nn.Embedding(c["tgt_vocab"], d)
        if self.kind == "transformer":
            transformer_stacks(self.encoder, self.decoder, c)
            self.decoder.output = nn.Linear(d, c["tgt_vocab"])
        else:
            arch = c.get("arch") or {}
            layers, self.bidirectional = arch.get("rnn_layers", 1), arch.get("bidirectional", False)
            self.project = self.bidirectional and arch.get("bridge", "concat") == "project"
            dh = 2 * h if self.bidirectional and not self.project else h  # the decoder's width
            self.encoder.lstm = nn.LSTM(d, h, num_layers=layers, bidirectional=self.bidirectional,
                                        batch_first=True)
            self.decoder.lstm = nn.LSTM(d, dh, num_layers=layers, batch_first=True)
            if self.kind == "attention":
                self.decoder.combine = nn.Linear(2 * dh, dh)
            self.decoder.output = nn.Linear(dh, c["tgt_vocab"])
            if self.project:
                self.bridge = nn.Module()
                self.bridge.h, self.bridge.c = nn.Linear(2 * h, h), nn.Linear(2 * h, h)
                if self.kind == "attention":
                    self.bridge.memory = nn.Linear(2 * h, h)

    def forward(self, src, src_lengths, tgt_in):
        s = src.shape[1]
        padding = torch.arange(s)[None, :] >= src_lengths[:, None]  # True: masked
        if self.kind == "transformer":
            return self.transformer(src, padding, tgt_in)
        x = self.encoder.embedding(src)
        packed = nn.utils.rnn.pack_padded_sequence(x, src_lengths, batch_first=True, enforce_sorted=False)
        out, state = self.encoder.lstm(packed)
        memory, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=s)
        state = self.bridged(state)
        if self.project and self.kind == "attention":
            memory = self.bridge.memory(memory)
        states, _ = self.decoder.lstm(self.decoder.embedding(tgt_in), state)
        if self.kind == "lstm":
            return self.decoder.output(states)
        scores = (states @ memory.transpose(1, 2)).masked_fill(padding[:, None, :], -math.inf)
        context = torch.softmax(scores, dim=-1) @ memory
        combined = torch.tanh(self.decoder.combine(torch.cat([context, states], dim=-1)))
        return self.decoder.output(combined)

    def bridged(self, state):
        """The encoder's (h_n, c_n), [L*D, B, H] each, as the decoder's first state."""
        if not self.bidirectional:
            return state
        h_n, c_n = state
        both = lambda x: x.reshape(-1, 2, *x.shape[1:]).permute(0, 2, 1, 3).reshape(x.shape[0] // 2, x.shape[1], -1)
        h, c = both(h_n), both(c_n)  # [L, B, 2H]: [h->; h<-] per layer
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
        config = json.loads(f.metadata()["config"])
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


FIXTURE_CONFIGS = {
    "transformer": dict(src_vocab=9, tgt_vocab=11, emb=8, hidden=12, layers=2, heads=2),
    "lstm": dict(src_vocab=9, tgt_vocab=11, emb=5, hidden=6, layers=1, heads=1),
    "attention": dict(src_vocab=9, tgt_vocab=11, emb=5, hidden=6, layers=1, heads=1),
}


# The models with architecture options: fixture name -> (kind, arch, seed).
ARCH_FIXTURES = {
    "lstm_stacked_concat": ("lstm", dict(rnn_layers=2, bidirectional=True, bridge="concat"), 10),
    "attention_stacked_project": ("attention", dict(rnn_layers=2, bidirectional=True, bridge="project"), 11),
    "transformer_arch": ("transformer", dict(norm_first=True, gelu=True, final_norm=True), 7),
}


def make_fixture(kind, out_dir, seed, name=None, arch=None):
    """torch_{name}.safetensors and torch_{name}_logits.safetensors (name: the kind)."""
    name = name or kind
    torch.manual_seed(seed)
    config = dict(kind=kind, dropout=0.1, **FIXTURE_CONFIGS[kind])
    if arch:
        config["arch"] = arch
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
        "format": "encdec-weights-1",
        "task": "translation",
        "config": json.dumps(config),
        "text": json.dumps(dict(lowercase=True, src_lang="en", tgt_lang="fr", max_len=50)),
        "src_vocab": json.dumps(words(config["src_vocab"], "en")),
        "tgt_vocab": json.dumps(words(config["tgt_vocab"], "fr")),
    }
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, out_dir / f"torch_{name}.safetensors", metadata=metadata)
    batch = dict(src=src, src_lengths=src_lengths, tgt_in=tgt_in, logits=logits.contiguous())
    save_file(batch, out_dir / f"torch_{name}_logits.safetensors")
    print(f"wrote tests/fixtures/torch_{name}.safetensors and torch_{name}_logits.safetensors")


def train_export_check(tmp, name, train_args):
    """Trains with `encdec train` and `train_args`, exports with --logits, runs check."""
    ckpt, weights, logits = (f"{tmp}/{name}{end}" for end in [".ckpt", ".safetensors", "_logits.safetensors"])
    encdec = ["cargo", "run", "--release", "--quiet", "--"]
    subprocess.run(encdec + ["train", *train_args, "--pairs", "200", "--epochs", "1", "--out", ckpt],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(encdec + ["export", "--checkpoint", ckpt, "--out", weights, "--logits", logits],
                   check=True, stdout=subprocess.DEVNULL)
    return check(weights, logits, " ".join(train_args[1:]))


def trained():
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        stacked = ["--layers", "2", "--bidirectional"]
        runs = [("transformer", []), ("lstm", []), ("attention", [])]
        runs += [(kind, stacked + bridge) for kind in ["lstm", "attention"]
                 for bridge in [[], ["--bridge", "project"]]]
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
        out_dir = Path("tests/fixtures")
        for seed, kind in enumerate(FIXTURE_CONFIGS):
            make_fixture(kind, out_dir, seed)
        return 0 if main(["arch-fixtures"]) == 0 else 1
    if argv == ["arch-fixtures"]:
        for name, (kind, arch, seed) in ARCH_FIXTURES.items():
            make_fixture(kind, Path("tests/fixtures"), seed, name, arch)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
