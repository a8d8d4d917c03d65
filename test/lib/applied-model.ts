// The host model as a rescan would see it after a plan's file steps ran (written, edited, removed): what
// "planning again after applying" tests plan on.
import type { HostModel } from '../../shared/host/model';
import type { Plan } from '../../shared/plan/model';

export function appliedModel(model: HostModel, plan: Plan): HostModel {
  const files = { ...model.files };
  for (const s of plan.steps) {
    if (s.kind === 'write-file') files[s.path] = s.content;
    if (s.kind === 'edit-file') files[s.path] = s.after;
    if (s.kind === 'remove-file') delete files[s.path];
  }
  return { ...model, files };
}
