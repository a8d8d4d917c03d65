// The files GPU Ferry's goals own: the only paths root writes, edits, removes or restores, whatever
// plan it computed (a planner bug, or a host whose scan steers a planner somewhere odd, still cannot make
// root touch another file). `*` matches within one path component. Remove is narrower: only files GPU
// Ferry itself creates may disappear (never /etc/default/grub, qemu.conf and the like).
const OWNED_FILES = [
  '/etc/modprobe.d/gpu-ferry-vfio.conf',
  '/etc/modprobe.d/gpu-ferry-kvmfr.conf',
  '/etc/dracut.conf.d/gpu-ferry-vfio.conf',
  '/etc/initramfs-tools/modules',
  '/etc/mkinitcpio.conf',
  '/etc/booster.yaml',
  '/etc/default/grub',
  '/etc/kernel/cmdline',
  '/boot/loader/entries/*.conf',
  '/efi/loader/entries/*.conf',
  '/boot/efi/loader/entries/*.conf',
  '/boot/refind_linux.conf',
  '/etc/default/limine',
  '/etc/modules-load.d/gpu-ferry-kvmfr.conf',
  '/etc/udev/rules.d/99-gpu-ferry-kvmfr.rules',
  '/etc/udev/rules.d/70-gpu-ferry-sriov-*.rules',
  '/etc/udev/rules.d/61-gpu-ferry-display-off-*.rules',
  '/etc/X11/xorg.conf.d/20-gpu-ferry-display-off-vm-gpu.conf',
  '/etc/tmpfiles.d/gpu-ferry-looking-glass.conf',
  '/etc/libvirt/qemu.conf',
  '/etc/apparmor.d/local/abstractions/libvirt-qemu',
  '/etc/libvirt/hooks/qemu.d/gpu-ferry',
  '/usr/libexec/gpu-ferry/gpu-ferry-handoff',
  '/etc/sysctl.d/gpu-ferry-hugepages.conf',
  '/etc/gpu-ferry/vms/*.conf',
];

/** Directories a step may create when missing (always mode 0755, root-owned). */
const CREATABLE_DIRS = new Set([
  '/etc/modprobe.d',
  '/etc/udev',
  '/etc/udev/rules.d',
  '/etc/X11',
  '/etc/X11/xorg.conf.d',
  '/etc/libvirt',
  '/etc/libvirt/hooks',
  '/etc/libvirt/hooks/qemu.d',
  '/etc/apparmor.d',
  '/etc/apparmor.d/local',
  '/etc/apparmor.d/local/abstractions',
  '/usr/libexec',
  '/usr/libexec/gpu-ferry',
  '/etc/dracut.conf.d',
  '/etc/modules-load.d',
  '/etc/tmpfiles.d',
  '/etc/sysctl.d',
  '/etc/gpu-ferry',
  '/etc/gpu-ferry/vms',
]);

const PLAIN_PATH = /^(\/[A-Za-z0-9_@%+:,=.-]+)+$/;

const globMatches = (p: string, pattern: string): boolean => {
  const a = p.split('/');
  const b = pattern.split('/');
  if (a.length !== b.length) return false;
  return b.every((part, i) => {
    if (!part.includes('*')) return part === a[i];
    const re = new RegExp(`^${part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
    return re.test(a[i] ?? '');
  });
};

/** An absolute path of plain characters with no `.` or `..` component. */
export const plainPath = (p: string): boolean => p.length <= 1024 && PLAIN_PATH.test(p) && !`/${p}/`.includes('/../') && !`/${p}/`.includes('/./');

export const isOwnedFile = (p: string): boolean => plainPath(p) && OWNED_FILES.some((pattern) => globMatches(p, pattern));

/** Only files with gpu-ferry in their name (GPU Ferry's own) or in its own /etc/gpu-ferry tree. */
export const isRemovable = (p: string): boolean => isOwnedFile(p) && (/gpu-ferry/.test(p.slice(p.lastIndexOf('/') + 1)) || p.startsWith('/etc/gpu-ferry/'));

export const isCreatableDir = (d: string): boolean => CREATABLE_DIRS.has(d);
