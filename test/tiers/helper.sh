#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x test/helper/run.sh ] || { echo "tier helper: test/helper/run.sh is missing" >&2; exit 1; }
bash test/helper/run.sh
