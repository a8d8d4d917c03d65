// The browser-mode API: the same GpuFerryApi as Electron's preload, carried over the loopback server's
// one invoke endpoint and one event stream. Channel names come from the contract table only.
import {
  eventChannelNames,
  invokeChannelNames,
  type EventChannel,
  type GpuFerryApi,
  type PayloadOf,
} from '../../../shared/ipc/contract';
import { fail, type Result } from '../../../shared/ipc/result';

export const apiPaths = { invoke: './api/invoke', events: './api/events' } as const;
export const tokenHeader = 'X-GPU-Ferry-Token';

type Listener = (payload: unknown) => void;

const knownInvoke = new Set<string>(invokeChannelNames);
const knownEvents = new Set<string>(eventChannelNames);

/** Splits a text/event-stream body into (event, data) pairs; keeps the unfinished tail. */
export const parseSse = (buffer: string): { messages: { event: string; data: string }[]; rest: string } => {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  const messages = blocks.flatMap((block) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    return data.length ? [{ event, data: data.join('\n') }] : [];
  });
  return { messages, rest };
};

export const createFetchApi = (token: string | null, fetchImpl: typeof fetch = fetch.bind(globalThis)): GpuFerryApi => {
  const headers: Record<string, string> = token ? { [tokenHeader]: token } : {};
  const listeners = new Map<string, Set<Listener>>();
  let streaming = false;

  const dispatch = (event: string, data: string) => {
    const set = listeners.get(event);
    if (!set) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const listener of set) listener(payload);
  };

  const stream = async () => {
    if (streaming) return;
    streaming = true;
    while (listeners.size > 0) {
      try {
        const response = await fetchImpl(apiPaths.events, { headers });
        if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const m of parsed.messages) dispatch(m.event, m.data);
        }
      } catch {
        // The server restarted or the connection dropped: try again shortly (events are hints; the
        // UI re-reads state after every action anyway).
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    streaming = false;
  };

  return {
    invoke: async (channel, ...args) => {
      if (!knownInvoke.has(channel)) return fail('unknown-channel', `The app asked for "${channel}", which does not exist.`);
      try {
        const response = await fetchImpl(apiPaths.invoke, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({ channel, args }),
        });
        if (response.status === 403) {
          return fail('not-authorized', 'This page is not authorized. Open the address that `gpu-ferry serve` printed, including the part after #.');
        }
        return (await response.json()) as Result<never>;
      } catch (error) {
        return fail('disconnected', `Lost the connection to GPU Ferry (${String(error)}). Is \`gpu-ferry serve\` still running?`);
      }
    },
    on: <E extends EventChannel>(event: E, listener: (payload: PayloadOf<E>) => void) => {
      if (!knownEvents.has(event)) throw new Error(`Unknown event channel ${event}`);
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      void stream();
      return () => {
        set.delete(listener as Listener);
        if (set.size === 0) listeners.delete(event);
      };
    },
  };
};
