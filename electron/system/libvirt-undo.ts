// Undo of GPU Ferry's last change to a VM, for the app (vm.review) and the CLI (`vm undo`): the change
// back to the newest saved definition. When the VM is gone (its creation was undone), undo defines it
// again; when the saved definition is NO_DOMAIN (GPU Ferry created it), undo removes it.
import { unlink } from 'node:fs/promises';
import { NO_DOMAIN } from '../../shared/vm/no-domain';
import type { DomainChange } from './libvirt-apply';
import { listBackups, readBackup } from './libvirt-backup';
import { dumpXml, listDomains, type VirshOptions } from './virsh';

export class NothingToUndoError extends Error {}

export interface UndoChange {
  change: DomainChange;
  /** The backup restored: consume it (consumeBackup) once the change is applied. */
  restores: string;
}

export async function planUndo(dataDir: string, name: string, virsh: VirshOptions): Promise<UndoChange> {
  const restores = (await listBackups(dataDir, name)).at(-1);
  if (!restores) throw new NothingToUndoError(`GPU Ferry has not changed "${name}" (no backup of it), so there is nothing to undo.`);
  const exists = (await listDomains(virsh)).some((d) => d.name === name);
  const before = exists ? await dumpXml(name, virsh) : null;
  const after = await readBackup(restores);
  if (after === NO_DOMAIN && before === null) throw new NothingToUndoError(`"${name}" does not exist any more; there is nothing to undo.`);
  return { change: { name, before, after, createDisk: null }, restores };
}

/** The backup of the state we left stays (undo again = redo); the one restored is used up. */
export const consumeBackup = (file: string): Promise<void> => unlink(file);
