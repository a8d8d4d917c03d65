// The GPU list with roles: integrated or discrete, and which GPUs drive the host display.
import type { HostModel, PciDevice } from '../host/model';
import { is3dController, isDisplay } from './pci-class';
import { integratedVerdict } from './integrated';

export const hasConnectedOutput = (d: PciDevice): boolean =>
  d.drm !== null && Object.values(d.drm.connectors).some((s) => s === 'connected');

export interface GpuRole {
  device: PciDevice;
  integrated: boolean;
  /** The hardware fact that decided integrated or discrete. */
  integratedBecause: string;
  drivesHostDisplay: boolean;
  /** False for 3D controllers: no connectors at all. */
  displayOutputs: boolean;
}

function verdictFields(model: HostModel, device: PciDevice) {
  const v = integratedVerdict(model, device);
  return { integrated: v.integrated, integratedBecause: v.because };
}

/**
 * Every display-class device with its role, host-display GPUs first. A GPU drives the host display
 * when one of its connectors is connected; when no GPU reports a connected connector (no DRM driver
 * loaded, e.g. right after boot with vfio), the boot VGA device is taken as the one.
 */
export function gpuRoles(model: HostModel): GpuRole[] {
  const gpus = model.pci.filter(isDisplay);
  const anyConnected = gpus.some(hasConnectedOutput);
  const roles = gpus.map((device) => ({
    device,
    ...verdictFields(model, device),
    drivesHostDisplay: anyConnected ? hasConnectedOutput(device) : device.bootVga === true,
    displayOutputs: !is3dController(device),
  }));
  return roles.sort(
    (a, b) =>
      Number(b.drivesHostDisplay) - Number(a.drivesHostDisplay) ||
      a.device.address.localeCompare(b.device.address),
  );
}

export function gpuName(d: PciDevice): string {
  return d.deviceName ?? `${d.vendorName ?? `vendor ${d.vendorId}`} device ${d.deviceId}`;
}
