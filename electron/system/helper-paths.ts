// Where the privileged program lives: installed system-wide (deb/rpm, or the one-time "install system
// integration"), and in this copy of GPU Ferry (checkout: dist/privileged/, package or AppImage:
// resources/helper/), used directly only to simulate on a --root tree.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

export const INSTALLED_HELPER_DIR = '/usr/libexec/gpu-ferry';
/** The launcher pkexec runs (resources/helper/gpu-ferry-helper): starts the bundle with the system's Node. */
export const INSTALLED_HELPER = `${INSTALLED_HELPER_DIR}/gpu-ferry-helper`;
/** The bundled privileged program (electron/privileged/, built by build/build.mjs). */
export const INSTALLED_PRIVILEGED = `${INSTALLED_HELPER_DIR}/gpu-ferry-privileged.cjs`;
export const INSTALLED_POLICY = '/usr/share/polkit-1/actions/io.github.gpuferry.policy';
/** The Node.js the launcher runs the privileged program with (the packages depend on nodejs >= 18). */
export const SYSTEM_NODE = '/usr/bin/node';
export const PRIVILEGED_BUNDLE = 'gpu-ferry-privileged.cjs';

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

/**
 * Where this copy of GPU Ferry starts looking for its own files: the packaged resources, else the real path
 * of the running script (an `npx` or /usr/bin symlink points elsewhere than the files), never the working
 * directory or the environment, which whoever starts us (perhaps as root) chooses.
 */
function starts(): string[] {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const script = process.argv[1] ? path.dirname(real(process.argv[1])) : undefined;
  return [resources, script].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

function findUp(candidates: string[][]): string {
  for (const start of starts()) {
    let dir = path.resolve(start);
    for (;;) {
      for (const parts of candidates) {
        const p = path.join(dir, ...parts);
        if (existsSync(p)) return p;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`cannot find ${candidates.map((c) => c.join('/')).join(' or ')} next to this copy of GPU Ferry`);
}

/** The launcher shipped with this copy (resources/helper/gpu-ferry-helper). */
export const findBundledHelper = (): string => findUp([['resources', 'helper', 'gpu-ferry-helper'], ['helper', 'gpu-ferry-helper']]);

/** The privileged program shipped with this copy: the package's resources/helper/, or the checkout's dist/. */
export const findBundledPrivileged = (): string =>
  findUp([
    ['helper', PRIVILEGED_BUNDLE],
    ['dist', 'privileged', PRIVILEGED_BUNDLE],
  ]);

/** A file under this copy's resources/ (handoff runtime, hook, polkit policy). */
export const bundledFile = (...parts: string[]): string => path.join(path.dirname(findBundledHelper()), '..', ...parts);

/** Node to run the bundle with when simulating: ours when we are Node, else the system's (Electron is not Node). */
export const simulationNode = (): string => (process.versions.electron ? SYSTEM_NODE : process.execPath);

export function isSystemIntegrationInstalled(): boolean {
  return existsSync(INSTALLED_HELPER) && existsSync(INSTALLED_PRIVILEGED) && existsSync(INSTALLED_POLICY);
}
