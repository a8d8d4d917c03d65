#!/bin/bash
# The guest side of the system tier: runs this run's scenarios (plan.env on the share) in order, each
# through the CLI as a person would use it, asserting inside the guest. A scenario that reboots records
# its stage in /var/lib/systest and continues on the next boot; finished scenarios are skipped.
set -u
SHARE=/run/systest/share
# shellcheck source=/dev/null
. "$SHARE/plan.env" # MODE (single|dual), SCENARIOS, CYCLES, DUAL_CYCLES
# shellcheck source=test/system/guest/lib.sh
. "$SHARE/guest/lib.sh"
# shellcheck source=/dev/null
for s in "$SHARE"/guest/scenario-*.sh; do . "$s"; done
boot=$(($(cat "$STATE/boots" 2>/dev/null || echo 0) + 1))
echo "$boot" >"$STATE/boots"
DISPLAY_BDF=$GPU
if [ "$MODE" = dual ]; then
  for d in /sys/bus/pci/devices/*; do
    [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1af4:0x1050 ] && DISPLAY_BDF=$(basename "$d")
  done
fi
T driver_start
say "boot $boot of this run, mode $MODE; kernel $(uname -r); cmdline: $(cat /proc/cmdline)"
say "VM GPU $GPU ($(driver_of "$GPU")), audio $AUDIO ($(driver_of "$AUDIO")), display $DISPLAY_BDF; IOMMU groups: $(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l)"
if wait_for 600 greeter_up; then
  T boot_greeter
  echo "SYSTEST BOOT {\"mode\":\"$MODE\",\"boot\":$boot,\"greeter_s\":$(uptime_s)}"
else
  say "the greeter never came up after boot: $(systemctl is-active lightdm) $(pgrep -a Xorg)"
  echo "SYSTEST BOOT-FAILED no greeter"
fi

for scenario in $SCENARIOS; do
  done_already "$scenario" && continue
  fn=scenario_${scenario//-/_}
  if ! declare -F "$fn" >/dev/null; then
    begin "$scenario"; fail not-implemented; finish; continue
  fi
  "$fn" || exit 0 # a scenario returns non-zero when it has asked for a reboot
done
say "journal errors of this boot:"
journalctl -b -p err --no-pager -q | tail -n 30
echo "SYSTEST DONE"
sync
systemctl poweroff
