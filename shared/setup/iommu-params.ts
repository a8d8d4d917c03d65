// Which kernel parameters turn the IOMMU on for passthrough on this CPU.
//
// Intel: `intel_iommu=on`. Kernels built with CONFIG_INTEL_IOMMU_DEFAULT_ON do not need it, but the
// config is not readable on every distro (/boot/config-* and /proc/config.gz are both optional), and
// distros have flipped the default back and forth. So: when the running kernel already has Intel DMA
// remapping units active without the parameter on its command line, it defaults to on and we add
// nothing; otherwise we add it, which is harmless where the default is already on.
// AMD: the AMD IOMMU is on by default whenever the firmware enables it; `amd_iommu=on` is not even a
// valid value, so nothing is added. Both: `iommu=pt` (passthrough for host devices: no translation
// cost for the devices the host keeps). An `amd_iommu=off` left from earlier troubleshooting is taken
// out, since it switches the AMD IOMMU off (`intel_iommu=off` is rewritten to on by the merge rules).
import type { HostModel } from '../host/model';
import { lastToken, tokenize } from './kernel-cmdline';

/** Parameters that would keep the IOMMU off, to strip wherever the command line is edited. */
export const IOMMU_BLOCKERS = ['amd_iommu=off'];

export function iommuParams(host: HostModel): string[] {
  const params: string[] = [];
  if (host.cpu.vendor === 'intel') {
    const onCmdline = lastToken(tokenize(host.kernel.cmdline ?? ''), 'intel_iommu') !== undefined;
    const defaultOn = !onCmdline && host.iommu.units.some((u) => u.startsWith('dmar'));
    if (!defaultOn) params.push('intel_iommu=on');
  }
  params.push('iommu=pt');
  return params;
}
