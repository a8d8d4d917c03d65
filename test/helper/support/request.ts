// A request as the app sends it for a reviewed plan (the app's own applyRequest: only the plan's
// fingerprint sent), with any field overridden for the hostile cases. Its own file so request-as-caller.ts,
// bundled and run as nobody, builds it the same way as the tests (lib.ts).
import { applyRequest } from '../../../electron/system/helper-runner';
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
  JSON.stringify({ ...(JSON.parse(applyRequest({ goal, options, plan })) as object), ...override });
