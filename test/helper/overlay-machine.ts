// A real-root machine for the helper tier that changes nothing real: a private mount namespace lays
// overlays on /etc, /boot and /usr/bin (every write lands in a temporary upper directory, seeded with the
// files a test needs and with stand-ins for the programs a plan runs, which record their argv) and binds
// a temporary /var/lib. The privileged program runs in it as root, as pkexec runs it (no --root); the
// app's side (the request) is computed in it as nobody, by the real scanner and planner bundled for it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { Step } from '../../shared/plan/model';
import { lines, NOBODY, openDir, PRIVILEGED } from './lib';

let requestScript = '';
/** The app's request computation (support/request-as-caller.ts) as one file nobody can run. */
function requestAsCaller(): string {
  if (requestScript) return requestScript;
  const out = path.join(openDir('caller'), 'request-as-caller.cjs');
  buildSync({ entryPoints: [path.join(__dirname, 'support/request-as-caller.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: out, logLevel: 'error' });
  chmodSync(out, 0o644);
  requestScript = out;
  return out;
}

/** A stand-in program: records `NAME ARGS` in /var/lib/fake-calls and succeeds. */
const standIn = (name: string): string => `#!/bin/sh\necho "${name} $*" >>/var/lib/fake-calls\n`;

export interface Seed {
  /** Files under /etc (relative path → content, mode); their folders are made 0755. */
  etc?: Record<string, { content: string; mode: number }>;
  /** Files under /boot, the same way. */
  boot?: Record<string, { content: string; mode: number }>;
  /** Programs in /usr/bin replaced by (or added as) stand-ins. */
  programs?: string[];
}

export interface Review {
  request: string;
  steps: Step[];
  readable: Record<string, boolean>;
}

export function overlayMachine(seed: Seed) {
  const etc = openDir('etc');
  const boot = openDir('boot');
  const bin = openDir('bin');
  const varLib = openDir('varlib');
  const work = openDir('work');
  for (const d of ['etc', 'boot', 'bin']) mkdirSync(path.join(work, d));
  const lay = (upper: string, files: Seed['etc']) => {
    for (const [rel, { content, mode }] of Object.entries(files ?? {})) {
      const file = path.join(upper, rel);
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
      writeFileSync(file, content, { mode });
      chmodSync(file, mode);
    }
  };
  lay(etc, seed.etc);
  lay(boot, seed.boot);
  for (const name of seed.programs ?? []) writeFileSync(path.join(bin, name), standIn(name), { mode: 0o755 });
  const mounts = [
    'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$4/etc" /etc',
    'mount -t overlay overlay -o "lowerdir=/usr/bin,upperdir=$2,workdir=$4/bin" /usr/bin',
    'mount --bind "$3" /var/lib',
    'mount -t overlay overlay -o "lowerdir=/boot,upperdir=$5,workdir=$4/boot" /boot',
  ].join(' && ');
  const inside = (argv: string[], input = '') => {
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', `${mounts} && shift 5 && exec setsid "$@"`, 'ns', etc, bin, varLib, work, boot, ...argv], { input, encoding: 'utf8', env: {} });
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  };
  /** The app's side: the request for GOAL computed as nobody, and whether nobody could read each of PATHS. */
  const review = (goal: string, options: Record<string, unknown>, paths: string[] = []): Review => {
    const r = inside(['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, requestAsCaller(), goal, JSON.stringify(options), ...paths]);
    if (r.status !== 0) throw new Error(`computing the request as nobody failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Review;
  };
  /** The privileged program as root in the machine. */
  const privileged = (args: string[], input = '') => {
    const r = inside([process.execPath, PRIVILEGED, ...args], input);
    return { ...r, events: lines(r.stdout) };
  };
  /** What the stand-ins were run with, in order. */
  const calls = (): string[] => (existsSync(path.join(varLib, 'fake-calls')) ? readFileSync(path.join(varLib, 'fake-calls'), 'utf8').trim().split('\n') : []);
  return { etc, boot, bin, varLib, review, privileged, calls };
}
