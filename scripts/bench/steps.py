"""Time training steps of encdec and PyTorch side by side as the length doubles, at 1 and 2 threads.

For each round (--rounds, default 2) and each thread count (--threads,
default 1,2), this runs, in an order that rotates from round to round:

  encdec     target/release/encdec bench --lengths ... --threads N --shards N
             (float64, its only precision; built first with `cargo build
             --release` unless --no-build). As many gradient shards as
             threads, so that each thread computes the gradient of its own
             part of the batch, as PyTorch's threads share one step's work;
             the shards= of its lines is checked
  torch-f64  scripts/bench/torch_steps.py --lengths ... --threads N --dtype float64
  torch-f32  the same at float32 (left out with --no-f32)

each timing both benchmark models (the LSTM encoder-decoder and the
Transformer of `encdec bench --help`, batch 32, vocabulary 100) at every
length of --lengths (default 12,24,48,96; source and target alike), with
--warmup untimed steps (default 2), then at least --steps timed steps (5)
and --seconds seconds (1). Each program reports its median milliseconds per
step and its peak memory per step: the most bytes one more step holds at once
above what was live before it (encdec: every heap byte, counted by its
allocator; PyTorch: tensor storage, from torch.profiler; MB = 10^6 bytes).

Prints progress to stderr, then one markdown table of the medians over the
rounds, where a ratio is encdec's milliseconds over PyTorch's at the same
thread count (below 1: encdec is faster):

    | model | length | threads | encdec ms | PyTorch f64 ms | encdec ÷ f64 | ...
    |---|---:|---:|---:|---:|---:| ...
    | lstm | 12 | 1 | 44.7 | 24.3 | 1.84 | ...

then, per model and thread count, the exponent k in time ∝ length^k over all
lengths (a least-squares fit, as `encdec bench` reports it), and a line
naming the machine, torch and the date. With the defaults, on a 2-core
machine that other jobs were using, one round at one thread count took 50 s
and the whole run 9 min 11 s, most of it PyTorch's two-thread steps waiting
for a core.

--smoke runs the same programs and prints the same table at tiny sizes (one
round, lengths 4 and 8, no warm-up, one timed step, no minimum time): it
shows that every part still works, in well under a minute; its figures mean
nothing. A flag given with it wins over its sizes.

Requires PyTorch (`pip install torch`) and a Rust toolchain. Run from anywhere:

    python3 scripts/bench/steps.py [--rounds 2] [--threads 1,2] [--lengths 12,24,48,96]
        [--warmup 2] [--steps 5] [--seconds 1] [--no-f32] [--no-build] [--smoke]
"""

import argparse
import math
import re
import statistics
import subprocess
import sys
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parents[2]
ENCDEC = ROOT / "target" / "release" / "encdec"
TORCH_SCRIPT = ROOT / "scripts" / "bench" / "torch_steps.py"
MODELS = ["lstm", "transformer"]
# One result line of either program, e.g.
# encdec lstm len=12 threads=1 shards=1 median_ms=50.789 steps=20 peak_mb=40.72 (emb 64, hidden 128, dropout 0)
# torch lstm len=12 threads=1 dtype=float64 median_ms=22.626 steps=22 peak_mb=8.52
LINE = re.compile(r"^(?:encdec|torch) (\w+) len=(\d+) threads=(\d+) (?:shards=(\d+) )?"
                  r"(?:dtype=\w+ )?median_ms=([\d.]+) steps=\d+ peak_mb=([\d.]+|n/a)", re.MULTILINE)
SAMPLES = ("encdec transformer len=12 threads=2 shards=2 median_ms=50.789 steps=20 peak_mb=40.72 "
           "(d_model 64, d_ff 256, 4 heads, 2+2 layers, dropout 0)\n"
           "torch transformer len=96 threads=2 dtype=float64 median_ms=22.6 steps=22 peak_mb=n/a")
# --smoke: the same code paths at tiny sizes.
SMOKE = dict(rounds=1, lengths=[4, 8], warmup=0, steps=1, seconds=0.0)


def fail(message):
    sys.exit(f"scripts/bench/steps.py: {message}")


def numbers(text, what):
    """`1,2` as [1, 2], positive and without repeats."""
    try:
        values = sorted({int(x) for x in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} must be comma-separated numbers, not {text!r}")
    if not values or values[0] < 1:
        raise argparse.ArgumentTypeError(f"{what} must be at least 1")
    return values


def parse(text, threads):
    """{(model, length): (median ms, peak MB or None)} from a program's output, which must have
    run on `threads` threads (and encdec with as many gradient shards)."""
    found = {}
    for m, n, t, shards, ms, peak in LINE.findall(text):
        if int(t) != threads or shards not in ("", str(threads)):
            fail(f"asked for {threads} threads and shards, a line says threads={t} shards={shards}")
        found[m, int(n)] = (float(ms), None if peak == "n/a" else float(peak))
    return found


def run(cmd, what):
    """Runs `cmd` from the repository's root; its standard output, or the benchmark stops."""
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"{what} failed (exit {p.returncode}): {' '.join(map(str, cmd))}\n"
             f"{p.stdout[-2000:]}{p.stderr[-3000:]}")
    return p.stdout


def command(program, threads, args):
    """The command line of `program` at `threads` threads."""
    lengths = ",".join(map(str, args.lengths))
    budget = ["--lengths", lengths, "--threads", str(threads), "--warmup", str(args.warmup),
              "--steps", str(args.steps), "--seconds", str(args.seconds)]
    if program == "encdec":
        return [str(ENCDEC), "bench", "--shards", str(threads)] + budget
    dtype = {"torch-f64": "float64", "torch-f32": "float32"}[program]
    return [args.python, str(TORCH_SCRIPT), "--dtype", dtype] + budget


def slope(points):
    """Least-squares slope of ln(ms) against ln(length), as `encdec bench` fits it."""
    u = [math.log(n) for n, _ in points]
    w = [math.log(ms) for _, ms in points]
    u_mean, w_mean = statistics.fmean(u), statistics.fmean(w)
    return (sum((a - u_mean) * (b - w_mean) for a, b in zip(u, w))
            / sum((a - u_mean) ** 2 for a in u))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs of each program (median)")
    parser.add_argument("--threads", type=lambda t: numbers(t, "--threads"), default=[1, 2])
    parser.add_argument("--lengths", type=lambda t: numbers(t, "--lengths"),
                        default=[12, 24, 48, 96])
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps per config")
    parser.add_argument("--steps", type=int, default=5, help="at least this many timed steps")
    parser.add_argument("--seconds", type=float, default=1.0,
                        help="and at least this many seconds of them, per config")
    parser.add_argument("--no-f32", action="store_true", help="leave out PyTorch float32")
    parser.add_argument("--no-build", action="store_true", help="use target/release/encdec as is")
    parser.add_argument("--python", default=sys.executable, help="interpreter with torch")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes, to check that everything runs (figures meaningless)")
    if parser.parse_args().smoke:
        parser.set_defaults(**SMOKE)
    args = parser.parse_args()
    if args.rounds < 1 or args.steps < 1 or args.warmup < 0 or args.seconds < 0:
        parser.error("--rounds and --steps must be at least 1, --warmup and --seconds not negative")
    if len(parse(SAMPLES, 2)) != 2:
        fail("the parser of the result lines is broken")
    if subprocess.run([args.python, "-c", "import torch"], capture_output=True).returncode != 0:
        fail(f"{args.python} cannot import torch: pip install torch")
    if not args.no_build:
        print("building encdec (cargo build --release) ...", file=sys.stderr, flush=True)
        run(["cargo", "build", "--release", "--bin", "encdec"], "cargo build")
    if not ENCDEC.exists():
        fail(f"{ENCDEC} does not exist: build it with `cargo build --release`")

    programs = ["encdec", "torch-f64"] + ([] if args.no_f32 else ["torch-f32"])
    configs = [(m, n) for m in MODELS for n in args.lengths]
    results = {}  # (program, threads) -> [{(model, length): (ms, peak MB)} per round]
    for r in range(args.rounds):
        for threads in args.threads:
            for program in programs[r % len(programs):] + programs[:r % len(programs)]:
                cmd = command(program, threads, args)
                got = parse(run(cmd, program), threads)
                if set(got) != set(configs):
                    fail(f"{program} reported {sorted(got)}, not {configs}: {' '.join(cmd)}")
                results.setdefault((program, threads), []).append(got)
                print(f"round {r + 1}/{args.rounds} threads={threads} {program}: " + ", ".join(
                    f"{m} {n}: {got[m, n][0]:.1f} ms" for m, n in configs),
                    file=sys.stderr, flush=True)

    def median(program, threads, config, i):
        """The median over the rounds of field `i` (0: ms, 1: peak MB)."""
        values = [run_[config][i] for run_ in results[program, threads]]
        return None if None in values else statistics.median(values)

    def mb(value):
        return "n/a" if value is None else f"{value:.1f}"

    f32_head = "" if args.no_f32 else " PyTorch f32 ms | encdec ÷ f32 |"
    print(f"| model | length | threads | encdec ms | PyTorch f64 ms | encdec ÷ f64 |{f32_head}"
          " encdec peak MB | PyTorch f64 peak MB |")
    print("|---|---:|---:|---:|---:|---:|" + ("" if args.no_f32 else "---:|---:|") + "---:|---:|")
    for model, n in configs:
        for threads in args.threads:
            ours = median("encdec", threads, (model, n), 0)
            row = f"| {model} | {n} | {threads} | {ours:.1f} |"
            for program in programs[1:]:
                theirs = median(program, threads, (model, n), 0)
                row += f" {theirs:.1f} | {ours / theirs:.2f} |"
            row += (f" {mb(median('encdec', threads, (model, n), 1))} |"
                    f" {mb(median('torch-f64', threads, (model, n), 1))} |")
            print(row)
    print()
    if len(args.lengths) > 1:
        for model in MODELS:
            for threads in args.threads:
                k = {p: slope([(n, median(p, threads, (model, n), 0)) for n in args.lengths])
                     for p in ("encdec", "torch-f64")}
                print(f"{model}, {threads} thread(s): time ∝ length^k from {args.lengths[0]} to "
                      f"{args.lengths[-1]} with k = {k['encdec']:.2f} for encdec, "
                      f"{k['torch-f64']:.2f} for PyTorch f64")
    print(f"medians of {args.rounds} round(s); per config {args.warmup} warm-up steps, then at "
          f"least {args.steps} timed steps and {args.seconds:g} s; encdec with as many gradient "
          f"shards as threads" + (" (--smoke: tiny sizes, the figures mean nothing)"
                                  if args.smoke else ""))
    print(describe(args.python))


if __name__ == "__main__":
    main()
