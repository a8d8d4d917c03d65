// `gpu-ferry vm check NAME`: the preflight report shown before Launch.
import type { PreflightItem } from '../../shared/ipc/contract';
import { preflightPasses } from '../../shared/vm/preflight';
import { loadHost } from '../host/load';
import { runPreflight } from '../system/libvirt-preflight';
import { dumpXml } from '../system/virsh';
import { EXIT, type CliCommand } from './command';
import { HOST_HELP, parseVmArgs, runVm, VM_OPTIONS_HELP } from './cmd-vm-options';

const MARK: Record<PreflightItem['status'], string> = { pass: 'ok  ', warn: 'warn', fail: 'FAIL' };

export function formatPreflight(items: PreflightItem[]): string {
  return items.map((i) => `  [${MARK[i.status]}] ${i.message}${i.fix ? `\n         fix: ${i.fix}` : ''}\n`).join('');
}

export const vmCheckCommand: CliCommand = {
  path: ['vm', 'check'],
  summary: 'preflight checks for starting a VM (IOMMU group, hook, firmware, memory, GPU users)',
  help: `Usage: gpu-ferry vm check NAME [--connect URI] [--root DIR | --host FILE] [--json]

Exits 0 when no check fails, 6 when one does.
${HOST_HELP}
${VM_OPTIONS_HELP}
`,
  run: (args, io) =>
    runVm('vm check', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(args, { root: { type: 'string' }, host: { type: 'string' } }, 1);
      const name = positionals[0] ?? '';
      const xml = await dumpXml(name, virsh);
      const loaded = await loadHost({ root: values.root as string | undefined, host: values.host as string | undefined });
      try {
        const { items } = await runPreflight({ host: loaded.model, xml, root: loaded.root });
        if (values.json) io.out(JSON.stringify(items, null, 2) + '\n');
        else io.out(`Checks for "${name}":\n${formatPreflight(items)}`);
        return preflightPasses(items) ? EXIT.ok : EXIT.refused;
      } finally {
        await loaded.cleanup();
      }
    }),
};
