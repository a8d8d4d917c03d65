#!/bin/bash
# GPU Ferry after-install (deb postinst, rpm %post), used by electron-builder instead of its default.
# Puts the privileged parts at the fixed system paths they are trusted at, owned by root:
#   /usr/libexec/gpu-ferry/   the launcher pkexec runs, the privileged program (run with the system's
#                             Node.js, a dependency of the package), the handoff runtime
#   /usr/share/gpu-ferry/hooks/   the reference copy of the libvirt hook (installed into
#                                 /etc/libvirt/hooks/qemu.d by a reviewed plan, never silently)
#   /usr/share/polkit-1/actions/  the polkit policy
#   /usr/share/metainfo/          AppStream metainfo
# plus what electron-builder's own script does: /usr/bin/gpu-ferry, the chrome-sandbox mode fix and
# the AppArmor profile. GPU_FERRY_DESTDIR installs under another root (tests); live-system commands
# (update-alternatives, desktop database, AppArmor) are skipped there.
# Note: electron-builder expands a dollar sign followed by letters in braces as a template macro, so
# variables here are written $NAME, never in braces unless the name has an underscore or a default.
set -euo pipefail

DEST=${GPU_FERRY_DESTDIR:-}
APP_DIR='/opt/GPU Ferry'
EXECUTABLE=gpu-ferry
RES="$DEST$APP_DIR/resources"

# What goes where: the one list (build/linux/system-files.txt, packaged as resources/linux/), one
# "SOURCE MODE TARGET" line per file, SOURCE under resources/.
MANIFEST="$RES/linux/system-files.txt"
if [[ ! -f $MANIFEST || -L $MANIFEST ]]; then
  echo "gpu-ferry: the package is incomplete: $MANIFEST is missing" >&2
  exit 1
fi
FILES=()
while read -r src mode target; do
  [[ -z $src || $src == '#'* ]] && continue
  FILES+=("$src $mode $target")
done <"$MANIFEST"

# Check every source first, so a broken package installs nothing rather than half.
for spec in "${FILES[@]}"; do
  read -r src _ _ <<<"$spec"
  if [[ ! -f $RES/$src || -L $RES/$src ]]; then
    echo "gpu-ferry: the package is incomplete: $RES/$src is missing" >&2
    exit 1
  fi
done

for spec in "${FILES[@]}"; do
  read -r src mode target <<<"$spec"
  dir=$(dirname -- "$DEST$target")
  # Create missing directories only: an existing system directory keeps its owner and mode.
  [[ -d $dir ]] || install -d -o root -g root -m 0755 -- "$dir"
  install -o root -g root -m "$mode" -- "$RES/$src" "$DEST$target"
done

# The command on PATH.
if [[ -z $DEST ]] && command -v update-alternatives >/dev/null 2>&1; then
  update-alternatives --install "/usr/bin/$EXECUTABLE" "$EXECUTABLE" "$APP_DIR/$EXECUTABLE" 100 ||
    ln -sfn -- "$APP_DIR/$EXECUTABLE" "/usr/bin/$EXECUTABLE"
else
  install -d -m 0755 -- "$DEST/usr/bin"
  ln -sfn -- "$APP_DIR/$EXECUTABLE" "$DEST/usr/bin/$EXECUTABLE"
fi

# chrome-sandbox must be setuid root only where unprivileged user namespaces are unavailable
# (electron-builder's fix, kept).
SANDBOX="$DEST$APP_DIR/chrome-sandbox"
if [[ -e $SANDBOX ]]; then
  chown root:root -- "$SANDBOX"
  # Ask as an unprivileged user: root can always create a user namespace.
  if [[ -L /proc/self/ns/user ]] && setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user true 2>/dev/null; then
    chmod 0755 -- "$SANDBOX"
  else
    chmod 4755 -- "$SANDBOX"
  fi
fi

[[ -z $DEST ]] || exit 0

if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database /usr/share/applications || true
fi

# AppArmor (Ubuntu 24.04+ restricts unprivileged user namespaces): install electron-builder's profile
# where the running AppArmor accepts it.
PROFILE_SOURCE="$RES/apparmor-profile"
PROFILE_TARGET="/etc/apparmor.d/$EXECUTABLE"
if [[ -f $PROFILE_SOURCE ]] && command -v apparmor_parser >/dev/null 2>&1 && apparmor_status --enabled >/dev/null 2>&1; then
  if apparmor_parser --skip-kernel-load --debug "$PROFILE_SOURCE" >/dev/null 2>&1; then
    install -o root -g root -m 0644 -- "$PROFILE_SOURCE" "$PROFILE_TARGET"
    if ! { [[ -x /usr/bin/ischroot ]] && /usr/bin/ischroot; }; then
      apparmor_parser --replace --write-cache --skip-read-cache "$PROFILE_TARGET" || true
    fi
  fi
fi
exit 0
