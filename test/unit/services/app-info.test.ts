// app.info's hostName names the machine the app describes: this build machine only when it is the real
// one; a simulated host (Electron --host FILE, serve --demo/--host on a materialized tree) never shows it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { materializeHostFile } from '../../../electron/host/load';
import { dispatch } from '../../../electron/services/dispatch';
import { createEventHub } from '../../../electron/services/events';
import { createHandlers } from '../../../electron/services/handlers';

const spec = path.join(__dirname, 'fixtures/single-gpu.host.json');
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-appinfo-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

const hostName = async (hostSource: { root?: string; host?: string }, simulatedRoot: string | null = null) => {
  const handlers = createHandlers({ hostSource, simulatedRoot, libvirtUri: 'test:///default', dataDir, events: createEventHub(), shell: 'browser', version: '0' });
  const r = await dispatch(handlers, 'app.info', []);
  expect(r.ok).toBe(true);
  return (r as { value: { hostName: string; simulated: boolean } }).value;
};

describe('app.info hostName', () => {
  it('the real machine: its own hostname', async () => {
    expect(await hostName({ root: '/' })).toMatchObject({ hostName: os.hostname(), simulated: false });
  });

  it('a host file: the file\'s base name', async () => {
    expect(await hostName({ host: spec })).toMatchObject({ hostName: 'single-gpu', simulated: true });
  });

  it('a materialized simulated root (serve --demo/--host): its OS, not this machine; its /etc/hostname when it has one', async () => {
    const tree = await materializeHostFile(JSON.parse(readFileSync(spec, 'utf8')) as unknown, spec);
    try {
      const info = await hostName({ root: tree.root }, tree.root);
      expect(info.simulated).toBe(true);
      expect(info.hostName).not.toBe(os.hostname());
      const scan = await dispatch(createHandlers({ hostSource: { root: tree.root }, simulatedRoot: tree.root, libvirtUri: 'test:///default', dataDir, events: createEventHub(), shell: 'browser', version: '0' }), 'host.scan', []);
      const osName = (scan as { value: { os: { name: string | null } } }).value.os.name;
      expect(osName).toBeTruthy();
      expect(info.hostName).toBe(osName);
      await writeFile(path.join(tree.root, 'etc/hostname'), 'gaming-rig\n');
      expect((await hostName({ root: tree.root }, tree.root)).hostName).toBe('gaming-rig');
    } finally {
      await tree.cleanup();
    }
  });
});

describe('app.restart, app.pickIso and readOnly', () => {
  const handlersFor = (extra: Record<string, unknown>, hostSource: { root?: string; host?: string } = { host: spec }) =>
    createHandlers({ hostSource, simulatedRoot: null, libvirtUri: 'test:///default', dataDir, events: createEventHub(), shell: 'browser', version: '0', ...extra });

  it('restart is refused on a simulated machine, with words, and nothing runs', async () => {
    const r = await dispatch(handlersFor({}), 'app.restart', []);
    expect(r).toMatchObject({ ok: false, error: { code: 'simulated', message: expect.stringMatching(/nothing restarts/) } });
  });

  it('pickIso: the shell chooser when there is one; in a browser a clear refusal', async () => {
    expect(await dispatch(handlersFor({ pickIsoFile: async () => '/isos/Win11.iso' }), 'app.pickIso', [])).toEqual({ ok: true, value: '/isos/Win11.iso' });
    expect(await dispatch(handlersFor({}), 'app.pickIso', [])).toMatchObject({ ok: false, error: { code: 'unavailable-in-browser', message: expect.stringMatching(/type the path/) } });
  });

  it('app.info says when the session is read-only', async () => {
    const r = await dispatch(handlersFor({ readOnly: true }), 'app.info', []);
    expect(r).toMatchObject({ ok: true, value: { readOnly: true } });
  });
});
