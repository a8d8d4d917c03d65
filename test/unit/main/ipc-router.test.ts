// The router against a recording stand-in for ipcMain (no Electron binary here); the handlers behind it
// are the real services.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeChannelNames } from '../../../shared/ipc/contract';
import { registerIpc, type IpcMainLike } from '../../../electron/main/ipc-router';
import { createHandlers } from '../../../electron/services/handlers';
import { createEventHub } from '../../../electron/services/events';

type Listener = Parameters<IpcMainLike['handle']>[1];
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-router-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

const setup = () => {
  const registered = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (c, l) => registered.set(c, l),
    removeHandler: (c) => registered.delete(c),
  };
  const handlers = createHandlers({
    hostSource: { root: dataDir },
    simulatedRoot: dataDir,
    libvirtUri: 'test:///default',
    dataDir,
    events: createEventHub(),
    shell: 'electron',
    version: '1.2.3',
  });
  const origins = { rendererFileUrl: 'file:///app/dist/renderer/index.html', devUrl: null };
  const unregister = registerIpc(ipc, handlers, origins);
  const call = (channel: string, frame: unknown, ...args: unknown[]) =>
    registered.get(channel)!({ senderFrame: frame } as never, ...args);
  return { registered, unregister, call };
};

describe('ipc router', () => {
  it('registers exactly the contract channels and removes them again', () => {
    const { registered, unregister } = setup();
    expect([...registered.keys()].sort()).toEqual([...invokeChannelNames].sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('answers our top frame and refuses sub-frames, foreign pages and missing frames', async () => {
    const { call } = setup();
    const ours = { url: 'file:///app/dist/renderer/index.html', parent: null };
    expect(await call('app.info', ours)).toMatchObject({
      ok: true,
      value: { version: '1.2.3', shell: 'electron' },
    });
    for (const frame of [
      { url: ours.url, parent: {} },
      { url: 'https://evil.example/', parent: null },
      null,
    ]) {
      expect(await call('app.info', frame)).toMatchObject({ ok: false, error: { code: 'not-authorized' } });
    }
  });

  it('validates arguments after the sender check', async () => {
    const { call } = setup();
    const r = await call('vm.start', { url: 'file:///app/dist/renderer/index.html', parent: null }, 42);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
  });
});
