// Where the hook-install plan puts the handoff runtime and the libvirt hook (the hook looks for the
// runtime at RUNTIME_PATH; deb/rpm packages install the same paths).
export const RUNTIME_PATH = '/usr/libexec/gpu-ferry/gpu-ferry-handoff';
export const HOOK_PATH = '/etc/libvirt/hooks/qemu.d/gpu-ferry';
export const HANDOFF_LOG_DIR = '/var/log/gpu-ferry';
