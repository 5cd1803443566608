"""Set PyTorch's thread count from the command line's --threads, before torch is imported.

The OpenMP, MKL and OpenBLAS thread pools read their sizes from the
environment when torch is loaded, so a script calls `threads_before_import()`
first, then imports torch, then calls `torch.set_num_threads(n)` with the
number it returned. The script's own argument parser should accept
`--threads` too (default 1), so that --help shows it.
"""

import argparse
import os


def threads_before_import():
    """The --threads of sys.argv (default 1), written to the thread pools' environment."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--threads", type=int, default=1)
    n = max(1, parser.parse_known_args()[0].threads)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(n)
    return n
