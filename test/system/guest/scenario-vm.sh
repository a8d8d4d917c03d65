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

# One Launch -> shut down cycle through the CLI; NAME labels the checks. Prints a SYSTEST CYCLE line.
# With DISPLAY_STAYS=1 (dual GPU) the greeter must stay up the whole time instead of going away.
handoff_cycle() {
  local n=$1 t0 t_holds t_stop t_back before pid
  before=$(jsonl_lines)
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
  t_stop=$(uptime_s)
  cli vm stop "$VM" --force
  check "c$n-vm-stop" [ $? = 0 ]
  if wait_for 240 restored; then
    t_back=$(since "$t_stop")
  else
    t_back=null
    fail "c$n-restored" "gpu $(driver_of "$GPU") audio $(driver_of "$AUDIO") lightdm $(systemctl is-active lightdm) xorg $(pgrep -x Xorg)"
  fi
  check "c$n-qemu-gone" sh -c "! kill -0 ${pid:-0}"
  check "c$n-gpu-on-bochs-drm" [ "$(driver_of "$GPU")" = bochs-drm ]
  check "c$n-audio-card-back" sh -c "ls /sys/bus/pci/devices/$AUDIO/sound | grep -q card"
  check "c$n-timeline-complete" timeline_complete "$before"
  [[ $n =~ ^[0-9]+$ ]] || n="\"$n\"" # a fault scenario's closing cycle is labelled "after": a JSON string
  echo "SYSTEST CYCLE {\"scenario\":\"$SCEN\",\"cycle\":$n,\"launch_to_group_s\":$t_holds,\"stop_to_greeter_s\":$t_back}"
  emit_jsonl_since "$before"
}
restored() { [ "$(driver_of "$GPU")" = bochs-drm ] && [ "$(driver_of "$AUDIO")" = snd_hda_intel ] && greeter_up; }
timeline_complete() { # the runtime logged a finished prepare and a finished release since line $1
  local new
  new=$(tail -n +"$(($1 + 1))" "/var/log/gpu-ferry/$VM.jsonl")
  grep -q '"phase":"prepare".*"status":"done"' <<<"$new" && grep -q '"phase":"release".*"status":"done"' <<<"$new"
}

scenario_single_gpu_cycles() {
  begin single-gpu-cycles
  check display-on-the-vm-gpu [ "$DISPLAY_BDF" = "$GPU" ]
  local c
  for c in $(seq "${CYCLES:-10}"); do handoff_cycle "$c"; done
  finish
}

scenario_dual_gpu_cycles() {
  begin dual-gpu-cycles
  check display-on-another-gpu [ "$DISPLAY_BDF" != "$GPU" ]
  cli apply handoff-config --vm "$VM" --gpu "$GPU" --mode dual-gpu --yes
  check handoff-config-dual [ $? = 0 ]
  local c
  for c in $(seq "${CYCLES:-10}"); do DISPLAY_STAYS=1 handoff_cycle "$c"; done
  finish
}
