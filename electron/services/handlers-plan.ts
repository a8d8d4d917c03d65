// plan.* and journal.*: make a plan for a goal from the registry, apply it through the privileged helper
// (into the simulated root when the context has one), list and undo journal entries.
import { goalList, goalsByName } from '../../shared/plan/goals.registry';
import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { withHost } from './host-access';
import { readableZodError } from './readable-zod-error';
import { applyPlan, listJournal, undoEntry } from '../system/helper-runner';
import { helperTarget, withHelperErrors } from './helper-access';
import { checkPlanInput } from './plan-input';
import { ServiceError } from './service-error';

type PlanHandlers = Pick<
  Handlers,
  'plan.goals' | 'plan.make' | 'plan.apply' | 'journal.list' | 'journal.undo'
>;

export const createPlanHandlers = (ctx: ServiceContext): PlanHandlers => ({
  'plan.goals': async () => goalList.map((g) => ({ name: g.name, summary: g.summary })),
  'plan.make': async (goalName, rawOptions) => {
    const goal = goalsByName().get(goalName);
    if (!goal) {
      const known = goalList.map((g) => g.name).join(', ') || 'none yet';
      throw new ServiceError('unknown-goal', `There is no goal called "${goalName}". Known goals: ${known}.`);
    }
    const options = goal.options.safeParse(rawOptions);
    if (!options.success) {
      throw new ServiceError(
        'invalid-arguments',
        `Options for ${goalName}: ${readableZodError(options.error)}`,
      );
    }
    return withHost(ctx, (model) => goal.plan(model, options.data));
  },
  'plan.apply': async (input) => {
    const plan = checkPlanInput(input);
    return withHelperErrors(() => applyPlan(plan, helperTarget(ctx)));
  },
  'journal.list': async () => withHelperErrors(() => listJournal(helperTarget(ctx))),
  'journal.undo': async (id) => withHelperErrors(() => undoEntry(id, helperTarget(ctx, id))),
});
