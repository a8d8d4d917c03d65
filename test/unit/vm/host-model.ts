// A small HostModel for VM planner tests: only what the VM code reads is filled in meaningfully.
import type { CpuThread, CpuVendor, HostModel } from '../../../shared/host/model';

export function cpuTopology(cores: number, smt: 1 | 2): CpuThread[] {
  const threads: CpuThread[] = [];
  for (let c = 0; c < cores; c++) for (let t = 0; t < smt; t++) threads.push({ processor: c + t * cores, coreId: c, packageId: 0 });
  return threads.sort((a, b) => a.processor - b.processor);
}

export function testHost(vendor: CpuVendor, cores: number, smt: 1 | 2, extra: Partial<HostModel> = {}): HostModel {
  return {
    format: 'gpu-ferry-host-model/1',
    privateFiles: [],
    root: '/nonexistent',
    cpu: {
      vendor,
      vendorId: vendor === 'amd' ? 'AuthenticAMD' : 'GenuineIntel',
      model: 'test cpu',
      flags: vendor === 'amd' ? ['svm', 'topoext'] : ['vmx'],
      virtualization: true,
      cores,
      threads: cores * smt,
      topology: cpuTopology(cores, smt),
      kvmDevice: true,
      nested: null,
    },
    firmware: { efi: true, acpiTables: [] },
    kernel: { release: '6.12.0', cmdline: '', params: {}, modules: [], builtin: [], available: [] },
    iommu: { units: [], groups: {}, firmwareTable: null },
    pci: [],
    os: { id: 'debian', idLike: [], name: 'Debian', versionId: '12', variantId: null },
    bootloader: { kind: 'grub', evidence: [], espPath: null, uki: false },
    initramfs: 'initramfs-tools',
    displayManager: { kind: 'gdm', unit: 'gdm.service' },
    libvirt: { virsh: true, libvirtd: true, version: '9.0.0', hooksDir: '/etc/libvirt/hooks', hooksDirExists: true, qemuDispatcher: false, qemuConf: null },
    lookingGlass: { client: false, clientPath: null, clientVersion: null, kvmfrAvailable: false, kvmfrLoaded: false },
    security: { apparmor: false, selinux: false },
    users: [],
    commands: [],
    files: {},
    memory: { MemTotal: 32 * 1024 * 1024, MemAvailable: 24 * 1024 * 1024, HugePages_Total: 0, HugePages_Free: 0, Hugepagesize: 2048 },
    notes: [],
    ...extra,
  };
}
