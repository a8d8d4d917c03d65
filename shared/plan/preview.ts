// A plan as a person reviews it: one line per step with its reason, a unified diff for every file
// change, and the exact argv for every command. The CLI prints it; the renderer shows the same data.
import { createTwoFilesPatch } from 'diff';
import { describeEditRule } from './edit-rules';
import type { Plan, Step } from './model';

/** Permission bits as four octal digits (0644). */
export const formatMode = (mode: number): string => mode.toString(8).padStart(4, '0');

export interface StepPreview {
  /** One line: what happens, e.g. "edit /etc/default/grub" or "run grub-mkconfig -o /boot/grub/grub.cfg". */
  summary: string;
  reason: string;
  /** Unified diff for file steps, empty otherwise. */
  diff: string;
}

/** Quotes an argument only when a shell would need it, so the argv reads exactly as it runs. */
export const showArg = (arg: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

const fileDiff = (path: string, before: string | null, after: string | null): string =>
  createTwoFilesPatch(before === null ? '/dev/null' : `a${path}`, after === null ? '/dev/null' : `b${path}`, before ?? '', after ?? '', undefined, undefined, { context: 3 })
    .split('\n')
    .slice(1) // drop jsdiff's "====" line
    .join('\n');

export function previewStep(step: Step, current?: (path: string) => string | null): StepPreview {
  switch (step.kind) {
    case 'write-file': {
      const before = step.before !== undefined ? step.before : (current?.(step.path) ?? null);
      return { summary: `write ${step.path} (mode ${formatMode(step.mode)}, ${step.owner}:${step.group})`, reason: step.reason, diff: fileDiff(step.path, before, step.content) };
    }
    case 'edit-file':
      return { summary: `edit ${step.path}`, reason: step.reason, diff: fileDiff(step.path, step.before, step.after) };
    case 'private-edit':
      return { summary: `edit ${step.path} (only root may read it): ${describeEditRule(step.rule)}`, reason: step.reason, diff: '' };
    case 'remove-file':
      return { summary: `remove ${step.path}`, reason: step.reason, diff: fileDiff(step.path, step.before, null) };
    case 'run':
      return { summary: `run ${step.argv.map(showArg).join(' ')}`, reason: step.reason, diff: '' };
    case 'module-load':
      return { summary: `run modprobe ${[step.module, ...(step.params ?? [])].map(showArg).join(' ')}`, reason: step.reason, diff: '' };
    case 'unit':
      return { summary: `run systemctl ${step.action} ${showArg(step.unit)}`, reason: step.reason, diff: '' };
    case 'sriov-numvfs':
      return { summary: `set the SR-IOV virtual functions of ${step.device} from ${step.before} to ${step.count} now (sriov_numvfs; host drivers ${step.autoprobe ? 'probe new VFs' : 'leave new VFs alone'})`, reason: step.reason, diff: '' };
    case 'vfio-bind-vf':
      return { summary: `bind ${step.device} (a virtual function of ${step.pf}) to vfio-pci now`, reason: step.reason, diff: '' };
  }
}

/** The whole plan as text. `current` supplies today's content for write-file steps without `before`. */
export function renderPlan(plan: Plan, current?: (path: string) => string | null): string {
  const out = [`${plan.title} (${plan.goal})`];
  // No steps but warnings: nothing GPU Ferry may change here, and the warnings say what to do by hand.
  if (plan.steps.length === 0 && plan.warnings.length === 0)
    return `${out[0]}\nNothing to do: this machine is already set up.\n`;
  if (plan.steps.length === 0) out.push('', 'No changes GPU Ferry can make here.');
  plan.steps.forEach((step, i) => {
    const p = previewStep(step, current);
    out.push('', `${i + 1}. ${p.summary}`, `   why: ${p.reason}`);
    if (p.diff) out.push(p.diff.trimEnd());
  });
  if (plan.warnings.length > 0) out.push('', 'Warnings:', ...plan.warnings.map((w) => `  ! ${w}`));
  if (plan.reboot) out.push('', `Reboot needed afterwards: ${plan.reboot}`);
  return out.join('\n') + '\n';
}
