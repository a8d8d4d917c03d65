#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x test/libvirt/run.sh ] || { echo "tier libvirt: test/libvirt/run.sh is missing" >&2; exit 1; }
bash test/libvirt/run.sh
