// The preload: the only bridge between the sandboxed renderer and the main process. It exposes exactly
// the contract's invoke channels and event subscriptions as window.gpuFerry — no ipcRenderer, no Node,
// and listeners receive only the payload, never the IPC event object.
import { contextBridge, ipcRenderer } from 'electron';
import { eventChannelNames, invokeChannelNames, type GpuFerryApi } from '../../shared/ipc/contract';
import { fail } from '../../shared/ipc/result';

const invokeSet = new Set<string>(invokeChannelNames);
const eventSet = new Set<string>(eventChannelNames);

const api: GpuFerryApi = {
  invoke: (channel, ...args) =>
    invokeSet.has(channel)
      ? ipcRenderer.invoke(channel, ...args)
      : Promise.resolve(fail('unknown-channel', `GPU Ferry has no operation called "${String(channel)}".`)),
  on: (event, listener) => {
    if (!eventSet.has(event) || typeof listener !== 'function') return () => undefined;
    const forward = (_event: unknown, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('gpuFerry', api);
