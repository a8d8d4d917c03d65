#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x test/e2e/run.sh ] || { echo "tier e2e: test/e2e/run.sh is missing" >&2; exit 1; }
bash test/e2e/run.sh
