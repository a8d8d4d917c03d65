// The one list of GPU Ferry's system files (build/linux/system-files.txt, packaged as
// resources/linux/system-files.txt): what the deb/rpm after-install installs, what install-integration
// installs for an AppImage, what build/stage-install.mjs lays out. Read here for the app and the CLI.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundledFile, findBundledPrivileged, PRIVILEGED_BUNDLE } from './helper-paths';

export interface SystemFile {
  /** Path under the package's resources/ directory, e.g. helper/gpu-ferry-helper. */
  source: string;
  mode: number;
  /** Absolute installed path. */
  target: string;
}

const LINE = /^([A-Za-z0-9._/-]+) (0[0-7]{3}) (\/[A-Za-z0-9._/-]+)$/;

export function parseSystemFiles(text: string): SystemFile[] {
  const files: SystemFile[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m || m[1]!.includes('..') || m[3]!.includes('..')) throw new Error(`system-files.txt line ${i + 1}: expected SOURCE MODE TARGET`);
    files.push({ source: m[1]!, mode: parseInt(m[2]!, 8), target: m[3]! });
  });
  return files;
}

/** This copy's manifest: the package's resources/linux/, or the checkout's build/linux/. */
export function manifestPath(): string {
  const packaged = bundledFile('linux', 'system-files.txt');
  if (existsSync(packaged)) return packaged;
  return path.join(path.dirname(bundledFile()), 'build', 'linux', 'system-files.txt');
}

export const readSystemFiles = (): SystemFile[] => parseSystemFiles(readFileSync(manifestPath(), 'utf8'));

/** Where this copy keeps a manifest SOURCE: resources/ in a package; in a checkout, linux/ is build/linux/ and the bundle is in dist/. */
export function sourcePath(source: string): string {
  if (source === `helper/${PRIVILEGED_BUNDLE}`) return findBundledPrivileged();
  const packaged = bundledFile(...source.split('/'));
  if (existsSync(packaged) || !source.startsWith('linux/')) return packaged;
  return path.join(path.dirname(bundledFile()), 'build', ...source.split('/'));
}
