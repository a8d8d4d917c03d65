// `undo ID|last`: only an entry of root's own journal, only when applied, only when every file is still
// what the apply left (someone changed it since: refused, nothing touched). The entry's plan is read back
// through the plan schema and its commands checked again (guard-commands.ts): the journal is data. Live
// SR-IOV steps are checked on the running kernel first (sriov-live.ts liveUndoProblem). Files
// first, then the effects of the commands (restore.ts), whatever any caller says.
import type { Plan } from '../../shared/plan/model';
import { stepCommandProblem } from './guard-commands';
import { ENTRY_ID, listEntries, openJournal, pruneJournal, type Entry } from './journal';
import { emit, refuse, Refusal, EXIT, printable } from './output';
import { isOwnedFile } from './owned-paths';
import { pendingText, restoreFiles, undoEffects } from './restore';
import { fileHash, hasSymlink, physical, type Tree } from './safe-fs';
import { isLiveStep, liveUndoProblem } from './sriov-live';
import { crashPoint } from './test-hooks';

/** The entry's plan, each command checked as when it was applied; refused as bad-journal otherwise. */
export function journaledPlan(entry: Entry): Plan {
  const plan = entry.plan();
  plan.steps.forEach((step, i) => {
    const problem = stepCommandProblem(step);
    if (problem) throw refuse('bad-journal', i, `the journaled plan fails a check (${problem}); not undoing`);
  });
  return plan;
}

export async function undo(tree: Tree, which: string): Promise<void> {
  const journal = openJournal(tree);
  const entries = listEntries(journal);
  let entry: Entry | undefined;
  if (which === 'last') {
    entry = entries.filter((e) => e.state === 'applied').pop();
    if (!entry) throw refuse('no-such-entry', null, 'no applied entry to undo');
  } else {
    if (!ENTRY_ID.test(which)) throw new Refusal(EXIT.usage, 'usage', null, `'${printable(which)}' is not a journal id`);
    entry = entries.find((e) => e.id === which);
    if (!entry) throw refuse('no-such-entry', null, `no journal entry ${which}`);
  }
  if (entry.state !== 'applied') throw refuse('not-applied', null, `entry ${entry.id} is ${printable(entry.state)}, not applied`);
  for (const { step, path } of entry.files()) {
    if (!isOwnedFile(path)) throw refuse('bad-journal', step, `entry ${entry.id} names a path that is not allowed; not undoing`);
    if (hasSymlink(tree, path)) throw refuse('symlink-in-path', step, `'${path}' now goes through a symbolic link; not undoing`);
    if (fileHash(physical(tree, path)) !== entry.newHash(step)) throw refuse('file-changed', step, `'${path}' was changed after entry ${entry.id} was applied; not undoing`);
  }
  const plan = journaledPlan(entry);
  // What undo would do on the running kernel is checked now too: a refusal leaves the entry applied.
  for (const [i, step] of plan.steps.entries()) {
    if (!isLiveStep(step) || entry.effectDone(`inverse ${i}`)) continue;
    const problem = liveUndoProblem(tree, entry, step, i);
    if (problem) throw refuse(problem.code, i, `${problem.message}; entry ${entry.id} stays applied`);
  }
  entry.setState('undoing');
  if (!restoreFiles(tree, entry)) throw new Refusal(EXIT.failed, 'restore-failed', null, `could not restore every file of ${entry.id}`);
  crashPoint(tree, 'undo-restored');
  const pending = await undoEffects(tree, entry, plan, plan.steps.map((_, i) => i));
  if (pending.length > 0) {
    entry.setState('undo-incomplete');
    throw new Refusal(EXIT.failed, 'undo-incomplete', null, `the files of ${entry.id} are restored, but undoing what its commands did failed: run as root: ${pendingText(pending)}`);
  }
  entry.setState('undone');
  pruneJournal(journal);
  emit({ type: 'undone', id: entry.id });
}
