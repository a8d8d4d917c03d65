#!/bin/bash
# vm-create and the handoff cycles (single-gpu-cycles, dual-gpu-cycles).

scenario_vm_create() {
  begin vm-create
  # What a person downloads before installing Windows: the installer and the virtio drivers (stand-ins
  # with the right names; nothing boots from them here).
  local iso=/var/lib/libvirt/images
  truncate -s 1M "$iso/Win11_English_x64.iso" "$iso/virtio-win.iso"
  chmod 644 "$iso/Win11_English_x64.iso" "$iso/virtio-win.iso"
  # --audio none: no sound server runs in this headless guest (PulseAudio output would need qemu-system-gui).
  cli vm create "$VM" --gpu "$GPU" --software --memory 1024 --disk-size 1 --network user --audio none --no-tpm \
    --windows-iso "$iso/Win11_English_x64.iso" --virtio-iso "$iso/virtio-win.iso" --yes
  check vm-create-succeeds [ $? = 0 ]
  check vm-defined virsh -c qemu:///system dominfo "$VM"
  local xml=$STATE/vm.xml
  virsh -c qemu:///system dumpxml "$VM" >"$xml" 2>&1
  check gpu-and-audio-hostdevs [ "$(grep -c "<hostdev " "$xml")" = 2 ]
  check installer-attached grep -q Win11_English_x64.iso "$xml"
  check drivers-attached grep -q virtio-win.iso "$xml"
  check software-emulation grep -q "<domain type='qemu'" "$xml"
  cli apply handoff-config --vm "$VM" --gpu "$GPU" --yes
  check handoff-config-applied [ $? = 0 ]
  check handoff-config-written test -s "/etc/gpu-ferry/vms/$VM.conf"
  cli apply hook-install --yes
  check hook-install-applied [ $? = 0 ]
  check hook-installed test -x /etc/libvirt/hooks/qemu.d/gpu-ferry
  check runtime-installed test -x /usr/libexec/gpu-ferry/gpu-ferry-handoff
  cli vm check "$VM"
  check preflight-passes [ $? = 0 ]
  finish
}

# The benchmark's outside view of a handoff: libvirt's hook calls, timed by a test-only hook that sorts
# before gpu-ferry in qemu.d (and one after it), and the greeter's return, timed by a watcher. libvirt reads
# its hooks when it starts: restarted once after they are installed (no VM runs then).
HOOK_CALLS=$STATE/hook-calls
observe_hooks() {
  local d=/etc/libvirt/hooks/qemu.d
  [ -x "$d/00-systest-observer" ] && [ -x "$d/zz-systest-observer" ] && return 0
  install -m 755 "$SHARE/guest/hook-observer.sh" "$d/00-systest-observer"
  install -m 755 "$SHARE/guest/hook-observer.sh" "$d/zz-systest-observer"
  systemctl restart libvirtd.service
}
hook_calls() { wc -l <"$HOOK_CALLS" 2>/dev/null || echo 0; }
# watch_greeter FILE (in the background, while the greeter is away): every 50 ms reads the names of the
# processes in lightdm's control group and in the login sessions' (a handful, not all of /proc: the watcher
# must not slow what it times) and writes the uptime at which the greeter first runs to FILE.
watch_greeter() {
  local f pid comm up nap n=4800
  [ -p "$STATE/nap" ] || mkfifo "$STATE/nap"
  exec {nap}<>"$STATE/nap"
  while ((n-- > 0)); do
    for f in /sys/fs/cgroup/system.slice/lightdm.service/cgroup.procs /sys/fs/cgroup/user.slice/user-*.slice/session-*.scope/cgroup.procs; do
      while read -r pid; do
        read -r comm 2>/dev/null <"/proc/$pid/comm" || continue
        [ "$comm" = lightdm-gtk-gre ] || continue
        read -r up _ </proc/uptime
        echo "$up" >"$1"
        return 0
      done 2>/dev/null <"$f"
    done
    read -rt 0.05 -u "$nap" _
  done
}

# One Launch -> shut down cycle through the CLI; NAME labels the checks. Prints a SYSTEST CYCLE line, the
# hook calls (SYSTEST HOOK) and the runtime's log lines of the cycle.
# With DISPLAY_STAYS=1 (dual GPU) the greeter must stay up the whole time instead of going away. With FLOOR=1
# (floor-cycles) another hook does the handoff: the runtime logs nothing.
handoff_cycle() {
  local n=$1 t0 t_holds t_stop t_back before pid hooks_before watcher='' greeter_at=null
  before=$(jsonl_lines)
  hooks_before=$(hook_calls)
  rm -f "$STATE/greeter-at"
  t0=$(uptime_s)
  if ! cli vm start "$VM"; then
    fail "c$n-vm-start" "$(why_failed "$before")"
    # For whoever reads the serial log: what libvirt and QEMU said about it.
    journalctl -u libvirtd --no-pager -n 25 2>&1 | sed 's/^/    libvirtd| /'
    tail -n 25 "/var/log/libvirt/qemu/$VM.log" 2>&1 | sed 's/^/    qemu| /'
    check "c$n-display-still-up" wait_for 120 restored
    return
  fi
  if wait_for 180 qemu_holds_group; then
    t_holds=$(since "$t0")
  else
    fail "c$n-qemu-holds-group" "$(vm_state); $(tail -n 5 "/var/log/libvirt/qemu/$VM.log" 2>/dev/null)"
    t_holds=null
  fi
  check "c$n-functions-on-vfio" all_on_vfio
  if [ "${DISPLAY_STAYS:-0}" = 1 ]; then
    check "c$n-greeter-stays-up" greeter_up
  else
    check "c$n-lightdm-stopped" sh -c '! systemctl is-active -q lightdm'
    check "c$n-no-xorg" sh -c '! pgrep -x Xorg'
  fi
  pid=$(qemu_pid)
  if [ "${DISPLAY_STAYS:-0}" != 1 ]; then watch_greeter "$STATE/greeter-at" & watcher=$!; fi
  t_stop=$(uptime_s)
  cli vm stop "$VM" --force
  check "c$n-vm-stop" [ $? = 0 ]
  if wait_for 240 restored; then
    t_back=$(since "$t_stop")
  else
    t_back=null
    fail "c$n-restored" "gpu $(driver_of "$GPU") audio $(driver_of "$AUDIO") lightdm $(systemctl is-active lightdm) xorg $(pgrep -x Xorg)"
  fi
  if [ -n "$watcher" ]; then
    wait_for 10 test -s "$STATE/greeter-at"
    kill "$watcher" 2>/dev/null
    wait "$watcher" 2>/dev/null
    check "c$n-greeter-return-timed" test -s "$STATE/greeter-at"
    [ -s "$STATE/greeter-at" ] && greeter_at=$(cat "$STATE/greeter-at")
  fi
  check "c$n-qemu-gone" sh -c "! kill -0 ${pid:-0}"
  check "c$n-gpu-on-bochs-drm" [ "$(driver_of "$GPU")" = bochs-drm ]
  check "c$n-audio-card-back" sh -c "ls /sys/bus/pci/devices/$AUDIO/sound | grep -q card"
  [ "${FLOOR:-0}" = 1 ] || check "c$n-timeline-complete" timeline_complete "$before"
  [[ $n =~ ^[0-9]+$ ]] || n="\"$n\"" # a fault scenario's closing cycle is labelled "after": a JSON string
  echo "SYSTEST CYCLE {\"scenario\":\"$SCEN\",\"cycle\":$n,\"launch_to_group_s\":$t_holds,\"stop_to_greeter_s\":$t_back,\"greeter_back_at\":$greeter_at}"
  tail -n +"$((hooks_before + 1))" "$HOOK_CALLS" 2>/dev/null | sed "s/^/SYSTEST HOOK $SCEN /"
  emit_jsonl_since "$before"
}
restored() { [ "$(driver_of "$GPU")" = bochs-drm ] && [ "$(driver_of "$AUDIO")" = snd_hda_intel ] && greeter_up; }
timeline_complete() { # the runtime logged a finished prepare and a finished release since line $1
  local new
  new=$(jsonl_since "$1")
  grep -q '"phase":"prepare".*"status":"done"' <<<"$new" && grep -q '"phase":"release".*"status":"done"' <<<"$new"
}

scenario_single_gpu_cycles() {
  begin single-gpu-cycles
  check display-on-the-vm-gpu [ "$DISPLAY_BDF" = "$GPU" ]
  check hook-observer-installed observe_hooks
  local c
  for c in $(seq "${CYCLES:-10}"); do handoff_cycle "$c"; done
  finish
}

# Dual GPU with the start/stop hook: Xorg, started by LightDM on the host's GPU, also opens every other GPU
# at start (found by this scenario: every Launch was refused, naming Xorg). The plan that keeps the desktop
# off the VM's GPU, applied through pkexec as a person would; then the display manager restarted the way
# the plan says (its "Reboot needed" words name the unit); then the cycles with Xorg up on the host's GPU.
xorg_off() { ! xorg_on "$1"; }
scenario_dual_gpu_cycles() {
  begin dual-gpu-cycles
  check display-on-another-gpu [ "$DISPLAY_BDF" != "$GPU" ]
  check hook-observer-installed observe_hooks
  cli apply handoff-config --vm "$VM" --gpu "$GPU" --mode dual-gpu --yes
  check handoff-config-dual [ $? = 0 ]
  local vm_card restart unit
  vm_card=/dev/dri/$(card_of "$GPU")
  say "before the plan: Xorg holds $vm_card: $(xorg_on "$vm_card" && echo yes || echo no)"
  cli apply display-off-vm-gpu --gpu "$GPU" --yes
  check display-off-applied [ $? = 0 ]
  check xorg-snippet-written grep -q '"AutoAddGPU" "false"' /etc/X11/xorg.conf.d/20-gpu-ferry-display-off-vm-gpu.conf
  check udev-rule-written grep -q "KERNELS==\"$GPU\", TAG+=\"mutter-device-ignore\"" "/etc/udev/rules.d/61-gpu-ferry-display-off-${GPU//[:.]/-}.rules"
  restart=$(grep -o 'sudo systemctl restart [A-Za-z0-9@._-]*\.service' "$STATE/cli.out" | head -n1)
  unit=${restart##* }
  check plan-names-the-restart [ -n "$unit" ]
  say "the plan says: $restart"
  systemctl restart "${unit:-display-manager.service}"
  check greeter-back-after-restart wait_for 180 greeter_up
  check xorg-not-adding-gpus grep -q 'Not automatically adding GPU devices' /var/log/Xorg.0.log
  check xorg-off-vm-gpu xorg_off "$vm_card"
  local c
  for c in $(seq "${DUAL_CYCLES:-3}"); do DISPLAY_STAYS=1 handoff_cycle "$c"; done
  check xorg-still-off-vm-gpu xorg_off "/dev/dri/$(card_of "$GPU")"
  finish
}
