// `gpu-ferry snapshot`: capture a machine in the raw replayable form for a bug report.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliCommand } from './command';
import { EXIT } from './command';
import path from 'node:path';
import { UnreadableRootError, checkRoot } from '../host/load';
import { takeSnapshot } from '../host/snapshot';
import { exitCodeFor, usageText } from './host-options';

export const snapshotCommand: CliCommand = {
  path: ['snapshot'],
  summary: 'capture this machine as a replayable snapshot (for bug reports)',
  help: `Usage: gpu-ferry snapshot [--root DIR] [--output FILE]

Writes {"format":"gpu-ferry-snapshot/1","files":{...},"symlinks":{...},"dirs":[...]} holding
exactly the files, links and directories a scan reads (pci.ids excepted: the replaying machine's
copy names the devices). Replay it with \`gpu-ferry doctor --host FILE\`. It contains your kernel
command line, /etc/passwd user names and the configuration files GPU Ferry reads: look before
you share it.

  --root DIR      capture DIR instead of /
  -o, --output FILE   write to FILE instead of standard output
  -h, --help      this help

Exit codes: 0 ok, 2 bad usage, 5 unreadable root.
`,
  run: async (args, io) => {
    let values: { root?: string; output?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: { root: { type: 'string' }, output: { type: 'string', short: 'o' } },
        strict: true,
      }));
    } catch (error) {
      io.err(
        `gpu-ferry snapshot: ${usageText(error)}\nRun \`gpu-ferry snapshot --help\` for usage.\n`,
      );
      return EXIT.usage;
    }
    try {
      const root = path.resolve(values.root ?? '/');
      await checkRoot(root);
      const text = JSON.stringify(takeSnapshot(root), null, 1) + '\n';
      if (values.output) await writeFile(values.output, text);
      else io.out(text);
      return EXIT.ok;
    } catch (error) {
      io.err(`gpu-ferry snapshot: ${(error as Error).message}\n`);
      return error instanceof UnreadableRootError ? EXIT.unreadableRoot : exitCodeFor(error);
    }
  },
};
