#!/usr/bin/env bash
# What the SR-IOV kernel test adds to the kernel-test initramfs (sriov-overlay.sh OVERLAY_DIR), so root in
# the guest runs GPU Ferry's privileged program as pkexec would: the launcher and the bundle installed at
# /usr/libexec/gpu-ferry (as the packages install them), this machine's Node.js at /usr/bin/node with its
# libraries, and Debian 12's udev (systemd-udevd, udevadm; downloaded once into .cache/kernel, never
# installed here) to run the boot rule under real udev. Needs dist/privileged (node build/build.mjs --cli-only).
set -euo pipefail
cd "$(dirname "$0")/../.."
overlay=${1:?overlay dir}
# shellcheck source=test/kernel/copy-with-libs.sh
. test/kernel/copy-with-libs.sh
node=$(command -v node) || { echo "sriov-overlay.sh: node is missing" >&2; exit 1; }
[[ -f dist/privileged/gpu-ferry-privileged.cjs ]] || { echo "sriov-overlay.sh: dist/privileged is missing (node build/build.mjs --cli-only)" >&2; exit 1; }

copy_with_libs "$(realpath "$node")" "$overlay" /usr/bin/node
mkdir -p "$overlay/usr/libexec/gpu-ferry"
install -m 0755 resources/helper/gpu-ferry-helper "$overlay/usr/libexec/gpu-ferry/gpu-ferry-helper"
install -m 0644 dist/privileged/gpu-ferry-privileged.cjs "$overlay/usr/libexec/gpu-ferry/gpu-ferry-privileged.cjs"
ln -sf ../../bin/busybox "$overlay/usr/bin/env" # the launcher runs /usr/bin/env -i

debs=.cache/kernel/udev-debs
shopt -s nullglob
deb=("$debs"/udev_*.deb)
if [[ ${#deb[@]} == 0 ]]; then
  mkdir -p "$debs"
  (cd "$debs" && apt-get download udev 2>/dev/null) || { echo "sriov-overlay.sh: cannot download Debian's udev (apt-get update?)" >&2; exit 1; }
  deb=("$debs"/udev_*.deb)
fi
rm -rf "$debs/x"; mkdir -p "$debs/x"
dpkg-deb -x "${deb[0]}" "$debs/x"
copy_with_libs "$debs/x/bin/udevadm" "$overlay" /bin/udevadm
mkdir -p "$overlay/lib/systemd" "$overlay/etc/udev/rules.d" "$overlay/run"
ln -sf /bin/udevadm "$overlay/lib/systemd/systemd-udevd"
