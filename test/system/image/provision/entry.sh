#!/bin/bash
# Provisioning boot of the base image: GRUB onto the ESP (removable path, no NVRAM: the firmware's vars
# are thrown away after each boot) and grub.cfg from update-grub, then power off.
set -u
mountpoint -q /boot/efi || mount /boot/efi 2>/dev/null || mountpoint -q /boot/efi
if grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable --no-nvram &&
  update-grub && [ -f /boot/efi/EFI/BOOT/BOOTX64.EFI ] && [ -s /boot/grub/grub.cfg ]; then
  # libvirt probes QEMU once and caches it: pay that here, not in every run.
  virsh -c qemu:///system domcapabilities --virttype qemu --machine q35 >/dev/null 2>&1
  sync
  echo "SYSTEST PROVISIONED"
else
  echo "SYSTEST PROVISION-FAILED"
fi
systemctl poweroff
