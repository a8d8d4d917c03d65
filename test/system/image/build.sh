#!/usr/bin/env bash
# build.sh OUT_DIR: the system tier's Debian 12 base image (no GPU Ferry in it; the app comes per run).
#   OUT_DIR/disk.img   raw GPT disk: p1 ESP (GRUB installed by the provisioning boot), p2 ext4 root
#   OUT_DIR/image.env  ROOT_UUID, KVER
#   OUT_DIR/build.json seconds per stage (mmdebstrap, configure, disk, provision) and sizes
# Needs root (mmdebstrap root mode, chroot), mmdebstrap, mkfs.ext4 (-d), mkfs.vfat, sfdisk, qemu, OVMF.
# DEB_CACHE (default $SYSTEM_CACHE/debs) keeps downloaded .debs between builds.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:?usage: build.sh OUT_DIR}
: "${SYSTEM_CACHE:?}"
DEB_CACHE=${DEB_CACHE:-$SYSTEM_CACHE/debs}
MIRROR=${MIRROR:-$(bash "$HERE/mirror.sh")}
ESP_MB=64 ROOT_SIZE=4G
mkdir -p "$OUT" "$DEB_CACHE"
ROOTFS=$OUT/rootfs
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
log() { echo "[image $(date +%T)] $*" >&2; }

mapfile -t PKGS < <(grep -v -E '^\s*(#|$)' "$HERE/packages.txt")
t0=$(now)
rm -rf "$ROOTFS"
log "mmdebstrap ${#PKGS[@]} packages from $MIRROR (Recommends not installed)"
# Cached .debs go in before the download (sync-in) and new ones come back out (sync-out). The hooks'
# "$1" is expanded by mmdebstrap (the new root), not here.
# shellcheck disable=SC2016
if ! mmdebstrap --variant=minbase --include="$(IFS=,; echo "${PKGS[*]}")" \
  --aptopt='Acquire::Languages "none"' --aptopt='Acquire::Retries "3"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --skip=download/empty --skip=essential/unlink \
  --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
  --setup-hook="sync-in $DEB_CACHE /var/cache/apt/archives/" \
  --customize-hook="sync-out /var/cache/apt/archives $DEB_CACHE" \
  bookworm "$ROOTFS" \
  "deb $MIRROR/debian bookworm main" \
  "deb $MIRROR/debian bookworm-updates main" \
  "deb $MIRROR/debian-security bookworm-security main" >"$OUT/mmdebstrap.log" 2>&1; then
  tail -n 30 "$OUT/mmdebstrap.log" >&2
  log "mmdebstrap failed (full log: $OUT/mmdebstrap.log)"
  exit 1
fi
t_mmdebstrap=$(secs "$t0")
log "mmdebstrap done in ${t_mmdebstrap}s ($(find "$DEB_CACHE" -name '*.deb' | wc -l) .debs cached)"

t1=$(now)
ROOT_UUID=$(cat /proc/sys/kernel/random/uuid)
ESP_SERIAL=$(printf '%04X%04X' $((RANDOM)) $((RANDOM)))
ESP_UUID="${ESP_SERIAL:0:4}-${ESP_SERIAL:4:4}"
KVER=$(basename "$(ls -d "$ROOTFS"/lib/modules/*)")
bash "$HERE/configure.sh" "$ROOTFS" "$ROOT_UUID" "$ESP_UUID" >"$OUT/configure.log" 2>&1 || {
  cat "$OUT/configure.log" >&2; exit 1; }
t_configure=$(secs "$t1")
rootfs_mb=$(du -sm --apparent-size "$ROOTFS" | cut -f1)

# Partitions are made as files and copied into the disk: no loop device, no mount.
t2=$(now)
install -m 644 "$ROOTFS/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
install -m 644 "$ROOTFS/boot/initrd.img-$KVER" "$OUT/initrd.img"
rm -f "$OUT/root.img" "$OUT/esp.img" "$OUT/disk.img"
mkfs.ext4 -q -F -L systest-root -U "$ROOT_UUID" -E root_owner=0:0 -d "$ROOTFS" "$OUT/root.img" "$ROOT_SIZE"
truncate -s "${ESP_MB}M" "$OUT/esp.img"
mkfs.vfat -F 32 -n ESP -i "$ESP_SERIAL" "$OUT/esp.img" >/dev/null
root_mb=$(($(stat -c %s "$OUT/root.img") / 1024 / 1024))
truncate -s "$((1 + ESP_MB + root_mb + 1))M" "$OUT/disk.img"
sfdisk -q "$OUT/disk.img" <<PARTS
label: gpt
start=1MiB, size=${ESP_MB}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=ESP
start=$((1 + ESP_MB))MiB, size=${root_mb}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=root
PARTS
dd if="$OUT/esp.img" of="$OUT/disk.img" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$OUT/root.img" of="$OUT/disk.img" bs=1M seek=$((1 + ESP_MB)) conv=notrunc,sparse status=none
rm -rf "$OUT/root.img" "$OUT/esp.img" "$ROOTFS"
printf 'ROOT_UUID=%s\nKVER=%s\n' "$ROOT_UUID" "$KVER" >"$OUT/image.env"
t_disk=$(secs "$t2")

# The provisioning boot installs GRUB on the ESP and writes grub.cfg where the real disk exists.
t3=$(now)
log "provisioning boot (grub-install, update-grub)"
bash "$HERE/../qemu.sh" --image "$OUT" --disk "$OUT/disk.img" --boot kernel --share "$HERE/provision" \
  --log "$OUT/provision" --timeout 1200
grep -a -q '^SYSTEST PROVISIONED' "$OUT/provision.serial" || {
  tail -n 40 "$OUT/provision.serial" "$OUT/provision.console" >&2; log "provisioning failed"; exit 1; }
t_provision=$(secs "$t3")
cat >"$OUT/build.json" <<JSON
{"mmdebstrap_s": $t_mmdebstrap, "configure_s": $t_configure, "disk_s": $t_disk, "provision_s": $t_provision,
 "total_s": $(secs "$t0"), "packages_named": ${#PKGS[@]}, "rootfs_mb": $rootfs_mb,
 "disk_allocated_mb": $(du -m "$OUT/disk.img" | cut -f1), "kernel": "$KVER"}
JSON
log "base image ready: $(tr -d '\n' <"$OUT/build.json")"
