// GPUs that share vendor:device ids: `vfio-pci.ids=` would take both, so binding must go by address.
// SR-IOV virtual functions carry their physical function's ids by design and are left out.
import type { PciDevice } from '../host/model';

/** address → the other GPUs with the same vendor:device. */
export function identicalIds(gpus: PciDevice[]): Map<string, string[]> {
  const physical = gpus.filter((g) => g.physfn === null);
  const byId = new Map<string, string[]>();
  for (const g of physical) {
    const key = `${g.vendorId}:${g.deviceId}`;
    byId.set(key, [...(byId.get(key) ?? []), g.address]);
  }
  const twins = new Map<string, string[]>();
  for (const g of physical) {
    const same = (byId.get(`${g.vendorId}:${g.deviceId}`) ?? []).filter((a) => a !== g.address);
    if (same.length > 0) twins.set(g.address, same);
  }
  return twins;
}
