// `gpu-ferry rescue [VM]`: give every configured GPU back to the host and restart the display manager,
// whatever state a handoff left behind. Meant for a text console or SSH; it runs the installed bash
// runtime (the same one the libvirt hook uses), so it works even when the app itself is broken.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from './command';
import { EXIT } from './command';
import { RUNTIME_PATH } from '../../shared/handoff/installed-paths';
import { checkVmName } from '../../shared/vm/vm-name';

const BUNDLED = path.join('resources', 'handoff', 'gpu-ferry-handoff');

export const rescueCommand: CliCommand = {
  path: ['rescue'],
  summary: 'give every configured GPU back to the host and restart the display manager (root)',
  help: `Usage: gpu-ferry rescue [VM] [--root DIR]

When a handoff left the screen black: from a text console (Ctrl+Alt+F3) or over SSH, as root.
Unbinds the configured GPU functions from vfio-pci, loads the host driver stack back, rebinds the
frame buffer consoles and restarts the display manager — for every VM with a handoff config, or
only for VM. Runs ${RUNTIME_PATH} (or the copy in this checkout when it is not installed).

  --root DIR   act on a fake tree under DIR instead of the real machine (tests)
  -h, --help   this help

Exit codes: 0 everything is back on the host, 1 something could not be restored (see the output),
2 bad usage, 7 not root, 9 the runtime is not installed.
`,
  run: async (args, io) => {
    let values: { root?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, options: { root: { type: 'string' } }, allowPositionals: true, strict: true }));
    } catch (error) {
      io.err(`gpu-ferry rescue: ${(error as Error).message}\nRun \`gpu-ferry rescue --help\` for usage.\n`);
      return EXIT.usage;
    }
    if (positionals.length > 1) { io.err('gpu-ferry rescue: give at most one VM name\n'); return EXIT.usage; }
    const vm = positionals[0];
    if (vm !== undefined) {
      const check = checkVmName(vm);
      if (!check.ok) { io.err(`gpu-ferry rescue: ${check.reason}\n`); return EXIT.usage; }
    }
    if (values.root === undefined && process.getuid?.() !== 0) {
      io.err('gpu-ferry rescue: run it as root (sudo gpu-ferry rescue): it rebinds devices and restarts the display manager.\n');
      return EXIT.notAuthorized;
    }
    // On the real machine the installed runtime (what the hook runs); on a fake tree this checkout's copy.
    const bundled = path.resolve(BUNDLED);
    const runtime = values.root !== undefined && existsSync(bundled) ? bundled : existsSync(RUNTIME_PATH) ? RUNTIME_PATH : bundled;
    if (!existsSync(runtime)) { io.err(`gpu-ferry rescue: ${RUNTIME_PATH} is not installed (gpu-ferry apply hook-install).\n`); return EXIT.unavailable; }
    const env: NodeJS.ProcessEnv = { ...process.env, GPU_FERRY_VERBOSE: '1' };
    if (values.root !== undefined) env.GPU_FERRY_ROOT = path.resolve(values.root);
    else delete env.GPU_FERRY_ROOT;
    const code = await new Promise<number>((resolve) => {
      const child = spawn(runtime, vm === undefined ? ['rescue'] : ['rescue', vm], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => io.out(d.toString()));
      child.stderr.on('data', (d: Buffer) => io.err(d.toString()));
      child.on('error', (e) => { io.err(`gpu-ferry rescue: ${e.message}\n`); resolve(EXIT.unavailable); });
      child.on('close', (c) => resolve(c ?? EXIT.failure));
    });
    if (code === 0) io.out('gpu-ferry rescue: every configured GPU is back on the host.\n');
    return code === 0 ? EXIT.ok : code === EXIT.unavailable ? code : EXIT.failure;
  },
};
