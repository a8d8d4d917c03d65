// What belongs to a graphics card, what else shares its IOMMU group(s), and whether those groups are
// clean (../shared/host-spec.md §2).
import type { HostModel, PciDevice } from '../host/model';
import type { Isolation } from './report';
import { isBridge, slotOf } from './pci-class';

export interface GpuFunctions {
  /** The card's own devices: its slot's functions and the endpoints behind the card's own switch. */
  functions: string[];
  isolation: Isolation;
  /** Every other non-bridge member of the card's IOMMU group(s): not the card's, but would travel with it. */
  groupPeers: string[];
}

/**
 * The upstream port of a PCIe switch that is part of the card itself: the GPU's parent is a downstream
 * port and the port above it an upstream port, both made by the GPU's vendor, and that upstream port is
 * not the root port. Intel Arc puts its HDMI audio behind such a switch, on another bus.
 */
export function cardSwitch(model: HostModel, gpu: PciDevice): string | null {
  const chain = gpu.bridges;
  if (chain.length < 3) return null;
  const byAddress = new Map(model.pci.map((d) => [d.address, d]));
  const downstream = byAddress.get(chain[chain.length - 1]!);
  const upstream = byAddress.get(chain[chain.length - 2]!);
  const sameVendor = (d: PciDevice | undefined) => d !== undefined && d.vendorId === gpu.vendorId;
  return sameVendor(downstream) && sameVendor(upstream) ? upstream!.address : null;
}

/** The card's own devices; SR-IOV virtual functions are devices of their own, never part of a card. */
function ownDevices(model: HostModel, gpu: PciDevice): PciDevice[] {
  if (gpu.physfn !== null) return [gpu];
  const slot = slotOf(gpu.address);
  const sw = cardSwitch(model, gpu);
  return model.pci.filter(
    (d) =>
      d.physfn === null &&
      !isBridge(d) &&
      (slotOf(d.address) === slot || (sw !== null && d.bridges.includes(sw))),
  );
}

export function gpuFunctions(model: HostModel, gpu: PciDevice, iommuOn: boolean): GpuFunctions {
  const own = ownDevices(model, gpu);
  const functions = [...new Set([gpu.address, ...own.map((d) => d.address)])].sort();
  if (!iommuOn || gpu.iommuGroup === null) return { functions, isolation: 'unknown', groupPeers: [] };
  const byAddress = new Map(model.pci.map((d) => [d.address, d]));
  const groups = new Set(own.map((d) => d.iommuGroup).filter((g): g is number => g !== null));
  groups.add(gpu.iommuGroup);
  const peers = new Set<string>();
  for (const group of groups) {
    const members =
      model.iommu.groups[group] ?? model.pci.filter((d) => d.iommuGroup === group).map((d) => d.address);
    for (const address of members) {
      const dev = byAddress.get(address);
      if ((dev && isBridge(dev)) || functions.includes(address)) continue;
      peers.add(address);
    }
  }
  return {
    functions,
    isolation: peers.size > 0 ? 'shared' : 'isolated',
    groupPeers: [...peers].sort(),
  };
}
