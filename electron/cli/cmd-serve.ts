// `gpu-ferry serve`: the app in a normal browser, through a loopback server with a random token.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { usageText } from './host-options';
import { createHandlers } from '../services/handlers';
import { startLoopbackServer } from '../server/loopback-server';
import { createServeSetup } from '../server/serve-context';
import { EXIT, type CliCommand } from './command';

/** The project folder: dist/cli/gpu-ferry.cjs → ../..; from sources (tests), the working directory. */
const projectRoot = (): string =>
  typeof __dirname === 'string' && path.basename(__dirname) === 'cli' && path.basename(path.dirname(__dirname)) === 'dist'
    ? path.resolve(__dirname, '../..')
    : process.cwd();

/** The demo machine: a single-GPU NVIDIA desktop from the bundled fixtures. */
export const demoHostFile = (root: string): string | null => {
  const dir = path.join(root, 'test/fixtures/hosts');
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.host.json')).sort();
  const pick = files.find((f) => f === 'nvidia-only-desktop.host.json') ?? files.find((f) => /nvidia/i.test(f) && /single|only/i.test(f)) ?? files.find((f) => /nvidia/i.test(f)) ?? files[0];
  return pick ? path.join(dir, pick) : null;
};

const help = `Usage: gpu-ferry serve [--demo] [--host FILE] [--port N] [--libvirt URI] [--allow-system-changes]

Serves the GPU Ferry app to a browser on this computer (127.0.0.1 only). Open the printed address:
it carries a random token that every request must present.

  --demo                  a bundled single-GPU NVIDIA machine: plans apply to a temporary copy through
                          the real helper, VMs live in libvirt's test driver, in a file that
                          remembers defines and starts (one shut-off VM, win11, to begin with)
  --host FILE             like --demo, on the machine described by FILE (*.host.json or a snapshot)
  --port N                port to listen on (default: a free one)
  --libvirt URI           libvirt connection (default: the demo's test-driver file with --demo/--host,
                          else qemu:///system); a real daemon with --demo needs --allow-system-changes
  --allow-system-changes  on the real machine, allow applying plans and starting VMs (off by default:
                          without it the browser can look but not change anything)
  -h, --help              this help`;

export const serveCommand: CliCommand = {
  path: ['serve'],
  summary: 'Open the app in a browser (loopback server; --demo for a simulated machine)',
  help,
  run: async (args, io) => {
    let values: { demo?: boolean; host?: string; port?: string; libvirt?: string; 'allow-system-changes'?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          demo: { type: 'boolean' },
          host: { type: 'string' },
          port: { type: 'string' },
          libvirt: { type: 'string' },
          'allow-system-changes': { type: 'boolean' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      io.err(`gpu-ferry serve: ${usageText(error)}\nRun \`gpu-ferry serve --help\` for usage.\n`);
      return EXIT.usage;
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`gpu-ferry serve: --port must be a number from 0 to 65535 (got "${values.port}")\n`);
      return EXIT.usage;
    }
    const root = projectRoot();
    const staticDir = path.join(root, 'dist/renderer');
    if (!existsSync(path.join(staticDir, 'index.html'))) {
      io.err(`gpu-ferry serve: the app is not built (${staticDir}/index.html is missing). Run \`npm run build\` first.\n`);
      return EXIT.missingFile;
    }
    let hostFile: string | null = values.host ?? null;
    if (values.demo && hostFile === null) {
      hostFile = demoHostFile(root);
      if (hostFile === null) {
        io.err(`gpu-ferry serve: no demo machine found in ${path.join(root, 'test/fixtures/hosts')}\n`);
        return EXIT.missingFile;
      }
    }
    if (hostFile !== null && !existsSync(hostFile)) {
      io.err(`gpu-ferry serve: cannot read host file ${hostFile}: no such file\n`);
      return EXIT.missingFile;
    }
    if (values.libvirt !== undefined && !/^[a-z][a-z0-9+]*:\/\/[^\s]*$/.test(values.libvirt)) {
      io.err(`gpu-ferry serve: --libvirt must be a libvirt URI such as qemu:///system or test:///default (got "${values.libvirt}")\n`);
      return EXIT.usage;
    }
    const setup = await createServeSetup({ hostFile, version: process.env.npm_package_version ?? '0.1.0', libvirtUri: values.libvirt });
    // A simulated machine with test-driver VMs has nothing real to protect; anything real needs the flag.
    const fullySimulated = setup.simulatedRoot !== null && setup.ctx.libvirtUri.startsWith('test:');
    const allowSystemChanges = fullySimulated || values['allow-system-changes'] === true;
    const server = await startLoopbackServer({
      handlers: createHandlers({ ...setup.ctx, readOnly: !allowSystemChanges }),
      events: setup.events,
      staticDir,
      port,
      allowSystemChanges,
    });
    for (const note of setup.notes) io.out(`${note}\n`);
    if (setup.simulatedRoot) io.out(`Simulated root: ${setup.simulatedRoot}\n`);
    if (!allowSystemChanges) io.out('Read-only: this session cannot change this machine (--allow-system-changes allows it).\n');
    io.out(`GPU Ferry is running at ${server.url}\nOpen that address in a browser on this computer. Press Ctrl+C to stop.\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    await setup.cleanup();
    return EXIT.ok;
  },
};
