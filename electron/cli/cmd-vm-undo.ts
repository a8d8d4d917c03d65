// `gpu-ferry vm undo NAME`: define again the XML saved before GPU Ferry's last change to this VM.
import { consumeBackup, NothingToUndoError, planUndo } from '../system/libvirt-undo';
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
      let undo;
      try {
        undo = await planUndo(dataDir, name, virsh);
      } catch (error) {
        if (!(error instanceof NothingToUndoError)) throw error;
        io.err(`gpu-ferry vm undo: ${error.message} (backups are read from ${dataDir})\n`);
        return EXIT.failure;
      }
      const code = await reviewAndApply(io, undo.change, {
        yes: Boolean(values.yes), json: values.json, dataDir, virsh, warnings: [], command: `gpu-ferry vm undo ${JSON.stringify(name)}`,
      });
      if (code === EXIT.ok && values.yes) await consumeBackup(undo.restores);
      return code;
    }),
};
