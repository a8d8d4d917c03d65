// Finds an Electron executable without triggering a download: node_modules/electron's own index.js
// downloads on first use, which cannot work offline, so we read what its installer left behind.
// Order: GPU_FERRY_ELECTRON (an explicit binary), ELECTRON_OVERRIDE_DIST_PATH, node_modules/electron.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable, or null with the reason it is missing. */
export function findElectronBinary(env = process.env) {
  if (env.GPU_FERRY_ELECTRON) {
    return existsSync(env.GPU_FERRY_ELECTRON)
      ? { path: env.GPU_FERRY_ELECTRON, reason: null }
      : { path: null, reason: `GPU_FERRY_ELECTRON=${env.GPU_FERRY_ELECTRON} does not exist` };
  }
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    if (existsSync(candidate)) return { path: candidate, reason: null };
  }
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { path: null, reason: 'the electron package is not installed (run npm ci)' };
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      path: null,
      reason:
        'the electron package has no binary (its download did not happen; it cannot be downloaded here)',
    };
  }
  const binary = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary, reason: null } : { path: null, reason: `${binary} is missing` };
}
