#!/bin/bash
# Faults during a handoff; each ends with the display back and one more full cycle that works.

# Looked up on every poll: the holder may not have been exec'd yet when the wait starts.
hold_card_holds() { local p; p=$(pgrep -x hold-card) && holds "$p" /dev/dri/card0; }

scenario_fault_holder() {
  begin fault-holder
  # A program of the person's that keeps the GPU's device node open (as a game or a browser would).
  install -m 755 /bin/sleep /usr/local/bin/hold-card
  runuser -u ferry -g video -- /usr/local/bin/hold-card 900 </dev/dri/card0 &
  local holder=$! xorg_before
  check holder-has-card0 wait_for 20 hold_card_holds
  xorg_before=$(pgrep -x Xorg)
  if cli vm start "$VM"; then fail launch-refused "the VM started"; cli vm stop "$VM" --force; fi
  check refusal-names-the-holder grep -q hold-card "$STATE/cli.out"
  check vm-not-running vm_not_running
  check display-manager-untouched [ "$(pgrep -x Xorg)" = "$xorg_before" ]
  check gpu-still-on-host [ "$(driver_of "$GPU")" = bochs-drm ]
  kill "$holder" 2>/dev/null
  wait "$holder" 2>/dev/null
  check display-up wait_for 120 restored
  handoff_cycle after
  finish
}

scenario_fault_libvirtd_restart() {
  begin fault-libvirtd-restart
  local before
  before=$(jsonl_lines)
  cli vm start "$VM"
  check vm-start [ $? = 0 ]
  check qemu-holds-group wait_for 180 qemu_holds_group
  systemctl restart libvirtd.service
  check libvirtd-back systemctl is-active -q libvirtd
  check vm-still-running wait_for 60 vm_running
  cli vm stop "$VM" --force
  check vm-stop [ $? = 0 ]
  check restored-after-stop wait_for 240 restored
  check release-ran timeline_complete "$before"
  emit_jsonl_since "$before"
  handoff_cycle after
  finish
}

scenario_fault_killed_prepare() {
  begin fault-killed-prepare
  local before pid killed=0
  before=$(jsonl_lines)
  cli vm start "$VM" &
  local starter=$!
  # Kill the runtime once it has recorded a step and is half way through its prepare.
  for _ in $(seq 1200); do
    pid=$(pgrep -f 'gpu-ferry-handoff prepare' | head -n1)
    if [ -n "$pid" ] && [ "$(wc -l <"/run/gpu-ferry/$VM.state" 2>/dev/null || echo 0)" -ge 2 ]; then
      kill -KILL "$pid" && killed=1
      say "killed the runtime (pid $pid) after: $(tr '\n' ';' <"/run/gpu-ferry/$VM.state")"
      break
    fi
    sleep 0.05
  done
  check runtime-killed-mid-prepare [ "$killed" = 1 ]
  wait "$starter"
  check start-aborted [ $? != 0 ]
  check vm-not-running vm_not_running
  check restored wait_for 240 restored
  check no-state-left sh -c "! test -s /run/gpu-ferry/$VM.state"
  emit_jsonl_since "$before"
  handoff_cycle after
  finish
}

scenario_rescue() {
  begin rescue
  # What a crash in the middle of a handoff leaves: the display manager stopped, the GPU and its audio on
  # vfio-pci, and no state file to say how it got there.
  systemctl stop lightdm
  wait_for 60 sh -c '! pgrep -x Xorg'
  local f
  for f in /sys/class/vtconsole/vtcon*; do grep -q 'frame buffer' "$f/name" && echo 0 >"$f/bind"; done
  modprobe vfio-pci
  for f in "$GPU" "$AUDIO"; do
    echo "$f" >"/sys/bus/pci/devices/$f/driver/unbind"
    echo vfio-pci >"/sys/bus/pci/devices/$f/driver_override"
    echo "$f" >/sys/bus/pci/drivers/vfio-pci/bind
  done
  rm -f "/run/gpu-ferry/$VM.state"
  check gpu-taken-away all_on_vfio
  # From the serial console, as root, the way the README tells a person with a black screen.
  env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 gpu-ferry rescue >"$STATE/cli.out" 2>&1
  local rc=$?
  sed 's/^/    | /' "$STATE/cli.out"
  check rescue-succeeds [ $rc = 0 ]
  check greeter-back wait_for 180 restored
  handoff_cycle after
  finish
}
