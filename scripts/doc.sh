#!/usr/bin/env bash
# Builds the API documentation with every formula typeset by KaTeX, offline.
#
#   bash scripts/doc.sh        # then open target/doc/encdec/index.html
#
# KaTeX comes from the npm registry (package `katex`, version pinned below)
# and is copied into target/doc/katex/; docs/katex-header.html, passed to
# rustdoc with --html-in-header, loads it from there. Needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.16.47
pkg=target/katex-$version
if [ ! -f "$pkg/package/dist/katex.min.js" ]; then
    mkdir -p "$pkg"
    (cd "$pkg" && npm pack --silent "katex@$version" > /dev/null && tar xzf "katex-$version.tgz")
fi
RUSTDOCFLAGS="--html-in-header docs/katex-header.html -D warnings" cargo doc --no-deps
mkdir -p target/doc/katex
cp "$pkg/package/dist/katex.min.css" "$pkg/package/dist/katex.min.js" \
   "$pkg/package/dist/contrib/auto-render.min.js" target/doc/katex/
cp -r "$pkg/package/dist/fonts" target/doc/katex/
echo "documentation: target/doc/encdec/index.html (formulas rendered offline by KaTeX $version)"
