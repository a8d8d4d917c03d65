// `gpu-ferry journal [--json] [--root DIR]`: every change GPU Ferry made, newest last, with its state.
import { parseArgs } from 'node:util';
import { listJournal } from '../system/helper-runner';
import { EXIT, type CliCommand } from './command';
import { helperFailure } from './cmd-apply';

export const journalCommand: CliCommand = {
  path: ['journal'],
  summary: 'list the changes GPU Ferry made (each can be undone)',
  help: `Usage: gpu-ferry journal [--json] [--root DIR]

Lists journal entries: id, state (applied, undone, rolled-back, interrupted), goal and title.
--root DIR lists the journal of a simulated tree (DIR/var/lib/gpu-ferry/journal).`,
  run: async (args, io) => {
    let values: { json?: boolean; root?: string };
    try {
      ({ values } = parseArgs({ args, options: { json: { type: 'boolean' }, root: { type: 'string' } }, strict: true }));
    } catch (error) {
      io.err(`gpu-ferry journal: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    let entries;
    try {
      entries = await listJournal({ root: values.root });
    } catch (error) {
      return helperFailure('journal', error, io);
    }
    if (values.json) io.out(JSON.stringify(entries, null, 2) + '\n');
    else if (entries.length === 0) io.out('The journal is empty: GPU Ferry has changed nothing.\n');
    else io.out(entries.map((e) => `${e.id}  ${e.state.padEnd(11)}  ${e.goal.padEnd(14)}  ${e.title}`).join('\n') + '\n');
    return EXIT.ok;
  },
};
