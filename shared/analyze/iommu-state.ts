// Whether the IOMMU is on, and if not, whether firmware or the kernel is the reason.
import type { HostModel } from '../host/model';
import type { DoctorReport } from './report';

export type IommuState = DoctorReport['iommu']['state'];

export function iommuState(model: HostModel): IommuState {
  const groups = Object.keys(model.iommu.groups).length;
  if (groups > 0 || model.iommu.units.length > 0) return 'on';
  if (model.iommu.firmwareTable !== null) return 'off-in-kernel';
  // Without any ACPI table listing we cannot tell firmware from kernel.
  if (model.firmware.acpiTables.length > 0) return 'off-in-firmware';
  return 'unknown';
}

export const iommuGroupCount = (model: HostModel): number => Object.keys(model.iommu.groups).length;
