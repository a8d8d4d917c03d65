// The wire form of a plan, as read by the privileged helper (resources/helper/gpu-ferry-helper).
// Line based and strictly parsed on the other side:
//   gpu-ferry-plan 1
//   goal <base64>
//   title <base64>
//   step <kind>
//   <field> <base64>        (fields in the fixed order of WIRE_FIELDS; `*` fields repeat)
//   end <number of steps>
// A run step's undo is `undo cmVydW4=` ("rerun") or its inverse argv as repeated `undo-arg` fields.
// Every value is base64 of its UTF-8 bytes, so no byte of user data is special to the parser, and the
// end marker with the step count makes a truncated plan detectable.
import type { Plan, Step, StepKind } from './model';

export const WIRE_HEADER = 'gpu-ferry-plan 1';

/** Field order per step kind; `?` optional, `*` zero or more, `+` one or more. The helper has the same table. */
export const WIRE_FIELDS: Record<StepKind, string[]> = {
  'write-file': ['path', 'content', 'mode', 'owner', 'group', 'before?', 'before-absent?', 'reason'],
  'edit-file': ['path', 'before', 'after', 'reason'],
  'remove-file': ['path', 'before', 'reason'],
  run: ['arg+', 'undo?', 'undo-arg*', 'reason'],
  'sysfs-write': ['device', 'attribute', 'driver?', 'value', 'reason'],
  'module-load': ['module', 'param*', 'reason'],
  'module-unload': ['module', 'reason'],
  unit: ['action', 'unit', 'reason'],
};

/** Limits the helper enforces too (kept equal by test/helper/limits.test.ts). */
export const WIRE_LIMITS = { maxBytes: 8 * 1024 * 1024, maxSteps: 256 } as const;

export const toBase64 = (text: string): string => {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

export const fromBase64 = (b64: string): string => {
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
};

/** Mode as the helper reads it: four octal digits. */
export const formatMode = (mode: number): string => mode.toString(8).padStart(4, '0');

/** Field name → values (in wire order) for one step. */
export function stepFields(step: Step): [string, string][] {
  const reason: [string, string] = ['reason', step.reason];
  switch (step.kind) {
    case 'write-file': {
      const fields: [string, string][] = [
        ['path', step.path],
        ['content', step.content],
        ['mode', formatMode(step.mode)],
        ['owner', step.owner],
        ['group', step.group],
      ];
      if (typeof step.before === 'string') fields.push(['before', step.before]);
      if (step.before === null) fields.push(['before-absent', '']);
      return [...fields, reason];
    }
    case 'edit-file':
      return [['path', step.path], ['before', step.before], ['after', step.after], reason];
    case 'remove-file':
      return [['path', step.path], ['before', step.before], reason];
    case 'run': {
      const args = step.argv.map((a): [string, string] => ['arg', a]);
      if (step.undo === undefined) return [...args, reason];
      if (step.undo === 'rerun') return [...args, ['undo', 'rerun'], reason];
      return [...args, ...step.undo.argv.map((a): [string, string] => ['undo-arg', a]), reason];
    }
    case 'sysfs-write':
      return [
        ['device', step.device],
        ['attribute', step.attribute],
        ...(step.driver === undefined ? [] : [['driver', step.driver] as [string, string]]),
        ['value', step.value],
        reason,
      ];
    case 'module-load':
      return [['module', step.module], ...(step.params ?? []).map((p): [string, string] => ['param', p]), reason];
    case 'module-unload':
      return [['module', step.module], reason];
    case 'unit':
      return [['action', step.action], ['unit', step.unit], reason];
  }
}

export function encodePlan(plan: Pick<Plan, 'goal' | 'title' | 'steps'>): string {
  const lines = [WIRE_HEADER, `goal ${toBase64(plan.goal)}`, `title ${toBase64(plan.title)}`];
  for (const step of plan.steps) {
    lines.push(`step ${step.kind}`);
    for (const [name, value] of stepFields(step)) lines.push(`${name} ${toBase64(value)}`);
  }
  lines.push(`end ${plan.steps.length}`);
  return lines.join('\n') + '\n';
}
