#!/bin/bash
# Helpers of the guest driver. Output protocol on ttyS1 (parsed by test/system/results.mjs):
#   SYSTEST CHECK <scenario> ok|FAIL <check> [detail]      one assertion
#   SYSTEST SCENARIO <scenario> pass|fail                   a scenario's verdict
#   SYSTEST CYCLE {json}                                    one handoff cycle's wall times
#   SYSTEST JSONL <vm> {json}                               the runtime's own log lines, for per-step times
#   SYSTEST T <label> <uptime>                              milestones (seconds since the kernel started)
STATE=/var/lib/systest
VM=win
uptime_s() { cut -d' ' -f1 /proc/uptime; }
T() { echo "SYSTEST T $1 $(uptime_s)"; }
say() { echo "[$(uptime_s)] $*"; }
since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN{printf "%.2f", b-a}'; }

SCEN='' SCEN_FAILS=0
begin() { SCEN=$1 SCEN_FAILS=0; say "=== scenario $SCEN ==="; T "${SCEN}_begin"; }
check() { # check NAME CMD...: one assertion in the current scenario
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then echo "SYSTEST CHECK $SCEN ok $name"
  else echo "SYSTEST CHECK $SCEN FAIL $name"; SCEN_FAILS=$((SCEN_FAILS + 1)); fi
}
fail() { echo "SYSTEST CHECK $SCEN FAIL $1 ${2:-}"; SCEN_FAILS=$((SCEN_FAILS + 1)); }
finish() { # records the verdict so a later boot of the same run does not repeat the scenario
  local verdict=pass
  ((SCEN_FAILS == 0)) || verdict=fail
  echo "$verdict" >"$STATE/result.$SCEN"
  echo "SYSTEST SCENARIO $SCEN $verdict"
  T "${SCEN}_end"
  sync
}
done_already() { [ -f "$STATE/result.$1" ]; }

wait_for() { # wait_for SECONDS CMD...: polls every 0.2 s until CMD succeeds
  local n=$(($1 * 5)); shift
  while ((n-- > 0)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

# The CLI as the person runs it: an ordinary user, a clean environment, the installed `gpu-ferry`.
as_user() { runuser -u ferry -- env -i HOME=/home/ferry USER=ferry LOGNAME=ferry PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 "$@"; }
cli() { # cli ARGS...: runs gpu-ferry as the user, its output in the log, its exit status returned
  local rc t
  t=$(uptime_s)
  as_user gpu-ferry "$@" >"$STATE/cli.out" 2>&1; rc=$?
  sed 's/^/    | /' "$STATE/cli.out" | tail -n 60
  say "gpu-ferry $* -> rc=$rc in $(since "$t") s"
  return $rc
}

# The emulated GPU the VM gets: bochs-display (1234:1111) and its audio function in the same slot.
vm_gpu() {
  local d
  for d in /sys/bus/pci/devices/*; do
    [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x1111 ] && { basename "$d"; return; }
  done
}
GPU=$(vm_gpu)
SLOT=${GPU%.*}
AUDIO=$SLOT.1
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
all_on_vfio() { [ "$(driver_of "$GPU")" = vfio-pci ] && [ "$(driver_of "$AUDIO")" = vfio-pci ]; }
iommu_group() { basename "$(readlink "/sys/bus/pci/devices/$GPU/iommu_group")"; }
card_of() { # cardN of a PCI display device
  local c
  for c in /sys/bus/pci/devices/"$1"/drm/card*; do [ -e "$c" ] && { basename "$c"; return; }; done
}
holds() { # holds PID FILE
  local f
  for f in /proc/"$1"/fd/*; do [ "$(readlink "$f")" = "$2" ] && return 0; done
  return 1
}
xorg_on() { # xorg_on /dev/dri/cardN: Xorg has it open
  local p
  for p in $(pgrep -x Xorg); do holds "$p" "$1" && return 0; done
  return 1
}
greeter_up() { # Xorg on the display card, LightDM active and its greeter running
  local card=${1:-$(card_of "$DISPLAY_BDF")}
  [ -n "$card" ] && xorg_on "/dev/dri/$card" && systemctl is-active -q lightdm && pgrep -x lightdm-gtk-gre
}
qemu_pid() { cat "/run/libvirt/qemu/$VM.pid" 2>/dev/null; }
qemu_holds_group() { local p; p=$(qemu_pid) && [ -n "$p" ] && holds "$p" "/dev/vfio/$(iommu_group)"; }
vm_state() { virsh -c qemu:///system domstate "$VM" 2>/dev/null | head -n1; }
vm_running() { [ "$(vm_state)" = running ]; }
vm_not_running() { ! vm_running; }
JSONL=/var/log/gpu-ferry/$VM.jsonl
jsonl_lines() { wc -l <"$JSONL" 2>/dev/null || echo 0; }
jsonl_since() { tail -n +"$(($1 + 1))" "$JSONL" 2>/dev/null; } # jsonl_since LINE: the runtime's log lines after LINE
why_failed() { # why_failed LINE: one line for a FAIL detail (CI shows only those): the CLI's last words and
  # the runtime's fail events logged after LINE of its .jsonl
  local cli runtime
  cli=$(tail -n 4 "$STATE/cli.out" 2>/dev/null | tr -s '\n\t' '  ')
  runtime=$(jsonl_since "$1" | grep '"status":"fail"' | tail -n 3 |
    sed -E 's/.*"step":"([^"]*)".*"message":"(.*)"\}$/\1: \2/' | tr '\n' ';')
  printf 'cli: %s runtime: %s' "${cli:-(no output)}" "${runtime:-(no fail event)}"
}
emit_jsonl_since() { # emit_jsonl_since LINE: the runtime's log lines after LINE, for the benchmark
  jsonl_since "$1" | sed "s/^/SYSTEST JSONL $SCEN /"
}
doctor_iommu() { as_user gpu-ferry doctor --json 2>/dev/null | /usr/local/bin/node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).iommu.state))'; }
