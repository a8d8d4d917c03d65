#!/usr/bin/env bash
# System tier: GPU Ferry's whole journey on a real Debian 12 system booted under QEMU (see README).
#   SYSTEM_SCENARIOS="a b"  only these scenarios (and the ones they need); "all" for every one; default:
#                           the scenarios that have passed in a real guest (PROVEN below)
#   SYSTEM_CYCLES=N         handoff cycles of single-gpu-cycles (default 10)
#   SYSTEM_DUAL_CYCLES=N    handoff cycles of dual-gpu-cycles (default 3: its boot also applies a plan and
#                           restarts the display manager, and CI's whole run must stay under 45 minutes)
#   GPU_FERRY_SYSTEM_CACHE  where the base image is cached (default /var/cache/gpu-ferry-system)
# Writes test-results/system/{summary.json,*.serial,*.console} and bench-results/system.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
ALL=(iommu-apply-reboot vm-create single-gpu-cycles floor-cycles fault-holder fault-libvirtd-restart fault-killed-prepare
  rescue dual-gpu-cycles vfio-early-reboot iommu-undo-reboot)
SINGLE=(iommu-apply-reboot vm-create single-gpu-cycles floor-cycles fault-holder fault-libvirtd-restart fault-killed-prepare rescue)
DUAL=(dual-gpu-cycles vfio-early-reboot)
# What `npm test` (and so CI) runs: every scenario that tests the product (floor-cycles is a benchmark's
# comparison: a minimal hook in the runtime's place).
PROVEN=(iommu-apply-reboot vm-create single-gpu-cycles fault-holder fault-libvirtd-restart fault-killed-prepare rescue
  dual-gpu-cycles vfio-early-reboot iommu-undo-reboot)
fatal() { echo "system tier: $*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || fatal "needs root (mmdebstrap, chroot, the image's owners)"
for tool in mmdebstrap qemu-system-x86_64 qemu-img mkfs.ext4 mkfs.vfat sfdisk flock tar node /usr/bin/time; do
  command -v "$tool" >/dev/null || fatal "$tool is missing (.ci/install-deps.sh installs it)"
done

requested=()
if [[ ${SYSTEM_SCENARIOS:-} == all ]]; then
  requested=("${ALL[@]}")
elif [[ -n ${SYSTEM_SCENARIOS:-} ]]; then
  for s in ${SYSTEM_SCENARIOS//,/ }; do
    [[ " ${ALL[*]} " == *" $s "* ]] || fatal "unknown scenario '$s' (known: ${ALL[*]})"
    requested+=("$s")
  done
else
  requested=("${PROVEN[@]}")
fi
wants() { [[ " ${requested[*]} " == *" $1 "* ]]; }
# What each boot runs, in journey order. Every handoff needs the IOMMU on and the VM set up, so those
# two run first whenever anything after them is asked for.
single=() dual=()
for s in "${SINGLE[@]}" "${DUAL[@]}"; do
  if [[ " ${DUAL[*]} " == *" $s "* ]]; then ! wants "$s" || dual+=("$s"); else ! wants "$s" || single+=("$s"); fi
done
needs_vm=0
for s in "${requested[@]}"; do [[ $s == iommu-* || $s == vm-create ]] || needs_vm=1; done
if ((needs_vm)); then
  wants vm-create || single=(vm-create "${single[@]}")
fi
if ((needs_vm)) || wants iommu-undo-reboot; then
  wants iommu-apply-reboot || single=(iommu-apply-reboot "${single[@]}")
fi
if wants iommu-undo-reboot; then
  if ((${#dual[@]} > 0)); then dual+=(iommu-undo-reboot); else single+=(iommu-undo-reboot); fi
fi

OUT=$REPO/test-results/system
rm -rf "$OUT"
mkdir -p "$OUT" "$REPO/bench-results"
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/gpu-ferry-system.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
echo "[system] scenarios: boot 1 (one GPU): ${single[*]:-none}; boot 2 (two GPUs): ${dual[*]:-none}"

t=$SECONDS
BASE=$(bash test/system/base-image.sh)
image_s=$((SECONDS - t))

# The app: this checkout's CLI build and the package's files, staged as the deb installs them (stage-app.mjs
# runs build/stage-install.mjs, which builds the CLI and privileged bundles first).
t=$SECONDS
mkdir -p "$WORK/share"
node test/system/stage-app.mjs "$WORK/stage"
tar --numeric-owner -C "$WORK/stage" -cf "$WORK/share/app.tar" .
cp -r test/system/guest "$WORK/share/guest"
cp test/system/guest/entry.sh "$WORK/share/entry.sh"
qemu-img create -q -f qcow2 -F raw -b "$BASE/disk.img" "$WORK/run.qcow2"
stage_s=$((SECONDS - t))

boot_group() { # boot_group NAME MODE SCENARIOS...: one QEMU run (its reboots included)
  local name=$1 mode=$2 t0=$SECONDS rc=0
  shift 2
  printf 'MODE=%s\nSCENARIOS="%s"\nCYCLES=%s\nDUAL_CYCLES=%s\n' "$mode" "$*" "${SYSTEM_CYCLES:-10}" "${SYSTEM_DUAL_CYCLES:-3}" >"$WORK/share/plan.env"
  echo "[system] $(date +%T) $name: $*"
  bash test/system/qemu.sh --image "$BASE" --disk "$WORK/run.qcow2" --display "$mode" --share "$WORK/share" \
    --log "$OUT/$name" --timeout "${SYSTEM_BOOT_TIMEOUT:-5400}" --idle "${SYSTEM_IDLE_TIMEOUT:-900}" || rc=$?
  echo "[system] $(date +%T) $name: QEMU rc=$rc after $((SECONDS - t0)) s"
  grep -a -E '^SYSTEST (CHECK .* FAIL|SCENARIO|DONE|FATAL|BOOT-FAILED)' "$OUT/$name.serial" || true
  echo "{\"name\":\"$name\",\"wall_s\":$((SECONDS - t0)),\"qemu_rc\":$rc}" >"$OUT/$name.boot.json"
}
((${#single[@]} == 0)) || boot_group boot1-single single "${single[@]}"
((${#dual[@]} == 0)) || boot_group boot2-dual dual "${dual[@]}"

node test/system/results.mjs "$OUT" "$BASE/build.json" "$image_s" "$stage_s" "${requested[@]}"
