// A readable text form of a plan for golden files: file edits as unified diffs, new files in full,
// argv lists exactly, warnings and the reboot reason.
import { createPatch } from 'diff';
import type { Plan, Step } from '../../../shared/plan/model';

const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => (l === '' ? '' : `    ${l}`))
    .join('\n');

function renderStep(step: Step, i: number): string {
  const head = `step ${i + 1}: ${step.kind}`;
  switch (step.kind) {
    case 'edit-file': {
      const patch = createPatch(step.path, step.before, step.after, '', '', { context: 1 })
        .split('\n')
        .slice(4)
        .join('\n');
      return `${head} ${step.path}\n  why: ${step.reason}\n${indent(patch)}`;
    }
    case 'write-file':
      return `${head} ${step.path} (mode ${step.mode.toString(8)}, ${step.owner}:${step.group}, ${step.before === null ? 'new file' : step.before === undefined ? 'unchecked' : 'replaces existing'})\n  why: ${step.reason}\n${indent(step.content)}`;
    case 'remove-file':
      return `${head} ${step.path}\n  why: ${step.reason}`;
    case 'run': {
      const undo = step.undo === undefined ? '' : `\n  undo: ${step.undo === 'rerun' ? 'run again' : JSON.stringify(step.undo.argv)}`;
      return `${head} ${JSON.stringify(step.argv)}\n  why: ${step.reason}${undo}`;
    }
    default:
      return `${head} ${JSON.stringify(step)}`;
  }
}

export function renderPlan(plan: Plan): string {
  const lines = [`goal: ${plan.goal}`, `title: ${plan.title}`, `reboot: ${plan.reboot ?? '-'}`];
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  lines.push(plan.steps.length === 0 ? 'steps: none' : `steps: ${plan.steps.length}`);
  return `${[...lines, ...plan.steps.map(renderStep)].join('\n').replace(/\n+$/, '')}\n`;
}
