#!/bin/bash
# GPU Ferry after-remove (deb postrm, rpm %postun): removes the system files after-install.sh put in
# place — and nothing the user made: /etc/gpu-ferry (handoff configs), /var/lib/gpu-ferry (the change
# journal), libvirt VM definitions and an installed /etc/libvirt/hooks/qemu.d hook stay.
# On upgrade (deb "upgrade", rpm "1") it does nothing: the new version's after-install owns the files.
# GPU_FERRY_DESTDIR removes under another root (tests). Variables are written $NAME (see after-install).
set -euo pipefail

case "${1:-remove}" in
  upgrade | failed-upgrade | 1) exit 0 ;;
esac

DEST=${GPU_FERRY_DESTDIR:-}
APP_DIR='/opt/GPU Ferry'
EXECUTABLE=gpu-ferry

# Exactly the files after-install put in place: the list it installed beside them.
MANIFEST="$DEST/usr/share/gpu-ferry/system-files.txt"
if [[ -f $MANIFEST && ! -L $MANIFEST ]]; then
  targets=()
  while read -r src _ target; do
    [[ -z $src || $src == '#'* || $target != /* || $target == *..* ]] && continue
    targets+=("$DEST$target")
  done <"$MANIFEST"
  rm -f -- "${targets[@]}"
fi
rmdir --ignore-fail-on-non-empty -- "$DEST/usr/libexec/gpu-ferry" "$DEST/usr/share/gpu-ferry/hooks" "$DEST/usr/share/gpu-ferry/handoff" 2>/dev/null || true
rmdir --ignore-fail-on-non-empty -- "$DEST/usr/share/gpu-ferry" 2>/dev/null || true

if [[ -z $DEST ]] && command -v update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove "$EXECUTABLE" "$APP_DIR/$EXECUTABLE" || true
fi
# Our link only: never a /usr/bin/gpu-ferry that points somewhere else.
LINK="$DEST/usr/bin/$EXECUTABLE"
if [[ -L $LINK && $(readlink -- "$LINK") == "$APP_DIR/$EXECUTABLE" ]]; then
  rm -f -- "$LINK"
fi

PROFILE="$DEST/etc/apparmor.d/$EXECUTABLE"
if [[ -f $PROFILE ]]; then
  if [[ -z $DEST ]] && command -v apparmor_parser >/dev/null 2>&1 && apparmor_status --enabled >/dev/null 2>&1; then
    if ! { [[ -x /usr/bin/ischroot ]] && /usr/bin/ischroot; }; then
      apparmor_parser --remove "$PROFILE" || true
    fi
  fi
  rm -f -- "$PROFILE"
fi
exit 0
