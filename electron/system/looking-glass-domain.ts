// Adds the Looking Glass device to a VM through libvirt: read the persistent XML, edit it (shared/lg/domain),
// validate with virt-xml-validate, back up the old XML, define. libvirt owns the file, so we never write it.
import { addLookingGlass, removeLookingGlass, type LgDomainOptions } from '../../shared/lg/domain';
import { parseVirshVersion, type HypervisorVersions } from '../../shared/lg/virsh-version';
import { backupDomainXml, defaultDataDir } from './libvirt-backup';
import { validateDomainXml } from './libvirt-validate';
import { defineXml, dumpXml, virsh, type VirshOptions } from './virsh';

export async function hypervisorVersions(options: VirshOptions = {}): Promise<HypervisorVersions> {
  return parseVirshVersion(await virsh(['version'], options));
}

export interface DomainChange {
  vm: string;
  before: string;
  after: string;
}

/** The XML change for `vm` without applying it; `mode: 'remove'` takes the device away. */
export async function previewDomainChange(
  vm: string,
  change: { mode: 'kvmfr' | 'shm' | 'remove'; sizeMiB: number },
  options: VirshOptions = {},
): Promise<DomainChange> {
  const before = await dumpXml(vm, { ...options, inactive: true });
  if (change.mode === 'remove') return { vm, before, after: removeLookingGlass(before) };
  const versions = await hypervisorVersions(options);
  const domainOptions: LgDomainOptions = { mode: change.mode, sizeMiB: change.sizeMiB, qemuVersion: versions.qemu, libvirtVersion: versions.libvirt };
  return { vm, before, after: addLookingGlass(before, domainOptions) };
}

/** Validates and defines the change; returns the backup file of the old XML (null when unchanged). */
export async function applyDomainChange(change: DomainChange, options: VirshOptions & { dataDir?: string } = {}): Promise<string | null> {
  if (change.before === change.after) return null;
  const current = await dumpXml(change.vm, { ...options, inactive: true });
  if (current !== change.before) throw new Error(`The definition of ${change.vm} changed since it was read; review again.`);
  const validation = await validateDomainXml(change.after);
  if (!validation.ok) throw new Error(`libvirt's schema refuses the new XML for ${change.vm}: ${validation.message}`);
  const backup = await backupDomainXml(options.dataDir ?? defaultDataDir(), change.vm, change.before);
  await defineXml(change.after, options);
  return backup;
}
