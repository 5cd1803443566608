#!/usr/bin/env bash
# Runs the `sh` block that follows the line `<!-- ci: NAME -->` in docs/NAME.md, or in README.md
# when docs/NAME.md has no such line (the block lived in the README before it got its own page),
# exactly as written, in a fresh folder DIR (inside the repository, so `cargo run` finds it).
#
#     bash scripts/docs/doc_block.sh own-data target/ci-own-data    # docs/own-data.md's block
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: bash scripts/docs/doc_block.sh NAME DIR" >&2
    exit 2
fi
name=$1
dir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)

# The sh block after the marker line in file $1 (nothing if the file or the marker is missing).
block_in() {
    [ -f "$1" ] || return 0
    awk -v m="<!-- ci: $name -->" '
        $0 == m { found = 1; next }
        found && /^```sh/ { inside = 1; next }
        inside && /^```/ { exit }
        inside { print }' "$1"
}

block=""
for file in "docs/$name.md" README.md; do
    block=$(block_in "$root/$file")
    if [ -n "$block" ]; then
        break
    fi
done
if [ -z "$block" ]; then
    echo "neither docs/$name.md nor README.md has an sh block after <!-- ci: $name -->" >&2
    exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
echo "# the block after <!-- ci: $name --> in $file, run in $dir:"
printf '%s\n' "$block"
bash -euo pipefail -c "$block"
