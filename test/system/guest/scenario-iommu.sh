#!/bin/bash
# shellcheck disable=SC2153 # STATE, SCEN... come from lib.sh, sourced by driver.sh
# iommu-apply-reboot and iommu-undo-reboot: the kernel parameters through GRUB, with a real reboot.
stage_of() { cat "$STATE/stage.$1" 2>/dev/null || echo 1; }
reboot_into() { # reboot_into SCENARIO STAGE: remember where we are and the checks so far, then reboot
  echo "$2" >"$STATE/stage.$1"
  echo "$SCEN_FAILS" >"$STATE/fails.$1"
  sync
  T "${1}_reboot"
  echo "SYSTEST REBOOT $1"
  systemctl reboot
  return 1
}
resume() { begin "$1"; SCEN_FAILS=$(cat "$STATE/fails.$1" 2>/dev/null || echo 0); }

scenario_iommu_apply_reboot() {
  if [ "$(stage_of iommu-apply-reboot)" = 1 ]; then
    begin iommu-apply-reboot
    local state
    state=$(doctor_iommu)
    say "doctor: iommu $state"
    check doctor-says-off-in-kernel [ "$state" = off-in-kernel ]
    check no-iommu-parameter sh -c '! grep -q intel_iommu=on /proc/cmdline'
    cli apply iommu --yes
    check apply-iommu-succeeds [ $? = 0 ]
    check default-grub-has-parameter grep -q 'intel_iommu=on' /etc/default/grub
    check update-grub-ran grep -q 'intel_iommu=on' /boot/grub/grub.cfg
    check journaled sh -c 'ls /var/lib/gpu-ferry/journal | grep -q .'
    reboot_into iommu-apply-reboot 2
    return 1
  fi
  resume iommu-apply-reboot
  local state
  state=$(doctor_iommu)
  say "after reboot: cmdline $(cat /proc/cmdline); doctor: iommu $state"
  check cmdline-has-parameter grep -q 'intel_iommu=on' /proc/cmdline
  check iommu-groups-exist [ "$(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l)" -gt 0 ]
  check doctor-says-on [ "$state" = on ]
  finish
}

scenario_iommu_undo_reboot() {
  if [ "$(stage_of iommu-undo-reboot)" = 1 ]; then
    begin iommu-undo-reboot
    local id
    id=$(journal_id_of iommu)
    say "journal entry of the IOMMU plan: ${id:-none}"
    check iommu-entry-in-journal [ -n "$id" ]
    cli undo "$id" --yes
    check undo-succeeds [ $? = 0 ]
    check default-grub-restored sh -c '! grep -q intel_iommu=on /etc/default/grub'
    check update-grub-reran sh -c '! grep -q intel_iommu=on /boot/grub/grub.cfg'
    reboot_into iommu-undo-reboot 2
    return 1
  fi
  resume iommu-undo-reboot
  say "after reboot: cmdline $(cat /proc/cmdline)"
  check cmdline-without-parameter sh -c '! grep -q intel_iommu=on /proc/cmdline'
  check doctor-says-off-in-kernel [ "$(doctor_iommu)" = off-in-kernel ]
  finish
}

# The id of the newest applied journal entry whose goal is $1 (gpu-ferry journal --json).
journal_id_of() {
  as_user gpu-ferry journal --json 2>/dev/null | /usr/local/bin/node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const all = JSON.parse(s); const list = Array.isArray(all) ? all : all.entries ?? [];
      const hit = list.filter((e) => e.goal === process.argv[1] && e.state === "applied").pop();
      if (hit) console.log(hit.id);
    });' "$1"
}
