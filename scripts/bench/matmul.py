"""Compare encdec's f64 matmul throughput with numpy/OpenBLAS dgemm, single-threaded.

Requires Python 3.11+ and numpy (`pip install numpy`); everything else is the standard library.

Run from anywhere (the repository root is taken to be the parent of this script's folder):

    python3 scripts/bench/matmul.py [--smoke]

It runs `cargo bench --bench matmul` (see `benches/matmul.rs`), which prints lines such as
`matmul n=256 encdec_gflops=12.34 reference_gflops=1.23`, then times `np.matmul` on the same
sizes in this process and prints a table of GFLOP/s (2 n^3 flops per multiply).

--smoke times numpy with three multiplies per size instead of a second's worth, to show that
everything runs; the Rust side has no smaller setting (its fixed budget is about 5 s once
built), and the figures of a smoke run mean little.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

# BLAS reads its thread count when it is loaded, so pin it before numpy is imported.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402  (must come after the environment is set)

SIZES = (64, 256, 512)
ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^matmul n=(\d+) encdec_gflops=([\d.]+) reference_gflops=([\d.]+)$", re.M)


def encdec_gflops() -> dict[int, tuple[float, float]]:
    """Run the Rust bench; map n -> (encdec GFLOP/s, reference GFLOP/s)."""
    # Build output goes to stderr and is shown as it happens; only stdout is parsed.
    try:
        proc = subprocess.run(
            ["cargo", "bench", "--bench", "matmul"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
    except FileNotFoundError:
        sys.exit("error: `cargo` not found on PATH")
    if proc.returncode != 0:
        sys.exit(f"error: `cargo bench --bench matmul` failed with exit code {proc.returncode}")
    found = {int(n): (float(fast), float(ref)) for n, fast, ref in LINE.findall(proc.stdout)}
    missing = [n for n in SIZES if n not in found]
    if missing:
        sys.exit(f"error: no `matmul n=...` line for n={missing} in cargo output:\n{proc.stdout}")
    return found


def numpy_gflops(n: int, budget_s: float = 1.0) -> float:
    """Median GFLOP/s of np.matmul on random n x n float64 matrices over about budget_s."""
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    c = np.empty((n, n))
    for _ in range(3):  # warm-up: page in buffers, let BLAS pick its kernel
        np.matmul(a, b, out=c)
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < budget_s and len(times) < 1000):
        t = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t)
    return 2 * n**3 / statistics.median(times) / 1e9


def blas_info() -> str:
    """One line describing numpy's BLAS, or a note saying why it is unknown."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return blas.get("openblas configuration") or f"{blas['name']} {blas.get('version', '')}"
    except Exception as err:  # older numpy has no mode="dicts"; layout may change
        return f"unavailable ({type(err).__name__})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true",
                        help="numpy: three multiplies per size, to check that everything runs")
    args = parser.parse_args()
    budget = 0.0 if args.smoke else 1.0
    rust = encdec_gflops()
    print(f"numpy {np.__version__}, BLAS: {blas_info()}")
    print(f"{'n':<6}{'encdec (GFLOP/s)':<19}{'reference':<12}{'numpy/OpenBLAS':<17}encdec/OpenBLAS")
    for n in SIZES:
        fast, ref = rust[n]
        blas = numpy_gflops(n, budget)
        print(f"{n:<6}{fast:<19.2f}{ref:<12.2f}{blas:<17.2f}{fast / blas:.2f}")


if __name__ == "__main__":
    main()
