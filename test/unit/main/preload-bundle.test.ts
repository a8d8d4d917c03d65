// The BUILT preload (esbuild with build/contract-names-plugin.mjs, as `npm run build` makes it): small,
// free of zod, and forwarding exactly the contract's channels — the names the plugin evaluated at build
// time must be the table's, or a new channel would silently be refused in Electron.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractNamesOnly } from '../../../build/contract-names-plugin.mjs';
import { eventChannelNames, invokeChannelNames } from '../../../shared/ipc/contract';

const root = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'gpu-ferry-preload-'));
const out = path.join(dir, 'preload.cjs');
let code = '';

beforeAll(async () => {
  await build({
    entryPoints: [path.join(root, 'electron/preload/preload.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    logLevel: 'silent',
    plugins: [contractNamesOnly],
  });
  code = readFileSync(out, 'utf8');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('built preload', () => {
  it('is small and carries no schema library', () => {
    expect(code.length).toBeLessThan(20_000);
    expect(code).not.toMatch(/\bZodError\b|zod/);
  });

  it('forwards exactly the contract channels', async () => {
    const invoked: string[] = [];
    const subscribed: string[] = [];
    let exposed: { invoke: (c: string) => Promise<unknown>; on: (e: string, l: () => void) => () => void } | undefined;
    const electron = {
      contextBridge: { exposeInMainWorld: (_k: string, api: typeof exposed) => (exposed = api) },
      ipcRenderer: {
        invoke: async (c: string) => invoked.push(c),
        on: (e: string) => subscribed.push(e),
        removeListener: () => undefined,
      },
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { module, exports: module.exports, require: (m: string) => (m === 'electron' ? electron : undefined), Set, Promise, String });
    for (const c of invokeChannelNames) await exposed?.invoke(c);
    expect(invoked).toEqual(invokeChannelNames);
    expect(await exposed?.invoke('shell.exec')).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    for (const e of [...eventChannelNames, 'not.an.event']) exposed?.on(e, () => undefined);
    expect(subscribed).toEqual(eventChannelNames);
  });
});
