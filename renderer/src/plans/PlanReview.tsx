// Plan review: every change before it happens, one Apply, live progress, the result per step.
import { useAppStore } from '../store/context';
import { FailedBootAdvice } from '../ui/RecoveryAdvice';
import { RestartNow } from './RestartNow';
import { ErrorNotice, Notice } from '../ui/Notice';
import { StepView } from './StepView';

export const PlanReview = () => {
  const { plan, planBusy, planError, progress, lastApply, applyPlan, discardPlan, simulated } = useAppStore((s) => ({
    plan: s.plan,
    planBusy: s.planBusy,
    planError: s.planError,
    progress: s.progress,
    lastApply: s.lastApply,
    applyPlan: s.applyPlan,
    discardPlan: s.discardPlan,
    simulated: s.info?.simulated ?? false,
  }));
  if (planBusy === 'making') return <p className="muted" role="status">Working out what needs to change…</p>;
  if (!plan) return <ErrorNotice error={planError} />;
  const failed = lastApply?.steps.some((s) => s.status === 'failed') ?? false;
  return (
    <section className="plan" aria-labelledby="plan-title">
      <h3 id="plan-title">{plan.title}</h3>
      {plan.steps.length === 0 ? (
        <Notice kind="ok" title="Nothing to change">
          <p>This machine is already set up for this. No changes are needed.</p>
        </Notice>
      ) : (
        <p className="muted">
          {plan.steps.length} {plan.steps.length === 1 ? 'change' : 'changes'}. Nothing happens until you press Apply;
          every file is backed up first and you can undo it from the journal.
          {simulated && ' (Demo: changes go to a temporary copy of the machine, not to this computer.)'}
        </p>
      )}
      {plan.warnings.map((w) => (
        <Notice key={w} kind="warn" title="Before you apply">
          <p>{w}</p>
        </Notice>
      ))}
      <ol className="steps">
        {plan.steps.map((step, i) => (
          <StepView key={i} step={step} index={i} status={lastApply?.steps.find((s) => s.index === i)?.status} />
        ))}
      </ol>
      {plan.reboot && !lastApply && (
        <Notice kind="info" title="A reboot will be needed">
          <p>{plan.reboot}</p>
        </Notice>
      )}
      <ErrorNotice error={planError} />
      {(planBusy === 'applying' || progress.length > 0) && (
        <div className="progress">
          <h4>{planBusy === 'applying' ? 'Applying…' : 'Output'}</h4>
          <pre className="log" role="log" aria-live="polite" tabIndex={0}>
            {progress.map((p) => `Step ${p.index + 1}: ${p.line}`).join('\n')}
          </pre>
        </div>
      )}
      {lastApply && (
        <Notice kind={failed ? 'warn' : 'ok'} title={failed ? 'Some steps failed and were rolled back' : 'Applied'}>
          <ul className="results">
            {lastApply.steps.map((s) => (
              <li key={s.index}>
                Step {s.index + 1}: {s.status}
                {s.message ? ` — ${s.message}` : ''}
              </li>
            ))}
          </ul>
          {!failed && plan.reboot && (
            <>
              <p>
                <strong>Reboot needed:</strong> {plan.reboot} After the reboot, open GPU Ferry again and it will continue
                from here.
              </p>
              <RestartNow />
              <FailedBootAdvice />
            </>
          )}
        </Notice>
      )}
      <div className="actions">
        {!lastApply && plan.steps.length > 0 && (
          <button type="button" className="btn btn-primary" disabled={planBusy !== null} onClick={() => void applyPlan()}>
            {planBusy === 'applying' ? 'Applying…' : 'Apply'}
          </button>
        )}
        <button type="button" className="btn" onClick={discardPlan} disabled={planBusy === 'applying'}>
          {lastApply ? 'Close' : 'Cancel'}
        </button>
      </div>
    </section>
  );
};
