// Where the helper and its polkit policy live: installed system-wide (deb/rpm, or the one-time
// "install system integration"), and in this checkout (used directly only to simulate on a --root tree).
import { existsSync } from 'node:fs';
import path from 'node:path';

export const INSTALLED_HELPER_DIR = '/usr/libexec/gpu-ferry';
export const INSTALLED_HELPER = `${INSTALLED_HELPER_DIR}/gpu-ferry-helper`;
export const INSTALLED_ALLOWLIST = `${INSTALLED_HELPER_DIR}/allowlist.conf`;
export const INSTALLED_POLICY = '/usr/share/polkit-1/actions/io.github.gpuferry.policy';

const HELPER_IN_TREE = path.join('resources', 'helper', 'gpu-ferry-helper');

/**
 * The helper shipped with this copy of GPU Ferry (checkout, unpacked package or AppImage resources), found
 * from where this program itself lives: never from the working directory or the environment, which
 * whoever starts us (perhaps as root) chooses.
 */
export function findBundledHelper(): string {
  const starts = [(process as { resourcesPath?: string }).resourcesPath, process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : undefined].filter((s): s is string => typeof s === 'string' && s.length > 0);
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      for (const candidate of [path.join(dir, HELPER_IN_TREE), path.join(dir, 'helper', 'gpu-ferry-helper')]) {
        if (existsSync(candidate)) return candidate;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('cannot find resources/helper/gpu-ferry-helper next to this copy of GPU Ferry');
}

export const bundledFile = (...parts: string[]): string => path.join(path.dirname(findBundledHelper()), '..', ...parts);

export function isSystemIntegrationInstalled(): boolean {
  return existsSync(INSTALLED_HELPER) && existsSync(INSTALLED_ALLOWLIST) && existsSync(INSTALLED_POLICY);
}
