// A fake filesystem tree for the real handoff runtime (GPU_FERRY_ROOT mode) and the CLI's --root mode.
// Both ignore or refuse the fake root when run as root, so when the tests run as root whatever runs on
// the tree runs as nobody (setpriv), on a tree handed to nobody first.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export const HANDOFF_RUNTIME = path.resolve(import.meta.dirname, '../../resources/handoff/gpu-ferry-handoff');
export const TESTS_RUN_AS_ROOT = process.getuid?.() === 0;
export const NOBODY = 65534;

/** CMD and ARGS as the user a fake tree is run by: nobody when we are root, else unchanged. */
export const asTreeUser = (cmd: string, args: string[]): [string, string[]] =>
  TESTS_RUN_AS_ROOT ? ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', cmd, ...args]] : [cmd, args];

/** Runs CMD on the tree at ROOT as the tree's user (when we are root, the tree is handed to nobody first). */
export const runAsTreeUser = (root: string, cmd: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): SpawnSyncReturns<string> => {
  if (TESTS_RUN_AS_ROOT) expect(spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, root]).status).toBe(0);
  const [command, argv] = asTreeUser(cmd, args);
  return spawnSync(command, argv, { encoding: 'utf8', env: options.env, cwd: options.cwd });
};

/** Runs with GPU_FERRY_ROOT set to the tree; fakeBin puts the tree's bin/ (fake systemctl, ...) first on PATH. */
export interface TreeRunOptions { fakeBin?: boolean }

export interface FakeTree {
  root: string;
  /** Writes ROOT/REL, creating its folders. */
  put: (rel: string, content: string) => void;
  /** Creates the folder ROOT/REL (and its parents). */
  dir: (rel: string) => void;
  run: (cmd: string, args: string[], options?: TreeRunOptions) => SpawnSyncReturns<string>;
  runRuntime: (args: string[], options?: TreeRunOptions) => SpawnSyncReturns<string>;
}

export const fakeTree = (root: string): FakeTree => {
  const put = (rel: string, content: string) => {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  };
  const dir = (rel: string) => { mkdirSync(path.join(root, rel), { recursive: true }); };
  const run = (cmd: string, args: string[], options: TreeRunOptions = {}) => {
    const PATH = options.fakeBin ? `${root}/bin:${process.env.PATH ?? ''}` : process.env.PATH;
    return runAsTreeUser(root, cmd, args, { env: { PATH, GPU_FERRY_ROOT: root } });
  };
  return { root, put, dir, run, runRuntime: (args, options) => run(HANDOFF_RUNTIME, args, options) };
};

/**
 * What a single-GPU desktop gives the runtime to release, besides the GPU: systemd running (for the display
 * manager and logind), sddm.service active (read by a fake systemctl from units/), a dummy text console
 * and a frame buffer console both bound, and an EFI frame buffer on its driver.
 */
export const addSingleGpuDesktop = ({ put, dir }: Pick<FakeTree, 'put' | 'dir'>): void => {
  dir('run/systemd/system');
  put('units/sddm.service', 'active\n');
  put('sys/class/vtconsole/vtcon0/name', '(S) dummy device\n');
  put('sys/class/vtconsole/vtcon0/bind', '1\n');
  put('sys/class/vtconsole/vtcon1/name', '(M) frame buffer device\n');
  put('sys/class/vtconsole/vtcon1/bind', '1\n');
  put('sys/bus/platform/drivers/efi-framebuffer/efi-framebuffer.0/uevent', '');
  put('sys/bus/platform/drivers/efi-framebuffer/unbind', '');
  put('sys/bus/platform/drivers/efi-framebuffer/bind', '');
};
