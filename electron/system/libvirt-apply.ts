// Applies a reviewed domain change as the user, through virsh: the domain must still be exactly as it
// was when the change was planned, the new XML must pass virt-xml-validate, the previous XML is backed
// up (undo = define it again), a new disk is created (libvirt-disk.ts) only when none exists. A new VM gets
// an empty backup (NO_DOMAIN), so its undo is a change whose `after` is NO_DOMAIN: the definition is
// removed (undefine, UEFI vars and disk image kept) after its current XML is backed up in turn.
import { access } from 'node:fs/promises';
import { NO_DOMAIN } from '../../shared/vm/no-domain';
import { backupDomainXml } from './libvirt-backup';
import { createDisk, removeCreatedDisk } from './libvirt-disk';
import { validateDomainXml } from './libvirt-validate';
import { defineXml, dumpXml, listDomains, undefineDomain, type VirshOptions } from './virsh';

export interface DomainChange {
  name: string;
  /** The inactive XML the change was computed from; null for a new VM. */
  before: string | null;
  after: string;
  /** qemu-img argv to create the disk first, or null. */
  createDisk: string[] | null;
}

export class ApplyRefusedError extends Error {}

export interface ApplyOptions extends VirshOptions {
  dataDir: string;
}

export interface ApplyOutcome {
  backup: string | null;
  diskCreated: string | null;
}

export async function applyDomainChange(change: DomainChange, options: ApplyOptions): Promise<ApplyOutcome> {
  const existing = (await listDomains(options)).some((d) => d.name === change.name);
  if (change.before === null && existing) throw new ApplyRefusedError(`A VM named "${change.name}" already exists; nothing was changed.`);
  if (change.before !== null) {
    if (!existing) throw new ApplyRefusedError(`The VM "${change.name}" no longer exists; nothing was changed.`);
    const current = await dumpXml(change.name, options);
    if (current !== change.before)
      throw new ApplyRefusedError(`The VM "${change.name}" changed since this change was planned; plan again. Nothing was changed.`);
  }
  if (change.after === NO_DOMAIN) {
    if (change.before === null) throw new ApplyRefusedError('Nothing to remove; nothing was changed.');
    const backup = await backupDomainXml(options.dataDir, change.name, change.before);
    await undefineDomain(change.name, options, { keepNvram: true });
    return { backup, diskCreated: null };
  }
  const validation = await validateDomainXml(change.after);
  if (!validation.ok) throw new ApplyRefusedError(`libvirt's schema rejects the new XML; nothing was changed.\n${validation.message}`);
  const backup = change.before === null ? null : await backupDomainXml(options.dataDir, change.name, change.before);
  let diskCreated: string | null = null;
  if (change.createDisk) {
    const disk = change.createDisk[change.createDisk.length - 2] ?? '';
    const diskExists = await access(disk).then(
      () => true,
      () => false,
    );
    if (diskExists) throw new ApplyRefusedError(`The disk ${disk} already exists; choose another path or use it as an existing image. Nothing was changed.`);
    diskCreated = await createDisk(change.createDisk, options);
  }
  try {
    await defineXml(change.after, options);
  } catch (error) {
    if (diskCreated) await removeCreatedDisk(diskCreated, options); // leave nothing behind from a failed create
    throw error;
  }
  // A new VM: remember that it did not exist, so undo can remove it again.
  return { backup: backup ?? (await backupDomainXml(options.dataDir, change.name, NO_DOMAIN)), diskCreated };
}
