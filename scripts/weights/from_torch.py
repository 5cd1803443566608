"""Convert a PyTorch model's state dict into a weights file that `encdec import` takes.

    python3 scripts/weights/from_torch.py MODEL.pt --family lstm \\
        --src-vocab src.txt --tgt-vocab tgt.txt --out model.safetensors
    cargo run --release -- import --weights model.safetensors --out model.ckpt

MODEL.pt is what `torch.save(model.state_dict(), "MODEL.pt")` writes for a model whose
tensors carry the names docs/weights.md lists for its family (the modules of
scripts/weights/torch_weights.py's `Model`: `encoder.embedding.weight`,
`encoder.lstm.weight_ih_l0`, `decoder.output.bias`, ...; no prefix such as `model.`).

Every size is read from the tensors' shapes: the vocabularies and emb (or d_model) from
the embeddings; hidden, the number of layers, a bidirectional encoder, the bridge and,
for --family attention, the cell (lstm, gru or rnn) from the recurrent tensors; d_ff,
the number of layers and the final norms from the Transformer's. The sizes are then
checked against each other: the converter builds the family's modules with those sizes
and asks that the state dict have exactly their tensors, each of their shape.

What the tensors cannot tell is asked:
    --family       lstm, gru, rnn, attention or transformer
    --src-vocab, --tgt-vocab
                   the vocabularies as text files, one token per line in id order,
                   starting <pad>, <unk>, <s>, </s>; as many lines as the embedding has rows
    --task         translation (default), summarization or dialogue
    --src-lang, --tgt-lang
                   the tokenizer's languages, en or fr (default: en and fr)
    --case         lower (default: the tokenizer lowercases, as encdec trains) or keep
    --max-len      the most words a sentence has (default 50; decoding writes at most
                   one more token)
    --heads        the Transformer's attention heads (required for it, refused otherwise)
    --norm-first   the Transformer's layers normalise first (pre-norm; default post-norm)
    --activation   the Transformer's feed-forward activation, relu (default) or gelu

It writes float64 tensors and the metadata block `encdec import` reads (format,
task, config with only the family's own keys, text, both vocabularies). A problem
is one line on standard error and exit status 1: a missing tensor, a tensor left
over, a wrong shape, a vocabulary whose size is not its embedding's, an unknown family.

It cannot convert a model whose computation differs from encdec's (another attention
score, learned positions, tied embeddings, a decoder that feeds its context back in,
more decoder than encoder layers), nor rename tensors: save them under these names.

Requires torch and safetensors.
"""

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import torch  # noqa: E402
from torch_weights import Model, save_atomically  # noqa: E402

FAMILIES = ("lstm", "gru", "rnn", "attention", "transformer")
CELLS = ("lstm", "gru", "rnn")
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]


class Refused(Exception):
    """A problem with the user's input, told in one line."""


def shape_of(state, name):
    """The shape of tensor `name`, or a Refused naming it."""
    if name not in state:
        raise Refused(f"tensor {name} is missing (docs/weights.md lists each family's tensors)")
    return list(state[name].shape)


def rnn_config(state, family):
    """The recurrent model's layout-2 config, sizes from the tensors."""
    if family == "attention":
        found = [c for c in CELLS if f"encoder.{c}.weight_ih_l0" in state]
        if len(found) != 1:
            raise Refused("tensor encoder.lstm.weight_ih_l0 (or encoder.gru.*, encoder.rnn.*) is missing: "
                          "the attention model's encoder is nn.LSTM, nn.GRU or nn.RNN named encoder.lstm, ...")
        cell = found[0]
    else:
        cell = family
    gates = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    v_s, emb = shape_of(state, "encoder.embedding.weight")
    rows, _ = shape_of(state, f"encoder.{cell}.weight_ih_l0")
    if rows % gates:
        raise Refused(f"tensor encoder.{cell}.weight_ih_l0 has {rows} rows, not a multiple of {gates} "
                      f"(the {cell} cell's gates)")
    layers = sum(1 for k in state if re.fullmatch(rf"encoder\.{cell}\.weight_ih_l\d+", k))
    config = dict(kind=family, src_vocab=v_s, tgt_vocab=shape_of(state, "decoder.embedding.weight")[0],
                  emb=emb, hidden=rows // gates, layers=layers,
                  bidirectional=f"encoder.{cell}.weight_ih_l0_reverse" in state)
    config["bridge"] = "project" if "bridge.h.weight" in state else "concat"
    if family == "attention" and cell != "lstm":
        config["cell"] = cell
    return config


def transformer_config(state, args):
    """The Transformer's layout-2 config, sizes from the tensors and the rest from `args`."""
    if args.heads is None:
        raise Refused("--heads is needed for a transformer (the tensors do not tell it)")
    v_s, d_model = shape_of(state, "encoder.embedding.weight")
    d_ff, _ = shape_of(state, "encoder.layers.0.linear1.weight")
    count = lambda side: len({k.split(".")[2] for k in state if k.startswith(f"{side}.layers.")})
    layers = count("encoder")
    if count("decoder") != layers:
        raise Refused(f"the encoder has {layers} layers and the decoder {count('decoder')} "
                      "(encdec's Transformer has as many of each)")
    if d_model % args.heads:
        raise Refused(f"--heads {args.heads} does not divide d_model {d_model} "
                      "(the width of tensor encoder.embedding.weight)")
    return dict(kind="transformer", src_vocab=v_s, tgt_vocab=shape_of(state, "decoder.embedding.weight")[0],
                d_model=d_model, d_ff=d_ff, heads=args.heads, layers=layers,
                norm_first=args.norm_first, activation=args.activation,
                final_norm="encoder.norm.weight" in state)


def check_tensors(state, config):
    """Refuses a tensor missing, left over or of another shape than the family's modules with
    `config`'s sizes have."""
    want = {k: list(v.shape) for k, v in Model(config).state_dict().items()}
    for name, shape in want.items():
        got = shape_of(state, name)
        if got != shape:
            raise Refused(f"tensor {name} has shape {got}, expected {shape} "
                          f"(the sizes read from the other tensors: {sizes(config)})")
    extra = sorted(set(state) - set(want))
    if extra:
        raise Refused(f"tensor {extra[0]} is not a parameter of a {config['kind']} model with "
                      f"{sizes(config)}: remove it, or check --family")


def sizes(config):
    return ", ".join(f"{k} {json.dumps(v)}" for k, v in config.items() if k != "kind")


def read_vocab(path, flag, table, rows):
    """The tokens of a vocabulary file, checked against the embedding `table` of `rows` rows."""
    try:
        tokens = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise Refused(f"{flag} {path!r}: cannot read it ({e.__class__.__name__})")
    if tokens[:4] != SPECIALS:
        raise Refused(f"{flag} {path!r}: the first four lines must be {' '.join(SPECIALS)}")
    for i, t in enumerate(tokens):
        if not t.strip() or t != t.strip():
            raise Refused(f"{flag} {path!r}: line {i + 1} is empty or has spaces around its token")
    if len(set(tokens)) != len(tokens):
        raise Refused(f"{flag} {path!r}: a token appears twice")
    if len(tokens) != rows:
        raise Refused(f"{flag} {path!r} has {len(tokens)} tokens but tensor {table} has {rows} rows")
    return tokens


def load_state(path):
    """The state dict in `path`, as float64 tensors."""
    if not Path(path).is_file():
        raise Refused(f"{path!r}: no such file")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable file is one line
        raise Refused(f"{path!r} is not a readable PyTorch file ({e.__class__.__name__}); "
                      "save it with torch.save(model.state_dict(), path)")
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise Refused(f"{path!r} holds no state dict of tensors; save it with "
                      "torch.save(model.state_dict(), path)")
    bad = [k for k, v in state.items() if not v.is_floating_point()]
    if bad:
        raise Refused(f"tensor {bad[0]} is {state[bad[0]].dtype}, not floating point")
    return {k: v.detach().to(torch.float64).contiguous() for k, v in state.items()}


def convert(args):
    """Reads, checks and writes; returns the line to print."""
    if args.family not in FAMILIES:
        raise Refused(f"unknown family {args.family!r}: expected one of {', '.join(FAMILIES)}")
    transformer = args.family == "transformer"
    if not transformer and (args.heads is not None or args.norm_first or args.activation != "relu"):
        raise Refused("--heads, --norm-first and --activation are settings of the transformer only")
    if not args.out.endswith(".safetensors"):
        raise Refused(f"--out {args.out!r} must end in .safetensors")
    state = load_state(args.state_dict)
    config = transformer_config(state, args) if transformer else rnn_config(state, args.family)
    src = read_vocab(args.src_vocab, "--src-vocab", "encoder.embedding.weight", config["src_vocab"])
    tgt = read_vocab(args.tgt_vocab, "--tgt-vocab", "decoder.embedding.weight", config["tgt_vocab"])
    check_tensors(state, config)
    text = dict(lowercase=args.case == "lower", src_lang=args.src_lang, tgt_lang=args.tgt_lang,
                max_len=args.max_len)
    metadata = dict(format="encdec-weights-2", task=args.task, config=json.dumps(config),
                    text=json.dumps(text), src_vocab=json.dumps(src, ensure_ascii=False),
                    tgt_vocab=json.dumps(tgt, ensure_ascii=False))
    try:
        save_atomically(state, Path(args.out), metadata)
    except OSError as e:
        raise Refused(f"cannot write {args.out!r} ({e.strerror})")
    return f"{args.family} model ({sizes(config)}): {len(state)} tensors written to {args.out}"


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        raise Refused(f"{message} (see --help)")


def parser():
    p = OneLineParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                      usage="%(prog)s MODEL.pt --family F --src-vocab FILE --tgt-vocab FILE --out FILE [options]")
    p.add_argument("state_dict", metavar="MODEL.pt", help="torch.save(model.state_dict(), ...)'s file")
    p.add_argument("--family", required=True, help=", ".join(FAMILIES))
    p.add_argument("--src-vocab", required=True)
    p.add_argument("--tgt-vocab", required=True)
    p.add_argument("--out", required=True, help="the weights file to write (.safetensors)")
    p.add_argument("--task", default="translation", choices=["translation", "summarization", "dialogue"])
    p.add_argument("--src-lang", default="en", choices=["en", "fr"])
    p.add_argument("--tgt-lang", default="fr", choices=["en", "fr"])
    p.add_argument("--case", default="lower", choices=["lower", "keep"])
    p.add_argument("--max-len", type=int, default=50)
    p.add_argument("--heads", type=int)
    p.add_argument("--norm-first", action="store_true")
    p.add_argument("--activation", default="relu", choices=["relu", "gelu"])
    return p


def main(argv):
    try:
        args = parser().parse_args(argv)
        if not 1 <= args.max_len <= 100_000:
            raise Refused("--max-len must be from 1 to 100000")
        if args.heads is not None and args.heads < 1:
            raise Refused("--heads must be at least 1")
        print(convert(args))
        return 0
    except Refused as e:
        shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(e))
        print(f"from_torch.py: {shown}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
