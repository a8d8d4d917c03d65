// Runs the privileged program: `pkexec <installed launcher> <verb>` with a request on stdin (apply: the
// goal, its options and the fingerprint of the reviewed plan; never the plan), or, to simulate on a
// directory tree, this copy's bundle with `--root DIR` (never as root: when we are root, it runs as the
// unprivileged owner of the tree). Output lines are parsed as they arrive so progress can stream.
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApplyResult, JournalEntry } from '../../shared/ipc/contract';
import { parseHelperLine, journalCreatedAt, type HelperLine } from '../../shared/plan/helper-output';
import { progressText } from '../../shared/plan/progress-text';
import type { Plan } from '../../shared/plan/model';
import { INSTALLED_HELPER, findBundledPrivileged, isSystemIntegrationInstalled, simulationNode } from './helper-paths';
import { planFingerprint } from '../privileged/fingerprint';
import { REQUEST_FORMAT } from '../privileged/request';
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
    const helperArgs = [simulationNode(), findBundledPrivileged(), '--root', root, verb, ...args];
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

/** Only what the child needs: pkexec clears the environment anyway; test hooks pass through when simulating. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
  for (const key of ['DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY', 'DBUS_SESSION_BUS_ADDRESS', 'GPU_FERRY_TEST_CRASH_AFTER', 'GPU_FERRY_TEST_PAUSE_FIFO']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return env;
}

/** Runs one helper verb; rejects with a HelperError carrying a clear message when it did not succeed. */
export async function runHelper(verb: string, args: string[], input: string | null, target: HelperTarget = {}): Promise<HelperRun> {
  const { argv, viaPkexec } = await commandFor(verb, args, target);
  const [program, ...rest] = argv as [string, ...string[]];
  const child = spawn(program, rest, { stdio: ['pipe', 'pipe', 'pipe'], env: childEnv() });
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

/** What the person reviewed: the goal, its options and the plan computed from them (kept for its fingerprint). */
export interface ReviewedPlan {
  goal: string;
  /** The goal's options as given (root validates them with the goal's schema again). */
  options: Record<string, unknown>;
  plan: Plan;
}

/** The request root gets: no plan, only what it needs to compute the same one and check it is the same. */
export const applyRequest = (reviewed: ReviewedPlan, now = Date.now()): string =>
  JSON.stringify({ format: REQUEST_FORMAT, goal: reviewed.goal, options: reviewed.options, fingerprint: planFingerprint(reviewed.plan), nonce: randomUUID(), issuedAt: now });

export async function applyPlan(reviewed: ReviewedPlan, target: HelperTarget = {}): Promise<ApplyResult> {
  if (reviewed.plan.steps.length === 0) return { journalId: null, steps: [] };
  return applyResult(await runHelper('apply', [], applyRequest(reviewed), target), reviewed.plan.steps.length);
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
