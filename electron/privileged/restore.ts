// Undoing an entry, in two parts. Files first: every backed-up file put back, created files removed,
// created directories removed when empty. Then the effects of commands (files alone do not undo them: a
// regenerator's output still holds the change, grubby/kernelstub/rpm-ostree keep theirs where no journaled
// file is): every inverse command and live step's inverse (sriov-live.ts), newest step first, then every 'rerun' regenerator and unit restart in
// plan order, so what they generate derives from the restored files AND the restored command state.
// Each finished command is recorded in effects-done (a resumed undo skips it); what fails is `pending`.
import type { Plan } from '../../shared/plan/model';
import { resolveProgram, runLive, shownCommand, stepArgv } from './commands';
import { record, writeDurable, type Entry } from './journal';
import { emit } from './output';
import { isOwnedFile } from './owned-paths';
import { dropDir, dropFile, putFile, type Tree } from './safe-fs';
import { crashPoint } from './test-hooks';
import { isLiveStep, manualInverse, undoLive } from './sriov-live';

/** Puts every file of the entry back; false when one could not be. Results go out as `restore` events. */
export function restoreFiles(tree: Tree, entry: Entry): boolean {
  let ok = true;
  for (const { step, path } of [...entry.files()].reverse()) {
    if (!isOwnedFile(path)) {
      ok = false;
      emit({ type: 'error', code: 'bad-journal', step, message: 'journal names a path that is not allowed' });
      continue;
    }
    const meta = entry.meta(step);
    try {
      if (meta === 'absent') {
        dropFile(tree, path);
        emit({ type: 'result', step, status: 'ok', kind: 'restore', detail: `removed ${path}` });
      } else {
        putFile(tree, path, entry.oldBytes(step), meta);
        emit({ type: 'result', step, status: 'ok', kind: 'restore', detail: path });
      }
    } catch {
      ok = false;
      emit({ type: 'error', code: 'restore-failed', step, message: `could not ${meta === 'absent' ? 'remove' : 'restore'} ${path}` });
    }
  }
  for (const dir of [...entry.dirs()].reverse()) dropDir(tree, dir);
  return ok;
}

/** What runs again once the files are back: a 'rerun' step's own command, or a unit restart. */
function rerunArgv(step: Plan['steps'][number]): string[] | null {
  if (step.kind === 'run' && step.undo === 'rerun') return step.argv;
  if (step.kind === 'unit' && step.action === 'restart') return stepArgv(step);
  return null;
}

async function undoCommand(tree: Tree, step: number, kind: 'inverse' | 'rerun', argv: string[], pending: string[]): Promise<boolean> {
  if (tree.simulated) {
    const found = resolveProgram(argv[0] ?? '');
    emit({ type: 'result', step, status: 'not-executed', kind, detail: [found ?? `${argv[0] ?? ''} (not installed here)`, ...argv.slice(1)].join(' ') });
    return true;
  }
  if (!resolveProgram(argv[0] ?? '')) emit({ type: 'progress', step, text: `${argv[0] ?? ''} is not installed now: install it, then run this command as root` });
  else if (await runLive(step, argv)) {
    emit({ type: 'result', step, status: 'ok', kind, detail: shownCommand(argv) });
    return true;
  }
  const command = argv.join(' ');
  emit({ type: 'pending', step, command });
  pending.push(command);
  return false;
}

/** Undoes the effects of the chosen steps of PLAN; returns the commands left pending (empty: all done). */
export async function undoEffects(tree: Tree, entry: Entry, plan: Plan, chosen: number[]): Promise<string[]> {
  const pending: string[] = [];
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    const step = plan.steps[i]!;
    if (!chosen.includes(i) || entry.effectDone(`inverse ${i}`)) continue;
    if (isLiveStep(step)) {
      // Put back what the step found on the running kernel (journaled when it ran).
      if (await undoLive(tree, entry, step, i)) record(`${entry.dir}/effects-done`, `inverse ${i}`);
      else {
        const command = manualInverse(entry, step, i);
        emit({ type: 'pending', step: i, command });
        pending.push(command);
      }
      crashPoint(tree, `inverse-${i}`);
      continue;
    }
    if (step.kind !== 'run' || step.undo === undefined || step.undo === 'rerun') continue;
    if (await undoCommand(tree, i, 'inverse', step.undo.argv, pending)) record(`${entry.dir}/effects-done`, `inverse ${i}`);
    crashPoint(tree, `inverse-${i}`);
  }
  for (let i = 0; i < plan.steps.length; i++) {
    const argv = chosen.includes(i) ? rerunArgv(plan.steps[i]!) : null;
    if (!argv || entry.effectDone(`rerun ${i}`)) continue;
    if (await undoCommand(tree, i, 'rerun', argv, pending)) record(`${entry.dir}/effects-done`, `rerun ${i}`);
    crashPoint(tree, `rerun-${i}`);
  }
  writeDurable(`${entry.dir}/pending`, pending.map((p) => `${p}\n`).join(''));
  return pending;
}

/** The pending commands for a message, each missing program named. */
export const pendingText = (pending: string[]): string =>
  pending.map((c) => (resolveProgram(c.split(' ')[0] ?? '') ? c : `${c} (${c.split(' ')[0] ?? ''} is not installed now)`)).join('; ');
