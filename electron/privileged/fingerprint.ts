// The fingerprint of a plan: SHA-256 of its goal and steps as canonical JSON (keys sorted). The app shows
// a plan with this fingerprint; root computes the plan again and refuses to apply when its own plan's
// fingerprint differs. Titles, warnings and reboot notes are words, not changes: they are not part of it.
import { createHash } from 'node:crypto';
import type { Plan } from '../../shared/plan/model';

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
};

export const planFingerprint = (plan: Pick<Plan, 'goal' | 'steps'>): string =>
  createHash('sha256').update(JSON.stringify(canonical({ goal: plan.goal, steps: plan.steps }))).digest('hex');
