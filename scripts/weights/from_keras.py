"""Convert the tutorial's §5.1 Keras model, as you trained and saved it, into the safetensors file
that `encdec import --keras` reads.

    python3 scripts/weights/from_keras.py MODEL.keras --src-vocab SRC.txt --tgt-vocab TGT.txt --out model.safetensors
    cargo run --release -- import --keras model.safetensors --out model.ckpt

MODEL is what Keras 3 saved: a `.keras` file (`model.save(...)`: a zip holding config.json and
model.weights.h5) or a `.weights.h5` file (`model.save_weights(...)`). The layers may keep the
names Keras gave them (`embedding`, `embedding_1`, `lstm`, `lstm_1`, `dense`) or any other: the
converter finds the five layers by their kind, their order and their shapes, never by their names.
The order is the model's list of layers (`model.layers`): config.json holds it in a `.keras` file,
and in the weights Keras 3 files each layer under its class and its rank among the model's layers
of that class (`layers/embedding`, `layers/embedding_1`, `layers/lstm`, ...), whatever the layer
was named. Where the shapes tell two layers apart (different vocabularies or embedding widths),
the shapes decide; otherwise the first Embedding and the first LSTM are the encoder's.

The vocabularies are text files, one token per line, line i holding the token of id i; encdec's
four special tokens (<pad>, <unk>, <s>, </s>) must be the first four lines.

Checked before anything is written: two Embeddings [Vs, E] and [Vt, E'], two LSTMs with kernels
[E, 4H], [H, 4H], [4H] and [E', 4H], [H, 4H], [4H] (one H: the decoder starts from the encoder's
state), a Dense [H, Vt] + [Vt], and no other layer with weights; Vs and Vt the vocabularies' line
counts. Anything else (a GRU, a Bidirectional layer, a layer more or less, a shape that does not
fit, a damaged file) is one line on stderr saying what was found and what was expected, exit 1.

Needs h5py, numpy and safetensors (not Keras). The output is written to a temporary file beside
--out and renamed over it.
"""

import argparse
import io
import json
import os
import re
import sys
import zipfile
from pathlib import Path

import h5py
import numpy as np
from safetensors.numpy import save_file

FORMAT = "keras-lstm-1"
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]
TASKS = ["translation", "summarization", "dialogue"]
ROLES = ["encoder_embedding", "encoder_lstm", "decoder_embedding", "decoder_lstm", "decoder_dense"]
FIVE = ["Embedding", "LSTM", "Embedding", "LSTM", "Dense"]
EXPECTED = "the §5.1 model's five layers with weights: Embedding, Embedding, LSTM, LSTM, Dense"
# Keras layers with no weights that the §5.1 model has (a .keras file names every layer's class).
WEIGHTLESS = {"InputLayer"}
WANT = {"Embedding": "an Embedding's one table", "Dense": "a Dense's kernel and bias",
        "LSTM": "an LSTM's kernel, recurrent kernel and bias"}


class NotTheModel(Exception):
    """What was found and what was expected, in one line."""


def shown(text) -> str:
    """`text` safe to print on one line: control characters escaped, at most 80 characters."""
    text = str(text)
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= 80 else text[:77] + "..."


def natural(name: str):
    """Sort key: `lstm_2` before `lstm_10`, as Keras numbers layers."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def variables(group) -> list:
    """A Keras layer group's own variables (`vars/0`, `vars/1`, ...) as float64 arrays."""
    if "vars" not in group:
        return []
    v = group["vars"]
    return [np.asarray(v[k][()], dtype=np.float64) for k in sorted(v.keys(), key=int)]


def kind_of(group) -> str:
    """What a layer group holds, told by its structure: the §5.1 kinds, or a description."""
    subs = [k for k in group.keys() if k != "vars"]
    if {"forward_layer", "backward_layer"} & set(subs):
        return "Bidirectional"
    own = variables(group)
    if subs == ["cell"]:
        w = variables(group["cell"])
        if len(w) == 3 and w[1].ndim == 2 and w[1].shape[1] == 4 * w[1].shape[0]:
            return "LSTM"
        gates = w[1].shape[1] // max(w[1].shape[0], 1) if len(w) > 1 and w[1].ndim == 2 else 0
        return {3: "GRU", 1: "SimpleRNN"}.get(gates, "a recurrent layer")
    if subs:
        return f"a layer of {len(subs)} sublayers"
    shapes = [w.shape for w in own]
    if len(shapes) == 1 and len(shapes[0]) == 2:
        return "Embedding"
    if len(shapes) == 2 and len(shapes[0]) == 2 and shapes[1] == shapes[0][1:]:
        return "Dense"
    return f"a layer with weights {[list(s) for s in shapes]}" if own else ""


def tensors_of(group, kind: str) -> list:
    """The §5.1 layer's tensors in Keras's order (an LSTM's are its cell's)."""
    return variables(group["cell"]) if kind == "LSTM" else variables(group)


def keras_layers(path: Path):
    """(layers, keras_version): each layer with weights as (kind, name, tensors), in file order."""
    raw = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(raw)):
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            missing = {"config.json", "model.weights.h5"} - set(z.namelist())
            if missing:
                raise NotTheModel(f"a zip without {', '.join(sorted(missing))}; expected a .keras "
                                  "file (config.json and model.weights.h5)")
            config = json.loads(z.read("config.json"))
            version = json.loads(z.read("metadata.json")).get("keras_version", "unknown") \
                if "metadata.json" in z.namelist() else "unknown"
            weights = z.read("model.weights.h5")
        listed = config.get("config", {}).get("layers") if isinstance(config, dict) else None
        if not isinstance(listed, list):
            raise NotTheModel("config.json lists no layers; expected a Keras functional model "
                              "(keras.Model([encoder_inputs, decoder_inputs], outputs))")
        order, used = [], {}
        for layer in listed:
            cls = str(layer.get("class_name"))
            order.append((cls, str(layer.get("name")), group_name(cls, used)))
        return from_h5(io.BytesIO(weights), order), version
    if raw.startswith(b"PK"):
        raise NotTheModel("a damaged zip (cut short?); expected a whole .keras file")
    if not raw.startswith(b"\x89HDF\r\n\x1a\n"):
        raise NotTheModel(f"neither a .keras zip nor a .weights.h5 HDF5 file (starts with "
                          f"{shown(raw[:8])}); expected one of those, as Keras 3 saves them")
    return from_h5(io.BytesIO(raw), None), "unknown"


def group_name(cls: str, used: dict) -> str:
    """The weights group Keras 3 files a layer of class `cls` under: the class in snake case,
    numbered from the second layer of that class on (as keras.src.saving.saving_lib does)."""
    name = re.sub(r"\W+", "", cls)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    used[name] = used.get(name, -1) + 1
    return f"{name}_{used[name]}" if used[name] else name


def from_h5(source, order):
    """The layers with weights in a Keras weights file, as (kind, name, tensors). `order`, for a
    .keras file, is config.json's list of (class, layer name, group); without it, the groups in
    their numbers' order, their kinds told by their structure."""
    with h5py.File(source, "r") as f:
        if "layers" not in f:
            raise NotTheModel("an HDF5 file without Keras 3's `layers` group; expected a Keras 3 "
                              ".weights.h5 (model.save_weights) or .keras file")
        groups = f["layers"]
        if order is None:
            order = [(None, name, name) for name in sorted(groups.keys(), key=natural)]
        found = []
        for cls, name, group in order:
            if group not in groups:
                raise NotTheModel(f"config.json's layer {shown(name)} ({shown(cls)}) has no "
                                  f"weights (no group {shown(group)}); expected a whole .keras file")
            kind = kind_of(groups[group])
            if cls is not None and cls not in WEIGHTLESS and cls != kind:
                if cls in ("Embedding", "LSTM", "Dense"):
                    raise NotTheModel(f"config.json's {cls} layer {shown(name)} holds weights "
                                      f"like {kind or 'none'}'s; expected {WANT[cls]}")
                kind = cls  # config.json names the class: report it as Keras does
            if cls is None and not kind:
                continue  # an InputLayer (a .weights.h5 cannot tell which weightless layer)
            if cls in WEIGHTLESS:
                continue
            found.append((kind, name, tensors_of(groups[group], kind) if kind in
                          ("LSTM", "Embedding", "Dense") else []))
        return found


def assign(found, src_size, tgt_size):
    """{role: (layer name, tensors)} for the five roles; raises NotTheModel naming what does not
    fit. Order first; the shapes override it where they tell two layers apart."""
    kinds = [k for k, _, _ in found]
    if sorted(kinds) != sorted(FIVE):
        raise NotTheModel(f"found {len(kinds)} layers ({', '.join(kinds) or 'none'}); "
                          f"expected {EXPECTED}")

    def of(kind):
        return [(name, tensors) for k, name, tensors in found if k == kind]

    (emb_a, emb_b), (lstm_a, lstm_b), (dense,) = of("Embedding"), of("LSTM"), of("Dense")
    tgt_rows = dense[1][0].shape[1]
    # The decoder's embedding has the Dense's vocabulary ...
    if emb_a[1][0].shape[0] == tgt_rows != emb_b[1][0].shape[0]:
        emb_a, emb_b = emb_b, emb_a
    # ... and each LSTM reads its own embedding's width.
    width = emb_a[1][0].shape[1]
    if lstm_a[1][0].shape[0] != width == lstm_b[1][0].shape[0]:
        lstm_a, lstm_b = lstm_b, lstm_a
    roles = dict(zip(ROLES, (emb_a, lstm_a, emb_b, lstm_b, dense)))
    check_shapes({role: tensors for role, (_, tensors) in roles.items()}, src_size, tgt_size)
    return roles


def check_shapes(roles, src_size, tgt_size):
    """Every shape against the others and the vocabularies (see the module's docstring)."""
    (src,), (tgt,) = roles["encoder_embedding"], roles["decoder_embedding"]
    hidden = roles["encoder_lstm"][1].shape[0]
    want = {
        "encoder Embedding": (src, (src_size, src.shape[1])),
        "decoder Embedding": (tgt, (tgt_size, tgt.shape[1])),
        "Dense kernel": (roles["decoder_dense"][0], (hidden, tgt_size)),
        "Dense bias": (roles["decoder_dense"][1], (tgt_size,)),
    }
    for side, emb in (("encoder", src), ("decoder", tgt)):
        kernel, recurrent, bias = roles[f"{side}_lstm"]
        want[f"{side} LSTM kernel"] = (kernel, (emb.shape[1], 4 * hidden))
        want[f"{side} LSTM recurrent kernel"] = (recurrent, (hidden, 4 * hidden))
        want[f"{side} LSTM bias"] = (bias, (4 * hidden,))
    for what, (t, shape) in want.items():
        if t.shape != shape:
            raise NotTheModel(
                f"the {what} is {list(t.shape)}, expected {list(shape)} (vocabularies {src_size} "
                f"and {tgt_size} tokens, embedding widths {src.shape[1]} and {tgt.shape[1]}, "
                f"hidden size {hidden} from the encoder LSTM's recurrent kernel)")
    for what, (t, _) in want.items():
        if not np.isfinite(t).all():
            raise NotTheModel(f"the {what} holds NaN or infinite values; expected a trained model")


def read_vocab(path: Path, side: str) -> list:
    """A vocabulary file's tokens, encdec's special tokens first."""
    try:
        tokens = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise NotTheModel(f"--{side}-vocab {shown(path)}: cannot read it as UTF-8 text "
                          f"({shown(type(e).__name__)})") from None
    if tokens[:4] != SPECIALS:
        raise NotTheModel(f"--{side}-vocab {shown(path)} starts with "
                          f"{shown(tokens[:4])}; expected encdec's {' '.join(SPECIALS)}, "
                          "one per line, as ids 0 to 3")
    seen = {}
    for i, t in enumerate(tokens):
        if not t.strip() or t != t.strip() or t in seen:
            why = f"repeats line {seen[t] + 1}" if t in seen else "is empty or has spaces"
            raise NotTheModel(f"--{side}-vocab {shown(path)}: line {i + 1} ({shown(t)}) {why}; "
                              "expected one token per line")
        seen[t] = i
    return tokens


def convert(model: Path, src_vocab: Path, tgt_vocab: Path, task: str):
    """(tensors, metadata) of the safetensors file `encdec import --keras` reads, and which Keras
    layer became which role."""
    src, tgt = read_vocab(src_vocab, "src"), read_vocab(tgt_vocab, "tgt")
    try:
        found, version = keras_layers(model)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as e:
        raise NotTheModel(f"cannot read it as a Keras 3 file ({shown(type(e).__name__)}: "
                          f"{shown(e)}); expected a whole .keras or .weights.h5 file") from None
    roles = assign(found, len(src), len(tgt))
    tensors = {}
    for role, (_, ts) in roles.items():
        suffixes = ["embeddings"] if role.endswith("embedding") else \
            ["kernel", "bias"] if role == "decoder_dense" else \
            ["lstm_cell/kernel", "lstm_cell/recurrent_kernel", "lstm_cell/bias"]
        for suffix, t in zip(suffixes, ts):
            tensors[f"{role}/{suffix}"] = np.ascontiguousarray(t, dtype=np.float64)
    meta = {"format": FORMAT, "task": task, "src_vocab": json.dumps(src),
            "tgt_vocab": json.dumps(tgt), "keras_version": version}
    return tensors, meta, {role: name for role, (name, _) in roles.items()}


def write(tensors, meta, out: Path):
    """Writes to a temporary file beside `out`, then renames it over `out`."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        save_file(tensors, str(tmp), metadata=meta)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        prog="from_keras.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="More in docs/ch5-keras-model.md.")
    p.add_argument("model", type=Path, help="the §5.1 model as Keras 3 saved it: .keras or .weights.h5")
    p.add_argument("--src-vocab", type=Path, required=True,
                   help="source vocabulary: one token per line, id order, <pad> <unk> <s> </s> first")
    p.add_argument("--tgt-vocab", type=Path, required=True, help="target vocabulary, likewise")
    p.add_argument("--task", choices=TASKS, default="translation",
                   help="the task the model was trained for (sets encdec's tokenizer; default translation)")
    p.add_argument("--out", type=Path, required=True, help="the safetensors file to write")
    a = p.parse_args(argv)
    try:
        if a.out.is_dir() or not a.out.resolve().parent.is_dir():
            raise NotTheModel(f"--out {shown(a.out)}: expected a file in an existing folder")
        if not a.model.is_file():
            raise NotTheModel(f"{shown(a.model)}: no such file; expected a .keras or .weights.h5 file")
        tensors, meta, names = convert(a.model, a.src_vocab, a.tgt_vocab, a.task)
        write(tensors, meta, a.out)
    except NotTheModel as e:
        print(f"from_keras.py: {shown(a.model)}: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001  (a file no check foresaw: still one line)
        print(f"from_keras.py: {shown(a.model)}: cannot convert it ({shown(type(e).__name__)}: "
              f"{shown(e)}); expected the §5.1 model as Keras 3 saves it", file=sys.stderr)
        return 1
    roles = ", ".join(f"{role} <- {shown(name)}" for role, name in names.items())
    print(f"wrote {shown(a.out)}: {roles}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
