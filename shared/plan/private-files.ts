// A goal must not plan a file it could not see. A private file (HostModel.privateFiles: others may not
// read it, so the scan leaves it out whoever scans) looks absent to a planner: a write-file step for it
// would be refused by root ('exists but the plan expects it not to') or, worse, read as "create". Only a
// private-edit step (a reviewed rule root computes from) may touch one; anything else is refused here, at
// review and at root alike, with what to do.
import type { GoalDefinition } from './goals';
import type { HostModel } from '../host/model';
import type { Plan } from './model';

export class PrivateFileError extends Error {}

function refusePrivateTargets(host: HostModel, plan: Plan): Plan {
  for (const step of plan.steps) {
    if (step.kind !== 'write-file' && step.kind !== 'edit-file' && step.kind !== 'remove-file') continue;
    const hidden = host.privateFiles.find((p) => step.path === p || step.path.startsWith(`${p}/`));
    if (hidden)
      throw new PrivateFileError(
        `${step.path} is readable only by root${hidden !== step.path ? ` (${hidden} may not be searched by other users)` : ''}, so GPU Ferry cannot review a change to it. Let every user read it (chmod o+r ${hidden}) and review again, or make the change by hand.`,
      );
  }
  return plan;
}

/** The goal with its planner wrapped, so the review and root's recomputation both refuse the same way. */
export const privateFilesAware = (goal: GoalDefinition): GoalDefinition => ({
  ...goal,
  plan: (host, options) => refusePrivateTargets(host, goal.plan(host, options)),
});
