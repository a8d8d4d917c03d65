#!/bin/bash
# shellcheck disable=SC2012 # a throwaway test /init on busybox
# /init for the SR-IOV kernel test, on a real kernel with QEMU's SR-IOV NVMe controller: root applies the
# sriov-vfs goal through GPU Ferry's privileged program (the launcher pkexec runs, /usr/libexec/gpu-ferry)
# from a request the caller computed as the app does (/sriov/request.cjs), undoes it from its journal,
# then the boot rule it wrote is run by real udev (systemd-udevd) on a driver bind and on coldplug. Prints
#   GFT-RESULT <name> pass|fail <detail>   GFT-INFO <text>
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs run /run
mkdir -p /tmp /var/lib
PF=0000:01:00.0 VF0=0000:01:00.1 VF1=0000:01:00.2
D=/sys/bus/pci/devices
HELPER=/usr/libexec/gpu-ferry/gpu-ferry-helper
RULE=/etc/udev/rules.d/70-gpu-ferry-sriov-0000-01-00-0.rules
result() { echo "GFT-RESULT $1 $2 ${3:-}"; }
check() { local name=$1; shift; if "$@"; then result "$name" pass; else result "$name" fail "$REPLY"; fi; }
drv() { local l; l=$(readlink "$D/$1/driver" 2>/dev/null) && echo "${l##*/}"; }
group() { local g; g=$(readlink "$D/$1/iommu_group") && echo "${g##*/}"; }
state() {
  for d in "$D"/*; do echo "$(basename "$d")=$(drv "$(basename "$d")") override=$(cat "$d/driver_override")"; done
  echo "numvfs=$(cat $D/$PF/sriov_numvfs) autoprobe=$(cat $D/$PF/sriov_drivers_autoprobe)"
}
# wait_for COMMAND...: until it succeeds, up to 60 s (a guest under TCG on a loaded machine is slow).
wait_for() { local i; for ((i = 0; i < 600; i++)); do "$@" && return 0; sleep 0.1; done; return 1; }
numvfs_now() { [[ $(cat $D/$PF/sriov_numvfs) == "$1" ]]; }
numvfs_is() { wait_for numvfs_now "$1"; }
pf_on_nvme() { [[ $(drv $PF) == nvme ]]; }
# privileged LABEL VERB [ARG]: the launcher as pkexec runs it (root, stdin the request); its events as
# GFT-INFO [LABEL] <event>.
privileged() {
  local rc label=$1; shift
  "$HELPER" "$@" </tmp/request >/tmp/out 2>/tmp/err; rc=$?
  sed "s/^/GFT-INFO [$label] /" /tmp/out /tmp/err
  echo "GFT-INFO [$label] exit $rc"
  return $rc
}
# request OPTIONS_JSON: the request the app would send for the plan it computed on this machine.
request() { node /sriov/request.cjs "$1" >/tmp/request 2>/tmp/req-err; local rc=$?; sed 's/^/GFT-INFO   caller: /' /tmp/req-err; return $rc; }

echo "GFT-BEGIN sriov kernel=$(uname -r) node=$(node --version)"
modprobe nvme
wait_for pf_on_nvme # nvme probes asynchronously
echo "GFT-INFO pf=$PF driver=$(drv $PF) total=$(cat $D/$PF/sriov_totalvfs) offset=$(cat $D/$PF/sriov_offset) stride=$(cat $D/$PF/sriov_stride)"
before=$(state)

restored() { after=$(state); REPLY=$(diff <(echo "$before") <(echo "$after") | tr '\n' ' '); [[ $before == "$after" ]]; }
no_rule() { [[ ! -e $RULE ]] || { REPLY+=' rule still there'; return 1; }; }
CREATE='{"device":"0000:01:00.0","count":2,"vfio":"0000:01:00.1"}'

# 0. The machine changed after the review (a VF appeared): root refuses, nothing changes.
request "$CREATE"
echo 0 >$D/$PF/sriov_drivers_autoprobe; echo 1 >$D/$PF/sriov_numvfs
privileged changed apply; rc=$?
echo 0 >$D/$PF/sriov_numvfs; echo 1 >$D/$PF/sriov_drivers_autoprobe
refused_changed() { REPLY="exit $rc"; [[ $rc == 2 ]] && grep -q '"code":"machine-changed"' /tmp/out && no_rule; }
check changed-machine-refused refused_changed

# A step failing after the VFs exist (modprobe may not load vfio-pci here): rolled back from the journal.
echo 'install vfio-pci /bin/false' >/etc/modprobe.d/gft-refuse-vfio.conf
request "$CREATE" && privileged rollback apply; rc=$?
rm /etc/modprobe.d/gft-refuse-vfio.conf
rolled_back() { restored || return 1; REPLY="exit $rc"; [[ $rc == 3 ]] && grep -q '"code":"step-failed"' /tmp/out && no_rule; }
check failed-step-rolled-back rolled_back

# 1. Two VFs, the first on vfio-pci, through root's privileged program.
request "$CREATE" && privileged apply apply
applied=$?
check applied test "$applied" = 0
created() {
  REPLY=''
  [[ $(cat $D/$PF/sriov_numvfs) == 2 ]] || REPLY+=" numvfs=$(cat $D/$PF/sriov_numvfs)"
  for vf in $VF0 $VF1; do [[ $(readlink "$D/$vf/physfn") == "../$PF" ]] || REPLY+=" $vf-not-a-vf-of-$PF"; done
  [[ $(drv $PF) == nvme ]] || REPLY+=" pf-driver=$(drv $PF)"
  [[ -z $REPLY ]]
}
bound() {
  REPLY=''
  [[ $(drv $VF0) == vfio-pci ]] || REPLY+=" vf0-driver=$(drv $VF0)"
  [[ -z $(drv $VF1) ]] || REPLY+=" vf1-driver=$(drv $VF1) (autoprobe off should leave it alone)"
  [[ -z $REPLY ]]
}
own_groups() {
  REPLY=''
  local g0 g1 gp
  g0=$(group $VF0) g1=$(group $VF1) gp=$(group $PF)
  [[ -n $g0 && $g0 != "$gp" && $g0 != "$g1" ]] || REPLY+=" groups pf=$gp vf0=$g0 vf1=$g1"
  [[ $(ls /sys/kernel/iommu_groups/"$g0"/devices) == "$VF0" ]] || REPLY+=" group-$g0=$(ls /sys/kernel/iommu_groups/"$g0"/devices | tr '\n' ,)"
  [[ -z $REPLY ]]
}
viable() {
  [[ -c /dev/vfio/$(group $VF0) ]] || { REPLY="no /dev/vfio/$(group $VF0)"; return 1; }
  vfio-check "$(group $VF0)" $VF0 >/tmp/vc 2>&1; local rc=$?; REPLY=$(tr '\n' ' ' </tmp/vc); return $rc
}
rule_written() { REPLY=$(cat $RULE 2>&1 | tr '\n' ' '); grep -qx 'ACTION=="add|bind", SUBSYSTEM=="pci", KERNEL=="0000:01:00.0", DRIVER=="?\*", ATTR{sriov_drivers_autoprobe}="0", ATTR{sriov_numvfs}="2"' $RULE; }
check vfs-created created
check vf0-on-vfio-pci bound
check vf-own-groups own_groups
check vf0-group-viable viable
check boot-rule-written rule_written
echo "GFT-INFO groups pf=$(group $PF) vf0=$(group $VF0) vf1=$(group $VF1)"

# 1b. A VM holds VF0 (here a sleeping process with its /dev/vfio/<group> open, as QEMU keeps it): removing
# the VFs is refused by root, for a request (--count 0) and for undo, naming the process, nothing changed.
# Once it is gone, undo goes ahead (2.).
sleep 600 <>"/dev/vfio/$(group $VF0)" &
HOLDER=$!
holder_ready() { [[ $(cat /proc/$HOLDER/comm 2>/dev/null) == sleep && -e /proc/$HOLDER/fd/0 ]]; }
wait_for holder_ready
echo "GFT-INFO holder pid=$HOLDER comm=$(cat /proc/$HOLDER/comm) fd0=$(readlink /proc/$HOLDER/fd/0)"
unchanged() { if ! created || ! bound; then return 1; fi; [[ -e $RULE ]] || { REPLY+=' rule gone'; return 1; }; }
named() { grep -q "held open by process $HOLDER (sleep) through /dev/vfio/$(group $VF0)" /tmp/out || { REPLY+=' holder not named'; return 1; }; }
request '{"device":"0000:01:00.0","count":0}' && privileged held-count0 apply; rc=$?
count0_refused() { REPLY="exit $rc"; [[ $rc == 2 ]] && grep -q '"code":"device-in-use"' /tmp/out && named && unchanged; }
check in-use-count0-refused count0_refused
privileged held-undo undo last; rc=$?
undo_refused() { REPLY="exit $rc"; [[ $rc == 4 ]] && grep -q '"code":"device-in-use"' /tmp/out && named && unchanged; }
check in-use-undo-refused undo_refused
# The second VF bound too, by a later entry; while a process holds it, undoing that entry (releasing the VF
# from vfio-pci) is refused; once it is gone, that undo goes ahead.
request '{"device":"0000:01:00.0","count":2,"vfio":"0000:01:00.2"}' && privileged bind-vf1 apply
check vf1-bound test "$(drv $VF1)" = vfio-pci
# This holder is held as libvirt starts QEMU: in a mount namespace of its own whose /dev/vfio is a tmpfs
# where the node is made again with mknod (another inode, the same character device).
G1=$(group $VF1)
read -r G1_MAJOR G1_MINOR <<<"$(stat -c '%t %T' "/dev/vfio/$G1")"
# shellcheck disable=SC2016 # expanded by the inner shell
unshare -m --propagation private sh -c 'mount -t tmpfs vm-dev /dev/vfio && mknod "/dev/vfio/$1" c "$2" "$3" && exec sleep 600 <>"/dev/vfio/$1"' sh "$G1" $((16#$G1_MAJOR)) $((16#$G1_MINOR)) &
HOLDER1=$!
holder1_ready() { [[ $(cat /proc/$HOLDER1/comm 2>/dev/null) == sleep && -e /proc/$HOLDER1/fd/0 ]]; }
wait_for holder1_ready
echo "GFT-INFO namespaced holder pid=$HOLDER1 fd0=$(readlink /proc/$HOLDER1/fd/0) node=$(stat -L -c '%d:%i' /proc/$HOLDER1/fd/0) host-node=$(stat -c '%d:%i' "/dev/vfio/$G1")"
privileged held-unbind undo last; rc=$?
unbind_refused() {
  REPLY="exit $rc vf1-driver=$(drv $VF1)"
  [[ $rc == 4 && $(drv $VF1) == vfio-pci ]] && grep -q "\"code\":\"device-in-use\".*not releasing $VF1 from vfio-pci: it is held open by process $HOLDER1 (sleep) through /dev/vfio/$(group $VF1)" /tmp/out
}
check in-use-unbind-refused unbind_refused
kill $HOLDER1; wait $HOLDER1 2>/dev/null
privileged unbind-vf1 undo last
vf1_released() { REPLY="driver=$(drv $VF1) override=$(cat $D/$VF1/driver_override)"; [[ -z $(drv $VF1) && $(cat $D/$VF1/driver_override) == '(null)' ]]; }
check vf1-released vf1_released
kill $HOLDER; wait $HOLDER 2>/dev/null

# 2. Undo from root's journal: VF released, VFs gone, autoprobe and the rule as before.
privileged undo undo last
check undone test $? = 0
gone() { REPLY=''; [[ ! -e $D/$VF0 && ! -e $D/$VF1 ]] || REPLY='VFs still present'; no_rule && [[ -z $REPLY ]]; }
check vfs-removed gone
check everything-back restored

# 3. The boot rule under real udev: applied again (two VFs, none bound), the VFs taken away by hand as a
# reboot would, then systemd-udevd sees the PF's driver bind, and later a coldplug `add` as at boot.
request '{"device":"0000:01:00.0","count":2}' && privileged apply-again apply
check applied-again test $? = 0
echo 0 >$D/$PF/sriov_numvfs; echo 1 >$D/$PF/sriov_drivers_autoprobe
echo $PF >/sys/bus/pci/drivers/nvme/unbind
reset() { REPLY="numvfs=$(cat $D/$PF/sriov_numvfs) driver=$(drv $PF)"; [[ $(cat $D/$PF/sriov_numvfs) == 0 && -z $(drv $PF) ]]; }
check no-vfs-before-udev reset
/lib/systemd/systemd-udevd --daemon 2>/tmp/udevd.err; echo "GFT-INFO udevd exit $? $(tr '\n' ' ' </tmp/udevd.err)"
wait_for udevadm control --ping >/dev/null 2>&1 # its control socket, before the bind it must see
echo $PF >/sys/bus/pci/drivers/nvme/bind
udevadm settle --timeout=60
by_bind() { REPLY="numvfs=$(cat $D/$PF/sriov_numvfs) autoprobe=$(cat $D/$PF/sriov_drivers_autoprobe) driver=$(drv $PF)"; numvfs_is 2 && [[ $(cat $D/$PF/sriov_drivers_autoprobe) == 0 && -z $(drv $VF0) ]]; }
check udev-bind-creates-vfs by_bind
echo 0 >$D/$PF/sriov_numvfs
zero() { REPLY="numvfs=$(cat $D/$PF/sriov_numvfs)"; [[ $REPLY == numvfs=0 ]]; }
check no-vfs-before-coldplug zero
udevadm trigger --action=add $D/$PF
udevadm settle --timeout=60
by_coldplug() { REPLY="numvfs=$(cat $D/$PF/sriov_numvfs)"; numvfs_is 2; }
check udev-coldplug-creates-vfs by_coldplug
udevadm control --exit 2>/dev/null
privileged undo-again undo last
check undone-again test $? = 0
check everything-back-again restored
echo "GFT-END"
poweroff -f
