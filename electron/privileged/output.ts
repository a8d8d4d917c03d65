// How the privileged program talks back: one JSON event per line on stdout (shared/plan/helper-output.ts),
// and a Refusal for every way a verb ends without success, with its exit status:
// 0 done, 2 request refused (nothing changed), 3 apply failed (files put back) or undo incomplete,
// 4 refused (journal, tampering, wrong state), 5 busy, 64 usage.
import { writeSync } from 'node:fs';
import type { HelperLine } from '../../shared/plan/helper-output';

type Event = Exclude<HelperLine, { type: 'other' }>;

/** Where events go: stdout normally; recovery sends its details to stderr (see recover.ts). */
let eventFd = 1;

export function emit(event: Event): void {
  try {
    writeSync(eventFd, JSON.stringify(event) + '\n');
  } catch (error) {
    // A caller that closed its end (EPIPE) or made it non-blocking (EAGAIN) loses the event, but must not
    // stop root half way through an apply or a rollback: the journal, not the event stream, is the record.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPIPE' && code !== 'EAGAIN') throw error;
  }
}

/** Runs `work` with its events on stderr (recovery details are not the running verb's results). */
export async function withEventsOnStderr<T>(work: () => T | Promise<T>): Promise<T> {
  const before = eventFd;
  eventFd = 2;
  try {
    return await work();
  } finally {
    eventFd = before;
  }
}

export const EXIT = { ok: 0, rejected: 2, failed: 3, refused: 4, busy: 5, usage: 64 } as const;

export class Refusal extends Error {
  constructor(
    readonly exitCode: number,
    readonly code: string,
    readonly step: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

/** The request or the plan root computed is refused before anything changes. */
export const reject = (code: string, step: number | null, message: string): Refusal => new Refusal(EXIT.rejected, code, step, message);
export const refuse = (code: string, step: number | null, message: string): Refusal => new Refusal(EXIT.refused, code, step, message);

/**
 * Control characters shown as `?`, so a message never carries a line break or an escape sequence; so are
 * Unicode's line separators and bidirectional controls (a name with a right-to-left override reads reversed).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, '?');
