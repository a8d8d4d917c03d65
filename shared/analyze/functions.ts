// What must travel with a GPU into the VM, and whether its IOMMU group is clean (isolation).
import type { HostModel, PciDevice } from '../host/model';
import type { Isolation } from './report';
import { isBridge, slotOf } from './pci-class';

export interface GpuFunctions {
  /** The slot's functions plus every non-bridge member of the GPU's group, sorted by address. */
  functions: string[];
  isolation: Isolation;
  /** Endpoints in the group that are not functions of the GPU's slot. */
  groupPeers: string[];
}

/** Functions of the same slot; SR-IOV virtual functions are separate devices, never part of the slot. */
function slotFunctions(model: HostModel, gpu: PciDevice): PciDevice[] {
  if (gpu.physfn !== null) return [gpu];
  const slot = slotOf(gpu.address);
  return model.pci.filter((d) => slotOf(d.address) === slot && d.physfn === null);
}

export function gpuFunctions(model: HostModel, gpu: PciDevice, iommuOn: boolean): GpuFunctions {
  const byAddress = new Map(model.pci.map((d) => [d.address, d]));
  const slot = slotFunctions(model, gpu);
  const slotSet = new Set(slot.map((d) => d.address));
  const functions = new Set(slot.filter((d) => !isBridge(d)).map((d) => d.address));
  functions.add(gpu.address);
  if (!iommuOn || gpu.iommuGroup === null) {
    return { functions: [...functions].sort(), isolation: 'unknown', groupPeers: [] };
  }
  const members =
    model.iommu.groups[gpu.iommuGroup] ??
    model.pci.filter((d) => d.iommuGroup === gpu.iommuGroup).map((d) => d.address);
  const peers: string[] = [];
  for (const address of members) {
    const dev = byAddress.get(address);
    if (dev && isBridge(dev)) continue;
    functions.add(address);
    if (!slotSet.has(address)) peers.push(address);
  }
  return {
    functions: [...functions].sort(),
    isolation: peers.length > 0 ? 'shared' : 'isolated',
    groupPeers: peers.sort(),
  };
}
