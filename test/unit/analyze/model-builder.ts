// Builds HostModel values for pure analyzer tests: a working machine by default, override what matters.
import type { HostModel, PciDevice } from '../../../shared/host/model';

export function pci(
  address: string,
  classCode: string,
  vendorId: string,
  deviceId: string,
  extra: Partial<PciDevice> = {},
): PciDevice {
  return {
    address,
    classCode,
    vendorId,
    deviceId,
    subsystemVendorId: null,
    subsystemDeviceId: null,
    vendorName: null,
    deviceName: null,
    driver: null,
    driverOverride: null,
    iommuGroup: null,
    bootVga: classCode.startsWith('03') ? false : null,
    resetMethods: ['flr'],
    drm: null,
    sriovTotalVfs: null,
    sriovNumVfs: null, sriovOffset: null, sriovStride: null,
    physfn: null,
    virtfns: [],
    bridges: [],
    ...extra,
  };
}

export function model(devices: PciDevice[], over: Partial<HostModel> = {}): HostModel {
  const groups: Record<number, string[]> = {};
  for (const d of devices) if (d.iommuGroup !== null) (groups[d.iommuGroup] ??= []).push(d.address);
  return {
    format: 'gpu-ferry-host-model/1',
    privateFiles: [],
    root: '/test',
    cpu: {
      vendor: 'intel',
      vendorId: 'GenuineIntel',
      model: 'Test CPU',
      flags: ['vmx'],
      virtualization: true,
      cores: 4,
      threads: 8,
      topology: [],
      kvmDevice: true,
      nested: null,
    },
    firmware: { efi: true, acpiTables: ['DMAR', 'APIC'] },
    kernel: {
      release: '6.12.0',
      cmdline: 'intel_iommu=on',
      params: { intel_iommu: 'on' },
      modules: [],
      builtin: [],
      available: ['vfio_pci'],
    },
    iommu: { units: ['dmar0'], groups, firmwareTable: 'DMAR' },
    pci: devices,
    os: { id: 'debian', idLike: [], name: 'Debian', versionId: '12', variantId: null },
    bootloader: { kind: 'grub', evidence: ['/etc/default/grub'], espPath: null, uki: false },
    initramfs: 'initramfs-tools',
    displayManager: { kind: 'gdm', unit: 'gdm3.service' },
    libvirt: {
      virsh: true,
      libvirtd: true,
      version: '9.0.0',
      hooksDir: '/etc/libvirt/hooks',
      hooksDirExists: true,
      qemuDispatcher: false,
      qemuConf: null,
    },
    lookingGlass: {
      client: true,
      clientPath: '/usr/bin/looking-glass-client',
      clientVersion: null,
      kvmfrAvailable: true,
      kvmfrLoaded: false,
    },
    security: { apparmor: true, selinux: false },
    users: [{ name: 'u', uid: 1000, groups: ['kvm', 'libvirt'] }],
    commands: [],
    files: {},
    memory: {},
    notes: [],
    ...over,
  };
}

export const connected = (card: string) => ({ card, connectors: { 'DP-1': 'connected' } });
export const disconnected = (card: string) => ({ card, connectors: { 'DP-1': 'disconnected' } });
