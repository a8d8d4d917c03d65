// `gpu-ferry install-integration [--check | --remove] [--yes] [--json]`: the one-time system integration
// for an AppImage (the deb/rpm install the same files themselves). Shows exactly the files and modes first
// (the list the deb/rpm after-install installs: build/linux/system-files.txt), asks, then installs or
// removes them with one password prompt. --check only reports (exit 0 installed and current, 1 not).
import { parseArgs } from 'node:util';
import type { IntegrationStatus } from '../../shared/ipc/contract';
import { integrationStatus } from '../system/integration-status';
import { installSystemIntegration, removeSystemIntegration } from '../system/system-integration';
import { confirm } from './cmd-apply';
import { EXIT, type CliCommand } from './command';

const table = (status: IntegrationStatus): string =>
  status.files.map((f) => `  ${f.mode}  ${f.target.padEnd(64)} ${f.state}`).join('\n') + `\n  Node.js: ${status.node.message}\n`;

export const installIntegrationCommand: CliCommand = {
  path: ['install-integration'],
  summary: 'install (or --remove, --check) the system files GPU Ferry needs: privileged program, polkit policy, handoff runtime',
  help: `Usage: gpu-ferry install-integration [--check | --remove] [--yes] [--json]

For a copy of GPU Ferry that does not come from a deb or rpm (an AppImage): lists exactly the files and
modes it installs (the same list the deb/rpm install), asks, then installs them as root with one password
prompt. GPU Ferry's privileged program runs with the system's Node.js (${'>'}= 18): install your
distribution's nodejs package first.

  --check    only report what is installed (exit 0 when everything is, 1 otherwise)
  --remove   remove those files (never /etc/gpu-ferry, VM definitions or the journal)
  --yes      do it without asking
  --json     machine-readable status`,
  run: async (args, io) => {
    let values: { check?: boolean; remove?: boolean; yes?: boolean; json?: boolean };
    try {
      ({ values } = parseArgs({ args, options: { check: { type: 'boolean' }, remove: { type: 'boolean' }, yes: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true, allowPositionals: false }));
    } catch (error) {
      io.err(`gpu-ferry install-integration: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    if (values.check && values.remove) {
      io.err('gpu-ferry install-integration: --check and --remove cannot be used together\n');
      return EXIT.usage;
    }
    const status = integrationStatus();
    if (values.check) {
      io.out(values.json ? JSON.stringify(status, null, 2) + '\n' : `${status.installed ? 'Installed' : 'Not installed (or not current)'}:\n${table(status)}`);
      return status.installed ? EXIT.ok : EXIT.failure;
    }
    const action = values.remove ? 'remove' : 'install';
    if (action === 'install' && !status.node.ok) {
      io.err(`gpu-ferry install-integration: ${status.node.message}\n`);
      return EXIT.unavailable;
    }
    if (!values.json) io.out(`${action === 'install' ? 'Installs' : 'Removes'} these files (root-owned, with these modes):\n${table(status)}`);
    if (values.yes !== true && !(await confirm(io, `${action === 'install' ? 'Install' : 'Remove'} them?`))) {
      io.err(io.tty ? 'Nothing was changed.\n' : 'Nothing was changed: no terminal to confirm on; re-run with --yes.\n');
      return EXIT.cancelled;
    }
    try {
      if (action === 'install') await installSystemIntegration();
      else await removeSystemIntegration();
    } catch (error) {
      io.err(`gpu-ferry install-integration: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    const after = integrationStatus();
    io.out(values.json ? JSON.stringify(after, null, 2) + '\n' : `Done:\n${table(after)}`);
    return EXIT.ok;
  },
};
