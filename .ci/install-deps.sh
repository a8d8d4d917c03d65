#!/usr/bin/env bash
# Installs every Debian package the test tiers need (see ../shared/test-recipes.md).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PKGS=(
  chromium                      # e2e tier (Playwright drives Debian's Chromium)
  qemu-system-x86 qemu-utils busybox-static kmod cpio ovmf gcc libc6-dev   # kernel tier (gcc -static: the VFIO checker)
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libxml2-utils  # libvirt tier
  shellcheck bats               # helper / hook tier
  hwdata pciutils               # pci.ids for names
  nix-bin                       # unit tier: nix-instantiate --parse checks the NixOS configuration snippets
  desktop-file-utils appstream  # packaging checks
  polkitd libpolkit-gobject-1-dev  # polkit policy DTD
  util-linux procps psmisc
  mmdebstrap dosfstools e2fsprogs fdisk time   # system tier: builds a Debian 12 image (with ovmf, qemu-system-x86, qemu-utils above)
)
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
