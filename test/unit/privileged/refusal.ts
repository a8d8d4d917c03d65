// What root's guards say to a plan on a host: the Refusal they throw, or null when root would apply it.
import { guardPlan } from '../../../electron/privileged/guards';
import { Refusal } from '../../../electron/privileged/output';
import type { HostModel } from '../../../shared/host/model';
import type { Plan } from '../../../shared/plan/model';

export function refusalOf(host: HostModel, plan: Plan): Refusal | null {
  try {
    guardPlan(host, plan);
    return null;
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
}
