// The setup wizard: a stepper over the steps that apply to this machine.
import { useEffect, useRef } from 'react';
import { useAppStore } from '../store/context';
import type { WizardStepId } from '../store/types';
import { BootStep } from './BootStep';
import { CheckStep } from './CheckStep';
import { DoneStep } from './DoneStep';
import { GpuStep } from './GpuStep';
import { LookingGlassStep } from './LookingGlassStep';
import { stepState, stepTitles, wizardSteps } from './steps';
import { VmStep } from './VmStep';
import { WelcomeStep } from './WelcomeStep';

export const Wizard = ({ onOpenDashboard }: { onOpenDashboard: () => void }) => {
  const { report, vms, selectedGpu, step, goToStep, discardPlan, discardVmChange } = useAppStore((s) => ({
    report: s.report,
    vms: s.vms,
    selectedGpu: s.selectedGpu,
    step: s.wizardStep ?? 'welcome',
    goToStep: s.goToStep,
    discardPlan: s.discardPlan,
    discardVmChange: s.discardVmChange,
  }));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [step]);
  const steps = wizardSteps(report);
  const index = Math.max(0, steps.indexOf(step));
  const go = (s: WizardStepId) => {
    discardPlan();
    discardVmChange(); // a review belongs to the step it was made on
    goToStep(s);
  };
  const body: Record<WizardStepId, React.ReactNode> = {
    welcome: <WelcomeStep />,
    check: <CheckStep />,
    gpu: <GpuStep />,
    boot: <BootStep />,
    vm: <VmStep />,
    'looking-glass': <LookingGlassStep />,
    done: <DoneStep onOpenDashboard={onOpenDashboard} />,
  };
  const prev = steps[index - 1];
  const next = steps[index + 1];
  return (
    <div className="wizard">
      <nav aria-label="Setup steps">
        <ol className="stepper">
          {steps.map((s, i) => {
            // Drawn from the machine as scanned now, never from having been visited.
            const state = stepState(s, report, vms, selectedGpu);
            return (
              <li key={s} className={`${i === index ? 'current' : ''} state-${state}`.trim()}>
                <button type="button" onClick={() => go(s)} aria-current={i === index ? 'step' : undefined}>
                  <span className="dot" aria-hidden="true">
                    {state === 'done' ? '✓' : i + 1}
                  </span>
                  {stepTitles[s]}
                  {state !== 'none' && <span className="sr-only">{state === 'done' ? ' (done)' : ' (to do)'}</span>}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      <section className="panel" aria-labelledby="step-title">
        <h2 id="step-title" tabIndex={-1} ref={heading}>
          {stepTitles[steps[index] ?? 'welcome']}
        </h2>
        {body[steps[index] ?? 'welcome']}
        <div className="wizard-nav">
          {prev && (
            <button type="button" className="btn" onClick={() => go(prev)}>
              Back
            </button>
          )}
          {next && (
            <button type="button" className="btn btn-primary" onClick={() => go(next)}>
              Continue to {stepTitles[next]}
            </button>
          )}
        </div>
      </section>
    </div>
  );
};
