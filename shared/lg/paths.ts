// Every system path and name the Looking Glass planners use, in one place (the helper's allowlist,
// resources/helper/allowlist.conf, must cover each file here).

export const KVMFR_DEVICE = '/dev/kvmfr0';
export const SHM_NAME = 'looking-glass';
export const SHM_PATH = `/dev/shm/${SHM_NAME}`;

export const MODPROBE_CONF = '/etc/modprobe.d/gpu-ferry-kvmfr.conf';
export const MODULES_LOAD_CONF = '/etc/modules-load.d/gpu-ferry-kvmfr.conf';
export const UDEV_RULE = '/etc/udev/rules.d/99-gpu-ferry-kvmfr.rules';
export const TMPFILES_CONF = '/etc/tmpfiles.d/gpu-ferry-looking-glass.conf';
export const QEMU_CONF = '/etc/libvirt/qemu.conf';
export const APPARMOR_LOCAL_ABSTRACTION = '/etc/apparmor.d/local/abstractions/libvirt-qemu';
