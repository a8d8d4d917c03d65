// Runs the real built CLI (dist/cli via bin/gpu-ferry.cjs), built once per test file.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures/hosts');
export const fixture = (name: string): string => path.join(fixturesDir, `${name}.host.json`);

export function buildCli(): void {
  const built = spawnSync(process.execPath, [path.join(repoRoot, 'build/build.mjs'), '--cli-only'], { cwd: repoRoot, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`CLI build failed: ${built.stderr}`);
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
