// Which handoff events deserve a desktop notification: a failure at any step, and the end of a phase
// (the GPU reached the VM, or came back to the host). Everything else stays in the timeline.
import type { HandoffEvent } from '../../shared/ipc/contract';

export interface NotificationText {
  title: string;
  body: string;
}

const FAILED = new Set(['failed', 'error', 'rolled-back']);
const FINISHED_STEPS = new Set(['complete', 'done', 'finished']);

export function handoffNotification(event: HandoffEvent): NotificationText | null {
  if (FAILED.has(event.status)) {
    return {
      title: `GPU handoff for ${event.vm} failed`,
      body: `${event.phase} / ${event.step}: ${event.message}`,
    };
  }
  if (FINISHED_STEPS.has(event.step) && event.status === 'ok') {
    const where =
      event.phase === 'prepare'
        ? `The GPU now belongs to ${event.vm}.`
        : `The GPU is back on the host (${event.vm} stopped).`;
    const took = event.durationMs !== null ? ` Took ${(event.durationMs / 1000).toFixed(1)} s.` : '';
    return { title: 'GPU handoff finished', body: `${where}${took}` };
  }
  return null;
}
