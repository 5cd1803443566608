"""What each model option of `encdec train` changes: BLEU and time, measured.

    python3 scripts/docs/options_table.py [--jobs 2] [--out docs/data/options_table.md] [--smoke]

Trains every row of ROWS twice, on two corpora, and prints one Markdown table:

* the built-in English→French corpus (sizes in BUILT_IN); its score is the
  token-level BLEU-4 that `encdec train` prints for it, times 100;
* a corpus file: the first 4,000 training lines of the corpus `encdec corpus` generates
  (its default 18,000 pairs, seed 0), 400 validation and 400 test lines (`--max-len 16
  --epochs 5`); its score is sacreBLEU's corpus BLEU that `encdec train` prints for a test file.

Each row's time is the mean of its epochs' wall-clock seconds as `train` prints them. With
`--jobs 2` two trainings run at once (each with `--threads 1 --shards 1`: one thread, the
whole batch's gradient in one piece), so on a 2-core machine the times are those of a
machine that is busy with a second training. Each row runs with seed 1; one row per model
family repeats its baseline with seed 2, to show how far a seed alone moves the score. Needs
only the crate (it runs `cargo run --release`); writes in target/options-table/.

--smoke trains every row the same way at tiny sizes (SMOKE: 100 built-in pairs, a corpus
file of 200 training lines, one epoch), in target/options-table-smoke/, to show in well
under a minute that everything runs; its table means nothing, so it refuses --out.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (model, extra flags, what the row shows)
ROWS = [
    ("attention", [], "baseline: one LSTM layer each side, Luong attention"),
    ("attention", ["--seed", "2"], "the baseline with another seed"),
    ("attention", ["--layers", "2"], "2 stacked LSTM layers, dropout between them"),
    ("attention", ["--bidirectional"], "bidirectional encoder, decoder twice as wide"),
    ("attention", ["--bidirectional", "--bridge", "project"], "bidirectional encoder, projected to one width"),
    ("transformer", [], "baseline: post-norm, ReLU, 2+2 layers"),
    ("transformer", ["--seed", "2"], "the baseline with another seed"),
    ("transformer", ["--norm-first", "--final-norm"], "pre-norm with a final LayerNorm"),
    ("transformer", ["--gelu"], "GELU in the feed-forward blocks"),
    ("transformer", ["--label-smoothing", "0.1"], "label smoothing 0.1"),
    ("transformer", ["--adamw"], "AdamW, weight decay 0.01 on matrices"),
]

# Short enough that the baselines are still learning (token BLEU about 50 and 90, not 99):
# on a corpus this small and clean every option ends at the same ceiling.
BUILT_IN = {
    "attention": ["--pairs", "1000", "--epochs", "3"],
    "transformer": ["--pairs", "2000", "--epochs", "4"],
}
FILE_LINES = {"train": 4000, "valid": 400, "test": 400}
# Whole words and the Xavier start, as the table was measured before corpus files defaulted to
# the fan-in start (docs/own-data.md); words are named so that the rows stay word rows.
AS_MEASURED = ["--subwords", "words", "--output-init", "xavier"]
FILE_FLAGS = ["--max-len", "16", "--epochs", "5", "--batch-size", "32", *AS_MEASURED]
# Every training's parallelism: one thread, one gradient shard (the result depends on the
# shards, so they are fixed; the table's figures were measured so).
PARALLEL = ["--threads", "1", "--shards", "1"]
FULL = dict(work=ROOT / "target" / "options-table", corpus_pairs=None, built_in=BUILT_IN,
            file_lines=FILE_LINES, file_flags=FILE_FLAGS)
# --smoke: the same trainings at tiny sizes.
SMOKE = dict(work=ROOT / "target" / "options-table-smoke", corpus_pairs=360,
             built_in={m: ["--pairs", "100", "--epochs", "1"] for m in BUILT_IN},
             file_lines={"train": 200, "valid": 30, "test": 30},
             file_flags=["--max-len", "16", "--epochs", "1", "--batch-size", "32", *AS_MEASURED])


def cargo(args: list[str]) -> str:
    """Runs the crate's binary; returns what it printed, or exits with its error."""
    p = subprocess.run(["cargo", "run", "--release", "-q", *args], cwd=ROOT,
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"scripts/docs/options_table.py: `cargo run {' '.join(args)}` failed:\n{p.stderr[-2000:]}")
    return p.stdout + p.stderr


def corpus_files(sizes: dict) -> dict[str, Path]:
    """The generated corpus (written once, kept in the work folder), cut to the sizes'
    file_lines lines per split."""
    work = sizes["work"]
    full = work / "corpus"
    if not (full / "test.tsv").exists():
        pairs = [] if sizes["corpus_pairs"] is None else ["--pairs", str(sizes["corpus_pairs"])]
        cargo(["--", "corpus", "--out", str(full), *pairs])
    cut = {}
    for split, n in sizes["file_lines"].items():
        lines = (full / f"{split}.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
        path = work / f"{split}_{n}.tsv"
        path.write_text("".join(lines[:n]), encoding="utf-8")
        cut[split] = path
    return cut


def measure(model: str, extra: list[str], data: list[str], ckpt: Path) -> dict:
    """Trains one row on one corpus into `ckpt`; returns its score, seconds per epoch and
    parameter count."""
    seed = [] if "--seed" in extra else ["--seed", "1"]
    name = ckpt.stem
    out = cargo(["--", "train", "--model", model, *data, *extra, *seed, *PARALLEL,
                 "--out", str(ckpt)])
    epochs = [float(s) for s in re.findall(r"^epoch \d+/\d+: .*\((\d+\.\d+) s,", out, re.M)]
    params = re.search(r"^model: \w+, (\d+) parameters", out, re.M)
    token_bleu = re.search(r"^test BLEU-4 \(greedy, \d+ sentences\): (\d\.\d+)", out, re.M)
    sacre = re.search(r"^BLEU = (\d+\.\d+)", out, re.M)
    if not (epochs and params and (token_bleu or sacre)):
        sys.exit(f"scripts/docs/options_table.py: could not read the output of row {name}:\n{out[-2000:]}")
    score = 100 * float(token_bleu.group(1)) if token_bleu else float(sacre.group(1))
    return {"score": score, "sec": sum(epochs) / len(epochs), "params": int(params.group(1))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2, help="trainings at once (default 2)")
    ap.add_argument("--out", type=Path, help="also write the table to this file")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny sizes, to check that everything runs (the table means nothing)")
    a = ap.parse_args()
    if a.jobs < 1:
        sys.exit("scripts/docs/options_table.py: --jobs must be at least 1")
    if a.smoke and a.out:
        sys.exit("scripts/docs/options_table.py: a --smoke table means nothing; no --out with it")
    sizes = SMOKE if a.smoke else FULL
    work = sizes["work"]
    work.mkdir(parents=True, exist_ok=True)
    files = corpus_files(sizes)
    file_data = ["--corpus", str(files["train"]), "--valid", str(files["valid"]),
                 "--test", str(files["test"]), *sizes["file_flags"]]
    jobs = []
    for i, (model, extra, _) in enumerate(ROWS):
        jobs.append((model, extra, sizes["built_in"][model], work / f"row{i}_builtin.ckpt"))
        jobs.append((model, extra, file_data, work / f"row{i}_file.ckpt"))
    cargo(["--", "--help"])  # build once before the jobs start
    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        results = list(pool.map(lambda j: measure(*j), jobs))
    lines = [
        "| model | flags | what | parameters (built-in) | built-in BLEU-4 | s/epoch | file BLEU | s/epoch |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for i, (model, extra, what) in enumerate(ROWS):
        b, f = results[2 * i], results[2 * i + 1]
        flags = " ".join(extra) if extra else "(none)"
        lines.append(f"| {model} | `{flags}` | {what} | {b['params']} | {b['score']:.1f} | "
                     f"{b['sec']:.1f} | {f['score']:.2f} | {f['sec']:.1f} |")
    table = "\n".join(lines) + "\n"
    print(table, end="")
    if a.smoke:
        print("(--smoke: tiny sizes, the figures mean nothing)")
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=a.out.parent, prefix=".options_table.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(table)
        os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
