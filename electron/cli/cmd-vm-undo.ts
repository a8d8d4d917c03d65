// `gpu-ferry vm undo NAME`: define again the XML saved before GPU Ferry's last change to this VM.
import { unlink } from 'node:fs/promises';
import { listBackups, readBackup } from '../system/libvirt-backup';
import { dumpXml } from '../system/virsh';
import { EXIT, type CliCommand } from './command';
import { dataDirOf, parseVmArgs, runVm, VM_OPTIONS_HELP } from './cmd-vm-options';
import { reviewAndApply } from './cmd-vm-review';

export const vmUndoCommand: CliCommand = {
  path: ['vm', 'undo'],
  summary: "restore a VM's XML from before GPU Ferry's last change to it",
  help: `Usage: gpu-ferry vm undo NAME [--yes] [--data-dir DIR] [--connect URI]

Shows the change back to the newest backup; --yes defines it (the current XML is backed up first).
${VM_OPTIONS_HELP}
`,
  run: (args, io) =>
    runVm('vm undo', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(args, { yes: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } }, 1);
      const name = positionals[0] ?? '';
      const dataDir = dataDirOf(values);
      const backups = await listBackups(dataDir, name);
      const latest = backups[backups.length - 1];
      if (!latest) {
        io.err(`gpu-ferry vm undo: no backup of "${name}" in ${dataDir}.\n`);
        return EXIT.failure;
      }
      const code = await reviewAndApply(io, { name, before: await dumpXml(name, virsh), after: await readBackup(latest), createDisk: null }, {
        yes: Boolean(values.yes), json: values.json, dataDir, virsh, warnings: [], command: `gpu-ferry vm undo ${JSON.stringify(name)}`,
      });
      // The backup now restored is consumed; the backup of the state we left stays (redo = undo again).
      if (code === EXIT.ok && values.yes) await unlink(latest);
      return code;
    }),
};
