// The one list of configuration files and directories the scanner copies into HostModel.files, so
// planners stay pure. Add a path here and every planner, snapshot and fixture sees it.

export type ConfigSource =
  /** One file. */
  | { file: string }
  /** Files in a directory whose names match (not recursive unless `deep`). */
  | { dir: string; match?: RegExp; deep?: boolean };

/** ESP mount points where systemd-boot, rEFInd and Limine keep their configuration. */
export const ESP_PATHS = ['/boot', '/efi', '/boot/efi'] as const;

const perEsp = (make: (esp: string) => ConfigSource[]): ConfigSource[] => ESP_PATHS.flatMap(make);

export const CONFIG_SOURCES: ConfigSource[] = [
  { file: '/etc/os-release' },
  { file: '/usr/lib/os-release' },
  // Bootloaders
  { file: '/etc/default/grub' },
  { dir: '/etc/default/grub.d', match: /\.cfg$/ },
  { file: '/etc/kernel/cmdline' },
  { file: '/etc/kernel/install.conf' },
  { file: '/etc/sysconfig/kernel' },
  ...perEsp((esp) => [
    { dir: `${esp}/loader/entries`, match: /\.conf$/ },
    { file: `${esp}/loader/loader.conf` },
    { file: `${esp}/limine.conf` },
    { file: `${esp}/limine/limine.conf` },
    { file: `${esp}/EFI/limine/limine.conf` },
    { file: `${esp}/refind_linux.conf` },
    { file: `${esp}/EFI/refind/refind.conf` },
  ]),
  { file: '/etc/default/limine' },
  { file: '/etc/kernelstub/configuration' },
  // Initramfs generators
  { file: '/etc/mkinitcpio.conf' },
  { dir: '/etc/mkinitcpio.conf.d', match: /\.conf$/ },
  { dir: '/etc/mkinitcpio.d', match: /\.preset$/ },
  { file: '/etc/dracut.conf' },
  { dir: '/etc/dracut.conf.d', match: /\.conf$/ },
  { file: '/etc/initramfs-tools/modules' },
  { file: '/etc/initramfs-tools/initramfs.conf' },
  { file: '/etc/booster.yaml' },
  { file: '/etc/crypttab' },
  // Modules, udev, tmpfiles
  { dir: '/etc/modprobe.d', match: /\.conf$/ },
  { dir: '/etc/modules-load.d', match: /\.conf$/ },
  // Hugepages reserved for VMs (the hugepages goal)
  { file: '/etc/sysctl.d/gpu-ferry-hugepages.conf' },
  { file: '/etc/modules' },
  { dir: '/etc/udev/rules.d', match: /gpu-ferry/ },
  // Xorg's configuration (display-off-vm-gpu: its own snippet, and ServerFlags sections it must not shadow)
  { file: '/etc/X11/xorg.conf' },
  { dir: '/etc/X11/xorg.conf.d', match: /\.conf$/ },
  { dir: '/usr/share/X11/xorg.conf.d', match: /\.conf$/ },
  { dir: '/etc/tmpfiles.d', match: /\.conf$/ },
  // libvirt, AppArmor, our own state
  { file: '/etc/libvirt/qemu.conf' },
  { file: '/etc/apparmor.d/local/abstractions/libvirt-qemu' },
  { dir: '/etc/gpu-ferry', deep: true },
];
