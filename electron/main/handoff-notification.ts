// Which handoff events deserve a desktop notification: the end of a run of the handoff runtime
// (`<action> <action> done|fail`, action = prepare, release or rescue) and a run stopped before it
// started a step (config or lock failure). Step events stay in the timeline; a failed step is followed
// by its run's end event, so it is announced once.
import type { HandoffEvent } from '../../shared/ipc/contract';

export interface NotificationText {
  title: string;
  body: string;
}

const ACTIONS = new Set(['prepare', 'release', 'rescue']);

const seconds = (ms: number | null) => (ms !== null ? ` (${(ms / 1000).toFixed(1)} s)` : '');

export function handoffNotification(event: HandoffEvent): NotificationText | null {
  const runEnd = ACTIONS.has(event.phase) && event.step === event.phase;
  const stoppedEarly = (event.step === 'config' || event.step === 'lock') && event.status === 'fail';
  if (stoppedEarly || (runEnd && event.status === 'fail')) {
    return { title: `GPU handoff for ${event.vm} failed`, body: `${event.phase}: ${event.message}` };
  }
  if (!runEnd || event.status !== 'done') return null;
  const body =
    event.phase === 'prepare'
      ? `The GPU now belongs to ${event.vm}${seconds(event.durationMs)}.`
      : event.phase === 'release'
        ? `The GPU is back on the host after ${event.vm}${seconds(event.durationMs)}.`
        : `Rescue finished: the GPUs are back on the host${seconds(event.durationMs)}.`;
  return { title: 'GPU handoff finished', body };
}
