// Which devices may go to a VM with each graphics card, as root's guards check a plan (vfio-pci claims,
// handoff configs): one rule, built on the doctor's own `functions` and `groupPeers` (functions.ts,
// ../shared/host-spec.md §2), so the review and root agree. A card's own devices are its slot's functions
// and the endpoints behind its own switch (an NVIDIA card's USB-C and UCSI functions too, IOMMU on or
// off). An integrated GPU is not a card: its slot also holds the host's own controllers (an AMD APU's USB,
// its crypto processor), so only the GPU itself and the audio functions beside it are its own, and
// nothing travels with it as a group peer.
import type { HostModel } from '../host/model';
import { gpuFunctions } from './functions';
import { gpuRoles } from './gpus';
import { iommuState } from './iommu-state';
import { slotOf } from './pci-class';

export interface CardDevices {
  integrated: boolean;
  /** The card's own devices, the GPU included. */
  own: Set<string>;
  /** Other members of its IOMMU group(s): bound to vfio-pci with it, never the card's. */
  peers: Set<string>;
}

/** Every display device's address → what belongs to it. */
export function cardDevices(model: HostModel): Map<string, CardDevices> {
  const iommuOn = iommuState(model) === 'on';
  const out = new Map<string, CardDevices>();
  for (const { device, integrated } of gpuRoles(model)) {
    if (integrated) {
      const slot = slotOf(device.address);
      const audio = model.pci.filter((d) => slotOf(d.address) === slot && d.classCode.startsWith('0403')).map((d) => d.address);
      out.set(device.address, { integrated, own: new Set([device.address, ...audio]), peers: new Set() });
      continue;
    }
    const f = gpuFunctions(model, device, iommuOn);
    out.set(device.address, { integrated, own: new Set(f.functions), peers: new Set(f.groupPeers) });
  }
  return out;
}
