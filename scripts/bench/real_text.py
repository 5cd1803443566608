# Long file: the benchmark's whole job in one place (data, grid, runs, parsing, table).
"""Both model families on real text: English->German or English->Spanish pairs
from the machine's gettext catalogs, encdec's attention LSTM and Transformer
at word level and with subwords, greedy and beam, beside PyTorch recipes of
the same sizes trained on the same files for the same epochs in the same run.

    python3 scripts/bench/real_text.py --lang de --size full --out target/real-de

Steps: scripts/data/gettext_corpus.py writes OUT/data/{train,valid,test}.tsv;
for each configuration `cargo run --release -- train --corpus ... --valid ...
--test ...` trains (its greedy test BLEU is read from its output) and
`encdec evaluate --beam 4` scores beam search; scripts/bench/torch_real_text.py
trains the PyTorch recipes and `encdec bleu --lowercase` scores their outputs
(encdec lowercases by default, and its BLEU then says case:lc), so one scorer
gives every BLEU. Writes OUT/table.md and OUT/results.json, and prints the table.

--size full: every pair, the sizes below, 10 epochs. --size small (what CI
runs): 200 training pairs, 30 validation and 30 test pairs, tiny models, one
epoch, and only the rows of SMALL_ROWS (each family, each implementation, words
and subwords once), seconds per row. --pairs N and --epochs E shrink a full run (the table
says so); --only NAME... runs some rows. Subword rows need `train --subwords`:
without it in this build they are listed as not run.
"""

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENCDEC = ["cargo", "run", "--release", "--quiet", "--"]
BEAM = 4

# Model sizes per family and size. `full`: meant for about 15 min per 10-epoch row on 2 idle
# cores for the whole German training split (an estimate, see docs/own-data.md).
SIZES = {
    "full": {
        "attention": {"emb": 48, "hidden": 96},
        "transformer": {"d-model": 64, "d-ff": 128, "heads": 4, "layers": 2},
    },
    "small": {
        "attention": {"emb": 16, "hidden": 16},
        "transformer": {"d-model": 16, "d-ff": 32, "heads": 2, "layers": 1},
    },
}
# What a practitioner sets for each family: label smoothing for the Transformer
# (encdec warms it up by itself; the PyTorch recipe is told how long).
TRAINING = {"attention": {}, "transformer": {"label-smoothing": 0.1}}
TORCH_ONLY = {"transformer": {"warmup": 400}}

# (name, implementation, family, subword flags or None for words)
GRID = [
    ("encdec-attention-words", "encdec", "attention", None),
    ("encdec-transformer-words", "encdec", "transformer", None),
    ("torch-attention-words", "torch", "attention", None),
    ("torch-transformer-words", "torch", "transformer", None),
    ("encdec-attention-bpe2000-joint", "encdec", "attention",
     {"subwords": 2000, "subword-table": "joint"}),
    ("encdec-attention-bpe2000-separate", "encdec", "attention",
     {"subwords": 2000, "subword-table": "separate"}),
    ("encdec-transformer-bpe2000-joint", "encdec", "transformer",
     {"subwords": 2000, "subword-table": "joint"}),
    ("encdec-transformer-bpe2000-separate", "encdec", "transformer",
     {"subwords": 2000, "subword-table": "separate"}),
    ("encdec-transformer-bpe2000-joint-drop0.1", "encdec", "transformer",
     {"subwords": 2000, "subword-table": "joint", "subword-dropout": 0.1}),
    ("encdec-attention-bpe8000-joint", "encdec", "attention",
     {"subwords": 8000, "subword-table": "joint"}),
    ("encdec-transformer-bpe8000-joint", "encdec", "transformer",
     {"subwords": 8000, "subword-table": "joint"}),
]

# What --size small runs unless --only says otherwise: enough to run every code path once (both
# families, both implementations, words and subwords), in seconds rather than a minute.
SMALL_ROWS = ("encdec-attention-words", "torch-attention-words",
              "encdec-transformer-bpe2000-joint", "torch-transformer-words")


def run(cmd, cwd=ROOT):
    """Runs `cmd`; its standard output, or exits with what it printed."""
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(map(str, cmd))}\n{p.stderr[-2000:]}")
    return p.stdout + p.stderr


def flags(options):
    return [x for k, v in options.items() for x in (f"--{k}", str(v))]


def head(src, dst, n):
    """The first n lines of src into dst (all of them when n is None)."""
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    dst.write_text("".join(lines if n is None else lines[:n]), encoding="utf-8")


def prepare(args):
    """Extracts the corpus; returns the train/valid/test files this run uses."""
    data = args.out / "data"
    run([sys.executable, "scripts/data/gettext_corpus.py", "--lang", args.lang, "--out", data])
    counts = {"small": (200, 30)}.get(args.size, (args.pairs, args.pairs and args.pairs // 10))
    if counts == (None, None):
        return {s: data / f"{s}.tsv" for s in ("train", "valid", "test")}
    used = args.out / "used"
    used.mkdir(exist_ok=True)
    files = {}
    for split, n in (("train", counts[0]), ("valid", counts[1]), ("test", counts[1])):
        files[split] = used / f"{split}.tsv"
        head(data / f"{split}.tsv", files[split], n)
    return files


def supports_subwords():
    return "--subwords" in run(ENCDEC + ["train", "--help"])


def bleu_of(text):
    return float(re.search(r"BLEU = ([0-9.]+)", text).group(1))


def encdec_row(args, files, family, subwords, folder):
    ckpt = folder / "model.ckpt"
    cmd = ENCDEC + ["train", "--model", family, "--corpus", files["train"], "--valid",
                    files["valid"], "--test", files["test"], "--tgt-lang", "en",
                    "--epochs", str(args.epochs), "--threads", str(args.threads), "--out", ckpt]
    # Words are asked for by name, so that a row means the same if the default unit changes.
    cmd += flags(SIZES[args.size][family]) + flags(TRAINING[family])
    cmd += flags(subwords or {"subwords": "words"})
    start = time.time()
    out = run(cmd)
    (folder / "train.log").write_text(out, encoding="utf-8")
    epochs = [float(s) for s in re.findall(r"^epoch \d+/\d+: .*\(([0-9.]+) s,", out, re.M)]
    greedy = bleu_of(out.split("test scores (greedy decoding):")[1])
    beam_out = run(ENCDEC + ["evaluate", "--checkpoint", ckpt, "--corpus", files["test"],
                             "--beam", str(BEAM)])
    return {"epoch_seconds": epochs, "greedy": greedy, "beam": bleu_of(beam_out),
            "parameters": int(re.search(r"(\d+) parameters", out).group(1)),
            "wall_seconds": round(time.time() - start, 1)}


def torch_row(args, files, family, folder):
    options = dict(SIZES[args.size][family], **TRAINING[family], **TORCH_ONLY.get(family, {}))
    cmd = [sys.executable, "scripts/bench/torch_real_text.py", "--model", family,
           "--train", files["train"], "--valid", files["valid"], "--test", files["test"],
           "--out", folder, "--epochs", str(args.epochs), "--threads", str(args.threads),
           "--beam", str(BEAM)] + flags(options)
    start = time.time()
    out = run(cmd)
    (folder / "train.log").write_text(out, encoding="utf-8")
    refs = folder / "references.txt"
    refs.write_text("".join(line.split("\t")[1].rstrip("\n") + "\n" for line in
                            files["test"].read_text(encoding="utf-8").splitlines()),
                    encoding="utf-8")
    scores = {}
    for name in ("greedy", "beam"):
        got = run(ENCDEC + ["bleu", "--hypotheses", folder / f"{name}.txt", "--references",
                            refs, "--lowercase", "--json"])
        scores[name] = round(json.loads(got.strip().splitlines()[-1])["score"], 2)
    return {"epoch_seconds": [float(s) for s in re.findall(r"^epoch=\d+ seconds=([0-9.]+)", out, re.M)],
            "parameters": int(re.search(r"parameters=(\d+)", out).group(1)),
            "wall_seconds": round(time.time() - start, 1), **scores}


def units(subwords):
    if not subwords:
        return "words", "-"
    drop = subwords.get("subword-dropout")
    return (f"BPE {subwords['subword-table']}" + (f", dropout {drop}" if drop else ""),
            str(subwords["subwords"]))


def table(rows, header):
    lines = [header, "",
             "| implementation | family | units | merges | greedy BLEU | beam-4 BLEU | s/epoch | epochs | parameters |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        unit, merges = units(r["subwords"])
        if "skipped" in r:
            lines.append(f"| {r['implementation']} | {r['family']} | {unit} | {merges} | "
                         f"not run: {r['skipped']} | | | | |")
            continue
        per_epoch = sum(r["epoch_seconds"]) / max(len(r["epoch_seconds"]), 1)
        lines.append(f"| {r['implementation']} | {r['family']} | {unit} | {merges} | "
                     f"{r['greedy']:.2f} | {r['beam']:.2f} | {per_epoch:.1f} | "
                     f"{len(r['epoch_seconds'])} | {r['parameters']:,} |")
    return "\n".join(lines) + "\n"


def arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lang", choices=["de", "es"], required=True)
    p.add_argument("--size", choices=["small", "full"], required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--epochs", type=int, help="default: 10 (full), 1 (small)")
    p.add_argument("--pairs", type=int, help="full only: the first N training pairs, N/10 "
                   "validation and test pairs (default: all)")
    p.add_argument("--threads", type=int, default=2, help="for encdec and PyTorch alike")
    p.add_argument("--only", nargs="+", metavar="NAME", help="rows to run: "
                   + ", ".join(name for name, *_ in GRID))
    args = p.parse_args()
    args.epochs = args.epochs or (10 if args.size == "full" else 1)
    names = {name for name, *_ in GRID}
    for bad in set(args.only or []) - names:
        p.error(f"--only: no row named {bad!r}")
    if args.epochs < 1 or (args.pairs is not None and args.pairs < 10) or args.threads < 1:
        p.error("--epochs and --threads must be at least 1, --pairs at least 10")
    if args.size == "small" and args.pairs is not None:
        p.error("--pairs shrinks a full run; --size small has its own")
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def main():
    args = arguments()
    start = time.time()
    files = prepare(args)
    subwords_built = supports_subwords()
    rows = []
    wanted = args.only or (SMALL_ROWS if args.size == "small" else None)
    for name, impl, family, subwords in GRID:
        if wanted and name not in wanted:
            continue
        row = {"name": name, "implementation": "encdec" if impl == "encdec" else "PyTorch",
               "family": family, "subwords": subwords}
        if subwords and not subwords_built:
            rows.append(dict(row, skipped="this build has no `train --subwords`"))
            continue
        folder = args.out / name
        folder.mkdir(exist_ok=True)
        got = (encdec_row(args, files, family, subwords, folder) if impl == "encdec"
               else torch_row(args, files, family, folder))
        rows.append(dict(row, **got))
        print(f"{name}: greedy {got['greedy']:.2f} beam {got['beam']:.2f} "
              f"({got['wall_seconds']} s)", flush=True)
    train_pairs = sum(1 for _ in open(files["train"], encoding="utf-8"))
    test_pairs = sum(1 for _ in open(files["test"], encoding="utf-8"))
    header = (f"English→{ {'de': 'German', 'es': 'Spanish'}[args.lang]}, --size {args.size}"
              + (f" --pairs {args.pairs}" if args.pairs else "") + f", {args.epochs} epoch(s), "
              f"{train_pairs} training and {test_pairs} test pairs, {args.threads} threads; "
              f"{time.time() - start:.0f} s in all")
    text = table(rows, header)
    (args.out / "table.md").write_text(text, encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps(
        {"lang": args.lang, "size": args.size, "pairs": args.pairs, "epochs": args.epochs,
         "threads": args.threads, "sizes": SIZES[args.size], "training": TRAINING,
         "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
