// `gpu-ferry vm start NAME` (after the preflight passes) and `gpu-ferry vm stop NAME [--force]`.
import { preflightPasses } from '../../shared/vm/preflight';
import { loadHost } from '../host/load';
import { runPreflight } from '../system/libvirt-preflight';
import { destroyDomain, domainState, dumpXml, shutdownDomain, startDomain } from '../system/virsh';
import { EXIT, type CliCommand } from './command';
import { HOST_HELP, parseVmArgs, runVm, VM_OPTIONS_HELP } from './cmd-vm-options';
import { formatPreflight } from './cmd-vm-check';

export const vmStartCommand: CliCommand = {
  path: ['vm', 'start'],
  summary: 'run the preflight checks, then start a VM',
  help: `Usage: gpu-ferry vm start NAME [--connect URI] [--skip-checks] [--root DIR | --host FILE] [--json]

Runs the same checks as \`gpu-ferry vm check NAME\` and starts the VM only when none fails.
  --skip-checks  start without the checks (libvirt still refuses what it cannot do)
${HOST_HELP}
${VM_OPTIONS_HELP}
`,
  run: (args, io) =>
    runVm('vm start', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(
        args,
        { 'skip-checks': { type: 'boolean', default: false }, root: { type: 'string' }, host: { type: 'string' } },
        1,
      );
      const name = positionals[0] ?? '';
      if (!values['skip-checks']) {
        const loaded = await loadHost({ root: values.root as string | undefined, host: values.host as string | undefined });
        try {
          const report = await runPreflight({ host: loaded.model, xml: await dumpXml(name, virsh), root: loaded.root });
          if (!preflightPasses(report.items)) {
            if (values.json) io.out(JSON.stringify({ started: false, checks: report.items }, null, 2) + '\n');
            else io.err(`Not starting "${name}":\n${formatPreflight(report.items)}`);
            return EXIT.refused;
          }
        } finally {
          await loaded.cleanup();
        }
      }
      await startDomain(name, virsh);
      const state = await domainState(name, virsh);
      if (values.json) io.out(JSON.stringify({ started: true, name, state }, null, 2) + '\n');
      else io.out(`Started "${name}" (${state}).\n`);
      return EXIT.ok;
    }),
};

export const vmStopCommand: CliCommand = {
  path: ['vm', 'stop'],
  summary: 'ask a VM to shut down (--force pulls the plug)',
  help: `Usage: gpu-ferry vm stop NAME [--force] [--connect URI] [--json]

Without --force, sends the ACPI power button (Windows shuts down cleanly) and returns at once.
  --force        stop at once, like pulling the power cord (unsaved work in the VM is lost)
${VM_OPTIONS_HELP}
`,
  run: (args, io) =>
    runVm('vm stop', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(args, { force: { type: 'boolean', default: false } }, 1);
      const name = positionals[0] ?? '';
      if (values.force) await destroyDomain(name, virsh);
      else await shutdownDomain(name, virsh);
      const state = await domainState(name, virsh);
      if (values.json) io.out(JSON.stringify({ name, state, forced: Boolean(values.force) }, null, 2) + '\n');
      else io.out(values.force ? `Stopped "${name}" (${state}).\n` : `Asked "${name}" to shut down (${state}).\n`);
      return EXIT.ok;
    }),
};
