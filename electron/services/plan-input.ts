// A plan sent back by the renderer, checked step by step against the plan model before it is encoded
// for the helper (which checks everything again against its allowlist). The contract only checks the
// outline of a plan; this is where an unknown kind, a missing field or a stray one is refused.
import { z } from 'zod';
import type { Plan } from '../../shared/plan/model';
import { readableZodError } from './readable-zod-error';
import { ServiceError } from './service-error';

const text = z.string().max(4 * 1024 * 1024);
const name = z.string().min(1).max(256);
const argv = z.array(z.string().max(4096)).min(1).max(64);
const reason = z.string().max(2000);

const stepSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('write-file'),
      path: name.max(1024),
      content: text,
      mode: z.number().int().min(0).max(0o7777),
      owner: name,
      group: name,
      before: text.nullable().optional(),
      reason,
    })
    .strict(),
  z
    .object({ kind: z.literal('edit-file'), path: name.max(1024), before: text, after: text, reason })
    .strict(),
  z.object({ kind: z.literal('remove-file'), path: name.max(1024), before: text, reason }).strict(),
  z
    .object({
      kind: z.literal('run'),
      argv,
      reason,
      // How undo reverses it: run again after the files are back, or an inverse command (the helper checks both).
      undo: z.union([z.literal('rerun'), z.object({ argv }).strict()]).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('sysfs-write'),
      device: name,
      attribute: z.enum(['driver_override', 'unbind', 'bind', 'drivers_probe', 'remove', 'rescan']),
      driver: name.optional(),
      value: z.string().max(256),
      reason,
    })
    .strict(),
  z
    .object({
      kind: z.enum(['module-load', 'module-unload']),
      module: name,
      params: z.array(z.string().max(256)).max(32).optional(),
      reason,
    })
    .strict(),
  z
    .object({
      kind: z.literal('unit'),
      action: z.enum(['start', 'stop', 'restart', 'enable', 'disable']),
      unit: name,
      reason,
    })
    .strict(),
]);

const planInput = z
  .object({
    format: z.literal('gpu-ferry-plan/1'),
    goal: z.string(),
    title: z.string(),
    steps: z.array(stepSchema).max(500),
    warnings: z.array(z.string()),
    reboot: z.string().nullable(),
  })
  .strict();

/** The plan as the model types it, or a ServiceError naming the first problems. */
export function checkPlanInput(plan: unknown): Plan {
  const parsed = planInput.safeParse(plan);
  if (!parsed.success)
    throw new ServiceError('invalid-plan', `This plan cannot be applied: ${readableZodError(parsed.error)}`);
  return parsed.data as Plan;
}
