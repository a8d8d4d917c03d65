// Every PCI device (ids, class, driver, IOMMU group, boot_vga, reset methods, DRM connectors, SR-IOV),
// the IOMMU units and groups, and the ACPI tables that say whether firmware exposes an IOMMU.
import path from 'node:path';
import type { DrmInfo, IommuInfo, PciDevice } from '../../shared/host/model';
import type { HostReader } from './reader';
import { pciIdsFor } from './pci-ids';

const DEVICES = '/sys/bus/pci/devices';

const hexId = (v: string | null): string | null => (v === null ? null : v.replace(/^0x/i, '').toLowerCase());
const base = (link: string | null): string | null => (link === null ? null : path.posix.basename(link));
const int = (v: string | null): number | null => (v === null || !/^\d+$/.test(v) ? null : Number(v));

/** DRM cards by PCI address, with connector statuses. */
function scanDrm(r: HostReader): Map<string, DrmInfo> {
  const byAddress = new Map<string, DrmInfo>();
  const entries = r.list('/sys/class/drm') ?? [];
  for (const card of entries.filter((e) => /^card\d+$/.test(e))) {
    const address = base(r.link(`/sys/class/drm/${card}/device`));
    if (!address) continue;
    const connectors: Record<string, string> = {};
    for (const entry of entries) {
      if (!entry.startsWith(card + '-')) continue;
      connectors[entry.slice(card.length + 1)] = r.attr(`/sys/class/drm/${entry}/status`) ?? 'unknown';
    }
    byAddress.set(address, { card, connectors });
  }
  return byAddress;
}

interface UeventIds {
  classCode: string;
  vendorId: string;
  deviceId: string;
  subsystemVendorId: string | null;
  subsystemDeviceId: string | null;
}

/** PCI_CLASS=30000, PCI_ID=10DE:2206, PCI_SUBSYS_ID=1043:87B3 → ids; null unless class and ids are all there. */
export function parseUevent(text: string | null): UeventIds | null {
  if (text === null) return null;
  const cls = /^PCI_CLASS=([0-9A-Fa-f]{1,6})$/m.exec(text)?.[1];
  const id = /^PCI_ID=([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})$/m.exec(text);
  if (!cls || !id?.[1] || !id[2]) return null;
  const sub = /^PCI_SUBSYS_ID=([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})$/m.exec(text);
  return {
    classCode: cls.toLowerCase().padStart(6, '0'),
    vendorId: id[1].toLowerCase(),
    deviceId: id[2].toLowerCase(),
    subsystemVendorId: sub?.[1]?.toLowerCase() ?? null,
    subsystemDeviceId: sub?.[2]?.toLowerCase() ?? null,
  };
}

const PCI_ADDRESS = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/**
 * The device's real directory (/sys/devices/pci0000:00/<bridges>/<address>) and the bridges above it,
 * root port first. /sys/bus/pci/devices/<address> is a link there on a real machine; a tree where it is
 * a plain directory (older snapshots) has no topology.
 */
export function devicePlace(r: HostReader, address: string): { dir: string; bridges: string[] } {
  const listed = `${DEVICES}/${address}`;
  const target = r.link(listed);
  if (target === null) return { dir: listed, bridges: [] };
  const dir = path.posix.resolve(DEVICES, target);
  const parts = dir.split('/');
  if (parts.at(-1) !== address || parts[2] !== 'devices') return { dir: listed, bridges: [] };
  return { dir, bridges: parts.slice(3, -1).filter((p) => PCI_ADDRESS.test(p)) };
}

function scanDevice(r: HostReader, address: string, drm: Map<string, DrmInfo>): PciDevice {
  const { dir: d, bridges } = devicePlace(r, address);
  // One listing instead of failed opens for the attributes and links most devices lack.
  const listed = r.list(d, { record: false });
  const has = (name: string) => listed === null || listed.includes(name);
  const attr = (name: string) => (has(name) ? r.attr(`${d}/${name}`) : null);
  const link = (name: string) => (has(name) ? base(r.link(`${d}/${name}`)) : null);
  // uevent holds class and all four ids in one read; the single-attribute files are the fallback.
  const ids = has('uevent') ? parseUevent(r.text(`${d}/uevent`)) : null;
  const classCode = ids?.classCode ?? hexId(attr('class')) ?? '000000';
  const override = attr('driver_override');
  const group = link('iommu_group');
  const bootVga = classCode.startsWith('03') ? attr('boot_vga') : null;
  return {
    address,
    classCode,
    vendorId: ids?.vendorId ?? hexId(attr('vendor')) ?? '0000',
    deviceId: ids?.deviceId ?? hexId(attr('device')) ?? '0000',
    subsystemVendorId: ids ? ids.subsystemVendorId : hexId(attr('subsystem_vendor')),
    subsystemDeviceId: ids ? ids.subsystemDeviceId : hexId(attr('subsystem_device')),
    vendorName: null,
    deviceName: null,
    driver: link('driver'),
    driverOverride: override === null || override === '(null)' || override === '' ? null : override,
    iommuGroup: group === null ? null : int(group),
    bootVga: bootVga === null ? null : bootVga === '1',
    resetMethods: (attr('reset_method') ?? '').split(/\s+/).filter(Boolean),
    drm: drm.get(address) ?? null,
    sriovTotalVfs: int(attr('sriov_totalvfs')),
    sriovNumVfs: int(attr('sriov_numvfs')),
    sriovOffset: int(attr('sriov_offset')),
    sriovStride: int(attr('sriov_stride')),
    physfn: link('physfn'),
    virtfns: [],
    bridges,
  };
}

export function scanPci(r: HostReader): PciDevice[] {
  const addresses = (r.list(DEVICES) ?? []).filter((a) => PCI_ADDRESS.test(a));
  const drm = scanDrm(r);
  const devices = addresses.map((a) => scanDevice(r, a, drm));
  const ids = pciIdsFor(r.root);
  const byAddress = new Map(devices.map((d) => [d.address, d]));
  for (const dev of devices) {
    dev.vendorName = ids.vendorName(dev.vendorId);
    dev.deviceName = ids.deviceName(dev.vendorId, dev.deviceId);
    if (dev.physfn) byAddress.get(dev.physfn)?.virtfns.push(dev.address);
  }
  return devices;
}

export function scanIommu(r: HostReader): IommuInfo {
  const groups: Record<number, string[]> = {};
  for (const name of r.list('/sys/kernel/iommu_groups') ?? []) {
    const n = int(name);
    if (n === null) continue;
    groups[n] = r.list(`/sys/kernel/iommu_groups/${name}/devices`) ?? [];
  }
  const tables = r.list('/sys/firmware/acpi/tables') ?? [];
  return {
    units: r.list('/sys/class/iommu') ?? [],
    groups,
    firmwareTable: tables.includes('DMAR') ? 'DMAR' : tables.includes('IVRS') ? 'IVRS' : null,
  };
}

export function scanFirmware(r: HostReader): { efi: boolean; acpiTables: string[] } {
  const tables = r.list('/sys/firmware/acpi/tables') ?? [];
  return { efi: r.exists('/sys/firmware/efi'), acpiTables: tables.filter((t) => /^[A-Z0-9]{4}\d*$/.test(t)) };
}
