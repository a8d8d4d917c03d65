#!/usr/bin/env bash
# Boot the kernel-test initramfs under QEMU (TCG) with an emulated Intel IOMMU and an NVMe controller
# that offers SR-IOV (QEMU 7.2: nvme-subsys + sriov_max_vfs; the flexible queue and interrupt pools
# are what its VFs get). Serial console on stdout. no_timer_check: as in boot.sh (a loaded machine's TCG can
# miss the IO-APIC timer check, and the kernel panics before anything of ours runs). Usage: sriov-boot.sh KERNEL INITRD
set -euo pipefail
kernel=$1 initrd=$2
exec timeout 600 qemu-system-x86_64 -machine q35,kernel-irqchip=split -accel tcg -cpu max -smp 1 -m 1536 \
  -nographic -vga none -no-reboot \
  -device intel-iommu,intremap=on,caching-mode=on \
  -device pcie-root-port,id=rp1,bus=pcie.0,addr=0x3,chassis=1 \
  -device nvme-subsys,id=subsys0 \
  -device nvme,bus=rp1,serial=gft0,subsys=subsys0,sriov_max_vfs=3,sriov_vq_flexible=8,sriov_vi_flexible=4,max_ioqpairs=12,msix_qsize=16 \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyS0 intel_iommu=on iommu=pt panic=-1 no_timer_check quiet loglevel=3"
