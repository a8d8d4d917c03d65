// Electron smoke test (Playwright's Electron support): launches the built app on a simulated machine and
// checks the window, the CSP, that the renderer has no Node (no require, no process) and that the
// preload exposes exactly the contract's invoke/on and answers over IPC. Run by test/electron/run.sh.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';

const [executablePath] = process.argv.slice(2);
if (!executablePath) throw new Error('usage: smoke.ts ELECTRON_BINARY');
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-smoke-'));

const app = await electron.launch({
  executablePath,
  args: [
    repo,
    `--host=${path.join(repo, 'test/unit/services/fixtures/single-gpu.host.json')}`,
    `--data-dir=${dataDir}`,
    `--simulate-root=${dataDir}`,
  ],
  env: { ...process.env, XDG_CONFIG_HOME: dataDir },
});
try {
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  assert.equal(await page.title(), 'GPU Ferry');
  assert.match(page.url(), /^file:\/\/.*\/dist\/renderer\/index\.html/);

  const renderer = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (globalThis as unknown as { process?: unknown }).process,
    api: Object.keys((window as unknown as { gpuFerry: object }).gpuFerry).sort(),
    csp:
      document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    evalBlocked: (() => {
      try {
        return (0, eval)('1') !== 1;
      } catch {
        return true;
      }
    })(),
  }));
  assert.deepEqual(renderer, {
    ...renderer,
    require: 'undefined',
    process: 'undefined',
    api: ['invoke', 'on'],
    evalBlocked: true,
  });
  assert.ok(renderer.csp && /script-src 'self'/.test(renderer.csp), 'the renderer carries a CSP');

  const info = await page.evaluate(() =>
    (window as unknown as { gpuFerry: { invoke: (c: string) => Promise<unknown> } }).gpuFerry.invoke(
      'app.info',
    ),
  );
  assert.deepEqual(info, {
    ok: true,
    value: {
      version: (info as { value: { version: string } }).value.version,
      shell: 'electron',
      simulated: true,
      hostName: 'single-gpu', // the --host file's base name
    },
  });
  const unknown = await page.evaluate(() =>
    (window as unknown as { gpuFerry: { invoke: (c: string) => Promise<unknown> } }).gpuFerry.invoke(
      'no.such.channel',
    ),
  );
  assert.equal((unknown as { error: { code: string } }).error.code, 'unknown-channel');

  // A new window is refused (setWindowOpenHandler denies).
  await page.evaluate(() => window.open('https://example.com/'));
  assert.equal(app.windows().length, 1);
  console.log(
    'electron smoke: window, CSP, no Node in the renderer, contract-only preload, IPC round trip: OK',
  );
} finally {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
}
