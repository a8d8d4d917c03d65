// plan.* and journal.*: make a plan for a goal from the registry (kept here under a one-time review id),
// apply a reviewed plan by its id through the privileged program (into the simulated root when the context
// has one), list and undo journal entries.
import { goalList, goalsByName } from '../../shared/plan/goals.registry';
import type { Handlers } from './dispatch';
import type { ServiceContext } from './context';
import { withHost } from './host-access';
import { readableZodError } from './readable-zod-error';
import { applyPlan, listJournal, undoEntry } from '../system/helper-runner';
import { helperTarget, withHelperErrors } from './helper-access';
import { PlanReviews } from './plan-reviews';
import { ServiceError } from './service-error';

type PlanHandlers = Pick<Handlers, 'plan.goals' | 'plan.make' | 'plan.apply' | 'journal.list' | 'journal.undo'>;

export const createPlanHandlers = (ctx: ServiceContext): PlanHandlers => {
  const reviews = new PlanReviews();
  return {
    'plan.goals': async () => goalList.map((g) => ({ name: g.name, summary: g.summary })),
    'plan.make': async (goalName, rawOptions) => {
      const goal = goalsByName().get(goalName);
      if (!goal) {
        const known = goalList.map((g) => g.name).join(', ') || 'none yet';
        throw new ServiceError('unknown-goal', `There is no goal called "${goalName}". Known goals: ${known}.`);
      }
      const options = goal.options.safeParse(rawOptions);
      if (!options.success) throw new ServiceError('invalid-arguments', `Options for ${goalName}: ${readableZodError(options.error)}`);
      const plan = await withHost(ctx, (model) => goal.plan(model, options.data));
      return reviews.remember({ goal: goalName, options: rawOptions, plan });
    },
    'plan.apply': async (id) => {
      const reviewed = reviews.take(id);
      if (!reviewed) throw new ServiceError('unknown-review', 'This plan review is no longer open (applied already, or made too long ago): make the plan again.');
      return withHelperErrors(() => applyPlan(reviewed, helperTarget(ctx)));
    },
    'journal.list': async () => withHelperErrors(() => listJournal(helperTarget(ctx))),
    'journal.undo': async (id) => withHelperErrors(() => undoEntry(id, helperTarget(ctx, id))),
  };
};
