// Registers one ipcMain.handle per invoke channel, straight from the contract table. Every call is
// checked first for its sender (our own top-level renderer frame only), then validated and run by the
// shared dispatcher. Events from the services are forwarded to the window on their contract channel.
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { invokeChannelNames } from '../../shared/ipc/contract';
import { fail, type Result } from '../../shared/ipc/result';
import { dispatch, type Handlers } from '../services/dispatch';
import type { EventHub } from '../services/events';
import { isTrustedSenderUrl, type TrustedOrigins } from './trusted-sender';

/** The part of ipcMain the router uses (keeps the router testable without an Electron binary). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

type SenderFrame = { url: string; parent: unknown } | null | undefined;

export function isTrustedSender(frame: SenderFrame, origins: TrustedOrigins): boolean {
  return (
    frame !== null && frame !== undefined && frame.parent === null && isTrustedSenderUrl(frame.url, origins)
  );
}

export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers, origins: TrustedOrigins): () => void {
  for (const channel of invokeChannelNames) {
    ipcMain.handle(channel, async (event, ...args): Promise<Result<unknown>> => {
      if (!isTrustedSender(event.senderFrame as SenderFrame, origins)) {
        console.warn(`gpu-ferry: refused ${channel} from an untrusted frame`);
        return fail('not-authorized', 'This request did not come from the GPU Ferry window and was refused.');
      }
      return dispatch(handlers, channel, args);
    });
  }
  return () => invokeChannelNames.forEach((channel) => ipcMain.removeHandler(channel));
}

/** Forward every service event to the window (if it is still open). */
export function forwardEvents(hub: EventHub, target: () => WebContents | null): () => void {
  return hub.onAny((event, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(event, payload);
  });
}
