#!/usr/bin/env bash
# base-image.sh: prints the folder of the system tier's Debian base image, building it first when the
# cache has no image for this recipe. The cache key is a hash of every file that goes into the image
# (image/*) and the mirror, so changing the recipe builds anew and the app never does.
# Cache: $GPU_FERRY_SYSTEM_CACHE, else /var/cache/gpu-ferry-system (outside the checkout, so other
# clones and CI runs on this machine reuse it). Writes the key's build.json figures; stdout: the folder.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export SYSTEM_CACHE=${GPU_FERRY_SYSTEM_CACHE:-/var/cache/gpu-ferry-system}
mirror=$(bash "$HERE/image/mirror.sh")
key=$({ cd "$HERE" && find image -type f | LC_ALL=C sort | xargs sha256sum; echo "$mirror"; } | sha256sum | cut -c1-16)
dir=$SYSTEM_CACHE/base-$key
mkdir -p "$SYSTEM_CACHE"
exec 9>"$SYSTEM_CACHE/.lock-$key"
flock 9 # another run building the same image: wait for it, then reuse it
if [[ ! -f $dir/build.json ]]; then
  echo "[image] no cached base image $key: building it (several minutes)" >&2
  tmp=$SYSTEM_CACHE/.building-$key
  rm -rf "$tmp"
  MIRROR=$mirror bash "$HERE/image/build.sh" "$tmp" >&2
  rm -rf "$dir"
  mv "$tmp" "$dir"
  # Old images of other recipes are not needed any more (each is ~1 GB).
  find "$SYSTEM_CACHE" -maxdepth 1 -name 'base-*' ! -name "base-$key" -exec rm -rf {} + 2>/dev/null || true
else
  echo "[image] cached base image $key" >&2
fi
echo "$dir"
