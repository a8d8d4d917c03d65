// Shared by the helper tests: temporary trees owned by an unprivileged user (the helper refuses --root
// as root, so when the tests run as root the helper runs as `nobody`), running the real helper, and
// full tree snapshots (type, mode, bytes, symlink targets) to prove "byte for byte unchanged".
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const HELPER = path.resolve(__dirname, '../../resources/helper/gpu-ferry-helper');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Gives a path to the unprivileged user the helper runs as (recursively). */
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

export const removeTree = (root: string): void => rmSync(root, { recursive: true, force: true });

export interface HelperResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function helper(args: string[], input = '', env: Record<string, string> = {}): HelperResult {
  const argv = asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', HELPER, ...args] : [HELPER, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The helper's error code from its `error CODE STEP MESSAGE` line. */
export const errorCode = (r: HelperResult): string | undefined => /^error (\S+)/m.exec(r.stdout)?.[1];

export type Snapshot = Record<string, string>;

/** Every entry under root except the helper's own journal: type, permission bits and content hash or link target. */
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

/** Drops directories the helper creates for its journal (var, var/lib, var/lib/gpu-ferry) when the tree had none. */
export function withoutJournalDirs(snap: Snapshot, before: Snapshot): Snapshot {
  const out = { ...snap };
  for (const d of ['var', 'var/lib', 'var/lib/gpu-ferry']) if (!(d in before)) delete out[d];
  return out;
}

export { symlinkSync, writeFileSync, mkdirSync, chownSync };
