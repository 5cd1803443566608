"""Writes the KaTeX header of the API docs (docs/katex-header.html) from KaTeX's npm tarball.

    python3 scripts/docs/katex_header.py KATEX_TGZ OUT

KATEX_TGZ is the file `npm pack katex@VERSION` writes; scripts/docs/doc.sh pins VERSION, fetches the
tarball, runs this script into target/ and fails when the committed header differs from what it
writes. The header is passed to rustdoc with `--html-in-header` (by scripts/docs/doc.sh, and by docs.rs
through `[package.metadata.docs.rs]` in Cargo.toml), so it lands in the <head> of every page.

docs.rs builds without network and serves only what rustdoc wrote, so the header carries all of
KaTeX itself: katex.min.css with its fonts as woff2 `data:` URIs, katex.min.js, auto-render.min.js
and a few lines that typeset `$$..$$` (display) and `$..$` (inline) once the page's DOM is loaded.
A page references no file and no URL. Only the fonts in FONTS are embedded: those the formulas of
encdec's doc comments use, as measured by scripts/docs/katex_check.py (which fails when a formula
needs a font missing here). Standard library only; the output is written atomically.
"""

import base64
import json
import os
import re
import sys
import tarfile
from pathlib import Path

# The KaTeX font files (dist/fonts/<name>.woff2) the header embeds: the faces the formulas of
# encdec's doc comments use, as scripts/docs/katex_check.py measures them in Chromium (it fails when
# a formula needs one that is not here). All twenty woff2 files would add 260 kB (347 kB as base64)
# to every page; these five are 60 kB.
FONTS = (
    "KaTeX_Caligraphic-Regular",  # \mathcal
    "KaTeX_Main-Regular",  # digits, operators, \mathrm, \text
    "KaTeX_Math-Italic",  # letters
    "KaTeX_Size1-Regular",  # \sum, \Big delimiters
    "KaTeX_Size2-Regular",  # displayed \sum and \int, \bigg delimiters
)

# XML namespace names KaTeX passes to createElementNS: identifiers, never fetched.
NAMESPACES = ("http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2000/svg")

# Typesets the page once its DOM is there; auto-render skips <pre>, <code> and the like, so
# code blocks and the source view keep their dollar signs. Display delimiters come first.
RENDER = """document.addEventListener("DOMContentLoaded", function () {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false }
    ],
    throwOnError: false
  });
});"""

COMMENT = """<!-- encdec's API docs: KaTeX {version} typesets the $$..$$ and $..$ formulas of the doc comments.
     Written by scripts/docs/katex_header.py from the npm package katex@{version}; do not edit by hand
     (scripts/docs/doc.sh fails when this file differs from what the script writes). Everything is inline,
     fonts included, so a page loads nothing from anywhere. The faces embedded are those the
     formulas use, as scripts/docs/katex_check.py measures them:
     {fonts}.

     Rustdoc's Markdown runs before KaTeX sees a formula. In doc comments: a backslash before ASCII
     punctuation is eaten, so write \\\\{{ \\\\, \\\\; \\\\! \\\\| \\\\\\\\ and \\\\_ where KaTeX should
     get \\{{ \\, \\; \\! \\| \\\\ and \\_; `*` and `_` pairs may turn into emphasis (escape `_` as \\_
     after a closing brace or parenthesis, write \\cdot or \\ast for `*`); a formula inside `code`
     is left alone.

     KaTeX is under the MIT license; its notice follows.

{license}-->
"""


def member(tar: tarfile.TarFile, name: str) -> bytes:
    f = tar.extractfile("package/" + name)
    if f is None:
        sys.exit(f"katex_header: {name} is missing from the tarball")
    return f.read()


def inline_fonts(css: str, tar: tarfile.TarFile) -> str:
    """katex.min.css with each kept face's src a woff2 data: URI and the other faces dropped."""
    kept = []

    def face(m: re.Match) -> str:
        names = re.findall(r"url\(fonts/([\w-]+)\.woff2\)", m.group(0))
        if len(names) != 1:
            sys.exit(f"katex_header: unexpected @font-face rule {m.group(0)[:120]}")
        name = names[0]
        if name not in FONTS:
            return ""
        kept.append(name)
        data = base64.b64encode(member(tar, f"dist/fonts/{name}.woff2")).decode("ascii")
        src = f'src:url(data:font/woff2;base64,{data}) format("woff2")'
        return re.sub(r"src:[^;}]*", lambda _: src, m.group(0))

    css = re.sub(r"@font-face\{[^}]*\}", face, css)
    missing = sorted(set(FONTS) - set(kept))
    if missing:
        sys.exit(f"katex_header: no @font-face for {', '.join(missing)}")
    left = [u for u in re.findall(r"url\(([^)]*)\)", css) if not u.startswith("data:")]
    if left:
        sys.exit(f"katex_header: the CSS still references {left[:3]}")
    return css


def header(tgz: Path) -> str:
    with tarfile.open(tgz, "r:gz") as tar:
        version = json.loads(member(tar, "package.json"))["version"]
        css = inline_fonts(member(tar, "dist/katex.min.css").decode("utf-8"), tar)
        katex_js = member(tar, "dist/katex.min.js").decode("utf-8")
        auto_js = member(tar, "dist/contrib/auto-render.min.js").decode("utf-8")
        license_text = member(tar, "LICENSE").decode("utf-8")
    # Inline <script>/<style> bodies end at the first "</script"/"</style"; "<!--" and "-->"
    # would also change how the HTML parser reads them (or end the comment above).
    for name, text, bad in [("katex.min.css", css, "</style"), ("katex.min.js", katex_js, "</script"),
                            ("auto-render.min.js", auto_js, "</script"), ("LICENSE", license_text, "--")]:
        for b in (bad, "<!--", "-->"):
            if b in text.lower():
                sys.exit(f"katex_header: {name} contains {b!r}; it cannot be inlined as it is")
    comment = COMMENT.format(version=version, fonts=", ".join(f.removeprefix("KaTeX_") for f in FONTS),
                             license="\n".join("     " + line if line else "" for line in
                                               license_text.strip().splitlines()) + "\n")
    text = (comment + "<style>" + css.strip() + "</style>\n"
            + "<script>" + katex_js.strip() + "</script>\n"
            + "<script>" + auto_js.strip() + "</script>\n"
            + "<script>\n" + RENDER + "\n</script>\n")
    urls = set(re.findall(r"https?://[^\s\"'()<>]*", text)) - set(NAMESPACES)
    if urls:
        sys.exit(f"katex_header: the header references {sorted(urls)[:3]}")
    return text


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    out = Path(sys.argv[2])
    text = header(Path(sys.argv[1]))
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
