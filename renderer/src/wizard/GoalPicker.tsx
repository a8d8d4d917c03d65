// The goals of one wizard step as "Review plan" buttons, the plan review under them, and the journal.
import { useAppStore } from '../store/context';
import { PlanReview } from '../plans/PlanReview';
import { EmptyState, ErrorNotice } from '../ui/Notice';
import { goalWhen, goalWords } from './goal-words';

export const GoalPicker = ({
  goals,
  options,
}: {
  goals: { name: string; summary: string }[];
  options: (goal: string) => Record<string, string | boolean | number>;
}) => {
  const { plan, planBusy, planError, makePlan, journal } = useAppStore((s) => ({
    journal: s.journal,
    plan: s.plan,
    planBusy: s.planBusy,
    planError: s.planError,
    makePlan: s.makePlan,
  }));
  if (goals.length === 0)
    return (
      <EmptyState title="Nothing to set up here">
        <p>This version of GPU Ferry has no setup plan for this step.</p>
      </EmptyState>
    );
  return (
    <div>
      <ol className="goals">
        {goals.map((g, i) => (
          <li key={g.name} className={plan?.goal === g.name ? 'goal active' : 'goal'}>
            <div>
              <strong>
                {goals.length > 1 ? `${i + 1}. ` : ''}
                {goalWords(g.name, g.summary)}
              </strong>
              {journal.some((j) => j.goal === g.name && j.state === 'applied') && <span className="badge badge-pass">applied</span>}
              <div className="muted small">{goalWhen(g.name) ?? g.summary}</div>
            </div>
            <button
              type="button"
              className="btn"
              disabled={planBusy !== null}
              onClick={() => void makePlan(g.name, options(g.name))}
              aria-label={`Review plan: ${g.summary}`}
            >
              Review plan
            </button>
          </li>
        ))}
      </ol>
      {plan || planBusy ? <PlanReview /> : <ErrorNotice error={planError} />}
    </div>
  );
};
