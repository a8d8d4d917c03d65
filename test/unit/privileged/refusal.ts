// What root's guards say to a plan on a host: the Refusal they throw, or null when root would apply it.
import { guardPlan } from '../../../electron/privileged/guards';
import { Refusal } from '../../../electron/privileged/output';
import type { HostModel } from '../../../shared/host/model';
import type { Plan, Step } from '../../../shared/plan/model';

export function refusalOf(host: HostModel, plan: Plan): Refusal | null {
  try {
    guardPlan(host, plan);
    return null;
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
}

/** A write-file step as planners make it (root's, 0644), for guard tests to vary. */
export const writeFileStep = (file: string, content: string, extra: Partial<Extract<Step, { kind: 'write-file' }>> = {}): Step => ({
  kind: 'write-file',
  path: file,
  content,
  mode: 0o644,
  owner: 'root',
  group: 'root',
  reason: 'r',
  ...extra,
});
