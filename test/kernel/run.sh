#!/usr/bin/env bash
# Kernel tier: boots a real Debian kernel under QEMU (TCG) and runs the installed handoff hook in it
# (test/kernel/handoff.test.ts builds the initramfs, boots twice, asserts, writes bench-results/handoff.json).
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in qemu-system-x86_64 cpio gcc busybox kmod flock; do
  command -v "$tool" >/dev/null || [[ -x /bin/$tool ]] || { echo "kernel tier: $tool is missing (.ci/install-deps.sh)" >&2; exit 1; }
done
exec npx vitest run --project kernel
