#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x test/kernel/run.sh ] || { echo "tier kernel: test/kernel/run.sh is missing" >&2; exit 1; }
bash test/kernel/run.sh
