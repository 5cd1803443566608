"""Typesets every formula of the built API docs in headless Chromium and checks the result.

    bash scripts/docs/doc.sh && python3 scripts/docs/katex_check.py

Gathers the <main> part of every page under target/doc/encdec that has a `$` into one page,
target/katex-check/page.html, whose <head> is the one rustdoc wrote (so it carries the committed
docs/katex-header.html and rustdoc's own CSS), loads it in headless Chromium (`chromium`, Debian's
package) and reads back what the header's KaTeX did. Fails when

* no formula was typeset, or KaTeX reported an error for one (it then shows the source in red);
* a `$` is left in the prose of a page outside code (a formula KaTeX did not find);
* a formula needs a font face the header does not embed (FONTS in scripts/docs/katex_header.py).
  The face is found the way the browser finds it: the first family, the weight and the style
  computed for each piece of typeset text, matched against all of KaTeX's @font-face rules
  (read from the npm tarball scripts/docs/doc.sh fetched);
* the page loaded anything that is not rustdoc's own file: the header must load nothing.

It prints the faces the formulas use, so FONTS can be kept to those. Standard library only.
"""

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = ROOT / "target" / "doc" / "encdec"
OUT = ROOT / "target" / "katex-check"
HEADER = ROOT / "docs" / "katex-header.html"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from katex_header import FONTS  # noqa: E402

# Runs after the header's own DOMContentLoaded handler has typeset the page and the fonts the
# layout asked for are in; writes what it found as JSON into <pre id="katex-report">.
REPORT = """<script>
window.addEventListener("load", function () {
  document.body.offsetHeight;
  document.fonts.ready.then(function () {
    var faces = {}, errors = [], stray = [];
    document.querySelectorAll(".katex-html, .katex-html *").forEach(function (el) {
      var text = "";
      el.childNodes.forEach(function (n) { if (n.nodeType === 3) text += n.data; });
      if (!text.trim()) return;
      var cs = getComputedStyle(el);
      var key = [cs.fontFamily.split(",")[0].replace(/["']/g, "").trim(), cs.fontWeight, cs.fontStyle].join("|");
      var sample = faces[key] || "";
      if (sample.length < 40) faces[key] = sample + text.trim();
    });
    document.querySelectorAll(".katex-error").forEach(function (el) {
      errors.push([el.closest("[data-page]").dataset.page, el.getAttribute("title"), el.textContent]);
    });
    var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (var n = walk.nextNode(); n; n = walk.nextNode()) {
      var p = n.parentElement;
      if (n.data.indexOf("$") < 0 || p.closest("code, pre, script, style, .katex, #katex-report")) continue;
      stray.push([p.closest("[data-page]").dataset.page, n.data.trim().slice(0, 120)]);
    }
    var report = {
      katex: document.querySelectorAll(".katex").length,
      display: document.querySelectorAll(".katex-display").length,
      faces: faces, errors: errors, stray: stray,
      declared: Array.from(document.fonts).map(function (f) { return [f.family, f.weight, f.style].join("|"); }),
      resources: performance.getEntriesByType("resource").map(function (e) { return e.name; })
    };
    var pre = document.createElement("pre");
    pre.id = "katex-report";
    pre.textContent = JSON.stringify(report);
    document.body.appendChild(pre);
  });
});
</script>
"""


def all_faces(tgz: Path) -> dict[tuple[str, int, str], str]:
    """(family, weight, style) → font file name, for every @font-face rule of katex.min.css."""
    with tarfile.open(tgz, "r:gz") as tar:
        css = tar.extractfile("package/dist/katex.min.css").read().decode("utf-8")
    faces = {}
    for rule in re.findall(r"@font-face\{([^}]*)\}", css):
        prop = dict(re.findall(r"([\w-]+):([^;]*)", rule))
        name = re.search(r"url\(fonts/([\w-]+)\.woff2\)", rule).group(1)
        faces[(prop["font-family"].strip('"'), int(prop["font-weight"]), prop["font-style"])] = name
    return faces


def match(faces: dict, family: str, weight: int, style: str) -> str | None:
    """The face CSS font matching picks for a family, weight and style (CSS Fonts 4, §5.2)."""
    cands = [(w, s) for (f, w, s) in faces if f == family]
    if not cands:
        return None
    order = {"italic": ["italic", "oblique", "normal"], "oblique": ["oblique", "italic", "normal"],
             "normal": ["normal", "oblique", "italic"]}[style]
    s = next(s for s in order if any(cs == s for _, cs in cands))
    weights = sorted(w for w, cs in cands if cs == s)
    if weight in weights:
        w = weight
    elif 400 <= weight <= 500:
        w = next((x for x in weights if weight < x <= 500), None) \
            or next((x for x in reversed(weights) if x < weight), None) or next(x for x in weights if x > 500)
    elif weight < 400:
        w = next((x for x in reversed(weights) if x < weight), None) or weights[0]
    else:
        w = next((x for x in weights if x > weight), None) or weights[-1]
    return faces[(family, w, s)]


def main() -> None:
    version = re.search(r"KaTeX (\d+\.\d+\.\d+)", HEADER.read_text(encoding="utf-8")).group(1)
    tgz = ROOT / "target" / f"katex-{version}" / f"katex-{version}.tgz"
    if not tgz.exists() or not (DOC / "index.html").exists():
        sys.exit(f"katex_check: run `bash scripts/docs/doc.sh` first (needs {tgz.relative_to(ROOT)} and target/doc)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("katex_check: needs chromium (Debian: apt-get install chromium)")

    index = (DOC / "index.html").read_text(encoding="utf-8")
    head = re.search(r"<head>(.*?)</head>", index, re.S).group(1)
    head = re.sub(r"<script[^>]*\bsrc=[^>]*></script>", "", head)  # rustdoc's own scripts: not needed
    parts, pages = [], 0
    for path in sorted(DOC.rglob("*.html")):
        main_part = re.search(r"<main>(.*?)</main>", path.read_text(encoding="utf-8"), re.S)
        if main_part and "$" in main_part.group(1):
            pages += 1
            parts.append(f'<div data-page="{path.relative_to(DOC)}">{main_part.group(1)}</div>\n')
    OUT.mkdir(parents=True, exist_ok=True)
    page = OUT / "page.html"
    page.write_text(f'<!DOCTYPE html><html lang="en"><head><base href="{DOC.as_uri()}/index.html">{head}</head>'
                    f'<body class="rustdoc">{"".join(parts)}{REPORT}</body></html>', encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="katex_check_") as profile:
        dom = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=30000", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=300).stdout
    found = re.search(r'<pre id="katex-report">(.*?)</pre>', dom, re.S)
    if not found:
        sys.exit("katex_check: Chromium produced no report (did the page's scripts run?)")
    report = json.loads(unescape(found.group(1)))

    faces = all_faces(tgz)
    used = {}
    for key, sample in report["faces"].items():
        family, weight, style = key.split("|")
        name = match(faces, family, int(weight), style)
        if name:
            used.setdefault(name, sample)
    static = (ROOT / "target" / "doc" / "static.files").as_uri()
    loaded = [r for r in report["resources"] if not r.startswith(static)]
    print(f"katex_check: {report['katex']} formulas ({report['display']} displayed) on {pages} pages, "
          f"KaTeX {version}; faces used:")
    for name in sorted(used):
        print(f"  {name:28} {'embedded' if name in FONTS else 'MISSING '}  e.g. {used[name][:40]}")
    unused = sorted(set(FONTS) - set(used))
    if unused:
        print(f"  embedded but unused: {', '.join(unused)}")
    problems = []
    if report["katex"] == 0:
        problems.append("no formula was typeset")
    problems += [f"KaTeX error on {p}: {t} in {s!r}" for p, t, s in report["errors"]]
    problems += [f"a $ left untypeset on {p}: {s!r}" for p, s in report["stray"]]
    problems += [f"face {n} is used but not embedded: add it to FONTS in scripts/docs/katex_header.py"
                 for n in sorted(set(used) - set(FONTS))]
    problems += [f"the page loaded {r}" for r in loaded]
    for p in problems:
        print("katex_check: " + p, file=sys.stderr)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
