// Facts about the machine that the setup planners need, on top of the doctor's analyzers (shared/analyze/).
import type { HostModel, PciDevice } from '../host/model';
import { gpuRoles } from '../analyze/gpus';
import { iommuState } from '../analyze/iommu-state';
import { isDisplay, slotOf } from '../analyze/pci-class';

export { isBridge, isDisplay as isDisplayClass } from '../analyze/pci-class';

/** Every function of the device's slot (the GPU, its HDMI audio, USB-C and UCSI controllers), address order. */
export const slotFunctions = (host: HostModel, address: string): PciDevice[] =>
  host.pci
    .filter((d) => slotOf(d.address) === slotOf(address))
    .sort((a, b) => a.address.localeCompare(b.address));

/**
 * The GPU that lights the screen at boot: the firmware's boot VGA device. When no device says so
 * (some firmware leaves boot_vga unset), the only display-class device, if there is just one.
 */
export function bootDisplayGpu(host: HostModel): PciDevice | null {
  const gpus = host.pci.filter(isDisplay);
  return gpus.find((g) => g.bootVga === true) ?? (gpus.length === 1 ? (gpus[0] ?? null) : null);
}

/** Off in firmware: the ACPI tables were readable and neither DMAR (Intel) nor IVRS (AMD) is among them. */
export const iommuOffInFirmware = (host: HostModel): boolean => iommuState(host) === 'off-in-firmware';

/**
 * Whether the host would be left without any screen if `gpu` went to vfio-pci: it drives the host
 * display now (the doctor's rule: connected outputs, else the boot VGA device) and no other GPU does.
 */
export function onlyHostDisplay(host: HostModel, gpu: PciDevice): boolean {
  const roles = gpuRoles(host);
  const drives = roles.filter((r) => r.drivesHostDisplay).map((r) => r.device.address);
  return drives.length > 0 && drives.every((a) => a === gpu.address);
}

/** What to look for in the firmware setup, by CPU vendor. */
export function firmwareIommuAdvice(host: HostModel): string {
  const what =
    host.cpu.vendor === 'intel'
      ? 'enable "Intel VT-d" (sometimes "Intel Virtualization Technology for Directed I/O"), usually under Advanced > System Agent or Chipset'
      : host.cpu.vendor === 'amd'
        ? 'enable "IOMMU" (sometimes "AMD-Vi") and "SVM Mode", usually under Advanced > AMD CBS > NBIO'
        : 'enable the IOMMU (DMA remapping) option';
  return `The IOMMU is switched off in the firmware (no ${host.cpu.vendor === 'amd' ? 'IVRS' : 'DMAR'} ACPI table): no kernel parameter can fix that. Reboot into the UEFI/BIOS setup and ${what}.`;
}

/** An encrypted root unlocked in the initramfs: /etc/crypttab entries or LUKS/crypt parameters at boot. */
export function encryptedRoot(host: HostModel): boolean {
  const crypttab = host.files['/etc/crypttab'] ?? '';
  const hasEntries = crypttab.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const cmdline = host.kernel.cmdline ?? '';
  return hasEntries || /(^|\s)(rd\.luks[.=]|cryptdevice=|luks\.uuid=|rd\.luks\.uuid=)/.test(cmdline);
}
