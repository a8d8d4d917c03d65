// One plan step as a person reads it: why, then exactly what (a diff or the exact command).
import { describeEditRule } from '../../../shared/plan/edit-rules';
import type { Step } from '../../../shared/plan/model';
import { previewStep } from '../../../shared/plan/preview';
import { CommandLine as Command } from './CommandLine';
import { Diff } from './Diff';

const kindLabel: Record<Step['kind'], string> = {
  'write-file': 'Create file',
  'edit-file': 'Edit file',
  'private-edit': 'Edit file (only root may read it)',
  'remove-file': 'Remove file',
  run: 'Run command',
  'module-load': 'Load module',
  unit: 'Service',
  'sriov-numvfs': 'SR-IOV virtual functions',
  'vfio-bind-vf': 'Bind to vfio-pci',
};

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const StepBody = ({ step }: { step: Step }) => {
  switch (step.kind) {
    case 'write-file':
      return <Diff path={step.path} before="" after={step.content} />;
    case 'edit-file':
      return <Diff path={step.path} before={step.before} after={step.after} />;
    case 'private-edit':
      return (
        <p>
          In <code>{step.path}</code>: {describeEditRule(step.rule)}. Only root may read this file, so the change is shown as this rule, not as lines.
        </p>
      );
    case 'remove-file':
      return <Diff path={step.path} before={step.before} after="" />;
    case 'run':
      return (
        <>
          <Command argv={step.argv} />
          {step.undo === 'rerun' && <p className="muted small">Undo runs it again once the files are back as they were.</p>}
          {step.undo && step.undo !== 'rerun' && (
            <p className="muted small">
              Undo runs <code>{step.undo.argv.join(' ')}</code>.
            </p>
          )}
        </>
      );
    case 'module-load':
      return <Command argv={['modprobe', step.module, ...(step.params ?? [])]} />;
    case 'unit':
      return <Command argv={['systemctl', step.action, step.unit]} />;
    case 'sriov-numvfs':
    case 'vfio-bind-vf':
      // The words the CLI prints for the step (shared/plan/preview.ts), written once.
      return (
        <>
          <p className="small">{capitalized(previewStep(step).summary)}.</p>
          <p className="muted small">{step.kind === 'sriov-numvfs' ? 'Undo puts back the number found.' : 'Undo gives it back to the driver it had.'}</p>
        </>
      );
  }
};

export const StepView = ({ step, index, status }: { step: Step; index: number; status?: string }) => (
  <li className="step">
    <div className="step-head">
      <span className="step-num" aria-hidden="true">
        {index + 1}
      </span>
      <span className="step-kind">{kindLabel[step.kind] ?? step.kind}</span>
      {status && <span className={`step-status st-${status}`}>{status}</span>}
    </div>
    <p className="step-reason">{step.reason}</p>
    <StepBody step={step} />
  </li>
);
