#!/usr/bin/env bash
# Boot the kernel-test initramfs under QEMU (TCG): intel-iommu, a pcie-root-port with bochs-display
# (function 0) and ich9-intel-hda + hda-output (function 1) in one slot. Serial console on stdout.
# no_timer_check: on a loaded machine TCG can miss the kernel's IO-APIC timer check, which then panics
# ("timer doesn't work through Interrupt-remapped IO-APIC") before anything of ours runs.
# timeout 600: a hang detector, not a bound on speed (the full UEFI run takes ~100 s idle and hit 300 s once at
# load 7-10 on two cores).
# Usage: boot.sh KERNEL INITRD uefi|bios CYCLES SCENARIO [MODE]
set -euo pipefail
kernel=$1 initrd=$2 firmware=$3 cycles=$4 scenario=$5 mode=${6:-single-gpu}
fw=()
if [[ $firmware == uefi ]]; then
  code=/usr/share/OVMF/OVMF_CODE_4M.fd vars=/usr/share/OVMF/OVMF_VARS_4M.fd
  [[ -f $code && -f $vars ]] || { echo "boot.sh: OVMF is missing (apt-get install ovmf)" >&2; exit 1; }
  varcopy=$(mktemp); cp "$vars" "$varcopy"; trap 'rm -f "$varcopy"' EXIT
  fw=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code" -drive "if=pflash,format=raw,unit=1,file=$varcopy")
fi
exec timeout 600 qemu-system-x86_64 -machine q35,kernel-irqchip=split -accel tcg -cpu max -smp 1 -m 1024 \
  -nographic -vga none -no-reboot "${fw[@]}" \
  -device intel-iommu,intremap=on,caching-mode=on \
  -device pcie-root-port,id=rp1,bus=pcie.0,addr=0x3,chassis=1 \
  -device bochs-display,bus=rp1,addr=0x0.0,multifunction=on \
  -device ich9-intel-hda,bus=rp1,addr=0x0.1,id=hda -audiodev none,id=snd0 -device hda-output,bus=hda.0,audiodev=snd0 \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyS0 intel_iommu=on iommu=pt panic=-1 no_timer_check quiet loglevel=3 gft.cycles=$cycles gft.scenario=$scenario gft.mode=$mode"
