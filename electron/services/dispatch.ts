// The one dispatcher behind every IPC call, in Electron (electron/main/ipc-router.ts) and in browser
// mode (electron/server/): look the channel up in the contract, validate the arguments against its
// schema before any work, run the handler, and always answer with a Result — never a thrown exception,
// never a stack trace across the process boundary.
import { invokeChannels, type ArgsOf, type InvokeChannel, type ResultOf } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/ipc/result';
import { readableZodError } from './readable-zod-error';
import { ServiceError } from './service-error';

export type Handlers = { [C in InvokeChannel]: (...args: ArgsOf<C>) => Promise<ResultOf<C>> };

/** Arguments larger than this are refused before validation (no channel needs more; a plan is far smaller). */
export const MAX_ARGS_BYTES = 2 * 1024 * 1024;
const MAX_MESSAGE = 600;

export const isInvokeChannel = (channel: unknown): channel is InvokeChannel =>
  typeof channel === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, channel);

const argsSize = (args: unknown[]): number | null => {
  try {
    return JSON.stringify(args)?.length ?? 0;
  } catch {
    return null; // cyclic or not serializable: refused below
  }
};

/** First line of an error message, bounded: enough to act on, no stack, no multi-kilobyte dumps. */
const summary = (message: string): string => {
  const line = message.split('\n')[0]?.trim() ?? '';
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
};

export type DispatchLog = (channel: string, error: unknown) => void;

const defaultLog: DispatchLog = (channel, error) => {
  console.error(`gpu-ferry: ${channel} failed:`, error);
};

export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  args: unknown,
  log: DispatchLog = defaultLog,
  /** Where `log` writes, in the person's words (browser mode has no application log: its terminal). */
  logWhere = 'the application log',
): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    const shown = typeof channel === 'string' ? `"${summary(channel).slice(0, 80)}"` : `a ${typeof channel}`;
    return fail(
      'unknown-channel',
      `GPU Ferry has no operation called ${shown}. The app and its window may be out of date: restart GPU Ferry.`,
    );
  }
  if (!Array.isArray(args)) {
    return fail('invalid-arguments', `${channel}: the arguments must be a list.`);
  }
  const size = argsSize(args);
  if (size === null) return fail('invalid-arguments', `${channel}: the arguments cannot be serialized.`);
  if (size > MAX_ARGS_BYTES) {
    return fail(
      'invalid-arguments',
      `${channel}: the arguments are too large (${size} bytes, at most ${MAX_ARGS_BYTES}).`,
    );
  }
  const expected = invokeChannels[channel].args.def.items.length;
  if (args.length !== expected) {
    const noun = expected === 1 ? 'argument' : 'arguments';
    return fail('invalid-arguments', `${channel}: expected ${expected} ${noun}, got ${args.length}.`);
  }
  const parsed = invokeChannels[channel].args.safeParse(args);
  if (!parsed.success) {
    return fail('invalid-arguments', `${channel}: ${readableZodError(parsed.error)}`);
  }
  const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>;
  try {
    return ok(await handler(...(parsed.data as unknown[])));
  } catch (error) {
    if (error instanceof ServiceError) return fail(error.code, summary(error.message));
    log(channel, error);
    const message = error instanceof Error ? summary(error.message) : summary(String(error));
    return fail(
      'failed',
      `${channel} failed: ${message || 'unknown error'}. Details are in ${logWhere}.`,
    );
  }
}
