// Shared by the privileged-program tests: temporary trees owned by an unprivileged user (the program
// refuses --root as root, so when the tests run as root it runs as `nobody`), fixture hosts materialized
// into such trees, requests built the way the app builds them (the plan computed here, only its
// fingerprint sent), running the real bundle, and full tree snapshots (type, mode, bytes, symlink targets)
// to prove "byte for byte unchanged".
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHost } from '../../electron/host/load';
import { materializeHostFile } from '../../electron/host/load';
import { request } from './support/request';
import { goalsByName } from '../../shared/plan/goals.registry';
import { parseHelperLine, type HelperLine } from '../../shared/plan/helper-output';
import type { Plan } from '../../shared/plan/model';

export const PRIVILEGED = path.resolve(__dirname, '../../dist/privileged/gpu-ferry-privileged.cjs');
export const LAUNCHER = path.resolve(__dirname, '../../resources/helper/gpu-ferry-helper');
export const FIXTURES = path.resolve(__dirname, '../fixtures/hosts');
export const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

if (!existsSync(PRIVILEGED)) throw new Error(`${PRIVILEGED} is missing: run node build/build.mjs --cli-only first (test/helper/run.sh does)`);

/** Gives a path to the unprivileged user the program runs as (recursively). */
export function giveAway(p: string): void {
  if (!asRoot) return;
  spawnSync('chown', ['-R', '-h', `${NOBODY}:${NOBODY}`, p]);
}

export function makeTree(files: Record<string, string> = {}, extra?: (root: string) => void): string {
  const root = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-helper-'));
  for (const [p, content] of Object.entries(files)) {
    const full = path.join(root, p);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content, { mode: 0o644 });
  }
  extra?.(root);
  giveAway(root);
  return root;
}

/** A fixture host (test/fixtures/hosts/NAME.host.json) as a tree the program can scan and change. */
export async function fixtureTree(name: string, change?: (root: string) => void): Promise<string> {
  const file = path.join(FIXTURES, `${name}.host.json`);
  const materialized = await materializeHostFile(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
  change?.(materialized.root);
  giveAway(materialized.root);
  return materialized.root;
}

export const removeTree = (root: string): void => rmSync(root, { recursive: true, force: true });

const openDirs: string[] = [];
/** A temporary directory (0755, so nobody can enter it) for a real-root machine; removeOpenDirs removes it. */
export function openDir(name: string): string {
  const d = mkdtempSync(path.join(tmpdir(), `gpu-ferry-real-${name}-`));
  chmodSync(d, 0o755);
  openDirs.push(d);
  return d;
}
export const removeOpenDirs = (): void => openDirs.splice(0).forEach(removeTree);

/** The plan the app would show for GOAL on the tree (same scanner, same planner). */
export async function planOn(root: string, goal: string, options: Record<string, unknown> = {}): Promise<Plan> {
  const loaded = await loadHost({ root });
  const definition = goalsByName().get(goal);
  if (!definition) throw new Error(`no goal ${goal}`);
  return definition.plan(loaded.model, definition.options.parse(options));
}

/** The goal's own example options for the host in ROOT (what the round-trip tests exercise). */
export async function examplesOn(root: string, goal: string): Promise<Record<string, unknown>[]> {
  const loaded = await loadHost({ root });
  return (goalsByName().get(goal)?.examples(loaded.model) ?? []) as Record<string, unknown>[];
}

export { request };

/** Plans GOAL on ROOT as the app would and returns the request for it. */
export async function requestFor(root: string, goal: string, options: Record<string, unknown> = {}): Promise<{ plan: Plan; input: string }> {
  const plan = await planOn(root, goal, options);
  return { plan, input: request(goal, options, plan) };
}

export interface HelperResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: HelperLine[];
}

/** ARGV run as nobody when we are root (as is otherwise). */
export const asNobody = (argv: string[]): string[] => (asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...argv] : argv);

/** Runs the real bundle (as nobody when we are root) with ARGS and INPUT on stdin. */
export function helper(args: string[], input = '', env: Record<string, string> = {}): HelperResult {
  const argv = asNobody([process.execPath, PRIVILEGED, ...args]);
  const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, events: lines(r.stdout) };
}

export const lines = (text: string): HelperLine[] => text.split('\n').filter((l) => l !== '').map(parseHelperLine);

export const argvAsNobody = (args: string[]): string[] => asNobody([process.execPath, PRIVILEGED, ...args]);

/** The program's error code from its error event. */
export const errorCode = (r: { events: HelperLine[] }): string | undefined => r.events.flatMap((e) => (e.type === 'error' ? [e.code] : [])).pop();

export const journalId = (r: { events: HelperLine[] }): string | undefined => r.events.flatMap((e) => (e.type === 'journal' ? [e.id] : [])).pop();

export type Snapshot = Record<string, string>;

/** Every entry under root except the journal: type, permission bits and content hash or link target. */
export function snapshot(root: string, { withJournal = false } = {}): Snapshot {
  const out: Snapshot = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (!withJournal && (r === 'var/lib/gpu-ferry/journal' || r.startsWith('var/lib/gpu-ferry/journal/'))) continue;
      const full = path.join(root, r);
      const st = lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(full)}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${mode}`;
        walk(r);
      } else out[r] = `file ${mode} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
    }
  };
  walk('');
  return out;
}

/** Drops directories the program creates for its journal (var, var/lib, var/lib/gpu-ferry) when the tree had none. */
export function withoutJournalDirs(snap: Snapshot, before: Snapshot): Snapshot {
  const out = { ...snap };
  for (const d of ['var', 'var/lib', 'var/lib/gpu-ferry']) if (!(d in before)) delete out[d];
  return out;
}

export { symlinkSync, writeFileSync, mkdirSync, chownSync };
