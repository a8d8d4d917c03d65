#!/usr/bin/env bash
# configure.sh ROOTFS ROOT_UUID ESP_UUID: turns the mmdebstrap tree into the system tier's guest.
# Debian as installed, plus only what a test machine needs: serial console, GRUB at once, the graphical
# target, quiet timers, no libvirt default network (needs dnsmasq), MODULES=dep for initramfs-tools, and
# systest.service, which runs the entry.sh of the host's 9p share (tag "systest") with output on ttyS1.
set -euo pipefail
R=${1:?} ROOT_UUID=${2:?} ESP_UUID=${3:?}
inchroot() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

echo systest >"$R/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 systest\n::1 localhost ip6-localhost ip6-loopback\n' >"$R/etc/hosts"
printf 'UUID=%s / ext4 errors=remount-ro 0 1\nUUID=%s /boot/efi vfat umask=0077,nofail 0 2\n' \
  "$ROOT_UUID" "$ESP_UUID" >"$R/etc/fstab"
mkdir -p "$R/boot/efi"
echo LANG=C.UTF-8 >"$R/etc/default/locale"

# The IOMMU starts off in the kernel: Debian 12's kernel turns Intel's on by default, so the machine
# starts as one whose kernel defaults it off (or where it was switched off while troubleshooting).
# Turning it on is the journey's first step (gpu-ferry apply iommu). no_timer_check: on a loaded host
# the emulated timer can miss the kernel's boot-time check through the interrupt-remapped IO-APIC, which
# panics ("timer doesn't work through Interrupt-remapped IO-APIC").
cat >"$R/etc/default/grub" <<'GRUB'
GRUB_DEFAULT=0
GRUB_TIMEOUT=0
GRUB_TIMEOUT_STYLE=hidden
GRUB_DISTRIBUTOR=Debian
GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=off"
GRUB_CMDLINE_LINUX="console=ttyS0,115200 no_timer_check"
GRUB_DISABLE_OS_PROBER=true
GRUB_TERMINAL=console
GRUB

# Debian's default (MODULES=most) makes update-initramfs take ~10 min under TCG; dep takes ~1 min.
echo MODULES=dep >"$R/etc/initramfs-tools/conf.d/systest-modules-dep.conf"

ln -sf /lib/systemd/system/graphical.target "$R/etc/systemd/system/default.target"
for unit in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer e2scrub_reap.service \
  fstrim.timer logrotate.timer dpkg-db-backup.timer systemd-tmpfiles-clean.timer; do
  ln -sf /dev/null "$R/etc/systemd/system/$unit"
done
rm -f "$R/etc/libvirt/qemu/networks/autostart/default.xml"
mkdir -p "$R/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=64M\n' >"$R/etc/systemd/journald.conf.d/systest.conf"

install -D -m 755 /dev/stdin "$R/usr/local/sbin/systest-launch" <<'LAUNCH'
#!/bin/bash
# Mounts the host's share read-only and runs its entry.sh (through bash: the share is data).
exec </dev/null
echo "SYSTEST LAUNCH uptime=$(cut -d' ' -f1 /proc/uptime)"
modprobe 9pnet_virtio
mkdir -p /run/systest/share
if ! mountpoint -q /run/systest/share &&
  ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 systest /run/systest/share; then
  echo "SYSTEST NO-SHARE"; exit 1
fi
/bin/bash /run/systest/share/entry.sh
echo "SYSTEST ENTRY-EXIT $?"
LAUNCH
cat >"$R/etc/systemd/system/systest.service" <<'UNIT'
[Unit]
Description=GPU Ferry system tier driver (output on ttyS1)
After=basic.target
ConditionPathExists=/dev/ttyS1

[Service]
Type=simple
ExecStart=/usr/local/sbin/systest-launch
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS1
TTYReset=no
TTYVHangup=no
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/systest.service "$R/etc/systemd/system/multi-user.target.wants/systest.service"
echo "display manager: $(readlink "$R/etc/systemd/system/display-manager.service" || echo MISSING)"
# shellcheck disable=SC2016 # dpkg-query's format, not ours
inchroot dpkg-query -W -f='${Package} ${Version}\n' linux-image-amd64 lightdm libvirt-daemon polkitd 2>&1 || true
