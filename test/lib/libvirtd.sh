#!/usr/bin/env bash
# Starts (or reuses) a real libvirt daemon for the libvirt test tier, as ../shared/test-recipes.md
# describes: no systemd here, so virtlogd and libvirtd run by hand. Usage:
#   test/lib/libvirtd.sh ensure   # start unless one answers already; prints nothing on success
#   test/lib/libvirtd.sh stop     # stop only daemons this script started (pid files)
#   test/lib/libvirtd.sh restart  # needed after installing a new hook (libvirt notices hooks at start)
# Several test files (and several developers' shells) may call `ensure` at once: a lock serialises them.
set -euo pipefail
state=/run/gpu-ferry-test
mkdir -p "$state"
exec 9>"$state/lock"
flock 9

uri=qemu:///system
answers() { timeout 30 virsh -q -c "$uri" version >/dev/null 2>&1; }

wait_until() { # seconds, command...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

start() {
  command -v libvirtd >/dev/null || { echo "libvirtd is not installed (run .ci/install-deps.sh)" >&2; exit 1; }
  getent passwd libvirt-qemu >/dev/null ||
    useradd --system --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin -U libvirt-qemu
  mkdir -p /var/log/libvirt /var/lib/libvirt/qemu /run/libvirt
  if ! pgrep -x virtlogd >/dev/null; then
    virtlogd 9>&- >"$state/virtlogd.log" 2>&1 &
    echo $! >"$state/virtlogd.pid"
  fi
  # These machines have a /dev/kvm that QEMU cannot use. libvirt 9.0 judges KVM usable when its QEMU user
  # (libvirt-qemu) may open /dev/kvm; if it may, but the QEMU probe then gets no KVM, the cached
  # capabilities are stale on every lookup and QEMU is probed again and again (one `virsh define`: 24-105 s,
  # measured). So the daemon runs in a private mount namespace where /dev/kvm is a root-only null device:
  # libvirt-qemu may not open it, KVM is "not usable", matching the probe, and a define takes well under a
  # second. (/dev/null itself, used before, is world-writable: it made KVM look usable whenever the
  # host's /dev/kvm was not.) The daemon's QEMU guests inherit the namespace; they run under TCG anyway.
  if [ -e /dev/kvm ]; then
    # A character device (libvirt copies /dev/kvm into each VM's /dev as a device), root-only.
    rm -f "$state/no-kvm"
    mknod -m 0600 "$state/no-kvm" c 1 3
    # shellcheck disable=SC2016 # $1 is the inner shell's argument: the path is data, not code
    unshare -m --propagation private sh -c 'mount --bind "$1" /dev/kvm && exec libvirtd' sh "$state/no-kvm" 9>&- >"$state/libvirtd.log" 2>&1 &
  else
    libvirtd 9>&- >"$state/libvirtd.log" 2>&1 &
  fi
  echo $! >"$state/libvirtd.pid"
  wait_until 60 answers || { echo "libvirtd did not answer within 60 s; log:" >&2; tail -n 30 "$state/libvirtd.log" >&2; exit 1; }
}

stop_ours() {
  local name pid
  for name in libvirtd virtlogd; do
    [ -f "$state/$name.pid" ] || continue
    pid=$(cat "$state/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      wait_until 20 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$state/$name.pid"
  done
}

# A daemon that is already running but slow to answer (a loaded machine) is waited for, never
# doubled: a second libvirtd fails on its pid file and would leave a wrong pid behind.
ensure() {
  answers && return 0
  if pgrep -x libvirtd >/dev/null; then
    if ! { [ -f "$state/libvirtd.pid" ] && kill -0 "$(cat "$state/libvirtd.pid")" 2>/dev/null; }; then
      pgrep -o -x libvirtd >"$state/libvirtd.pid"
    fi
    wait_until 120 answers && return 0
    echo "libvirtd runs but does not answer within 120 s" >&2
    exit 1
  fi
  start
}

case "${1:-}" in
  ensure) ensure ;;
  stop) stop_ours ;;
  restart)
    if [ -f "$state/libvirtd.pid" ]; then
      pid=$(cat "$state/libvirtd.pid")
      kill "$pid" 2>/dev/null || true
      wait_until 20 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
    elif pgrep -x libvirtd >/dev/null; then
      pkill -x libvirtd || true
      wait_until 20 bash -c '! pgrep -x libvirtd >/dev/null'
    fi
    start
    ;;
  *) echo "usage: $0 ensure|stop|restart" >&2; exit 2 ;;
esac
