#!/usr/bin/env bash
# Electron smoke test: runs only where an Electron binary exists (it cannot be downloaded on CI here).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -x test/electron/run.sh ]; then bash test/electron/run.sh; else echo "tier electron: test/electron/run.sh is missing" >&2; exit 1; fi
