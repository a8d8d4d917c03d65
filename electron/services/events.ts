// A typed event hub for the contract's event channels: services emit, the IPC router (Electron) or the
// loopback server (browser mode) subscribes and forwards to the renderer.
import { EventEmitter } from 'node:events';
import type { EventChannel, PayloadOf } from '../../shared/ipc/contract';
import type { ServiceEvents } from './context';

export interface EventHub extends ServiceEvents {
  /** Subscribe to every event; returns the unsubscribe function. */
  onAny(listener: (event: EventChannel, payload: PayloadOf<EventChannel>) => void): () => void;
}

export const createEventHub = (): EventHub => {
  const emitter = new EventEmitter();
  return {
    emit: (event, payload) => {
      emitter.emit('event', event, payload);
    },
    onAny: (listener) => {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
  };
};
