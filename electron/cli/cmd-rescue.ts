// `gpu-ferry rescue [VM]`: give every configured GPU back to the host and restart the display manager,
// whatever state a handoff left behind. Meant for a text console or SSH; it runs the installed bash
// runtime (the same one the libvirt hook uses), so it works even when the app itself is broken.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { usageText } from './host-options';
import type { CliCommand } from './command';
import { EXIT } from './command';
import { RUNTIME_PATH } from '../../shared/handoff/installed-paths';
import { checkVmName } from '../../shared/vm/vm-name';
import { bundledFile } from '../system/helper-paths';

/** This copy's runtime, found from where the program lives (never the working directory): for --root only. */
function bundledRuntime(): string | undefined {
  try {
    const p = bundledFile('handoff', 'gpu-ferry-handoff');
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

export const rescueCommand: CliCommand = {
  path: ['rescue'],
  summary: 'give every configured GPU back to the host and restart the display manager (root)',
  help: `Usage: gpu-ferry rescue [VM] [--root DIR]

When a handoff left the screen black: from a text console (Ctrl+Alt+F3) or over SSH, as root.
Unbinds the configured GPU functions from vfio-pci, loads the host driver stack back, rebinds the
frame buffer consoles and restarts the display manager — for every VM with a handoff config, or
only for VM. Runs ${RUNTIME_PATH}, the runtime the libvirt hook runs.

  --root DIR   act on a fake tree under DIR instead of the real machine (tests; not as root)
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
      io.err(`gpu-ferry rescue: ${usageText(error)}\nRun \`gpu-ferry rescue --help\` for usage.\n`);
      return EXIT.usage;
    }
    if (positionals.length > 1) { io.err('gpu-ferry rescue: give at most one VM name\n'); return EXIT.usage; }
    const vm = positionals[0];
    if (vm !== undefined) {
      const check = checkVmName(vm);
      if (!check.ok) { io.err(`gpu-ferry rescue: ${check.reason}\n`); return EXIT.usage; }
    }
    const asRoot = process.getuid?.() === 0;
    if (asRoot && values.root !== undefined) {
      io.err('gpu-ferry rescue: --root is for tests and is refused as root (root acts on the real machine only).\n');
      return EXIT.refused;
    }
    if (values.root === undefined && !asRoot) {
      io.err('gpu-ferry rescue: run it as root (sudo gpu-ferry rescue): it rebinds devices and restarts the display manager.\n');
      return EXIT.notAuthorized;
    }
    // Root runs only the installed runtime (root-owned, what the hook runs); a fake tree uses this copy's.
    const runtime = asRoot ? RUNTIME_PATH : bundledRuntime();
    if (runtime === undefined || !existsSync(runtime)) {
      io.err(asRoot ? `gpu-ferry rescue: ${RUNTIME_PATH} is not installed (gpu-ferry apply hook-install).\n` : 'gpu-ferry rescue: cannot find resources/handoff/gpu-ferry-handoff next to this copy of GPU Ferry.\n');
      return EXIT.unavailable;
    }
    const env: NodeJS.ProcessEnv = { ...process.env, GPU_FERRY_VERBOSE: '1' };
    if (values.root !== undefined) env.GPU_FERRY_ROOT = path.resolve(values.root);
    else delete env.GPU_FERRY_ROOT;
    const code = await new Promise<number>((resolve) => {
      const child = spawn(runtime, vm === undefined ? ['rescue'] : ['rescue', vm], { env, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => io.out(d.toString()));
      child.stderr.on('data', (d: Buffer) => io.err(d.toString()));
      child.on('error', (e) => { io.err(`gpu-ferry rescue: ${e.message}\n`); resolve(EXIT.unavailable); });
      child.on('close', (c) => resolve(c ?? EXIT.failure));
    });
    if (code === 0) io.out('gpu-ferry rescue: every configured GPU is back on the host.\n');
    return code === 0 ? EXIT.ok : code === EXIT.unavailable ? code : EXIT.failure;
  },
};
