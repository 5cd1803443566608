"""Execute every notebook in notebooks/ top to bottom, headless, and fail on any error.

Needs the Rust kernel evcxr (`cargo install --locked evcxr_jupyter && evcxr_jupyter --install`)
and `pip install nbclient nbformat ipykernel`. Run from anywhere:

    python3 scripts/docs/run_notebooks.py            # all notebooks, outputs written back
    python3 scripts/docs/run_notebooks.py 04_1_rnn   # only the notebooks whose name contains this

A notebook fails when a cell raises an error, when a cell's output shows a Rust panic, or when its
first cell does not set `:preserve_vars_on_panic 0` (without it evcxr reports a panic inside a
cell as success). The executed notebooks, with their outputs, are written back in place, so that
they read well on a code host; the figures they draw land in docs/img/.

The notebooks run one after another in one evcxr work folder, target/evcxr (EVCXR_TMPDIR), so that
encdec, a path dependency that evcxr's `:cache` never stores, is compiled once for all of them
instead of once per notebook.

Only notebooks/*.ipynb run (the glob does not enter notebooks/zh/). At the end, the Chinese twins in
notebooks/zh/ take the new code cells and outputs (scripts/docs/zh_notebooks.py), so that the
committed twins always hold exactly what the English notebooks printed.
"""

import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from zh_notebooks import sync  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EVCXR_DIR = ROOT / "target" / "evcxr"
PANIC_GUARD = ":preserve_vars_on_panic 0"


def outputs_text(cell) -> str:
    """All text a cell printed or raised."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
        parts.extend(out.get("traceback", []))
        parts.append(out.get("evalue", ""))
    return "\n".join(parts)


# The most a cell's outputs may weigh in the saved notebook. The live explorer page (04_2, 04_3)
# embeds its WebAssembly module and the model: about 5 MB, shown when the cell runs but not kept,
# so that the repository does not carry it four times (two notebooks, each with a Chinese twin).
MAX_SAVED_OUTPUT = 1 << 20


def keep_small(cell) -> None:
    """Replace the outputs of a cell heavier than MAX_SAVED_OUTPUT with a line that says so."""
    size = sum(len(json.dumps(o)) for o in cell.get("outputs", []))
    if size > MAX_SAVED_OUTPUT:
        note = (f"[{size / 1e6:.1f} MB of output (the live page) was shown here; it is not kept "
                "in the saved notebook: run the cell to see it]\n")
        cell["outputs"] = [nbformat.v4.new_output("stream", name="stdout", text=note)]


def run(path: Path) -> list[str]:
    """Execute one notebook in place; return the problems found."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or PANIC_GUARD not in code[0].source:
        return [f"first code cell must set `{PANIC_GUARD}`"]
    client = NotebookClient(
        nb,
        kernel_name="rust",
        timeout=900,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    problems = []
    try:
        client.execute()
    except CellExecutionError as err:
        problems.append(str(err).strip().splitlines()[-1][:500])
    for i, cell in enumerate(code):
        text = outputs_text(cell)
        if "panicked at" in text or "thread '" in text and "panicked" in text:
            problems.append(f"cell {i + 1} panicked: {text.strip()[:500]}")
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            problems.append(f"cell {i + 1} raised an error")
    for cell in code:
        keep_small(cell)
    # Whole or not at all: a reader (or an editor) of the notebook finds the old one or the new one.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return sorted(set(problems))


def main() -> int:
    pattern = sys.argv[1] if len(sys.argv) > 1 else ""
    books = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if pattern in p.name)
    if not books:
        print(f"no notebook matches {pattern!r}", file=sys.stderr)
        return 1
    EVCXR_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["EVCXR_TMPDIR"] = str(EVCXR_DIR)
    failed = 0
    total = time.perf_counter()
    for path in books:
        start = time.perf_counter()
        problems = run(path)
        took = time.perf_counter() - start
        status = "ok" if not problems else "FAILED"
        print(f"{path.name:<32} {took:6.1f} s  {status}", flush=True)
        for p in problems:
            print(f"    {p}")
        failed += bool(problems)
    print(f"{len(books) - failed} passed, {failed} failed ({time.perf_counter() - total:.0f} s)")
    twins = sync(pattern)
    for p in twins:
        print(f"notebooks/zh: {p}")
    return 1 if failed or twins else 0


if __name__ == "__main__":
    sys.exit(main())
