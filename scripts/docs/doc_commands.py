"""Run every command the README and the docs show, and check the transcripts they print.

    python3 scripts/docs/doc_commands.py            # all of them, in target/doc-commands
    python3 scripts/docs/doc_commands.py --list     # only print what would run

What counts as a command: each line of a ```sh block, each inline `cargo run ...` span, and each
```text block that starts with `$ cargo run ...` (a transcript). Commands run in the order they
first appear, README.md first (its blocks train the checkpoints the docs then use), in one scratch
folder inside the repository so that `cargo run` finds the crate; Python and shell scripts
(`python3 scripts/...`, `pip ...`) run from the repository's root, as the README runs them. A transcript's command gets the
transcript's own lines as standard input (those that are not `bot:` replies or the command's
fixed lines) and its output must equal the transcript.

Not run here, because .ci/run runs them as steps of their own: `cargo test --release`, the
notebooks and their setup, the API docs and their formula check, and the block after
`<!-- ci: own-data -->`, in whichever file holds it (docs/own-data.md; the README before that
page existed), which scripts/docs/doc_block.sh runs (an inline span repeating one of its lines
is not run here either). The benchmarks run with `--smoke` appended (SMOKE: which, and why), and
`encdec experiment` with `--size small` and `--out .` in place of the page's `--size full` and
folder (EXPERIMENT: why); the real-text benchmark at `--size small` (REAL_TEXT: why).

The fixture scripts rewrite tests/fixtures/; afterwards every
regenerated fixture (JSON, or safetensors read as its metadata and tensors) must hold what the repository's holds: the same structure, the same integers
and strings, and floats equal to within 1e-12 (1 + |x|). Not byte for byte: PyTorch's kernels differ
from one CPU to another in the last bits (about 1e-15 here, against the 1e-9 the tests ask for).
The repository's fixtures are put back afterwards.
"""

import json
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = ROOT / "target" / "doc-commands"
FILES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md")) + sorted((ROOT / "docs" / "zh").glob("*.md"))
RUN_ELSEWHERE = (
    "cargo test --release",
    "cargo install --locked evcxr_jupyter",
    "pip install nbclient",
    "python3 scripts/docs/run_notebooks.py",
    "bash scripts/docs/doc.sh",
    "python3 scripts/docs/katex_check.py",
    "bash scripts/docs/doc_block.sh",
)
# Benchmarks only print figures, after minutes of measuring. Here each runs with `--smoke` appended
# (the same code at tiny sizes, seconds to a minute): CI shows that the command as documented still
# works. The figures the docs quote come from full runs, on the machine the docs name.
SMOKE = (
    "python3 scripts/bench/torch_steps.py",
    "python3 scripts/bench/steps.py",
    "python3 scripts/bench/matmul.py",
    "python3 scripts/bench/scale.py",
    "python3 scripts/bench/word2vec.py",
    "python3 scripts/docs/options_table.py",
)


# Experiments train several models for minutes at `--size full`, the size the docs' tables and
# pictures come from. Here each runs at `--size small` (the same code on a tiny corpus, seconds to
# a minute) and writes into the scratch folder, so that the docs' pictures stay the full runs'.
EXPERIMENT = "cargo run --release -- experiment "
# The real-text benchmark trains every row for about 15 minutes at `--size full`. Here it runs at
# `--size small` (200 pairs, tiny models, one epoch), without the page's --pairs and --epochs, and
# writes into the scratch folder, so that the page's table stays the full run's.
REAL_TEXT = "python3 scripts/bench/real_text.py "


def as_run(cmd: str) -> str:
    """The command as CI runs it: a benchmark of SMOKE with `--smoke` appended; an experiment at
    `--size small`, writing into the scratch folder; the real-text benchmark at `--size small`."""
    if cmd.startswith(REAL_TEXT):
        cmd = re.sub(r"\s--(pairs|epochs)\s+\S+", "", re.sub(r"--size\s+\S+", "--size small", cmd))
        return re.sub(r"--out\s+\S+", f"--out {SCRATCH.relative_to(ROOT)}/real-text", cmd)
    if cmd.startswith(EXPERIMENT):
        cmd = re.sub(r"--size\s+\S+", "--size small", cmd)
        return re.sub(r"--out\s+\S+", "--out .", cmd)
    return f"{cmd} --smoke" if cmd.startswith(SMOKE) else cmd


def own_data_block(text: str) -> str:
    """The block after `<!-- ci: own-data -->` in `text` (a page's, or the README's), which .ci/run
    runs through scripts/docs/doc_block.sh; empty if `text` has none."""
    m = re.search(r"<!-- ci: own-data -->\s*```sh\n(.*?)```", text, re.S)
    return m.group(1) if m else ""


def commands(path: Path) -> list[tuple[str, list[str] | None]]:
    """(command, transcript lines or None) in the order they appear in `path`."""
    text = path.read_text(encoding="utf-8")
    skip = own_data_block(text)
    skip_lines = {line.strip() for line in skip.splitlines()}
    found = []
    for m in re.finditer(r"```(\w*)\n(.*?)```|`(cargo run[^`]*)`", text, re.S):
        lang, body, inline = m.group(1), m.group(2), m.group(3)
        if inline:
            if inline.strip() not in skip_lines:
                found.append((inline.strip(), None))
        elif lang == "sh" and body != skip:
            for line in body.splitlines():
                line = re.sub(r"\s+#.*$", "", line).strip()
                if line:
                    found.append((line, None))
        elif lang == "text" and body.startswith("$ cargo run"):
            lines = body.rstrip("\n").splitlines()
            found.append((lines[0][2:].strip(), lines[1:]))
    return found


def run(cmd: str, transcript: list[str] | None) -> tuple[str | None, str]:
    """Runs one command; returns what went wrong (or None) and the end of what it printed."""
    stdin = None
    if transcript is not None:
        said = [l for l in transcript if not l.startswith("bot:")]
        # The fixed first and last lines of a session are the program's, not the user's.
        stdin = "\n".join(said[1:-1]) + "\n"
    cwd = ROOT if cmd.startswith(("python3 ", "pip ", "bash ")) else SCRATCH
    p = subprocess.run(["bash", "-euo", "pipefail", "-c", cmd], cwd=cwd, input=stdin,
                       capture_output=True, text=True)
    tail = "\n".join(p.stdout.strip().splitlines()[-40:])
    if p.returncode != 0:
        return f"exit {p.returncode}: {(p.stderr or p.stdout).strip()[-800:]}", tail
    if transcript is not None:
        bot = [l for l in transcript if l.startswith("bot:")]
        got = [l for l in p.stdout.splitlines() if l.startswith("bot:")]
        if got != bot:
            return "the transcript's replies differ from the program's:\n" + "\n".join(
                f"  doc: {a!r}\n  run: {b!r}" for a, b in zip(bot + [""] * len(got), got + [""] * len(bot)) if a != b), tail
    return None, tail


def largest_difference(new, old, path: str) -> tuple[float, str]:
    """The largest |new - old| / (1 + |old|) over the floats of two JSON values, with where it
    is; raises ValueError where anything else differs (structure, integers, strings)."""
    if isinstance(old, float) or isinstance(new, float):
        if not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
            raise ValueError(f"{path}: {new!r} against {old!r}")
        return abs(new - old) / (1.0 + abs(old)), path
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        parts = [largest_difference(new[k], old[k], f"{path}/{k}") for k in old]
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        parts = [largest_difference(n, o, f"{path}[{i}]") for i, (n, o) in enumerate(zip(new, old))]
    elif new == old:
        return 0.0, path
    else:
        raise ValueError(f"{path}: {str(new)[:60]} against {str(old)[:60]}")
    return max(parts, default=(0.0, path))


SAFETENSORS_TYPES = {"F64": "d", "F32": "f", "I64": "q"}


def fixture_value(raw: bytes, name: str):
    """A fixture as a JSON value: JSON files as they are; a safetensors file (binary) as its
    metadata and, per tensor, its type, shape and values, so that the same comparison applies."""
    if not name.endswith(".safetensors"):
        return json.loads(raw.decode("utf-8"))
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    value = {"__metadata__": header.pop("__metadata__", None)}
    for tensor, info in header.items():
        start, end = info["data_offsets"]
        code = SAFETENSORS_TYPES[info["dtype"]]
        data = raw[8 + n + start : 8 + n + end]
        values = list(struct.unpack(f"<{len(data) // struct.calcsize(code)}{code}", data))
        value[tensor] = {"dtype": info["dtype"], "shape": info["shape"], "data": values}
    return value


def check_fixtures() -> str | None:
    """Compares the fixtures the scripts regenerated with the repository's (see the module's
    docstring), prints the largest difference, puts the repository's back; returns the problem."""
    changed = subprocess.run(["git", "diff", "--name-only", "--", "tests/fixtures"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    worst, problems = (0.0, "none"), []
    for name in changed:
        old = subprocess.run(["git", "show", f"HEAD:{name}"], cwd=ROOT, capture_output=True,
                             check=True).stdout
        try:
            new = fixture_value((ROOT / name).read_bytes(), name)
            diff = largest_difference(new, fixture_value(old, name), name)
        except ValueError as e:
            problems.append(str(e))
            continue
        worst = max(worst, diff)
        if diff[0] > 1e-12:
            problems.append(f"{diff[1]}: differs by {diff[0]:.1e} (relative to 1 + |x|)")
    print(f"regenerated fixtures: {len(changed)} files not byte-identical; largest float difference "
          f"{worst[0]:.1e} at {worst[1]}", flush=True)
    subprocess.run(["git", "checkout", "--", "tests/fixtures"], cwd=ROOT, check=True)
    return "\n".join(problems) or None


def main() -> int:
    seen, todo = set(), []
    for path in FILES:
        for cmd, transcript in commands(path):
            key = (cmd, tuple(transcript or ()))
            if key in seen or cmd.startswith(RUN_ELSEWHERE):
                continue
            seen.add(key)
            todo.append((path.relative_to(ROOT), as_run(cmd), transcript))
    if "--list" in sys.argv:
        for path, cmd, transcript in todo:
            print(f"{path}: {cmd}" + ("   (transcript)" if transcript else ""))
        return 0
    SCRATCH.mkdir(parents=True, exist_ok=True)
    failures = 0
    for path, cmd, transcript in todo:
        start = time.time()
        problem, tail = run(cmd, transcript)
        status = "ok" if problem is None else "FAILED"
        print(f"{time.time() - start:7.1f} s  {status:6}  {path}: {cmd}", flush=True)
        # The end of what it printed, so that figures quoted in the docs can be read in the log.
        if tail:
            print("         | " + tail.replace("\n", "\n         | "), flush=True)
        if problem:
            failures += 1
            print("         " + problem.replace("\n", "\n         "), flush=True)
    problem = check_fixtures()
    if problem:
        failures += 1
        print(f"the regenerated fixtures differ from the repository's:\n{problem}")
    print(f"{len(todo)} commands from the README and the docs, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
