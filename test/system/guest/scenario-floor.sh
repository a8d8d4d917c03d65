#!/bin/bash
# floor-cycles (benchmark only, not in CI's PROVEN list): the same Launch -> force-off cycles as
# single-gpu-cycles with the test-only minimal hook (floor-hook.sh) in place of GPU Ferry's handoff, so the
# benchmark compares the runtime with the floor in the same guest on the same machine; then what the floor
# itself is made of here (a display manager start to its greeter, a program start, a holder scan).

# ms_of CMD...: wall milliseconds of CMD (its output dropped)
ms_of() {
  local t0=$EPOCHREALTIME t1
  "$@" >/dev/null 2>&1
  t1=$EPOCHREALTIME
  echo $(((${t1/./} - ${t0/./}) / 1000))
}
repeat() { local n=$1 i; shift; for ((i = 0; i < n; i++)); do "$@"; done; }
# The shape of the runtime's holder scan (every fd of every process, one stat test each), for its cost here.
fd_scan() {
  local d fd n=0 c=0
  for d in /proc/[0-9]*; do
    for fd in "$d"/fd/*; do n=$((n + 1)); [[ -c $fd ]] && c=$((c + 1)); done
  done
  echo "$n $c"
}
# traced_run ACTION: the installed runtime run by hand (not through libvirt) under xtrace, every line stamped;
# prints where its time went: per function, and the 25 slowest lines (a line's time runs to the next line).
traced_run() {
  local trace=$STATE/trace.$1
  # bash takes no PS4 from the environment as root: set inside, then the runtime read with its arguments.
  # shellcheck disable=SC2016
  BASH_XTRACEFD=9 bash -c 'PS4="+\${EPOCHREALTIME} \${LINENO} \${FUNCNAME[0]:-main} "; set -x; source "$0" "$@"' \
    /usr/libexec/gpu-ferry/gpu-ferry-handoff "$1" "$VM" 9>"$trace" </dev/null >/dev/null 2>&1
  say "PROBE traced $1 rc=$? lines $(wc -l <"$trace")"
  awk '/^\++[0-9]+\.[0-9]+ [0-9]+ /{ sub(/^\++/, ""); t=$1; if (pt != "") { d=(t-pt)*1000; fn[pf]+=d; ln[pl" "pf]+=d; tot+=d }; pt=t; pl=$2; pf=$3 }
    END { printf "PROBE %s %.1f total\n", "'"$1"'", tot; for (f in fn) printf "PROBE %s %.1f fn %s\n", "'"$1"'", fn[f], f;
      for (l in ln) printf "PROBE %s %.1f line %s\n", "'"$1"'", ln[l], l }' "$trace" | sort -k3 -rn | head -n 60
}
greeter_running() { pgrep -x lightdm-gtk-gre >/dev/null; }

floor_probe() {
  local i t0 fds cfds procs=(/proc/[0-9]*)
  read -r fds cfds < <(fd_scan)
  say "PROBE processes ${#procs[@]}, fds $fds, character-device fds $cfds"
  say "PROBE fd scan: $(ms_of fd_scan) ms"
  say "PROBE 10 x /bin/true: $(ms_of repeat 10 /bin/true) ms"
  say "PROBE 10 x systemctl is-active: $(ms_of repeat 10 systemctl is-active lightdm.service) ms"
  say "PROBE 10 x dbus-send ping systemd: $(ms_of repeat 10 dbus-send --system --print-reply --dest=org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.DBus.Peer.Ping) ms"
  say "PROBE 10 x flock -n: $(ms_of repeat 10 flock -n /run/lock/systest.probe true) ms"
  say "PROBE 10 x stat: $(ms_of repeat 10 stat -c %u /etc/passwd) ms"
  say "PROBE 10 x bash -c ':': $(ms_of repeat 10 bash -c :) ms"
  say "PROBE 10 x runtime parse (bash -n): $(ms_of repeat 10 bash -n /usr/libexec/gpu-ferry/gpu-ferry-handoff) ms"
  say "PROBE 10 x runtime usage error (start, first part): $(ms_of repeat 10 /usr/libexec/gpu-ferry/gpu-ferry-handoff) ms"
  # The runtime's own time, line by line (xtrace slows every line alike: read the shares, not the sums).
  traced_run prepare
  traced_run release
  wait_for 120 greeter_running
  sleep 5
  # A display manager started on a quiet system, to its greeter: the part of a restore no hook can shorten.
  for i in 1 2 3; do
    systemctl stop display-manager.service
    sleep 5
    t0=$(uptime_s)
    systemctl start --no-block display-manager.service
    wait_for 120 greeter_running
    say "PROBE display manager start -> greeter: $(since "$t0") s"
    sleep 5
  done
}

scenario_floor_cycles() {
  begin floor-cycles
  local conf=/etc/gpu-ferry/vms/$VM.conf c
  check hook-observer-installed observe_hooks
  # GPU Ferry's hook stays installed and steps aside (no handoff config for the VM: not ours).
  mv "$conf" "$STATE/floor-saved.conf"
  install -m 755 "$SHARE/guest/floor-hook.sh" /etc/libvirt/hooks/qemu.d/50-systest-floor
  systemctl restart libvirtd.service
  for c in $(seq "${CYCLES:-10}"); do FLOOR=1 handoff_cycle "$c"; done
  rm -f /etc/libvirt/hooks/qemu.d/50-systest-floor
  mv "$STATE/floor-saved.conf" "$conf"
  systemctl restart libvirtd.service
  floor_probe
  check greeter-up-after greeter_up
  finish
}
