#!/usr/bin/env bash
# qemu.sh --image DIR --disk FILE --log BASE [options]: boots the system tier's guest under QEMU TCG
# (q35, emulated Intel IOMMU, OVMF) until it powers off. The guest GPU is bochs-display with an HDA
# audio function in the same slot behind a PCIe root port (what the VM gets); --display dual adds a
# virtio-vga on the root bus that keeps driving the host's display.
#   --boot kernel|grub   kernel: -kernel/-initrd from DIR (provisioning); grub: OVMF -> GRUB on the disk
#   --share DIR          DIR read-only in the guest over 9p, tag "systest" (systest-launch runs entry.sh)
#   --timeout S          whole run at most S seconds; --idle S: killed when the driver's serial is silent
#                        S seconds (a hang fails in minutes)
# Writes BASE.console (ttyS0: firmware, kernel, systemd), BASE.serial (ttyS1: the driver) and
# BASE.qemu (QEMU's own messages, peak RSS). Exit status: QEMU's, 124 on a timeout.
set -euo pipefail
IMAGE="" DISK="" LOG="" BOOT=grub DISPLAY_MODE=single SHARE="" TIMEOUT=3600 IDLE=0 MEM=4G APPEND=""
while [[ $# -gt 0 ]]; do
  case $1 in
  --image) IMAGE=$2; shift 2 ;;
  --disk) DISK=$2; shift 2 ;;
  --log) LOG=$2; shift 2 ;;
  --boot) BOOT=$2; shift 2 ;;
  --display) DISPLAY_MODE=$2; shift 2 ;;
  --share) SHARE=$(cd "$2" && pwd); shift 2 ;;
  --timeout) TIMEOUT=$2; shift 2 ;;
  --idle) IDLE=$2; shift 2 ;;
  --mem) MEM=$2; shift 2 ;;
  --append) APPEND=$2; shift 2 ;;
  *) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n $IMAGE && -n $DISK && -n $LOG ]] || { echo "qemu.sh: --image, --disk and --log are required" >&2; exit 2; }
# shellcheck disable=SC1091
. "$IMAGE/image.env"
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
for f in "$OVMF_CODE" "$OVMF_VARS"; do [[ -f $f ]] || { echo "qemu.sh: $f is missing (Debian package ovmf)" >&2; exit 1; }; done
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/systest-qemu.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
install -m 644 "$OVMF_VARS" "$WORK/vars.fd"
format=raw
[[ $DISK != *.qcow2 ]] || format=qcow2
rm -f "$LOG".{console,serial,qemu}
: >"$LOG.serial"

# shellcheck disable=SC2054
qemu=(
  qemu-system-x86_64 -nodefaults -no-user-config -name systest
  -machine q35,kernel-irqchip=split -accel tcg -cpu max,vendor=GenuineIntel -smp 2 -m "$MEM"
  -display none -monitor none
  -serial "file:$LOG.console" -serial "file:$LOG.serial"
  -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
  -drive "if=pflash,format=raw,unit=1,file=$WORK/vars.fd"
  # The IOMMU comes before the devices it translates for.
  -device intel-iommu,intremap=on,caching-mode=on
)
# shellcheck disable=SC2054
[[ $DISPLAY_MODE != dual ]] || qemu+=(-device virtio-vga,bus=pcie.0,addr=0x2)
# shellcheck disable=SC2054
qemu+=(
  -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x1c
  -device bochs-display,bus=rp1,addr=0x0.0,multifunction=on
  -audiodev none,id=snd0
  -device ich9-intel-hda,id=hda,bus=rp1,addr=0x0.1
  -device hda-output,bus=hda.0,audiodev=snd0
  -drive "if=none,id=disk0,file=$DISK,format=$format,cache=unsafe,discard=unmap"
  -device virtio-blk-pci,drive=disk0,bus=pcie.0,addr=0x3
)
[[ -z $SHARE ]] || qemu+=(-virtfs "local,path=$SHARE,mount_tag=systest,security_model=none,readonly=on")
if [[ $BOOT == kernel ]]; then
  qemu+=(-kernel "$IMAGE/vmlinuz" -initrd "$IMAGE/initrd.img"
    -append "root=UUID=$ROOT_UUID ro console=ttyS0,115200 no_timer_check quiet $APPEND")
fi
printf '%q ' "${qemu[@]}" >"$LOG.cmdline"
echo >>"$LOG.cmdline"

/usr/bin/time -v -o "$LOG.time" "${qemu[@]}" </dev/null >"$LOG.qemu" 2>&1 &
pid=$!
start=$SECONDS last_size=0 last_change=$SECONDS rc=""
while kill -0 "$pid" 2>/dev/null; do
  sleep 2
  size=$(stat -c %s "$LOG.serial" 2>/dev/null || echo 0)
  ((size == last_size)) || { last_size=$size; last_change=$SECONDS; }
  panic=""
  grep -a -q 'Kernel panic' "$LOG.console" 2>/dev/null && panic="the guest kernel panicked (see $LOG.console); "
  if [[ -n $panic ]] || ((SECONDS - start > TIMEOUT)) || ((IDLE > 0 && SECONDS - last_change > IDLE)); then
    echo "qemu.sh: stopping QEMU: ${panic}$((SECONDS - start)) s in, serial silent for $((SECONDS - last_change)) s" | tee -a "$LOG.qemu" >&2
    pkill -TERM -P "$pid" 2>/dev/null || true
    sleep 5
    pkill -KILL -P "$pid" 2>/dev/null || true
    rc=124
    break
  fi
done
wait "$pid" 2>/dev/null || { [[ -n $rc ]] || rc=$?; }
rc=${rc:-0}
sed -i -e 's/\r//g' -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' "$LOG.console" 2>/dev/null || true
echo "qemu.sh: rc=$rc wall=$((SECONDS - start))s peak_rss=$(awk -F': ' '/Maximum resident/{print int($2/1024) "MB"}' "$LOG.time" 2>/dev/null)" | tee -a "$LOG.qemu" >&2
exit "$rc"
