// `apply`: root computes the reviewed plan (compute.ts), checks every file target, journals every backup
// BEFORE anything changes, then applies step by step, recording progress durably. A failed step rolls
// everything back: files first, then the effects of the commands that ran (the failed one included: it may
// have made its change before failing).
import { getgrnam, getpwnam } from './ids';
import type { Plan, Step } from '../../shared/plan/model';
import { resolveProgram, runLive, stepArgv } from './commands';
import { newEntry, openJournal, pruneJournal, record, writeDurable, type Entry } from './journal';
import { emit, reject, Refusal, EXIT } from './output';
import { pendingText, restoreFiles, undoEffects } from './restore';
import { checkTarget, makeDirs, physical, putFile, dropFile, readCurrent, sha256, type Tree } from './safe-fs';
import { crashPoint, testPause } from './test-hooks';
import { applyLive, isLiveStep } from './sriov-live';

type FileStep = Extract<Step, { kind: 'write-file' | 'edit-file' | 'remove-file' }>;
const isFileStep = (s: Step): s is FileStep => s.kind === 'write-file' || s.kind === 'edit-file' || s.kind === 'remove-file';

/** Every file target checked against the tree as it is now; returns the directories to create. */
export function checkTargets(tree: Tree, plan: Plan): string[] {
  const missing: string[] = [];
  plan.steps.forEach((step, i) => {
    if (!isFileStep(step)) {
      const argv = stepArgv(step);
      if (!tree.simulated && argv && !resolveProgram(argv[0] ?? '')) throw reject('program-not-found', i, `${argv[0] ?? ''} is not installed`);
      return;
    }
    const target = checkTarget(tree, step.path);
    if (target.problem) throw reject(target.problem.code, i, target.problem.message);
    for (const d of target.missing) if (!missing.includes(d)) missing.push(d);
    const current = target.exists ? readCurrent(physical(tree, step.path)) : null;
    const expected = step.before;
    if (expected === null && current) throw reject('file-exists', i, `'${step.path}' exists but the plan expects it not to`);
    if (typeof expected === 'string') {
      if (!current) throw reject('file-missing', i, `'${step.path}' does not exist`);
      if (!current.bytes.equals(Buffer.from(expected, 'utf8'))) throw reject('content-changed', i, `'${step.path}' is not what the plan expects (this machine changed since you reviewed the plan; review it again)`);
    }
    if ((step.kind === 'edit-file' || step.kind === 'remove-file') && !current) throw reject('file-missing', i, `'${step.path}' does not exist`);
  });
  return missing;
}

function prepareEntry(tree: Tree, journal: string, plan: Plan, missing: string[]): Entry {
  const entry = newEntry(journal);
  entry.setState('preparing');
  writeDurable(`${entry.dir}/plan.json`, JSON.stringify(plan), 0o600);
  writeDurable(`${entry.dir}/summary.json`, JSON.stringify({ goal: plan.goal, title: plan.title }));
  const files: { step: number; path: string }[] = [];
  plan.steps.forEach((step, i) => {
    if (!isFileStep(step)) return;
    const current = readCurrent(physical(tree, step.path));
    if (current) {
      writeDurable(`${entry.dir}/f${i}.old`, current.bytes, 0o600);
      writeDurable(`${entry.dir}/f${i}.meta`, JSON.stringify(current.own));
    } else writeDurable(`${entry.dir}/f${i}.meta`, JSON.stringify('absent'));
    const after = step.kind === 'write-file' ? sha256(step.content) : step.kind === 'edit-file' ? sha256(step.after) : 'absent';
    writeDurable(`${entry.dir}/f${i}.new`, after, 0o600); // a hash of a private file's content is private too
    files.push({ step: i, path: step.path });
  });
  writeDurable(`${entry.dir}/files.json`, JSON.stringify(files));
  writeDurable(`${entry.dir}/dirs.json`, JSON.stringify(missing));
  emit({ type: 'journal', id: entry.id });
  return entry;
}

async function applyStep(tree: Tree, entry: Entry, step: Step, i: number, missing: string[]): Promise<boolean> {
  if (isLiveStep(step)) return applyLive(tree, entry, step, i);
  switch (step.kind) {
    case 'write-file':
    case 'edit-file': {
      makeDirs(tree, missing);
      if (step.kind === 'write-file') {
        putFile(tree, step.path, step.content, { mode: step.mode, uid: getpwnam(step.owner), gid: getgrnam(step.group) });
      } else {
        const current = readCurrent(physical(tree, step.path));
        if (!current) return false;
        putFile(tree, step.path, step.after, current.own);
      }
      emit({ type: 'result', step: i, status: 'ok', kind: step.kind, detail: step.path });
      return true;
    }
    case 'remove-file':
      dropFile(tree, step.path);
      emit({ type: 'result', step: i, status: 'ok', kind: step.kind, detail: step.path });
      return true;
    default: {
      const argv = stepArgv(step)!;
      const program = resolveProgram(argv[0] ?? '');
      const shown = step.kind === 'module-load' ? argv.join(' ') : step.kind === 'unit' ? argv.filter((a) => a !== '--').join(' ') : `${program ?? `${argv[0] ?? ''} (not installed here)`} ${argv.slice(1).join(' ')}`;
      if (tree.simulated) {
        emit({ type: 'result', step: i, status: 'not-executed', kind: step.kind, detail: shown });
        return true;
      }
      if (!(await runLive(i, argv))) return false;
      emit({ type: 'result', step: i, status: 'ok', kind: step.kind, detail: shown });
      return true;
    }
  }
}

export async function applyComputed(tree: Tree, plan: Plan): Promise<void> {
  const missing = checkTargets(tree, plan);
  const journal = openJournal(tree);
  const entry = prepareEntry(tree, journal, plan, missing);
  crashPoint(tree, '-1');
  entry.setState('applying');
  testPause(tree);
  for (let i = 0; i < plan.steps.length; i++) {
    const step = plan.steps[i]!;
    if (!isFileStep(step)) record(`${entry.dir}/progress`, `start ${i}`);
    let ok: boolean;
    try {
      ok = await applyStep(tree, entry, step, i, missing);
    } catch {
      ok = false;
    }
    if (!ok) await rollBack(tree, entry, plan, i);
    record(`${entry.dir}/progress`, `done ${i}`);
    crashPoint(tree, String(i));
  }
  entry.setState('applied');
  pruneJournal(journal);
  emit({ type: 'done', steps: plan.steps.length });
}

async function rollBack(tree: Tree, entry: Entry, plan: Plan, failed: number): Promise<never> {
  if (!restoreFiles(tree, entry)) throw new Refusal(EXIT.failed, 'rollback-failed', failed, `rolling back failed; see ${entry.dir}`);
  const started = Array.from({ length: failed + 1 }, (_, k) => k);
  const pending = await undoEffects(tree, entry, plan, started);
  if (pending.length > 0) {
    entry.setState('rollback-incomplete');
    throw new Refusal(EXIT.failed, 'rollback-incomplete', failed, `step ${failed} failed; every file was put back, but undoing what the commands before it did failed: run as root: ${pendingText(pending)}`);
  }
  entry.setState('rolled-back');
  // Say what was put back: files only, or the live kernel changes (sriov-live.ts) too.
  const live = !tree.simulated && started.some((k) => isLiveStep(plan.steps[k]!));
  throw new Refusal(EXIT.failed, 'step-failed', failed, `step ${failed} failed; every file was put back${live ? ', and the changes made on the running kernel were undone' : ''}`);
}

