// Running the privileged helper for services: into the simulated root when the context has one,
// streaming progress as plan.progress events, with the helper's errors kept as typed ServiceErrors.
import type { HelperLine } from '../../shared/plan/helper-output';
import { progressText } from '../../shared/plan/progress-text';
import type { HelperTarget } from '../system/helper-runner';
import { HelperError } from '../system/pkexec-errors';
import type { ServiceContext } from './context';
import { ServiceError } from './service-error';

export function helperTarget(ctx: ServiceContext, knownJournalId: string | null = null): HelperTarget {
  let journalId = knownJournalId; // an apply learns its id from the helper's first line
  const onLine = (line: HelperLine) => {
    if (line.type === 'journal') journalId = line.id;
    // Sentences, not protocol tokens: the window shows these lines as they come, a command that undo or
    // rollback could not run (pending) the moment it fails.
    const text = progressText(line);
    if (text !== null && (line.type === 'progress' || line.type === 'result' || line.type === 'pending'))
      ctx.events.emit('plan.progress', { journalId, index: line.step, line: text });
  };
  return ctx.simulatedRoot !== null ? { root: ctx.simulatedRoot, onLine } : { onLine };
}

export async function withHelperErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HelperError) throw new ServiceError(error.code, error.message);
    throw error;
  }
}
