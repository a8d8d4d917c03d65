// SR-IOV capable devices (any class: GPUs, NICs, NVMe) and their virtual functions, each VF with its
// own IOMMU group: a VF in a group of its own can go to a VM while the physical function stays.
import type { HostModel } from '../host/model';
import type { SriovDeviceReport } from './report';
import { gpuName } from './gpus';

export function sriovDevices(model: HostModel, iommuOn: boolean): SriovDeviceReport[] {
  const byAddress = new Map(model.pci.map((d) => [d.address, d]));
  const groupOf = (address: string) => (iommuOn ? (byAddress.get(address)?.iommuGroup ?? null) : null);
  const alone = (address: string) => {
    const group = groupOf(address);
    if (group === null) return null;
    return (model.iommu.groups[group] ?? [address]).every((a) => a === address);
  };
  return model.pci
    .filter((d) => d.physfn === null && (d.sriovTotalVfs ?? 0) > 0)
    .map((pf) => ({
      address: pf.address,
      name: gpuName(pf),
      classCode: pf.classCode,
      driver: pf.driver,
      totalVfs: pf.sriovTotalVfs ?? 0,
      numVfs: pf.sriovNumVfs ?? 0,
      virtualFunctions: pf.virtfns.map((vf) => ({
        address: vf,
        driver: byAddress.get(vf)?.driver ?? null,
        iommuGroup: groupOf(vf),
        ownGroup: alone(vf),
      })),
    }));
}
