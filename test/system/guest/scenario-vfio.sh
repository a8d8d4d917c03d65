#!/bin/bash
# vfio-early-reboot: vfio-pci claims the second GPU from boot (initramfs-tools regenerated for real),
# then undo gives it back to its driver, each checked after a real reboot.
scenario_vfio_early_reboot() {
  local stage
  stage=$(stage_of vfio-early-reboot)
  if [ "$stage" = 1 ]; then
    begin vfio-early-reboot
    check display-on-another-gpu [ "$DISPLAY_BDF" != "$GPU" ]
    local initrd t
    initrd=/boot/initrd.img-$(uname -r)
    t=$(stat -c %Y "$initrd")
    cli apply vfio-early --gpu "$GPU" --yes
    check apply-vfio-early-succeeds [ $? = 0 ]
    check initramfs-regenerated [ "$(stat -c %Y "$initrd")" != "$t" ]
    check initramfs-has-vfio-pci sh -c "lsinitramfs $initrd | grep -q vfio-pci"
    reboot_into vfio-early-reboot 2
    return 1
  fi
  if [ "$stage" = 2 ]; then
    resume vfio-early-reboot
    say "after reboot: GPU on $(driver_of "$GPU"), audio on $(driver_of "$AUDIO")"
    check gpu-on-vfio-from-boot all_on_vfio
    check host-display-up greeter_up
    local id
    id=$(journal_id_of vfio-early)
    check vfio-early-in-journal [ -n "$id" ]
    cli undo "$id" --yes
    check undo-succeeds [ $? = 0 ]
    reboot_into vfio-early-reboot 3
    return 1
  fi
  resume vfio-early-reboot
  say "after undo and reboot: GPU on $(driver_of "$GPU"), audio on $(driver_of "$AUDIO")"
  check gpu-back-on-bochs-drm [ "$(driver_of "$GPU")" = bochs-drm ]
  check audio-back-on-snd-hda-intel [ "$(driver_of "$AUDIO")" = snd_hda_intel ]
  check host-display-up greeter_up
  finish
}
