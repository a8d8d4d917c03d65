// Settings live in one JSON file in the data directory. Reads validate the file (a broken file is a
// clear error, never silently replaced); writes keep the previous file as settings.json.bak and replace
// the file atomically (temp file + rename), so a crash leaves the old or the new settings, never half.
import { mkdir, readFile, copyFile } from 'node:fs/promises';
import { writeFileAtomic } from '../system/atomic-write';
import path from 'node:path';
import { settingsSchema, type Settings } from '../../shared/ipc/contract';
import { readableZodError } from './readable-zod-error';
import { ServiceError } from './service-error';

/** The stored file holds any subset of the settings, in the contract's own schema. */
const storedSchema = settingsSchema;

export const settingsPath = (dataDir: string): string => path.join(dataDir, 'settings.json');

/** Defaults: autostart is on for single-GPU users, who need the handoff report after the display returns. */
export const defaultSettings = (singleGpu: boolean): Settings => ({
  autostart: singleGpu,
  launchLookingGlassAutomatically: true,
  theme: 'system',
});

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/** The stored (partial) settings; {} when the file does not exist yet. */
export async function readStoredSettings(dataDir: string): Promise<Partial<Settings>> {
  const file = settingsPath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return {};
    throw new ServiceError('settings-unreadable', `Cannot read ${file}: ${(error as Error).message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ServiceError(
      'settings-invalid',
      `${file} is not valid JSON. Fix it or delete it to go back to the defaults.`,
    );
  }
  const parsed = storedSchema.safeParse(json);
  if (!parsed.success) {
    throw new ServiceError(
      'settings-invalid',
      `${file} is not valid (${readableZodError(parsed.error)}). Fix it or delete it to go back to the defaults.`,
    );
  }
  return parsed.data;
}

/** Merge a validated change into the stored settings and write them; returns the stored result. */
export async function writeStoredSettings(
  dataDir: string,
  change: Partial<Settings>,
): Promise<Partial<Settings>> {
  const current = await readStoredSettings(dataDir); // refuses (changing nothing) when the file is broken
  const next = storedSchema.parse({ ...current, ...change });
  const file = settingsPath(dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await copyFile(file, `${file}.bak`).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, 0o600);
  return next;
}
