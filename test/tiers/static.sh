#!/usr/bin/env bash
# Types, lint (including the layering rule) and shellcheck on every shell file we ship or test with.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p tsconfig.json --noEmit
npx eslint --max-warnings=0 .
mapfile -t scripts < <(git ls-files -co --exclude-standard -- '*.sh' 'resources/**' '.ci/*' | while read -r f; do
  [ -f "$f" ] && head -c 64 "$f" | grep -qE '^#!.*(ba)?sh' && echo "$f"; done)
echo "shellcheck: ${#scripts[@]} files"
shellcheck -x "${scripts[@]}"
