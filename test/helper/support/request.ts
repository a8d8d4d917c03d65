// A request as the app sends it for a reviewed plan (only the plan's fingerprint sent). Its own file so
// request-as-caller.ts, bundled and run as nobody, builds it the same way as the tests (lib.ts).
import { randomUUID } from 'node:crypto';
import { planFingerprint } from '../../../electron/privileged/fingerprint';
import { REQUEST_FORMAT } from '../../../electron/privileged/request';
import type { Plan } from '../../../shared/plan/model';

export interface RequestFields {
  format?: unknown;
  goal?: unknown;
  options?: unknown;
  fingerprint?: unknown;
  nonce?: unknown;
  issuedAt?: unknown;
  [extra: string]: unknown;
}

/** A request as the app sends it for a reviewed plan, with any field overridden. */
export const request = (goal: string, options: Record<string, unknown>, plan: Plan, override: RequestFields = {}): string =>
  JSON.stringify({ format: REQUEST_FORMAT, goal, options, fingerprint: planFingerprint(plan), nonce: randomUUID(), issuedAt: Date.now(), ...override });
