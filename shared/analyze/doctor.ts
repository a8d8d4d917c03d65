// Builds the doctor report (../shared/host-spec.md §2) from a host model. Pure.
import type { HostModel } from '../host/model';
import type { DoctorReport, GpuReport } from './report';
import { gpuName, gpuRoles } from './gpus';
import { gpuFunctions } from './functions';
import { identicalIds } from './identical-ids';
import { iommuGroupCount, iommuState } from './iommu-state';
import { recommendMode } from './mode';
import { buildChecks } from './checks';
import { sriovDevices } from './sriov';

export function buildDoctorReport(model: HostModel): DoctorReport {
  const state = iommuState(model);
  const roles = gpuRoles(model);
  const twins = identicalIds(roles.map((r) => r.device));
  const gpus: GpuReport[] = roles.map(
    ({ device: d, integrated, integratedBecause, drivesHostDisplay, displayOutputs }) => {
      const f = gpuFunctions(model, d, state === 'on');
      return {
        address: d.address,
        vendorId: d.vendorId,
        deviceId: d.deviceId,
        name: gpuName(d),
        driver: d.driver,
        integrated,
        integratedBecause,
        drivesHostDisplay,
        iommuGroup: state === 'on' ? d.iommuGroup : null,
        functions: f.functions,
        isolation: f.isolation,
        groupPeers: f.groupPeers,
        vendorName: d.vendorName ?? d.vendorId,
        classCode: d.classCode,
        displayOutputs,
        identicalIdsWith: twins.get(d.address) ?? [],
        resetMethods: d.resetMethods,
        sriov:
          d.sriovTotalVfs !== null && d.sriovTotalVfs > 0
            ? { totalVfs: d.sriovTotalVfs, numVfs: d.sriovNumVfs ?? 0, virtualFunctions: d.virtfns }
            : null,
      };
    },
  );
  const iommu = { state, groups: iommuGroupCount(model) };
  const recommendation = recommendMode({
    cpuVendor: model.cpu.vendor,
    virtualization: model.cpu.virtualization,
    kvmDevice: model.cpu.kvmDevice,
    iommu: state,
    gpus,
  });
  const partial = {
    cpu: { vendor: model.cpu.vendor, virtualization: model.cpu.virtualization, model: model.cpu.model },
    iommu,
    gpus,
    recommendation,
  };
  return { ...partial, checks: buildChecks(model, partial), sriov: sriovDevices(model, state === 'on') };
}
