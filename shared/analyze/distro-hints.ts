// Package-install commands per distribution family, for the fixes in doctor checks.
import type { OsRelease } from '../host/model';

export type DistroFamily = 'debian' | 'fedora' | 'arch' | 'suse' | 'nixos' | 'other';

export function distroFamily(os: OsRelease): DistroFamily {
  const ids = [os.id ?? '', ...os.idLike];
  if (ids.includes('nixos')) return 'nixos';
  if (ids.some((i) => ['debian', 'ubuntu', 'pop', 'linuxmint'].includes(i))) return 'debian';
  if (ids.some((i) => ['fedora', 'rhel', 'centos', 'bazzite'].includes(i))) return 'fedora';
  if (ids.some((i) => ['arch', 'endeavouros', 'manjaro', 'cachyos'].includes(i))) return 'arch';
  if (ids.some((i) => i.includes('suse'))) return 'suse';
  return 'other';
}

const LIBVIRT: Record<DistroFamily, string> = {
  debian: 'sudo apt install libvirt-daemon-system qemu-system-x86 ovmf',
  fedora:
    'sudo dnf install @virtualization (on Silverblue/Bazzite: rpm-ostree install libvirt qemu-kvm edk2-ovmf, then reboot)',
  arch: 'sudo pacman -S libvirt qemu-desktop edk2-ovmf, then sudo systemctl enable --now libvirtd',
  suse: 'sudo zypper install -t pattern kvm_server kvm_tools',
  nixos:
    'declare `virtualisation.libvirtd.enable = true;` in /etc/nixos/configuration.nix, then `sudo nixos-rebuild switch`',
  other: "install libvirt, QEMU and OVMF with your distribution's package manager",
};

export const installLibvirtHint = (os: OsRelease): string => LIBVIRT[distroFamily(os)];

/** The group whose members may manage libvirt's system VMs: NixOS's module calls it libvirtd. */
export const libvirtGroup = (os: OsRelease): string =>
  distroFamily(os) === 'nixos' ? 'libvirtd' : 'libvirt';
