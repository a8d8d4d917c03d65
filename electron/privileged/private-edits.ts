// Root turns each private-edit step of the plan it computed (model.ts), once the fingerprint matched, into
// the edit it applies: the step's rule applied to the file's current bytes, read as root inside the checked
// tree. From there on it is an ordinary edit (guards, backup, journal, undo, rollback). The rule, not the
// bytes, is what the person reviewed; nothing of the file goes back to the caller: a refusal names the
// file and the rule's trouble, never one of its lines.
import { applyEditRule, describeEditRule } from '../../shared/plan/edit-rules';
import type { HostModel } from '../../shared/host/model';
import type { Plan, PrivateEditStep, Step } from '../../shared/plan/model';
import { guardPlan } from './guards';
import { reject, Refusal } from './output';
import { checkTarget, physical, readCurrent, type Tree } from './safe-fs';

function materialize(tree: Tree, step: PrivateEditStep, i: number): Step {
  const target = checkTarget(tree, step.path);
  if (target.problem) throw reject(target.problem.code, i, target.problem.message);
  const current = target.exists ? readCurrent(physical(tree, step.path)) : null;
  const before = current ? current.bytes.toString('utf8') : null;
  if (current && !Buffer.from(before!, 'utf8').equals(current.bytes)) throw reject('content-not-allowed', i, `'${step.path}' is not UTF-8 text; edit it by hand`);
  let after: string;
  try {
    after = applyEditRule(step.rule, before);
  } catch (error) {
    throw reject('cannot-plan', i, `cannot ${describeEditRule(step.rule)} in '${step.path}': ${error instanceof Error ? error.message : String(error)}`);
  }
  // A file nobody may read but root is created as one (0600) when it does not exist yet.
  if (before === null) return { kind: 'write-file', path: step.path, content: after, mode: 0o600, owner: 'root', group: 'root', before: null, reason: step.reason };
  return { kind: 'edit-file', path: step.path, before, after, reason: step.reason };
}

/** The plan with every private edit computed from the file as it is; guarded, refusals without file lines. */
export function computePrivateEdits(tree: Tree, host: HostModel, plan: Plan): Plan {
  const steps = plan.steps.map((step, i) => (step.kind === 'private-edit' ? materialize(tree, step, i) : step));
  const computed = { ...plan, steps };
  try {
    guardPlan(host, computed);
  } catch (error) {
    const at = error instanceof Refusal ? error.step : null;
    const step = at === null ? undefined : plan.steps[at];
    if (step?.kind === 'private-edit' && error instanceof Refusal)
      throw new Refusal(error.exitCode, error.code, at, `'${step.path}': the change root computed from the rule (${describeEditRule(step.rule)}) is not one GPU Ferry makes; only root may read this file, so its lines are not shown`);
    throw error;
  }
  return computed;
}
