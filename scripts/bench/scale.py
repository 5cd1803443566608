"""Time one training epoch of encdec and of PyTorch on a real-sized corpus, side by side.

The corpus is the generated English->French one of `encdec corpus` (its
default 18,000 pairs: 15,000 / 1,500 / 1,500, about 5,000 words per side),
written to a temporary folder unless --corpus-dir names one that already
holds train.tsv, valid.tsv and test.tsv.
Then, for --rounds rounds (default 2), in turn and in a rotating order:

  encdec       target/release/encdec train --model attention --epochs 1 on the
               corpus files (float64, its only precision; built first with
               `cargo build --release` unless --no-build)
  torch-f64    scripts/bench/torch_corpus_epoch.py --dtype float64: the same model,
               data and tokens in PyTorch
  torch-f32    the same at float32

all at word level (encdec: --subwords words) with emb 64, hidden 128, batch 64, max-vocab 5000, max-len 40, on one
thread each (--threads N: N each, passed to `encdec train --threads N
--shards N`, so that each thread computes the gradient of its own part of the
batch, and to torch.set_num_threads). Seconds per epoch and tokens per second are what each program
reports for its training pass (both count the real source and target tokens,
`</s>` included, and leave out validation); peak memory is the resident set
of the whole process, from `/usr/bin/time -v` (or, without it, from the
kernel's accounting of that child through os.wait4). Prints progress to
stderr, then one markdown table of the medians over the rounds, e.g.

    | config | seconds / epoch | tokens / s | peak memory (MB) | encdec ÷ this |
    |---|---:|---:|---:|---:|
    | encdec | 38.6 | 8671 | 697 | 1.00 |
    | torch-f64 | 40.2 | 8330 | 1288 | 0.96 |
    | torch-f32 | 16.0 | 20983 | 1176 | 2.42 |

(a full run with the defaults on a 2-core Intel Xeon, torch 2.15.0)
where the last column is encdec's seconds per epoch over that config's (below
1: encdec is faster), followed by a line naming the machine and torch.

--smoke does the same with a corpus of 360 pairs (SMOKE_PAIRS) and one round, to
show in well under a minute that everything runs; its figures mean nothing.

Requires PyTorch (`pip install torch`) and a Rust toolchain. Run from anywhere:

    python3 scripts/bench/scale.py [--rounds 2] [--threads 1] [--corpus-dir DIR] [--no-build]
        [--smoke]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parents[2]
ENCDEC = ROOT / "target" / "release" / "encdec"
TORCH_SCRIPT = ROOT / "scripts" / "bench" / "torch_corpus_epoch.py"
TIME = Path("/usr/bin/time")
SIZES = ["--emb", "64", "--hidden", "128", "--batch-size", "64", "--max-vocab", "5000",
         "--max-len", "40"]
ENCDEC_FLAGS = ["--corpus", "--valid", "--test", "--model", "--epochs", "--out", "--emb",
                "--hidden", "--batch-size", "--max-vocab", "--max-len", "--threads", "--shards",
                "--subwords"]
# --smoke: the corpus's size (train, valid and test together).
SMOKE_PAIRS = 360
# encdec's line per epoch (on stderr) and the torch script's (on stdout).
ENCDEC_EPOCH = re.compile(r"\(([\d.]+) s, (\d+) tokens/s\)")
TORCH_EPOCH = re.compile(r"seconds=([\d.]+) tokens_per_second=(\d+)")
TIME_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
SAMPLE_ENCDEC_LINE = ("epoch 1/1: loss 3.1234  acc 0.4567  val_loss 3.0  val_acc 0.5  "
                      "(12.3 s, 4567 tokens/s)")
CONFIGS = ["encdec", "torch-f64", "torch-f32"]


def fail(message):
    sys.exit(f"scripts/bench/scale.py: {message}")


def last_epoch(pattern, text):
    """(seconds, tokens per second) of the last epoch line in `text`, or None."""
    found = pattern.findall(text)
    return (float(found[-1][0]), int(found[-1][1])) if found else None


def run(cmd, what, cwd=ROOT):
    """Runs `cmd`, stopping the benchmark with its output if it fails."""
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"{what} failed (exit {p.returncode}): {' '.join(map(str, cmd))}\n"
             f"{p.stdout[-2000:]}{p.stderr[-3000:]}")
    return p.stdout


def run_measured(cmd, workdir):
    """Runs `cmd`; returns its exit code, stdout, stderr and peak resident memory in MB."""
    out_path, err_path, rss_path = (Path(workdir) / n for n in ("out.txt", "err.txt", "rss.txt"))
    if TIME.exists():
        cmd = [str(TIME), "-v", "-o", str(rss_path)] + cmd
    with open(out_path, "w") as out, open(err_path, "w") as err:
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err)
        # wait4 reports this child's own peak RSS (RUSAGE_CHILDREN would give the
        # largest of all children so far, which cannot be told apart per run).
        _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = usage.ru_maxrss
    if TIME.exists():
        found = TIME_RSS.search(rss_path.read_text()) if rss_path.exists() else None
        peak_kb = int(found.group(1)) if found else peak_kb
    return p.returncode, out_path.read_text(), err_path.read_text(), peak_kb / 1024


def check_encdec(encdec, build):
    if build:
        print("building encdec (cargo build --release) ...", file=sys.stderr, flush=True)
        run(["cargo", "build", "--release", "--bin", "encdec"], "cargo build")
    if not encdec.exists():
        fail(f"{encdec} does not exist: build it with `cargo build --release`")
    help_text = run([str(encdec), "train", "--help"], "encdec train --help")
    missing = [f for f in ENCDEC_FLAGS if not re.search(re.escape(f) + r"\b", help_text)]
    if missing:
        fail(f"`encdec train` does not accept {' '.join(missing)} yet: this benchmark needs "
             "training on corpus files (--corpus/--valid/--test) with the model sizes as flags")


def make_corpus(corpus_dir, tmp, pairs):
    """The corpus folder: `corpus_dir`, or one `encdec corpus` writes (`pairs`: its size, None
    for encdec's default)."""
    if corpus_dir is not None:
        corpus = Path(corpus_dir)
    else:
        corpus = Path(tmp) / "corpus"
        cmd = [str(ENCDEC), "corpus", "--out", str(corpus)]
        cmd += [] if pairs is None else ["--pairs", str(pairs)]
        print(f"generating the corpus ({' '.join(cmd[1:])}) ...", file=sys.stderr, flush=True)
        print(run(cmd, "encdec corpus").rstrip(), file=sys.stderr)
    for name in ("train.tsv", "valid.tsv", "test.tsv"):
        if not (corpus / name).is_file():
            fail(f"{corpus / name} is missing")
    return corpus


def command(config, corpus, tmp, python, seed, threads):
    common = ["--epochs", "1", "--seed", str(seed), "--threads", str(threads)] + SIZES
    if config == "encdec":
        files = ["--corpus", corpus / "train.tsv", "--valid", corpus / "valid.tsv",
                 "--test", corpus / "test.tsv"]
        return ([str(ENCDEC), "train"] + list(map(str, files))
                + ["--model", "attention", "--out", str(Path(tmp) / "m.ckpt"),
                   "--shards", str(threads), "--subwords", "words"] + common)
    dtype = {"torch-f64": "float64", "torch-f32": "float32"}[config]
    return ([python, str(TORCH_SCRIPT), "--train", str(corpus / "train.tsv"), "--dtype", dtype]
            + common)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs of each config (median)")
    parser.add_argument("--corpus-dir", help="use the corpus in this folder instead of a new one")
    parser.add_argument("--no-build", action="store_true", help="use target/release/encdec as is")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--python", default=sys.executable, help="interpreter with torch")
    parser.add_argument("--threads", type=int, default=1, help="threads of each run (default 1)")
    parser.add_argument("--smoke", action="store_true",
                        help=f"a corpus of {SMOKE_PAIRS} pairs and one round, to check that "
                             "everything runs (figures meaningless)")
    if parser.parse_args().smoke:
        parser.set_defaults(rounds=1)
    args = parser.parse_args()
    if args.rounds < 1 or args.threads < 1:
        parser.error("--rounds and --threads must be at least 1")
    if last_epoch(ENCDEC_EPOCH, SAMPLE_ENCDEC_LINE) != (12.3, 4567):
        fail("the parser of encdec's epoch line is broken")
    if subprocess.run([args.python, "-c", "import torch"], capture_output=True).returncode != 0:
        fail(f"{args.python} cannot import torch: pip install torch")
    check_encdec(ENCDEC, build=not args.no_build)

    results = {c: [] for c in CONFIGS}  # config -> [(seconds, tokens/s, peak MB)]
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
        corpus = make_corpus(args.corpus_dir, tmp, SMOKE_PAIRS if args.smoke else None)
        for r in range(args.rounds):
            for config in CONFIGS[r % 3:] + CONFIGS[:r % 3]:
                cmd = command(config, corpus, tmp, args.python, args.seed, args.threads)
                code, out, err, peak_mb = run_measured(cmd, tmp)
                parsed = last_epoch(*((ENCDEC_EPOCH, err) if config == "encdec"
                                      else (TORCH_EPOCH, out)))
                if code != 0 or parsed is None:
                    why = f"exit {code}" if code != 0 else "no epoch line of the expected form"
                    fail(f"{config} failed ({why}): {' '.join(cmd)}\n{out[-2000:]}{err[-3000:]}")
                results[config].append((*parsed, peak_mb))
                print(f"round {r + 1}/{args.rounds} {config}: {parsed[0]:.1f} s/epoch, "
                      f"{parsed[1]} tokens/s, {peak_mb:.0f} MB", file=sys.stderr, flush=True)

    median = {c: [statistics.median(x[i] for x in results[c]) for i in range(3)] for c in CONFIGS}
    encdec_seconds = median["encdec"][0]
    print("| config | seconds / epoch | tokens / s | peak memory (MB) | encdec ÷ this |")
    print("|---|---:|---:|---:|---:|")
    for c in CONFIGS:
        seconds, rate, peak = median[c]
        print(f"| {c} | {seconds:.1f} | {rate:.0f} | {peak:.0f} | {encdec_seconds / seconds:.2f} |")
    print()
    print(f"encdec / torch-f64 = {encdec_seconds / median['torch-f64'][0]:.2f}, "
          f"encdec / torch-f32 = {encdec_seconds / median['torch-f32'][0]:.2f} "
          f"(seconds per epoch, median of {args.rounds} round(s); below 1: encdec is faster)")
    print(f"{describe(args.python)}; every run on {args.threads} thread(s)"
          + ("; --smoke: a tiny corpus, the figures mean nothing" if args.smoke else ""))


if __name__ == "__main__":
    main()
