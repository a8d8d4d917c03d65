// What the privileged program (electron/privileged/) prints: one JSON object per line, one event each.
// Declared once here as a schema, so the privileged program, the CLI, the services and the tests share it.
import { z } from 'zod';

const step = z.number().int().min(0).max(10_000);
const id = z.string().regex(/^\d{8}T\d{6}Z-\d+$/);

export const helperLineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('journal'), id }),
  z.object({ type: z.literal('result'), step, status: z.enum(['ok', 'not-executed']), kind: z.string(), detail: z.string() }),
  z.object({ type: z.literal('progress'), step, text: z.string() }),
  /** A command undoing a step's effect failed: the person has to run it (as typed here) themselves. */
  z.object({ type: z.literal('pending'), step, command: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), step: step.nullable(), message: z.string() }),
  z.object({ type: z.literal('entry'), id, state: z.string(), goal: z.string(), title: z.string(), files: z.number().int(), paths: z.array(z.string()) }),
  z.object({ type: z.literal('recovered'), id, state: z.string() }),
  /** Root computed the plan and it is the one reviewed: its step count, before anything changes. */
  z.object({ type: z.literal('planned'), steps: z.number().int(), fingerprint: z.string() }),
  z.object({ type: z.literal('done'), steps: z.number().int() }),
  z.object({ type: z.literal('undone'), id }),
]);

export type HelperLine = z.infer<typeof helperLineSchema> | { type: 'other'; text: string };

/** One printed line → its event; anything that is not one of ours is `other` (kept as text). */
export function parseHelperLine(line: string): HelperLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { type: 'other', text: line };
  }
  const parsed = helperLineSchema.safeParse(value);
  return parsed.success ? parsed.data : { type: 'other', text: line };
}

/** Journal ids start with their UTC creation time: 20260102T030405Z-1234 → 2026-01-02T03:04:05Z. */
export function journalCreatedAt(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : '';
}
