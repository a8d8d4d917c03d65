// Runs the privileged helper: `pkexec <installed helper> <verb>` with the plan on stdin, or, to simulate on
// a directory tree, this copy's helper with `--root DIR` (never as root: when we are root, the helper runs
// as the unprivileged owner of the tree). Output lines are parsed as they arrive so progress can stream.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApplyResult, JournalEntry } from '../../shared/ipc/contract';
import { encodePlan } from '../../shared/plan/encode';
import { parseHelperLine, journalCreatedAt, type HelperLine } from '../../shared/plan/helper-output';
import { progressText } from '../../shared/plan/progress-text';
import type { Plan } from '../../shared/plan/model';
import { INSTALLED_HELPER, findBundledHelper, isSystemIntegrationInstalled } from './helper-paths';
import { HelperError, helperExitError } from './pkexec-errors';

export interface HelperTarget {
  /** Simulate on this directory tree instead of changing the real system. */
  root?: string;
  /** Called with every line as it arrives (progress of long steps). */
  onLine?: (line: HelperLine) => void;
}

export interface HelperRun {
  exitCode: number | null;
  lines: HelperLine[];
  stderr: string;
}

async function commandFor(verb: string, args: string[], target: HelperTarget): Promise<{ argv: string[]; viaPkexec: boolean }> {
  if (target.root !== undefined) {
    const root = path.resolve(target.root);
    const helperArgs = [findBundledHelper(), '--root', root, verb, ...args];
    if (process.getuid?.() !== 0) return { argv: helperArgs, viaPkexec: false };
    const owner = await stat(root);
    if (owner.uid === 0) {
      throw new HelperError(
        'root-owned-tree',
        `Simulating as root needs a tree owned by an unprivileged user (the helper never takes --root as root): chown -R nobody: ${root}`,
      );
    }
    return { argv: ['setpriv', `--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', ...helperArgs], viaPkexec: false };
  }
  if (!isSystemIntegrationInstalled()) {
    throw new HelperError('not-installed', 'The GPU Ferry system helper is not installed. Install the system integration first (Settings → Install system integration, or `gpu-ferry install-integration`).');
  }
  // Listing the journal needs no privileges: the helper reads it as the user.
  if (verb === 'journal' && process.getuid?.() !== 0) return { argv: [INSTALLED_HELPER, verb, ...args], viaPkexec: false };
  return { argv: ['pkexec', INSTALLED_HELPER, verb, ...args], viaPkexec: true };
}

/**
 * Undo (or the rollback of a failed apply) put every file back but a command undoing a step's effect
 * failed: say exactly what the person still has to run, instead of the generic "applying failed". Every
 * `pending` line on stdout is this run's own (recovering another entry first prints its pending lines on
 * stderr and in that entry's pending file).
 */
export function unfinishedUndo(error: HelperError, lines: HelperLine[]): HelperError | null {
  const code = error.detail.helperCode;
  if (code !== 'undo-incomplete' && code !== 'rollback-incomplete') return null;
  const pending = lines.flatMap((l) => (l.type === 'pending' ? [l.command] : []));
  const what = code === 'undo-incomplete' ? 'Every file was put back' : `Step ${(error.detail.step ?? 0) + 1} failed and every file was put back`;
  const message = `${what}, but undoing what the commands did is not finished. Run as root: ${pending.map((c) => `\`${c}\``).join(', then ')}.`;
  return new HelperError('failed', message, error.detail);
}

/** Runs one helper verb; rejects with a HelperError carrying a clear message when it did not succeed. */
export async function runHelper(verb: string, args: string[], input: string | null, target: HelperTarget = {}): Promise<HelperRun> {
  const { argv, viaPkexec } = await commandFor(verb, args, target);
  const [program, ...rest] = argv as [string, ...string[]];
  const child = spawn(program, rest, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  const lines: HelperLine[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = parseHelperLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      lines.push(line);
      target.onLine?.(line);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.on('error', () => {}); // the helper may refuse before reading all of stdin
  child.stdin.end(input ?? '');
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new HelperError('not-installed', `cannot run ${program}: ${error.code === 'ENOENT' ? 'not found' : error.message}`)),
    );
    child.on('close', (code) => resolve(code));
  });
  if (pending) lines.push(parseHelperLine(pending));
  const lastError = [...lines].reverse().find((l) => l.type === 'error') ?? null;
  const error = helperExitError(exitCode, stderr, lastError && lastError.type === 'error' ? lastError : null, viaPkexec);
  if (error) throw Object.assign(unfinishedUndo(error, lines) ?? error, { run: { exitCode, lines, stderr } });
  return { exitCode, lines, stderr };
}

function applyResult(run: HelperRun, stepCount: number): ApplyResult {
  const journalLine = run.lines.find((l) => l.type === 'journal');
  const steps: ApplyResult['steps'] = [];
  for (let index = 0; index < stepCount; index++) {
    const result = run.lines.find((l) => l.type === 'result' && l.step === index);
    steps.push(
      result && result.type === 'result'
        ? { index, status: result.status === 'ok' ? 'done' : 'not-executed', message: progressText(result) ?? '' }
        : { index, status: 'skipped', message: '' },
    );
  }
  return { journalId: journalLine?.type === 'journal' ? journalLine.id : null, steps };
}

export async function applyPlan(plan: Plan, target: HelperTarget = {}): Promise<ApplyResult> {
  if (plan.steps.length === 0) return { journalId: null, steps: [] };
  return applyResult(await runHelper('apply', [], encodePlan(plan), target), plan.steps.length);
}

/** Checks a plan with the helper's own rules without changing anything (works unprivileged). */
export async function checkPlan(plan: Plan, target: HelperTarget = {}): Promise<void> {
  const helper = findBundledHelper();
  const args = target.root === undefined ? ['check'] : ['--root', path.resolve(target.root), 'check'];
  const child = spawn(helper, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stdin.on('error', () => {});
  child.stdin.end(encodePlan(plan));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const lastError = out.split('\n').map(parseHelperLine).reverse().find((l) => l.type === 'error');
  const error = helperExitError(code, '', lastError?.type === 'error' ? lastError : null, false);
  if (error) throw error;
}

export async function listJournal(target: HelperTarget = {}): Promise<JournalEntry[]> {
  const run = await runHelper('journal', [], null, target);
  const states: Record<string, JournalEntry['state']> = {
    applied: 'applied',
    undone: 'undone',
    'rolled-back': 'rolled-back',
    'undo-incomplete': 'undo-incomplete',
    'rollback-incomplete': 'rollback-incomplete',
  };
  return run.lines.flatMap((l) =>
    l.type === 'entry'
      ? [{ id: l.id, goal: l.goal, title: l.title, createdAt: journalCreatedAt(l.id), state: states[l.state] ?? 'interrupted', files: l.paths }]
      : [],
  );
}

export async function undoEntry(id: string, target: HelperTarget = {}): Promise<ApplyResult> {
  const run = await runHelper('undo', [id], null, target);
  const undone = run.lines.find((l) => l.type === 'undone');
  // Files restored, then inverse commands and regenerators run again: each a line, in the order it happened.
  const done = run.lines.flatMap((l) => (l.type === 'result' ? [{ status: l.status === 'ok' ? ('done' as const) : ('not-executed' as const), message: progressText(l) ?? '' }] : []));
  return {
    journalId: undone?.type === 'undone' ? undone.id : id,
    steps: done.map((s, index) => ({ index, ...s })),
  };
}
