// `npm start` (build/start.mjs): with no Electron binary it explains and offers browser mode; with one it
// runs it on this checkout with the given arguments (a recording stand-in binary plays Electron here).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCli } from '../host/cli-helpers';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const start = path.join(repo, 'build/start.mjs');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-start-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('npm start', () => {
  it('without an Electron binary and without a terminal: says why and starts browser mode (not exit 2)', async () => {
    buildCli();
    const missing = path.join(dir, 'no-electron');
    // Pipes, not a terminal: as from a desktop launcher or a script. Its own process group, to stop the server too.
    const child = spawn(process.execPath, [start, '--host', path.join(repo, 'test/fixtures/hosts/nvidia-only-desktop.host.json')], {
      env: { ...process.env, GPU_FERRY_ELECTRON: missing },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exitCode = code))));
    // The unit tier runs before anything builds the renderer: on an unbuilt checkout browser mode starts and
    // `serve` itself says to build first (its own exit 3, not the "declined" exit 2); on a built one it serves.
    const built = existsSync(path.join(repo, 'dist/renderer/index.html'));
    try {
      if (built) await expect.poll(() => stdout, { timeout: 60000 }).toMatch(/GPU Ferry is running at http:\/\/127\.0\.0\.1:\d+/);
      else await expect.poll(() => exitCode, { timeout: 60000 }).toBe(3);
    } finally {
      // The group is gone when serve already exited.
      if (child.pid && exitCode === undefined) process.kill(-child.pid, 'SIGTERM');
    }
    await exited;
    expect(stderr).toContain(`No Electron binary: GPU_FERRY_ELECTRON=${missing} does not exist.`);
    expect(stderr).toContain('No terminal to ask in: starting browser mode.');
    if (!built) expect(stderr).toContain('gpu-ferry serve: the app is not built');
  }, 90000);

  it('with a binary: runs it on this checkout with the extra arguments and passes its exit code', async () => {
    const fake = path.join(dir, 'electron');
    const record = path.join(dir, 'args.txt');
    await writeFile(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nexit 7\n`);
    await chmod(fake, 0o755);
    const result = await run(process.execPath, [start, '--host=x.json'], {
      env: { ...process.env, GPU_FERRY_ELECTRON: fake },
    }).catch((e: unknown) => e);
    if (existsSync(path.join(repo, 'dist/main/main.cjs'))) {
      expect(result).toMatchObject({ code: 7 });
      expect(await readFile(record, 'utf8')).toBe(`${repo}\n--host=x.json\n`);
    } else {
      // Unbuilt checkout: it must say what to do rather than start Electron on nothing.
      expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('run `npm run build` first') });
      expect(existsSync(record)).toBe(false);
    }
  }, 60000); // it spawns node: vitest's 5 s default fails on a loaded machine
});
