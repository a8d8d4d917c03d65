// `gpu-ferry undo <id|last> [--yes] [--root DIR] [--json]`: restores every file of one journal entry.
import { parseArgs } from 'node:util';
import { undoEntry } from '../system/helper-runner';
import { EXIT, type CliCommand } from './command';
import { confirm, helperFailure, resultText } from './cmd-apply';

export const undoCommand: CliCommand = {
  path: ['undo'],
  summary: 'undo one change from the journal (`last` for the newest applied one)',
  help: `Usage: gpu-ferry undo <id|last> [--yes] [--root DIR] [--json]

Restores the exact previous bytes, modes and owners of every file the entry changed and removes files it
created. Refuses, changing nothing, when one of those files was changed by someone else since.
--root DIR works on a simulated tree. Asks for confirmation unless --yes.

Exit codes: 0 undone, 2 bad usage, 6 refused, 7 not authorized, 8 cancelled, 9 helper not installed.`,
  run: async (args, io) => {
    let values: { json?: boolean; root?: string; yes?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        options: { json: { type: 'boolean' }, root: { type: 'string' }, yes: { type: 'boolean' } },
        allowPositionals: true,
        strict: true,
      }));
      if (positionals.length !== 1) throw new Error('give one journal id, or `last` (see `gpu-ferry journal`)');
      if (!/^(last|\d{8}T\d{6}Z-\d+)$/.test(positionals[0]!)) throw new Error(`'${positionals[0]}' is not a journal id (see \`gpu-ferry journal\`)`);
    } catch (error) {
      io.err(`gpu-ferry undo: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    const id = positionals[0]!;
    if (values.yes !== true && !(await confirm(io, `Undo ${id === 'last' ? 'the last change' : id}?`))) {
      io.err(io.tty ? 'Nothing was changed.\n' : 'Nothing was changed: no terminal to confirm on; re-run with --yes.\n');
      return EXIT.cancelled;
    }
    try {
      const result = await undoEntry(id, { root: values.root });
      io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : `Undone ${String(result.journalId)}:\n${resultText(result)}`);
      return EXIT.ok;
    } catch (error) {
      return helperFailure('undo', error, io);
    }
  },
};
