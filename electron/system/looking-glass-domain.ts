// Adds the Looking Glass device to a VM through libvirt: read the persistent XML, edit it (shared/lg/domain),
// then apply it like any VM change (libvirt-apply.ts: unchanged since read, virt-xml-validate, backup,
// define). libvirt owns the file, so we never write it.
import { lookingGlassDomainXml } from '../../shared/lg/domain';
import { parseVirshVersion, type HypervisorVersions } from '../../shared/lg/virsh-version';
import { applyDomainChange as applyLibvirtChange } from './libvirt-apply';
import { defaultDataDir } from './libvirt-backup';
import { dumpXml, virsh, type VirshOptions } from './virsh';

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
  const versions = change.mode === 'remove' ? { qemu: null, libvirt: null } : await hypervisorVersions(options);
  return { vm, before, after: lookingGlassDomainXml(before, change, versions) };
}

/** Applies the change like every VM change (libvirt-apply.ts); the backup of the old XML, or null when unchanged. */
export async function applyDomainChange(change: DomainChange, options: VirshOptions & { dataDir?: string } = {}): Promise<string | null> {
  if (change.before === change.after) return null;
  const outcome = await applyLibvirtChange(
    { name: change.vm, before: change.before, after: change.after, createDisk: null },
    { ...options, dataDir: options.dataDir ?? defaultDataDir() },
  );
  return outcome.backup;
}
