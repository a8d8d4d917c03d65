// gpu-ferry-privileged: the only GPU Ferry code that runs as root, started by pkexec through the launcher
// resources/helper/gpu-ferry-helper (one polkit action per verb). Bundled by build/build.mjs into one file
// with the planners (shared/) and the host scanner (electron/host/) it uses to compute plans itself.
//
// Usage: gpu-ferry-privileged [--root DIR] VERB
//   apply          read a request (request.ts: goal, options, reviewed fingerprint, nonce, time) on stdin;
//                  scan, plan, guard, compare, journal, apply
//   undo ID|last   undo an applied entry of root's own journal (undo.ts)
//   journal        list journal entries (works without root: a read-only listing)
//   recover        roll back (apply) or finish (undo) entries a killed run left (recover.ts); every verb
//                  but journal-as-user does this first
// --root DIR (refused as root) scans and changes the tree DIR instead of /; commands are reported
// not-executed. Events: one JSON line each on stdout (shared/plan/helper-output.ts); exit codes: output.ts.
import { lstatSync, realpathSync } from 'node:fs';
import { applyComputed } from './apply';
import { computeReviewedPlan } from './compute';
import { journalDir, listEntries, lockJournal, openJournal } from './journal';
import { emit, EXIT, printable, Refusal, reject } from './output';
import { recover } from './recover';
import { spendNonce } from './replay';
import { parseApplyRequest, readStdin } from './request';
import type { Tree } from './safe-fs';
import { undo } from './undo';

const usage = (message: string): Refusal => new Refusal(EXIT.usage, 'usage', null, message);

function parseArgs(argv: string[], euid: number): { tree: Tree; verb: string; rest: string[] } {
  let root = '';
  let simulated = false;
  let args = argv;
  if (args[0] === '--root') {
    if (!args[1]) throw usage('--root needs a directory');
    if (euid === 0) throw new Refusal(EXIT.usage, 'root-not-allowed', null, '--root is refused when running as root');
    try {
      root = realpathSync(args[1]);
      if (!lstatSync(root).isDirectory()) throw new Error('not a directory');
    } catch {
      throw usage(`--root: '${printable(args[1])}' is not a directory`);
    }
    if (root === '/') root = '';
    simulated = true;
    args = args.slice(2);
  }
  const [verb = '', ...rest] = args;
  if (!verb) throw usage('missing verb (apply, undo, journal, recover)');
  if (!simulated && euid !== 0 && verb !== 'journal') throw usage('run through pkexec, or give --root DIR to work on a directory tree');
  if (verb === 'undo' ? rest.length !== 1 : rest.length !== 0) throw usage(verb === 'undo' ? "undo takes one argument: an entry id or 'last'" : `${printable(verb)} takes no arguments`);
  return { tree: { root, simulated, euid }, verb, rest };
}

function listJournal(tree: Tree): void {
  for (const entry of listEntries(journalDir(tree))) {
    let goal = '';
    let title = '';
    let paths: string[] = [];
    try {
      ({ goal, title } = entry.summary());
      paths = entry.files().map((f) => f.path);
    } catch {
      // an entry we cannot read is still listed, with its state
    }
    emit({ type: 'entry', id: entry.id, state: entry.state, goal, title, files: paths.length, paths });
  }
}

async function run(argv: string[]): Promise<void> {
  const euid = process.geteuid?.() ?? -1;
  const { tree, verb, rest } = parseArgs(argv, euid);
  if (!['apply', 'undo', 'journal', 'recover'].includes(verb)) throw usage(`unknown verb '${printable(verb)}'`);
  // A request is read (and refused when bad) before anything else happens.
  const request = verb === 'apply' ? parseApplyRequest(readStdin(), Date.now()) : null;
  if (verb === 'journal' && !tree.simulated && euid !== 0) return listJournal(tree);
  const unlock = await lockJournal(openJournal(tree));
  try {
    await recover(tree);
    switch (verb) {
      case 'apply': {
        spendNonce(journalDir(tree), request!.nonce, Date.now());
        const { plan } = await computeReviewedPlan(tree, request!);
        emit({ type: 'planned', steps: plan.steps.length, fingerprint: request!.fingerprint });
        if (plan.steps.length === 0) throw reject('nothing-to-do', null, 'the plan has no steps');
        await applyComputed(tree, plan);
        return;
      }
      case 'undo':
        return await undo(tree, rest[0]!);
      case 'journal':
        return listJournal(tree);
      case 'recover':
        return;
    }
  } finally {
    unlock();
  }
}

process.umask(0o077);
process.chdir('/');
run(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const refusal = error instanceof Refusal ? error : new Refusal(70, 'internal', null, error instanceof Error ? error.message : String(error));
    emit({ type: 'error', code: refusal.code, step: refusal.step, message: printable(refusal.message) });
    process.stderr.write(`gpu-ferry-helper: ${refusal.code} (step ${refusal.step ?? '-'}): ${printable(refusal.message)}\n`);
    process.exit(refusal.exitCode);
  },
);
