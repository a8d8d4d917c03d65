#!/bin/sh
# Test-only libvirt hook: installed by the system tier's guest driver as qemu.d/00-systest-observer (runs
# before gpu-ferry) and qemu.d/zz-systest-observer (after it). Appends "<first|last> <op> <sub-op> <uptime>"
# per call, so the benchmark times the handoff from outside the product (libvirt's prepare call -> its start
# call; its stopped call -> the greeter). dash and builtins only: it adds as little as it can to what it times.
read -r up _ </proc/uptime
case ${0##*/} in 00-*) at=first ;; *) at=last ;; esac
echo "$at $2 $3 $up" >>/var/lib/systest/hook-calls
exit 0
