// Where things are at run time: the bundles next to this file (dist/main/main.cjs → dist/renderer,
// dist/preload), the icon (packaged under resources/icons, in a checkout under build/linux/icons) and the
// user's data directory (XDG data home, shared with the CLI).
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';

export const rendererFile = (): string => path.join(__dirname, '..', 'renderer', 'index.html');
export const preloadFile = (): string => path.join(__dirname, '..', 'preload', 'preload.cjs');

export function iconFile(resourcesPath: string | undefined): string {
  const packaged = resourcesPath ? path.join(resourcesPath, 'icons', 'gpu-ferry.png') : null;
  if (packaged && existsSync(packaged)) return packaged;
  return path.join(__dirname, '..', '..', 'build', 'linux', 'icons', '256x256.png');
}

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'gpu-ferry');
}
