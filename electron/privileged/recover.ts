// Whatever a killed run left behind, before any verb does its own work. A killed apply is rolled back as a
// failed one is: files first, then the inverse of every command step that started (progress has its
// "start N"; the inverses tolerate a change that is absent) and the regenerators and restarts that started,
// again. A killed undo is FINISHED, not reverted: undo restores every file before it runs any command, so
// finishing runs what it had not run yet (effects-done says what it had). A killed recovery leaves the
// state as it was, so the next one resumes. Details go to stderr (they are not the running verb's results);
// the `recovered` lines to stdout.
import { listEntries, openJournal, journalDir, type Entry } from './journal';
import { emit, withEventsOnStderr, Refusal, EXIT } from './output';
import { restoreFiles, undoEffects } from './restore';
import { journaledPlan } from './undo';
import type { Tree } from './safe-fs';
import { existsSync } from 'node:fs';

async function recoverEntry(tree: Tree, entry: Entry, mode: 'rollback' | 'undo'): Promise<void> {
  const [ok, fail] = mode === 'rollback' ? (['rolled-back', 'rollback-incomplete'] as const) : (['undone', 'undo-incomplete'] as const);
  if (!(await withEventsOnStderr(() => restoreFiles(tree, entry)))) throw new Refusal(EXIT.failed, 'recovery-failed', null, `could not restore the files of ${entry.id}`);
  let plan;
  try {
    plan = journaledPlan(entry);
  } catch {
    entry.setState(fail);
    process.stderr.write(`gpu-ferry-helper: recovering ${entry.id}: its journaled plan fails a check now; the files are back, what its commands did is not undone\n`);
    emit({ type: 'recovered', id: entry.id, state: fail });
    return;
  }
  const steps = mode === 'undo' ? plan.steps.map((_, i) => i) : entry.progressSteps();
  const pending = steps.length > 0 ? await withEventsOnStderr(() => undoEffects(tree, entry, plan, steps)) : [];
  entry.setState(pending.length > 0 ? fail : ok);
  emit({ type: 'recovered', id: entry.id, state: pending.length > 0 ? fail : ok });
}

export async function recover(tree: Tree): Promise<void> {
  if (!existsSync(journalDir(tree))) return;
  const journal = openJournal(tree);
  for (const entry of listEntries(journal)) {
    const state = entry.state;
    if (state === 'preparing') {
      entry.setState('abandoned');
      emit({ type: 'recovered', id: entry.id, state: 'abandoned' });
    } else if (state === 'applying') await recoverEntry(tree, entry, 'rollback');
    else if (state === 'undoing') await recoverEntry(tree, entry, 'undo');
  }
}
