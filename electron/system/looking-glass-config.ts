// Writes ~/.config/looking-glass/client.ini for the user (no privileges needed). An existing file is
// backed up next to it first (client.ini.gpu-ferry-<time>.bak), then replaced atomically.
import { mkdir, readFile, copyFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write';
import os from 'node:os';
import path from 'node:path';
import { mergeClientIni, type ClientChoices } from '../../shared/lg/client-config';

export const defaultConfigDir = (): string => {
  const xdg = process.env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.config'), 'looking-glass');
};

export interface ClientConfigChange {
  file: string;
  before: string | null;
  after: string;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** What writing `choices` would change (for the review), without writing. */
export async function previewClientConfig(choices: ClientChoices, dir = defaultConfigDir()): Promise<ClientConfigChange> {
  const file = path.join(dir, 'client.ini');
  const before = await readOptional(file);
  return { file, before, after: mergeClientIni(before, choices) };
}

/** Writes the change; returns the backup path (null when there was no file or nothing changed). */
export async function writeClientConfig(change: ClientConfigChange, now = new Date()): Promise<string | null> {
  const current = await readOptional(change.file);
  if (current !== change.before) throw new Error(`${change.file} changed since it was read; review again.`);
  if (current === change.after) return null;
  await mkdir(path.dirname(change.file), { recursive: true, mode: 0o755 });
  let backup: string | null = null;
  if (current !== null) {
    backup = `${change.file}.gpu-ferry-${now.toISOString().replace(/[:.]/g, '-')}.bak`;
    await copyFile(change.file, backup);
  }
  await writeFileAtomic(change.file, change.after, 0o644);
  return backup;
}
