"""Time encdec's word2vec next to gensim's (one worker) on the same text, side by side.

The text is lee_background.cor, shipped inside gensim's test data (300 news articles, about
58,000 words). Both sides read the same tokens: every line goes through
gensim.utils.simple_preprocess (lowercase alphabetic tokens of 2 to 15 letters, the way gensim's
own tests read this file) and is written, space-separated, to a temporary file that both
programs then read. encdec's tokenizer gives exactly these tokens back: the script checks that
encdec counts the same sentences and tokens as Python, and keeps the same number of words.

Settings, equal on both sides: vectors of size 48, 10 epochs, window 5 (each position draws its
own window from 1 to 5), 5 negatives, min_count 5, subsampling threshold 1e-3, and a learning
rate starting at 0.025 for skip-gram and 0.05 for CBOW (word2vec's defaults, which encdec
uses), falling linearly to 1e-4 of that. Seeds differ per round (0, 1, ...), the same for both.

What is timed, as a whole and by the wall clock:
  encdec   the whole `encdec word2vec` process: reading the file, the vocabulary, training,
           writing the vectors (built first with `cargo build --release` unless --no-build)
  gensim   Word2Vec(LineSentence(file), ..., workers=1) and save_word2vec_format, in this
           process, once gensim is imported (the import is not counted)
The two alternate, in a rotating order, for --rounds rounds; the table gives medians. CPU time
(user + system) is shown too, as it suffers less from other jobs on a shared machine.

As a check that speed did not break learning, each side's saved vectors are read back (with
numpy) and put through gensim's own sanity test of models trained on this corpus: the rank of
"bombings" among the neighbours of "attacks" by cosine similarity, which gensim's tests want
below 50 (random vectors would put it near the middle of the 1,750 words).

--smoke runs one round of one epoch (instead of 10) of each mode on each side: the same code,
checks included, in seconds; its times and ranks mean nothing.

Requires gensim (`pip install gensim`) and a Rust toolchain. Run from anywhere:

    python3 scripts/bench/word2vec.py [--rounds 5] [--no-build] [--smoke]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
ENCDEC = TARGET / "release" / "encdec"
DIM, EPOCHS, WINDOW, NEGATIVES, MIN_COUNT, SUBSAMPLE = 48, 10, 5, 5, 5, 1e-3
LR = {"skip-gram": 0.025, "cbow": 0.05}
MIN_LR_FRACTION = 1e-4
MODES = list(LR)
# gensim's own sanity test of models trained on this corpus (test_word2vec.py, model_sanity):
# "bombings" must be among the 50 nearest neighbours of "attacks".
QUERY = ("attacks", "bombings")
CORPUS_LINE = re.compile(r"corpus: (\d+) sentences, (\d+) tokens")
WROTE_LINE = re.compile(r"wrote (\d+) vectors of size (\d+)")


def fail(message):
    sys.exit(f"scripts/bench/word2vec.py: {message}")


def build_encdec():
    """`cargo build --release`; stops the benchmark with cargo's complaint if it fails."""
    print("building encdec (cargo build --release) ...", file=sys.stderr, flush=True)
    p = subprocess.run(["cargo", "build", "--release", "--bin", "encdec"], cwd=ROOT,
                       capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"cargo build --release failed (exit {p.returncode}):\n{p.stderr[-3000:]}")


def write_tokens(path):
    """lee_background.cor as gensim's tests read it, one space-separated sentence a line.

    Returns (sentences, tokens), counting only lines with at least one token, as encdec does.
    """
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as f:
        sentences = [t for t in (simple_preprocess(line) for line in f) if t]
    path.write_text("".join(" ".join(t) + "\n" for t in sentences), encoding="utf-8")
    return len(sentences), sum(map(len, sentences))


def time_encdec(mode, corpus, out, seed, epochs):
    """(wall s, CPU s, words kept) of one `encdec word2vec` run; checks its token count."""
    cmd = [str(ENCDEC), "word2vec", "--corpus", str(corpus), "--out", str(out),
           "--dim", str(DIM), "--epochs", str(epochs), "--window", str(WINDOW),
           "--negatives", str(NEGATIVES), "--min-count", str(MIN_COUNT),
           "--subsample", str(SUBSAMPLE), "--lr", str(LR[mode]), "--seed", str(seed)]
    if mode == "cbow":
        cmd.append("--cbow")
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    stdout, stderr = p.communicate()
    wall = time.perf_counter() - start
    # The child has been waited for by communicate(); its CPU time is in the children's totals.
    if p.returncode != 0:
        fail(f"encdec failed (exit {p.returncode}): {' '.join(cmd)}\n{stdout}{stderr}")
    counts, wrote = CORPUS_LINE.search(stdout), WROTE_LINE.search(stdout)
    if counts is None or wrote is None:
        fail(f"encdec printed no corpus or 'wrote' line:\n{stdout}")
    return wall, (int(counts.group(1)), int(counts.group(2))), int(wrote.group(1))


def children_cpu():
    t = os.times()
    return t.children_user + t.children_system


def time_gensim(mode, corpus, out, seed, epochs):
    """(wall s, CPU s, words kept) of one gensim run, in this process."""
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    cpu, start = time.process_time(), time.perf_counter()
    model = Word2Vec(LineSentence(str(corpus)), vector_size=DIM, epochs=epochs, window=WINDOW,
                     negative=NEGATIVES, hs=0, min_count=MIN_COUNT, sample=SUBSAMPLE,
                     alpha=LR[mode], min_alpha=LR[mode] * MIN_LR_FRACTION,
                     sg=int(mode == "skip-gram"), cbow_mean=1, workers=1, seed=seed)
    model.wv.save_word2vec_format(str(out))
    return time.perf_counter() - start, time.process_time() - cpu, len(model.wv)


def load_vectors(path):
    """Words and unit-length vectors of a text vectors file (with or without a header line)."""
    import numpy as np

    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines[0].split()) == 2:
        lines = lines[1:]
    words = [line.split(" ", 1)[0] for line in lines]
    v = np.array([[float(x) for x in line.split()[1:]] for line in lines])
    return words, v / np.linalg.norm(v, axis=1, keepdims=True)


def sanity_rank(path):
    """The rank of QUERY[1] among the neighbours of QUERY[0] by cosine (0: the nearest)."""
    words, v = load_vectors(path)
    query, expected = (words.index(w) for w in QUERY)
    order = [i for i in (-(v @ v[query])).argsort() if i != query]
    return order.index(expected)


def machine_line():
    import gensim

    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    except OSError:
        cpu = ""
    model = re.search(r"^Model name:\s*(.+)$", cpu, re.MULTILINE)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"machine: {model.group(1).strip() if model else '?'}, {os.cpu_count()} logical "
            f"CPUs, load average {load} at the end; gensim {gensim.__version__} (1 worker), "
            f"Python {sys.version.split()[0]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="runs of each side (median)")
    parser.add_argument("--no-build", action="store_true", help="use target/release/encdec as is")
    parser.add_argument("--smoke", action="store_true",
                        help="one round of one epoch, to check that everything runs")
    if parser.parse_args().smoke:
        parser.set_defaults(rounds=1)
    args = parser.parse_args()
    epochs = 1 if args.smoke else EPOCHS
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    try:
        import gensim  # noqa: F401
    except ImportError:
        fail("gensim is not installed: pip install gensim")
    if not args.no_build:
        build_encdec()
    if not ENCDEC.exists():
        fail(f"{ENCDEC} does not exist: build it with `cargo build --release`")

    # mode -> side -> [(wall s, CPU s, rank)]
    results = {m: {"encdec": [], "gensim": []} for m in MODES}
    with tempfile.TemporaryDirectory(prefix="bench_word2vec_") as tmp:
        corpus = Path(tmp) / "lee_background.tokens.txt"
        counts = write_tokens(corpus)
        print(f"lee_background.cor: {counts[0]} sentences, {counts[1]} tokens",
              file=sys.stderr, flush=True)
        for r in range(args.rounds):
            for mode in MODES:
                sides = ["encdec", "gensim"] if (r + MODES.index(mode)) % 2 == 0 else [
                    "gensim", "encdec"]
                kept = {}
                for side in sides:
                    out = Path(tmp) / f"{side}-{mode}.txt"
                    if side == "encdec":
                        cpu = children_cpu()
                        wall, got, kept[side] = time_encdec(mode, corpus, out, r, epochs)
                        cpu = children_cpu() - cpu
                        if got != counts:
                            fail(f"encdec read {got} (sentences, tokens), Python {counts}")
                    else:
                        wall, cpu, kept[side] = time_gensim(mode, corpus, out, r, epochs)
                    rank = sanity_rank(out)
                    results[mode][side].append((wall, cpu, rank))
                    print(f"round {r + 1}/{args.rounds} {mode:9} {side}: {wall:.2f} s wall, "
                          f"{cpu:.2f} s CPU, rank of {QUERY[1]} near {QUERY[0]} {rank}",
                          file=sys.stderr, flush=True)
                if kept["encdec"] != kept["gensim"]:
                    fail(f"{mode}: encdec kept {kept['encdec']} words, gensim {kept['gensim']}")

    print(f"| mode | encdec s | gensim s | encdec / gensim | encdec CPU s | gensim CPU s "
          f"| rank encdec | rank gensim |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for mode in MODES:
        e, g = ([statistics.median(x[i] for x in results[mode][side]) for i in range(3)]
                for side in ("encdec", "gensim"))
        print(f"| {mode} | {e[0]:.2f} | {g[0]:.2f} | {e[0] / g[0]:.2f} | {e[1]:.2f} | "
              f"{g[1]:.2f} | {e[2]:.0f} | {g[2]:.0f} |")
    print()
    print(f"medians of {args.rounds} rounds of {epochs} epoch(s); rank: of {QUERY[1]!r} among the "
          f"neighbours of {QUERY[0]!r} (0 is the nearest; gensim's tests want < 50; chance about "
          f"{kept['encdec'] // 2})" + ("; --smoke: the figures mean nothing" if args.smoke else ""))
    print(machine_line())


if __name__ == "__main__":
    main()
