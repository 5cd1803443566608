#!/usr/bin/env bash
# Runs the README's `sh` block that follows the line `<!-- ci: NAME -->`, exactly
# as written, in a fresh folder DIR (inside the repository, so `cargo run` finds it).
#
#     bash scripts/docs/readme_block.sh own-data target/ci-own-data
set -euo pipefail
name=$1
dir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
block=$(awk -v m="<!-- ci: $name -->" '
    $0 == m { found = 1; next }
    found && /^```sh/ { inside = 1; next }
    inside && /^```/ { exit }
    inside { print }' "$root/README.md")
if [ -z "$block" ]; then
    echo "README.md has no sh block after <!-- ci: $name -->" >&2
    exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
printf '%s\n' "$block"
bash -euo pipefail -c "$block"
