#!/usr/bin/env bash
# The libvirt tier: a real libvirtd (started by test/lib/libvirtd.sh when none answers), then every
# test/libvirt/*.test.ts. virsh, virt-xml-validate and qemu-img must be installed: missing = failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in virsh virt-xml-validate xmllint qemu-img; do
  command -v "$tool" >/dev/null || { echo "libvirt tier: $tool is not installed (run .ci/install-deps.sh)" >&2; exit 1; }
done
bash test/lib/libvirtd.sh ensure
npx vitest run --project libvirt
