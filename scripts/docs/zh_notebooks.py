"""Keep the Chinese notebooks (notebooks/zh/) in step with the English ones.

Each English notebook notebooks/NAME.ipynb has a twin notebooks/zh/NAME.ipynb whose markdown cells
are written in Chinese and whose code cells, with their outputs, are exactly the English ones but
for the setup cell (the first code cell): a twin sits one folder deeper, so where the English setup
cell names the crate and the repository's root as ".." (`:dep encdec-tutorial = { path = ".." }`
and `const ROOT: &str = "..";`, from which every later cell builds its paths), the twin's says
"../..". Only the English set is executed (scripts/docs/run_notebooks.py calls `sync` at its end);
this copies every code cell (source, outputs, execution count) from the English notebook into its
twin, rewriting only those two lines of the setup cell, keeps the twin's markdown, and takes the
notebook's metadata from the English one.

    python3 scripts/docs/zh_notebooks.py            # sync every twin
    python3 scripts/docs/zh_notebooks.py 04_1       # the twins whose name contains 04_1

It refuses (and writes nothing for) a twin whose cells no longer line up with the English notebook:
a different number of cells, or a markdown cell where the English has code; and an English notebook
whose setup cell lacks one of the two lines. Then the twin's
markdown has to be written for the new cells by hand. tests/docs/zh_notebooks.rs checks the result.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TWINS = NOTEBOOKS / "zh"
# The setup cell's lines as the English notebooks write them, and as their twins do
# (tests/docs/zh_notebooks.rs holds the same pairs).
RELOCATED = [
    (':dep encdec-tutorial = { path = ".." }', ':dep encdec-tutorial = { path = "../.." }'),
    ('const ROOT: &str = "..";', 'const ROOT: &str = "../..";'),
]


def relocated(cell: dict) -> dict | str:
    """The twin's setup cell made from the English one, or what is missing from it."""
    lines = "".join(cell["source"]).split("\n")
    for english, twin in RELOCATED:
        hits = [i for i, line in enumerate(lines) if line == english]
        if len(hits) != 1:
            return f"the setup cell needs the line `{english}` exactly once"
        lines[hits[0]] = twin
    text = "\n".join(lines)
    return dict(cell, source=text.splitlines(keepends=True))


def write_whole(path: Path, nb: dict) -> None:
    """Writes the notebook as nbformat does (one-space indent), all or nothing."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def sync_one(english: Path) -> str | None:
    """Copies the code cells of `english` into its twin; returns a problem, or None."""
    twin_path = TWINS / english.name
    if not twin_path.exists():
        return f"{twin_path.relative_to(ROOT)} is missing: write its Chinese markdown first"
    en = json.loads(english.read_text(encoding="utf-8"))
    zh = json.loads(twin_path.read_text(encoding="utf-8"))
    if len(en["cells"]) != len(zh["cells"]):
        return f"{english.name}: {len(en['cells'])} cells in English, {len(zh['cells'])} in the twin"
    cells = []
    setup = next((i for i, c in enumerate(en["cells"]) if c["cell_type"] == "code"), None)
    for i, (e, z) in enumerate(zip(en["cells"], zh["cells"])):
        if e["cell_type"] != z["cell_type"]:
            return f"{english.name}: cell {i + 1} is {e['cell_type']} in English, {z['cell_type']} in the twin"
        if i == setup:
            e = relocated(e)
            if isinstance(e, str):
                return f"{english.name}: {e}"
        cells.append(z if e["cell_type"] == "markdown" else e)
    twin = dict(en)
    twin["cells"] = cells
    write_whole(twin_path, twin)
    return None


def sync(pattern: str = "") -> list[str]:
    """Syncs every twin whose name contains `pattern`; returns the problems found."""
    problems = []
    for english in sorted(NOTEBOOKS.glob("*.ipynb")):
        if pattern in english.name:
            problem = sync_one(english)
            if problem:
                problems.append(problem)
    return problems


def main() -> int:
    problems = sync(sys.argv[1] if len(sys.argv) > 1 else "")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
