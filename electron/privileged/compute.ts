// Root computes the plan itself: it scans the machine (or the --root tree) with the same scanner, plans
// with the same planner from the goal registry, checks the guards, and compares the fingerprint with the
// one the person reviewed. The caller's options are validated by the goal's own schema (unknown keys
// refused); nothing else of the request is used.
import { z } from 'zod';
import { goalsByName } from '../../shared/plan/goals.registry';
import type { Plan } from '../../shared/plan/model';
import type { HostModel } from '../../shared/host/model';
import { scanHost } from '../host/scan';
import { planFingerprint } from './fingerprint';
import { computePrivateEdits } from './private-edits';
import { reject } from './output';
import type { ApplyRequest } from './request';
import type { Tree } from './safe-fs';

/** The goal's option schema with unknown keys refused (a misspelt option must not be silently dropped). */
const strictOptions = (schema: z.ZodType): z.ZodType => (schema instanceof z.ZodObject ? schema.strict() : schema);

export function planFor(host: HostModel, goalName: string, rawOptions: unknown): Plan {
  const goal = goalsByName().get(goalName);
  if (!goal) throw reject('unknown-goal', null, `there is no goal called '${goalName}'`);
  const options = strictOptions(goal.options).safeParse(rawOptions);
  if (!options.success) {
    const first = options.error.issues[0];
    throw reject('bad-options', null, `options for ${goalName}: ${first ? `${first.path.join('.') || 'options'}: ${first.message}` : 'invalid'}`);
  }
  try {
    return goal.plan(host, options.data);
  } catch (error) {
    throw reject('cannot-plan', null, `cannot plan ${goalName} on this machine: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The plan root applies: computed from its own scan, compared with the reviewed fingerprint, then its
 * private edits computed from the files only root reads (private-edits.ts) and every step guarded.
 */
export async function computeReviewedPlan(tree: Tree, request: ApplyRequest): Promise<{ plan: Plan; host: HostModel }> {
  const host = await scanHost(tree.root || '/');
  const plan = planFor(host, request.goal, request.options);
  if (planFingerprint(plan) !== request.fingerprint)
    throw reject('machine-changed', null, 'this machine changed since you reviewed the plan; review it again');
  return { plan: computePrivateEdits(tree, host, plan), host };
}
