// PCI class and address helpers the analyzers share.
import type { PciDevice } from '../host/model';

/** Display class (0x03xxxx): VGA 0300, XGA 0301, 3D controller 0302, other display 0380. */
export const isDisplay = (d: Pick<PciDevice, 'classCode'>): boolean => d.classCode.startsWith('03');

/** Intel's integrated GPU: always at 0000:00:02.0 (its SR-IOV virtual functions are 00:02.1 to 00:02.7). */
export const isIntelIgpu = (d: PciDevice): boolean =>
  d.vendorId === '8086' && isDisplay(d) && d.address === '0000:00:02.0';

/** A 3D controller has no display outputs (Optimus laptops, compute cards). */
export const is3dController = (d: PciDevice): boolean => d.classCode.startsWith('0302');

/**
 * Bridges that never travel with a device and do not break isolation: host bridges (0600), PCI-to-PCI
 * bridges (0604) and semi-transparent ones (0609). ISA/LPC bridges (0601) are chipset endpoints.
 */
export const isBridge = (d: PciDevice): boolean => /^06(00|04|09)/.test(d.classCode);

/** `0000:0a:00.1` → `0000:0a:00` */
export const slotOf = (address: string): string => address.slice(0, address.lastIndexOf('.'));

export const busOf = (address: string): string => address.slice(5, 7);
