// The preload against a recording stand-in for Electron's contextBridge/ipcRenderer (no Electron binary
// here; the smoke test in test/electron/ runs the real one where it exists): it exposes exactly
// invoke/on, forwards only contract channels, and listeners never see the IPC event.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eventChannelNames } from '../../../shared/ipc/contract';

const exposed: Record<string, unknown> = {};
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: async (...a: unknown[]) => {
      invoked.push(a);
      return { ok: true, value: 'from-main' };
    },
    on: (channel: string, f: (...a: unknown[]) => void) =>
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(f)),
    removeListener: (channel: string, f: (...a: unknown[]) => void) => listeners.get(channel)?.delete(f),
  },
}));

type Api = {
  invoke: (c: string, ...a: unknown[]) => Promise<unknown>;
  on: (e: string, l: (p: unknown) => void) => () => void;
};
let api: Api;
beforeAll(async () => {
  await import('../../../electron/preload/preload');
  api = exposed.gpuFerry as Api;
});

describe('preload', () => {
  it('exposes exactly window.gpuFerry with invoke and on', () => {
    expect(Object.keys(exposed)).toEqual(['gpuFerry']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards contract channels with their arguments and refuses others without IPC', async () => {
    expect(await api.invoke('vm.start', 'win11')).toEqual({ ok: true, value: 'from-main' });
    expect(invoked).toEqual([['vm.start', 'win11']]);
    expect(await api.invoke('ipc.internal', 1)).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(await api.invoke('__proto__')).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(invoked).toHaveLength(1);
  });

  it('subscribes only to contract events, passes the payload alone, and unsubscribes', () => {
    const got: unknown[][] = [];
    const off = api.on('vm.state', (...a: unknown[]) => got.push(a));
    expect(api.on('not.an.event', () => undefined)()).toBeUndefined();
    expect([...listeners.keys()]).toEqual(['vm.state']);
    for (const f of listeners.get('vm.state')!)
      f({ sender: 'IPC event object' }, { name: 'win11', state: 'running' });
    expect(got).toEqual([[{ name: 'win11', state: 'running' }]]);
    off();
    expect(listeners.get('vm.state')?.size).toBe(0);
    expect(eventChannelNames).toContain('vm.state');
  });
});
