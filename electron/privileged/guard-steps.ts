// A command step of a computed (or journaled) plan: refused unless root runs exactly that.
import type { Step } from '../../shared/plan/model';
import { stepCommandProblem } from './guard-commands';
import { reject } from './output';

export function guardCommandStep(step: Step, index: number): void {
  const problem = stepCommandProblem(step);
  if (problem) throw reject('command-not-allowed', index, problem);
}
