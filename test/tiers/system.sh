#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x test/system/run.sh ] || { echo "tier system: test/system/run.sh is missing" >&2; exit 1; }
bash test/system/run.sh
