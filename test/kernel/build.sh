#!/usr/bin/env bash
# shellcheck disable=SC2012 # kernel .deb names are plain
# Build (cached under .cache/kernel/) a Debian generic kernel + an initramfs holding busybox, Debian's
# kmod, bash, the needed modules, a static VFIO checker, and GPU Ferry's runtime + hook installed at the
# paths the hook-install plan uses. Prints the paths: KERNEL=... INITRD=...
# Usage: build.sh OVERLAY_DIR (files copied over the initramfs tree, e.g. /etc/gpu-ferry/vms/*.conf)
set -euo pipefail
cd "$(dirname "$0")/../.."
overlay=${1:?overlay dir}
mkdir -p .cache/kernel
cache=$(realpath .cache/kernel)

deb=$(ls "$cache"/linux-image-*-amd64_*.deb 2>/dev/null | head -n 1 || true)
if [[ -z $deb ]]; then
  pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
  [[ -n $pkg ]] || { echo "build.sh: cannot resolve the Debian kernel package (apt-get update?)" >&2; exit 1; }
  (cd "$cache" && apt-get download "$pkg" 2>/dev/null)
  deb=$(ls "$cache"/linux-image-*-amd64_*.deb | head -n 1)
fi
kver=$(basename "$deb" | sed -E 's/^linux-image-([^_]+)_.*/\1/')
kt=$cache/tree-$kver
if [[ ! -f $kt/.done-nvme2 ]]; then
  rm -rf "$kt"; mkdir -p "$kt"
  m=./lib/modules/$kver
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kt" ./boot "$m/kernel/drivers/gpu" "$m/kernel/drivers/vfio" \
    "$m/kernel/sound" "$m/kernel/virt" "$m/kernel/drivers/nvme" "$m/kernel/block" "$m/kernel/crypto" "$m/kernel/arch" "$m/kernel/drivers/video" "$m/kernel/drivers/i2c" "$m/kernel/drivers/leds" "$m/kernel/lib" \
    "$m/modules.builtin" "$m/modules.order" "$m/modules.builtin.modinfo"
  depmod -b "$kt" -F "$kt/boot/System.map-$kver" "$kver"
  touch "$kt/.done-nvme2"
fi

for tool in gcc cpio gzip busybox kmod bash ldd; do
  command -v "$tool" >/dev/null || [[ -x /bin/$tool ]] || { echo "build.sh: $tool is missing" >&2; exit 1; }
done
[[ -x /bin/busybox ]] || { echo "build.sh: /bin/busybox (busybox-static) is missing" >&2; exit 1; }

root=$cache/initramfs
rm -rf "$root"; mkdir -p "$root"/{bin,sbin,etc/modprobe.d,proc,sys,dev,run,tmp,var/log,lib64,usr/libexec/gpu-ferry,etc/libvirt/hooks/qemu.d}
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
  case $a in busybox | bash | modprobe | insmod | rmmod | lsmod | depmod | modinfo) continue ;; esac
  ln -sf busybox "$root/bin/$a"
done
# shellcheck source=test/kernel/copy-with-libs.sh
. test/kernel/copy-with-libs.sh
copy_with_libs "$(command -v bash)" "$root"
copy_with_libs "$(command -v kmod)" "$root"
copy_with_libs "$(command -v flock)" "$root" # util-linux flock, as on every host (busybox-static has none)
for a in modprobe insmod rmmod lsmod depmod modinfo; do ln -sf kmod "$root/bin/$a"; done
ln -sf ../bin/modprobe "$root/sbin/modprobe"

# Modules (with their dependencies) for bochs DRM, HDA audio, VFIO and NVMe (the SR-IOV test's device).
mods=(bochs vfio-pci vfio_iommu_type1 snd-hda-intel snd-hda-codec-generic nvme)
for m in "${mods[@]}"; do modprobe -d "$kt" -S "$kver" --show-depends "$m"; done | awk '$1=="insmod"{print $2}' | sort -u | while read -r ko; do
  rel=${ko#"$kt"}; mkdir -p "$root$(dirname "$rel")"; cp "$ko" "$root$rel"
done
cp "$kt/lib/modules/$kver"/modules.{builtin,order,builtin.modinfo} "$root/lib/modules/$kver/"
depmod -b "$root" -F "$kt/boot/System.map-$kver" "$kver"

gcc -static -O1 -o "$root/bin/vfio-check" test/kernel/vfio-check.c

# Installed exactly as the hook-install plan installs them.
install -m 0755 resources/handoff/gpu-ferry-handoff "$root/usr/libexec/gpu-ferry/gpu-ferry-handoff"
install -m 0755 resources/hooks/gpu-ferry "$root/etc/libvirt/hooks/qemu.d/gpu-ferry"
install -m 0755 test/kernel/guest-init.sh "$root/init"
cp -a "$overlay/." "$root/"

(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$cache/initramfs.cpio.gz"
echo "KERNEL=$kt/boot/vmlinuz-$kver"
echo "INITRD=$cache/initramfs.cpio.gz"
