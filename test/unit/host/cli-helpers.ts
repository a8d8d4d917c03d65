// Runs the real built CLI (dist/cli via bin/gpu-ferry.cjs), built once per test file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures/hosts');
export const fixture = (name: string): string => path.join(fixturesDir, `${name}.host.json`);

const bundle = path.join(repoRoot, 'dist/cli/gpu-ferry.cjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function rmStale(lock: string): void {
  try {
    rmdirSync(lock);
  } catch {
    // Already gone.
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the CLI bundle when a source is newer than it. Test files run in parallel workers, so the
 * build is serialized with a lock directory: nobody runs the bundle while another rewrites it.
 */
export function buildCli(): void {
  const lock = path.join(os.tmpdir(), 'gpu-ferry-cli-build.lock');
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is older than any real build.
      const held = statSync(lock, { throwIfNoEntry: false });
      // Removing a stale lock may race with its owner; either way the next mkdir decides.
      if (held && (waited > 120_000 || Date.now() - held.mtimeMs > 120_000)) rmStale(lock);
      sleep(100);
    }
  }
  try {
    const built = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const sources = Math.max(
      newestSource(path.join(repoRoot, 'electron')),
      newestSource(path.join(repoRoot, 'shared')),
    );
    if (built > sources) return;
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'build/build.mjs'), '--cli-only'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`CLI build failed: ${r.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[]): CliRun {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/gpu-ferry.cjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];

/** A temporary directory removed by removeTempDirs() (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
