// One plan step as a person reads it: why, then exactly what (a diff or the exact command).
import type { Step } from '../../../shared/plan/model';
import { diffLines, highlight } from './diff-lines';

const kindLabel: Record<Step['kind'], string> = {
  'write-file': 'Create file',
  'edit-file': 'Edit file',
  'remove-file': 'Remove file',
  run: 'Run command',
  'sysfs-write': 'Device setting',
  'module-load': 'Load module',
  'module-unload': 'Unload module',
  unit: 'Service',
};

const Diff = ({ path, before, after }: { path: string; before: string; after: string }) => {
  const lines = diffLines(path, before, after);
  const added = lines.filter((l) => l.kind === 'add').length;
  const removed = lines.filter((l) => l.kind === 'del').length;
  return (
    <figure className="diff">
      <figcaption>
        <code>{path}</code>
        <span className="diff-stat" aria-label={`${added} lines added, ${removed} lines removed`}>
          <span className="add">+{added}</span> <span className="del">−{removed}</span>
        </span>
      </figcaption>
      <pre tabIndex={0} aria-label={`Changes to ${path}`}>
        {lines.map((l, i) => (
          <div key={i} className={`dl dl-${l.kind}`}>
            <span className="dl-sign" aria-hidden="true">
              {l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' '}
            </span>
            {l.kind === 'hunk'
              ? l.text
              : highlight(l.text).map((t, j) => (
                  <span key={j} className={`tk-${t.cls}`}>
                    {t.text}
                  </span>
                ))}
          </div>
        ))}
      </pre>
    </figure>
  );
};

const Command = ({ argv }: { argv: string[] }) => (
  <pre className="command" tabIndex={0} aria-label="Exact command">
    <span aria-hidden="true">$ </span>
    {argv.map((a) => (/[\s'"$`\\]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ')}
  </pre>
);

const StepBody = ({ step }: { step: Step }) => {
  switch (step.kind) {
    case 'write-file':
      return <Diff path={step.path} before="" after={step.content} />;
    case 'edit-file':
      return <Diff path={step.path} before={step.before} after={step.after} />;
    case 'remove-file':
      return <Diff path={step.path} before={step.before} after="" />;
    case 'run':
      return <Command argv={step.argv} />;
    case 'sysfs-write':
      return (
        <pre className="command" tabIndex={0}>
          {`${step.device}: ${step.driver ? `driver ${step.driver} ` : ''}${step.attribute} ← ${step.value}`}
        </pre>
      );
    case 'module-load':
    case 'module-unload':
      return <Command argv={[step.kind === 'module-load' ? 'modprobe' : 'modprobe -r', step.module, ...(step.params ?? [])]} />;
    case 'unit':
      return <Command argv={['systemctl', step.action, step.unit]} />;
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
