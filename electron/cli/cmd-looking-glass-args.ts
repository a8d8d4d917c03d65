// Shared by the `gpu-ferry looking-glass ...` commands: their flags, validation of the goal options
// through the goal's zod schema, and the text form of what would change.
import { createTwoFilesPatch } from 'diff';
import { lookingGlassOptions, type LookingGlassOptions } from '../../shared/lg/options';
import { KVMFR_DEVICE, SHM_PATH } from '../../shared/lg/paths';
import type { ChecklistItem } from '../../shared/lg/windows-checklist';
import { describeEditRule } from '../../shared/plan/edit-rules';
import type { Plan, Step } from '../../shared/plan/model';
import { UsageError } from './host-options';

export const LG_FLAGS = {
  vm: { type: 'string' },
  resolution: { type: 'string' },
  hdr: { type: 'boolean', default: false },
  shm: { type: 'boolean', default: false },
  user: { type: 'string' },
  group: { type: 'string' },
  connect: { type: 'string' },
} as const;

export const LG_FLAGS_HELP = `  --vm NAME            the VM that gets the shared memory device (its domain XML is changed through libvirt)
  --resolution WxH     the guest's resolution, sizes the shared memory (default 1920x1080)
  --hdr                size for HDR (8 bytes per pixel)
  --shm                a shared memory file (/dev/shm/looking-glass) instead of the kvmfr module
  --user NAME          who runs the client (default: the first regular user)
  --group NAME         the group QEMU runs in that may open the memory (default kvm)
  --connect URI        libvirt connection (default qemu:///system)`;

/** Validated goal options from parsed flags; a UsageError names the bad flag. */
export function lgOptionsFrom(values: Record<string, unknown>): LookingGlassOptions {
  const input: Record<string, unknown> = { hdr: values.hdr === true, shm: values.shm === true };
  for (const key of ['vm', 'resolution', 'user', 'group'] as const) if (typeof values[key] === 'string') input[key] = values[key];
  const parsed = lookingGlassOptions.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${String(issue?.path[0] ?? 'options')}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export const shmPathFor = (options: LookingGlassOptions): string => (options.shm ? SHM_PATH : KVMFR_DEVICE);

export const fileDiff = (name: string, before: string | null, after: string): string =>
  createTwoFilesPatch(before === null ? '/dev/null' : name, name, before ?? '', after, '', '', { context: 3 });

function stepText(step: Step, index: number): string {
  const head = `${index + 1}. ${step.reason}`;
  switch (step.kind) {
    case 'write-file':
      return `${head}\n   new file ${step.path} (mode ${step.mode.toString(8)})\n${indent(fileDiff(step.path, null, step.content))}`;
    case 'edit-file':
      return `${head}\n   edit ${step.path}\n${indent(fileDiff(step.path, step.before, step.after))}`;
    case 'private-edit':
      return `${head}\n   edit ${step.path} (only root may read it): ${describeEditRule(step.rule)}`;
    case 'remove-file':
      return `${head}\n   remove ${step.path}`;
    case 'run':
      return `${head}\n   run: ${JSON.stringify(step.argv)}`;
    case 'module-load':
      return `${head}\n   ${step.kind} ${step.module}${step.params?.length ? ` ${step.params.join(' ')}` : ''}`;
    case 'unit':
      return `${head}\n   systemctl ${step.action} ${step.unit}`;
    case 'sriov-numvfs':
      return `${head}\n   sriov_numvfs of ${step.device}: ${step.before} -> ${step.count}`;
    case 'vfio-bind-vf':
      return `${head}\n   bind ${step.device} (VF of ${step.pf}) to vfio-pci`;
  }
}

const indent = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('====='))
    .map((l) => (l === '' ? '' : `   ${l}`))
    .join('\n');

export function planText(plan: Plan): string {
  const lines = [plan.title, ''];
  if (plan.steps.length === 0) lines.push('The host is already set up: nothing to change.');
  plan.steps.forEach((s, i) => lines.push(stepText(s, i)));
  for (const w of plan.warnings) lines.push('', `! ${w}`);
  if (plan.reboot) lines.push('', `Reboot needed: ${plan.reboot}`);
  return lines.join('\n') + '\n';
}

export function checklistText(items: ChecklistItem[]): string {
  return ['In Windows:', ...items.map((i, n) => `  ${n + 1}. ${i.title}\n     ${i.detail}${i.link ? `\n     ${i.link}` : ''}`)].join('\n') + '\n';
}

/** Splits `args` at `--`: the part after goes to the client untouched. */
export function splitPassthrough(args: string[]): { own: string[]; rest: string[] } {
  const at = args.indexOf('--');
  return at === -1 ? { own: args, rest: [] } : { own: args.slice(0, at), rest: args.slice(at + 1) };
}
