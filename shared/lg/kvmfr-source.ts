// How to get the kvmfr kernel module when it is not installed. It is not in the mainline kernel: it is
// built from the Looking Glass source (module/ folder) with DKMS, or comes from a distro package.
import type { HostModel } from '../host/model';

export const LG_DOWNLOAD_PAGE = 'https://looking-glass.io/downloads';
export const LG_KVMFR_DOCS = 'https://looking-glass.io/docs/B7/ivshmem_kvmfr/';

const family = (host: HostModel): 'arch' | 'fedora' | 'debian' | 'suse' | 'nixos' | 'other' => {
  const ids = [host.os.id ?? '', ...host.os.idLike];
  if (ids.includes('nixos')) return 'nixos';
  if (ids.includes('arch')) return 'arch';
  if (ids.some((id) => id === 'fedora' || id === 'rhel' || id === 'centos')) return 'fedora';
  if (ids.some((id) => id === 'debian' || id === 'ubuntu')) return 'debian';
  if (ids.some((id) => id.startsWith('opensuse') || id === 'suse')) return 'suse';
  return 'other';
};

const headers: Record<string, string> = {
  arch: 'pacman -S dkms linux-headers',
  fedora: 'dnf install dkms kernel-devel',
  debian: 'apt install dkms linux-headers-$(uname -r)',
  suse: 'zypper install dkms kernel-default-devel',
};

/** One paragraph a person can follow, specific to the host's distribution. */
export function kvmfrInstallHint(host: HostModel, clientVersion: string | null): string {
  const f = family(host);
  if (f === 'nixos') return 'Add config.boot.kernelPackages.kvmfr to boot.extraModulePackages in your NixOS configuration.';
  const source = `download the Looking Glass source${clientVersion ? ` of the same version as your client (${clientVersion})` : ''} from ${LG_DOWNLOAD_PAGE}, then run \`dkms install .\` as root in its module/ folder`;
  if (f === 'arch') return `Install the AUR package looking-glass-module-dkms (it matches the AUR client), or ${headers.arch} and ${source}. See ${LG_KVMFR_DOCS}.`;
  const prep = headers[f];
  return `The kvmfr module is built from the Looking Glass source with DKMS: ${prep ? `${prep}, ` : 'install dkms and your kernel headers, '}${source}. See ${LG_KVMFR_DOCS}.`;
}
