#!/usr/bin/env bash
# Builds the API documentation with every formula typeset by KaTeX, offline.
#
#   bash scripts/docs/doc.sh        # then open target/doc/encdec/index.html
#
# rustdoc puts docs/katex-header.html into every page (--html-in-header, as docs.rs does through
# [package.metadata.docs.rs] in Cargo.toml). That header carries KaTeX whole, fonts included, so
# the pages need nothing else. It is written by scripts/docs/katex_header.py from the npm package
# `katex` (version pinned below); this script fetches that package (needs npm) and stops when the
# committed header is not what the generator writes from it.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=0.16.47
header=docs/katex-header.html
tgz=target/katex-$version/katex-$version.tgz
if [ ! -f "$tgz" ]; then
    mkdir -p "$(dirname "$tgz")"
    (cd "$(dirname "$tgz")" && npm pack --silent "katex@$version" > /dev/null)
fi
python3 scripts/docs/katex_header.py "$tgz" target/katex-header.html
if ! cmp -s target/katex-header.html "$header"; then
    echo "$header is not what scripts/docs/katex_header.py writes from katex $version; to rewrite it:" >&2
    echo "  python3 scripts/docs/katex_header.py $tgz $header" >&2
    exit 1
fi
if ! grep -q "\"--html-in-header\", \"$header\"" Cargo.toml; then
    echo "Cargo.toml's [package.metadata.docs.rs] should pass $header to rustdoc, as this script does" >&2
    exit 1
fi
RUSTDOCFLAGS="--html-in-header $header -D warnings" cargo doc --no-deps
echo "documentation: target/doc/encdec/index.html (formulas typeset by KaTeX $version, inlined in every page)"
