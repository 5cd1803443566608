"""One line naming the machine a benchmark ran on, for the tables the README quotes.

    from machine import describe
    print(describe(sys.executable))
    # machine: Intel(R) Xeon(R) Processor, 2 cores (2 logical CPUs), 23.4 GiB; torch 2.15.0, Python 3.12.3; 2026-12-02 09:40 UTC

The CPU's model and cores come from /proc/cpuinfo and the memory from
/proc/meminfo (Linux); on another system those parts read "?".
"""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path


def read(path):
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def cpu():
    """'model, N cores (M logical CPUs)' from /proc/cpuinfo."""
    info = read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", info, re.MULTILINE)
    # A core is a distinct (physical id, core id) pair; without those fields, count processors.
    cores = set(re.findall(r"^physical id\s*:\s*(\d+)$.*?^core id\s*:\s*(\d+)$", info,
                           re.MULTILINE | re.DOTALL))
    n_cores = len(cores) or len(re.findall(r"^processor\s*:", info, re.MULTILINE)) or "?"
    return (f"{model.group(1).strip() if model else '?'}, {n_cores} cores "
            f"({os.cpu_count()} logical CPUs)")


def memory():
    """Total memory in GiB from /proc/meminfo."""
    found = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo"), re.MULTILINE)
    return f"{int(found.group(1)) / 2**20:.1f} GiB" if found else "? GiB"


def describe(python=sys.executable):
    """The machine, torch (as `python` imports it), Python and the time, in one line."""
    p = subprocess.run([python, "-c", "import torch; print(torch.__version__)"],
                       capture_output=True, text=True)
    torch_version = p.stdout.strip() if p.returncode == 0 else "not importable"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"machine: {cpu()}, {memory()}; torch {torch_version}, "
            f"Python {sys.version.split()[0]}; {now}")


if __name__ == "__main__":
    print(describe())
