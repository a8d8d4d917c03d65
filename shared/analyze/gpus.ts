// The GPU list with roles: integrated or discrete, and which GPUs drive the host display.
import type { HostModel, PciDevice } from '../host/model';
import { busOf, is3dController, isDisplay } from './pci-class';

/** AMD APU graphics (Raven … Strix); integrated GPUs sit on a non-zero bus, so ids decide. */
const AMD_APU_DEVICE_IDS = new Set([
  '15d8',
  '15dd',
  '1636',
  '1638',
  '164c',
  '1681',
  '164e',
  '15bf',
  '15c8',
  '1506',
  '163f',
  '15e7',
  '150e',
  '1900',
  '1901',
  '13c0',
]);
const AMD_APU_NAMES =
  /Renoir|Cezanne|Lucienne|Rembrandt|Raphael|Phoenix|Picasso|Raven|Barcelo|Mendocino|Van ?Gogh|Hawk Point|Strix|Granite Ridge|Dragon Range|Radeon Vega Mobile/i;

export function isIntegrated(d: PciDevice): boolean {
  if (d.vendorId === '8086') return busOf(d.address) === '00';
  if (d.vendorId === '1002')
    return AMD_APU_DEVICE_IDS.has(d.deviceId) || AMD_APU_NAMES.test(d.deviceName ?? '');
  return false;
}

export const hasConnectedOutput = (d: PciDevice): boolean =>
  d.drm !== null && Object.values(d.drm.connectors).some((s) => s === 'connected');

export interface GpuRole {
  device: PciDevice;
  integrated: boolean;
  drivesHostDisplay: boolean;
  /** False for 3D controllers: no connectors at all. */
  displayOutputs: boolean;
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
    integrated: isIntegrated(device),
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
