#!/bin/bash
# shellcheck disable=SC2012,SC2013,SC2015,SC2143,SC2010,SC2217 # a throwaway test /init on busybox: brevity over ceremony
# /init of the kernel-test initramfs: runs the INSTALLED libvirt hook with libvirt's arguments against a
# real kernel (bochs DRM + HDA audio in one slot, emulated Intel IOMMU) and prints parseable results:
#   GFT-RESULT <name> pass|fail <detail>     GFT-TIME <cycle> <phase> <wall_us> <wait_ms>     GFT-LOG <jsonl line>
export PATH=/bin:/sbin LC_ALL=C
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs run /run
mkdir -p /var/log /tmp
HOOK=/etc/libvirt/hooks/qemu.d/gpu-ferry
RUNTIME=/usr/libexec/gpu-ferry/gpu-ferry-handoff
GPU=0000:01:00.0 AUDIO=0000:01:00.1
cycles=20 scenario=full mode=single-gpu
for a in $(cat /proc/cmdline); do
  case $a in gft.cycles=*) cycles=${a#*=} ;; gft.scenario=*) scenario=${a#*=} ;; gft.mode=*) mode=${a#*=} ;; esac
done
CONF=$(grep -l "^MODE=$mode\$" /etc/gpu-ferry/vms/*.conf | head -n 1)
VM=$(sed -n 's/^VM=//p' "$CONF")
LOG=/var/log/gpu-ferry/$(basename "${CONF%.conf}").jsonl
FAILS=0
result() { echo "GFT-RESULT $1 $2 ${3:-}"; [[ $2 == pass ]] || FAILS=$((FAILS + 1)); }
drv() { local l; l=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) && echo "${l##*/}"; }
wait_for() { local i; for ((i = 0; i < 300; i++)); do "$@" && return 0; sleep 0.02; done; return 1; }
fbcon_bound() { local v; for v in /sys/class/vtconsole/vtcon*; do grep -q 'frame buffer' "$v/name" && [[ $(cat "$v/bind") == 1 ]] && return 0; done; return 1; }
card_of_gpu() { ls -d /sys/bus/pci/devices/$GPU/drm/card* >/dev/null 2>&1; }
sound_card() { ls -d /sys/bus/pci/devices/$AUDIO/sound/card* >/dev/null 2>&1; }

state_prepared() { # every function on vfio-pci, group viable via ioctls, console and frame buffer released
  local g why=''
  [[ $(drv $GPU) == vfio-pci ]] || why+=" gpu-driver=$(drv $GPU)"
  [[ $(drv $AUDIO) == vfio-pci ]] || why+=" audio-driver=$(drv $AUDIO)"
  g=$(readlink /sys/bus/pci/devices/$GPU/iommu_group); g=${g##*/}
  vfio-check "$g" $GPU $AUDIO >/tmp/vc.out 2>&1 || why+=" vfio-check:$(tr '\n' ' ' </tmp/vc.out)"
  fbcon_bound && why+=' fbcon-still-bound'
  [[ -e /dev/fb0 ]] && why+=' fb0-present'
  card_of_gpu && why+=' drm-card-present'
  REPLY=$why; [[ -z $why ]]
}
state_restored() { # DRM device, /dev/fb0 and the frame buffer console back, audio back on its driver
  local why=''
  [[ $(drv $GPU) == bochs-drm ]] || why+=" gpu-driver=$(drv $GPU)"
  wait_for card_of_gpu || why+=' no-drm-card'
  wait_for test -e /dev/fb0 || why+=' no-fb0'
  fbcon_bound || why+=' fbcon-unbound'
  [[ $(drv $AUDIO) == snd_hda_intel ]] || why+=" audio-driver=$(drv $AUDIO)"
  wait_for sound_card || why+=' no-sound-card'
  [[ -z $(cat /sys/bus/pci/devices/$GPU/driver_override 2>/dev/null | grep -v '(null)') ]] || why+=' override-left'
  REPLY=$why; [[ -z $why ]]
}
timed_hook() { # timed_hook CYCLE PHASE ARGS...: run the hook, print wall time + the runtime's wait (kernel ops, polls)
  local c=$1 p=$2 t0 t1 rc km; shift 2
  t0=${EPOCHREALTIME/./}; "$HOOK" "$@" </dev/null; rc=$?; t1=${EPOCHREALTIME/./}
  km=$(tail -n 1 "$LOG" | sed -n 's/.*"waitMs":\([0-9]*\).*/\1/p')
  echo "GFT-TIME $c $p $((t1 - t0)) ${km:-0}"
  return $rc
}
last_fail_msg() { grep '"status":"fail"' "$LOG" | grep -v '"step":"prepare"' | tail -n 1 | sed -n 's/.*"message":"\(.*\)"}$/\1/p'; }

echo "GFT-BEGIN mode=$mode scenario=$scenario efi=$([[ -d /sys/firmware/efi ]] && echo 1 || echo 0) kernel=$(uname -r)"
modprobe bochs; modprobe snd-hda-intel
wait_for card_of_gpu; wait_for sound_card; wait_for fbcon_bound
echo "GFT-INFO platform-fb=$(ls /sys/bus/platform/drivers/*/ 2>/dev/null | grep -c framebuffer) vtcons=$(cat /sys/class/vtconsole/vtcon*/name | tr '\n' '|')"
echo "GFT-INFO audio: driver=$(drv $AUDIO) $(ls /sys/bus/pci/devices/$AUDIO/) $(dmesg | grep -i -E "hda|snd" | tail -n 5 | tr "\n" " ")"
# What starting one bash costs on this (emulated) CPU: the unit the runtime's own overhead is made of.
t0=${EPOCHREALTIME/./}; for _ in 1 2 3 4 5; do bash -c :; done; t1=${EPOCHREALTIME/./}
echo "GFT-INFO bash-start-us=$(((t1 - t0) / 5))"
if state_restored; then result boot-display pass; else result boot-display fail "$REPLY"; fi

# The hook with libvirt's own arguments: prepare/begin, release/end; N cycles in one boot.
ok=0
for ((i = 1; i <= cycles; i++)); do
  timed_hook "$i" prepare "$VM" prepare begin - || { result "cycle-$i-prepare" fail "hook exit $? $(last_fail_msg)"; break; }
  state_prepared || { result "cycle-$i-prepared" fail "$REPLY"; break; }
  timed_hook "$i" release "$VM" release end - || { result "cycle-$i-release" fail "hook exit $?"; break; }
  state_restored || { result "cycle-$i-restored" fail "$REPLY"; break; }
  ok=$i
done
[[ $ok == "$cycles" ]] && result cycles pass "$ok"

if [[ $scenario == full ]]; then
  # Other hook events and other VMs are ignored, reconnect exits 0; double prepare/release are harmless.
  "$HOOK" "$VM" reconnect begin - </dev/null && "$HOOK" "$VM" start begin - </dev/null && "$HOOK" "some other vm" prepare begin - </dev/null && state_restored \
    && result ignored-events pass || result ignored-events fail "$REPLY"
  "$HOOK" "$VM" prepare begin - </dev/null && "$HOOK" "$VM" prepare begin - </dev/null && state_prepared \
    && grep -q 'already prepared' "$LOG" && "$HOOK" "$VM" release end - </dev/null && "$HOOK" "$VM" release end - </dev/null \
    && state_restored && tail -n 1 "$LOG" | grep -q 'nothing to release' && result twice pass || result twice fail "$REPLY"

  # Fault: a process holds the DRM device -> prepare refuses with its name, display restored.
  sleep 600 </dev/dri/card0 & holder=$!
  wait_for test -e /proc/$holder/fd/0
  if "$HOOK" "$VM" prepare begin - </dev/null; then result fault-holder fail 'prepare succeeded'
  else
    msg=$(last_fail_msg)
    "$HOOK" "$VM" release end - </dev/null
    if state_restored && [[ $msg == *"$holder:sleep(/dev/dri/card0)"* ]] && grep -q '"step":"rollback","status":"done"' "$LOG"; then result fault-holder pass "$msg"
    else result fault-holder fail "$REPLY msg=$msg"; fi
  fi
  kill $holder; wait $holder 2>/dev/null

  # Fault, hostile name (item 14.5): a holder of card0 named "x <PID>:" with HOLDERS=terminate. Without logind no
  # process belongs to the session being ended: refused, and neither the holder nor process <PID> is signalled.
  sleep 600 </dev/null & victim=$!
  cp /bin/bash "/tmp/x $victim:"; mkfifo /tmp/gft-fifo
  "/tmp/x $victim:" -c 'read -r -t 600 <>/tmp/gft-fifo' </dev/dri/card0 & hostile=$!
  wait_for test -e /proc/$hostile/fd/0
  sed -i 's/^HOLDERS=refuse$/HOLDERS=terminate/' "$CONF"
  if "$HOOK" "$VM" prepare begin - </dev/null; then result fault-hostile-name fail 'prepare succeeded'
  else
    msg=$(last_fail_msg)
    "$HOOK" "$VM" release end - </dev/null
    if state_restored && [[ -d /proc/$victim && -d /proc/$hostile && $msg == *"$hostile:x $victim:(/dev/dri/card0)"*'nothing signalled'* ]]; then result fault-hostile-name pass "$msg"
    else result fault-hostile-name fail "$REPLY msg=$msg victim=$([[ -d /proc/$victim ]] && echo alive || echo gone) holder=$([[ -d /proc/$hostile ]] && echo alive || echo gone)"; fi
  fi
  sed -i 's/^HOLDERS=terminate$/HOLDERS=refuse/' "$CONF"
  kill $hostile $victim; wait $hostile $victim 2>/dev/null

  # A config root does not own alone (group-writable, or another owner) is refused before anything is done.
  cfg_refused=''
  for bad in 'chmod 0664' 'chown 65534'; do
    $bad "$CONF"
    if "$RUNTIME" prepare "$VM" </dev/null; then cfg_refused+=" $bad:prepared"; else cfg_refused+=" $bad:rc=$?"; fi
    chmod 0644 "$CONF"; chown 0 "$CONF"
  done
  msgs=$(grep -c -e 'is writable by group or others' -e 'is not owned by root' "$LOG")
  if [[ $cfg_refused == ' chmod 0664:rc=2 chown 65534:rc=2' && $msgs == 2 && -z $(ls /run/gpu-ferry/*.state 2>/dev/null) ]] && state_restored; then result config-owner pass "$cfg_refused"
  else result config-owner fail "$cfg_refused msgs=$msgs $REPLY"; fi

  # Fault: a module refuses to unload (a modprobe.d remove command that fails).
  echo 'remove bochs /bin/false' >/etc/modprobe.d/gft-refuse.conf
  if "$HOOK" "$VM" prepare begin - </dev/null; then result fault-module fail 'prepare succeeded'
  else
    msg=$(last_fail_msg)
    if state_restored && [[ $msg == *'bochs refuses to unload'* ]]; then result fault-module pass "$msg"; else result fault-module fail "$REPLY msg=$msg"; fi
  fi
  rm -f /etc/modprobe.d/gft-refuse.conf

  # Fault: prepare killed half way (SIGKILL after it started binding to vfio-pci); libvirt then runs release.
  state=$(ls /run/gpu-ferry/*.state 2>/dev/null; echo "/run/gpu-ferry/$(basename "${LOG%.jsonl}").state")
  state=${state##*$'\n'}
  "$RUNTIME" prepare "$VM" </dev/null & rp=$!
  wait_for grep -q '^vfio-bind' "$state"
  kill -9 $rp; wait $rp 2>/dev/null
  steps=$(grep -vc '^begin' "$state")
  "$HOOK" "$VM" release end - </dev/null
  if state_restored && grep -q 'did not complete' "$LOG" && [[ ! -e $state ]]; then result fault-killed pass "killed after $steps recorded step(s)"
  else result fault-killed fail "$REPLY"; fi
  # ...and the next handoff works.
  "$HOOK" "$VM" prepare begin - </dev/null && state_prepared && "$HOOK" "$VM" release end - </dev/null && state_restored \
    && result after-faults pass || result after-faults fail "$REPLY"

  # Rescue from a prepared state, without the state file (as after a crash and reboot of the runtime's state).
  "$HOOK" "$VM" prepare begin - </dev/null; rm -f "$state"
  "$RUNTIME" rescue </dev/null; rc=$?
  if [[ $rc == 0 ]] && state_restored; then result rescue pass; else result rescue fail "rc=$rc $REPLY"; fi
fi

if grep -q '"step":"fb-release"' "$LOG"; then
  echo "GFT-INFO fb-release=$(grep '"step":"fb-release"' "$LOG" | head -n 1 | sed -n 's/.*"message":"\(.*\)"}$/\1/p')"
fi
while IFS= read -r line; do echo "GFT-LOG $line"; done <"$LOG"
echo "GFT-END fails=$FAILS"
poweroff -f
