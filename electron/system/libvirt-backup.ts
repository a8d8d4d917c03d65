// Backups of domain XML taken before every define we do, so undo = define the previous XML again.
// Kept under the app's data dir: $XDG_DATA_HOME/gpu-ferry/vm-backups/<vm>/<timestamp>.xml.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { vmFileStem } from '../../shared/vm/vm-name';

export function defaultDataDir(): string {
  const xdg = process.env.XDG_DATA_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.local', 'share'), 'gpu-ferry');
}

const backupDir = (dataDir: string, vm: string) => path.join(dataDir, 'vm-backups', vmFileStem(vm));

/** Writes a backup and returns its path. Time-ordered names; never overwrites. */
export async function backupDomainXml(dataDir: string, vm: string, xml: string, now = new Date()): Promise<string> {
  const dir = backupDir(dataDir, vm);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const file = path.join(dir, `${stamp}-${String(n).padStart(3, '0')}.xml`);
    try {
      await writeFile(file, xml, { flag: 'wx', mode: 0o600 });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Backups of one VM, newest last. */
export async function listBackups(dataDir: string, vm: string): Promise<string[]> {
  const dir = backupDir(dataDir, vm);
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(dir, f));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export const readBackup = (file: string): Promise<string> => readFile(file, 'utf8');


export interface VmBackupSummary {
  vm: string;
  /** How many earlier definitions are kept (each undo consumes the newest). */
  count: number;
  /** When the newest was saved (ISO time). */
  newestAt: string;
}

/** Every VM with saved definitions, from the backup folders (names are percent-decoded from vmFileStem). */
export async function listBackedUpVms(dataDir: string): Promise<VmBackupSummary[]> {
  let stems: string[];
  try {
    stems = await readdir(path.join(dataDir, 'vm-backups'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: VmBackupSummary[] = [];
  for (const stem of stems.sort()) {
    let vm: string;
    try {
      vm = decodeURIComponent(stem);
    } catch {
      continue; // not a folder we made
    }
    const files = await listBackups(dataDir, vm);
    const newest = files[files.length - 1];
    if (newest) out.push({ vm, count: files.length, newestAt: (await stat(newest)).mtime.toISOString() });
  }
  return out;
}
