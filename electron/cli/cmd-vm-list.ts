// `gpu-ferry vm list`: the VMs libvirt knows, with their state and passed-through PCI devices.
import { passedThrough } from '../../shared/vm/gpu-hostdev';
import { dumpXml, listDomains } from '../system/virsh';
import { EXIT, type CliCommand } from './command';
import { parseVmArgs, runVm, VM_OPTIONS_HELP } from './cmd-vm-options';

export const vmListCommand: CliCommand = {
  path: ['vm', 'list'],
  summary: 'list the virtual machines libvirt knows, with state and passed-through devices',
  help: `Usage: gpu-ferry vm list [--connect URI] [--json]

${VM_OPTIONS_HELP}
`,
  run: (args, io) =>
    runVm('vm list', io, async () => {
      const { values, virsh } = parseVmArgs(args, {}, 0);
      const rows = [];
      for (const d of await listDomains(virsh)) rows.push({ ...d, pci: passedThrough(await dumpXml(d.name, virsh)) });
      if (values.json) io.out(JSON.stringify(rows, null, 2) + '\n');
      else if (rows.length === 0) io.out(`No virtual machines on ${virsh.uri}.\n`);
      else {
        const width = Math.max(4, ...rows.map((r) => r.name.length));
        io.out(`${'NAME'.padEnd(width)}  ${'STATE'.padEnd(10)}  PASSED THROUGH\n`);
        for (const r of rows) io.out(`${r.name.padEnd(width)}  ${r.state.padEnd(10)}  ${r.pci.join(', ') || '-'}\n`);
      }
      return EXIT.ok;
    }),
};
