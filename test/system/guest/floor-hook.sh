#!/bin/bash
# Test-only: the floor the benchmark compares GPU Ferry's handoff with. The least a single-GPU hook can do
# and still hand over the GPU with libvirt's managed hostdevs (libvirt moves the functions to vfio-pci after
# the prepare call and back before the release call): stop the display manager, take the consoles off the
# frame buffer, and the reverse. No checks, no sleeps, no rollback, no logs: never for real use. Installed by
# scenario floor-cycles as qemu.d/50-systest-floor while the VM has no GPU Ferry handoff config.
[ "$1" = win ] || exit 0
vtcons() { # vtcons 0|1: bind or unbind every frame buffer console
  local v name
  for v in /sys/class/vtconsole/vtcon*; do
    read -r name <"$v/name"
    [[ $name == *'frame buffer'* ]] && echo "$1" >"$v/bind"
  done
}
case $2/$3 in
  prepare/begin)
    systemctl stop display-manager.service # returns once its control group (Xorg, the greeter) is empty
    vtcons 0 ;;
  release/end)
    vtcons 1
    systemctl start --no-block display-manager.service ;;
esac
exit 0
