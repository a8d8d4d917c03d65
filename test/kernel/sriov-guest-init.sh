#!/bin/bash
# shellcheck disable=SC2012 # a throwaway test /init on busybox
# /init for the SR-IOV kernel test: runs the sriov-vfs plan's live steps (rendered by sriov.test.ts into
# /sriov/create.sh and /sriov/remove.sh) on a real kernel with an SR-IOV NVMe controller and prints
#   GFT-RESULT <name> pass|fail <detail>   GFT-INFO <text>
export PATH=/bin:/sbin LC_ALL=C
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
PF=0000:01:00.0 VF0=0000:01:00.1 VF1=0000:01:00.2
D=/sys/bus/pci/devices
result() { echo "GFT-RESULT $1 $2 ${3:-}"; }
check() { local name=$1; shift; if "$@"; then result "$name" pass; else result "$name" fail "$REPLY"; fi; }
drv() { local l; l=$(readlink "$D/$1/driver" 2>/dev/null) && echo "${l##*/}"; }
group() { local g; g=$(readlink "$D/$1/iommu_group") && echo "${g##*/}"; }
state() { for d in "$D"/*; do echo "$(basename "$d")=$(drv "$(basename "$d")")"; done; echo "numvfs=$(cat $D/$PF/sriov_numvfs) autoprobe=$(cat $D/$PF/sriov_drivers_autoprobe)"; }

echo "GFT-BEGIN sriov kernel=$(uname -r)"
modprobe nvme
for _ in $(seq 100); do [[ $(drv $PF) == nvme ]] && break; sleep 0.05; done
echo "GFT-INFO pf=$PF driver=$(drv $PF) total=$(cat $D/$PF/sriov_totalvfs) offset=$(cat $D/$PF/sriov_offset) stride=$(cat $D/$PF/sriov_stride)"
before=$(state)

bash /sriov/create.sh; echo "GFT-INFO create.sh exit $?"
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
viable() { vfio-check "$(group $VF0)" $VF0 >/tmp/vc 2>&1; local rc=$?; REPLY=$(tr '\n' ' ' </tmp/vc); return $rc; }
check vfs-created created
check vf0-on-vfio-pci bound
check vf-own-groups own_groups
check vf0-group-viable viable
echo "GFT-INFO groups pf=$(group $PF) vf0=$(group $VF0) vf1=$(group $VF1)"

bash /sriov/remove.sh; echo "GFT-INFO remove.sh exit $?"
restored() { after=$(state); REPLY=$(diff <(echo "$before") <(echo "$after") | tr '\n' ' '); [[ $before == "$after" ]]; }
gone() { REPLY=''; [[ ! -e $D/$VF0 && ! -e $D/$VF1 ]] || REPLY='VFs still present'; [[ -z $REPLY ]]; }
check vfs-removed gone
check everything-back restored
echo "GFT-END"
poweroff -f
