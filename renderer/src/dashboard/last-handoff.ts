// The last handoff out of a VM's event log, as the dashboard shows it: the last prepare (with its
// rollback, if it failed) and the release after it, each step in words with its duration. Runs are cut
// by shared/handoff/timeline.ts, the same reading `gpu-ferry rescue` and the tests use.
import type { HandoffEvent } from '../../../shared/ipc/contract';
import { handoffRuns, lastHandoff as lastRuns, type HandoffRun, type LoggedEvent } from '../../../shared/handoff/timeline';
import { statusWords, stepWords } from './step-words';

export interface TimelineRow {
  phase: 'Prepare' | 'Rollback' | 'Release' | 'Rescue';
  /** What the step did, in words. */
  label: string;
  /** The runtime's own detail (device, unit, holder). */
  message: string;
  durationMs: number | null;
  status: string;
  failed: boolean;
  rollback: boolean;
  /** 0..1 of the longest step of the handoff, for the bar width. */
  share: number;
}

export interface TimelineRun {
  /** What the run was for, e.g. "Handing the GPU to win11". */
  title: string;
  /** How it ended, in a sentence. */
  summary: string;
  totalMs: number | null;
  failed: boolean;
  rows: TimelineRow[];
}

const phaseName = (phase: string): TimelineRow['phase'] =>
  phase === 'rollback' ? 'Rollback' : phase === 'release' ? 'Release' : phase === 'rescue' ? 'Rescue' : 'Prepare';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function summaryOf(run: HandoffRun, vm: string): string {
  const failedAt = run.failedStep ? stepWords(run.failedStep, false) : null;
  const rollbackFailed = run.steps.some((s) => s.phase === 'rollback' && s.status === 'fail');
  const undone = run.steps.filter((s) => s.phase === 'rollback' && s.status === 'undone').length;
  const time = run.totalMs === null ? '' : ` in ${formatMs(run.totalMs)}`;
  if (run.action === 'prepare') {
    if (run.outcome === 'done') return `The GPU went to ${vm}${time}.`;
    if (run.outcome === 'interrupted') return 'The handoff was interrupted before it finished; the next release undoes what it started.';
    const why = failedAt ? `Failed at “${failedAt}”.` : 'The handoff failed.';
    if (rollbackFailed) return `${why} The rollback did not finish: run “gpu-ferry rescue” to give the GPU back to the host.`;
    if (undone === 0) return `${why} Nothing had been changed yet: the GPU and the desktop stayed as they were.`;
    return `${why} Rolled back: ${plural(undone, 'step')} undone, the GPU stayed on the host.`;
  }
  if (run.action === 'rescue') {
    if (run.outcome === 'done') return `The rescue gave the GPU back to the host${time}.`;
    if (run.outcome === 'interrupted') return 'The rescue was interrupted; run “gpu-ferry rescue” again.';
    return 'The rescue could not finish every step: its messages below say what is left; “journalctl -t gpu-ferry” has the details.';
  }
  if (run.outcome === 'done') return `The GPU came back to the host${time}.`;
  if (run.outcome === 'interrupted') return 'Giving the GPU back was interrupted.';
  if (run.outcome === 'skipped') return 'Nothing to give back.';
  return 'Some steps could not be undone: run “gpu-ferry rescue” to give the GPU back to the host.';
}

const titleOf = (run: HandoffRun, vm: string): string =>
  run.action === 'prepare' ? `Handing the GPU to ${vm}` : run.action === 'release' ? `Giving the GPU back to the host` : 'Rescue';

/** The runs to show: the last prepare, the release and any rescue after it; else the last run of any kind. */
export const lastHandoff = (events: HandoffEvent[]): { runs: TimelineRun[]; failed: boolean } => {
  const logged: LoggedEvent[] = events.map((e) => ({ ...e, waitMs: null, runWaitMs: null }));
  const { prepare, release, rescue } = lastRuns(logged);
  const last = prepare ? null : (handoffRuns(logged).at(-1) ?? null);
  const picked = (prepare ? [prepare, release, rescue] : [last]).filter((r): r is HandoffRun => r !== null);
  const longest = Math.max(1, ...picked.flatMap((r) => r.steps.map((s) => s.durationMs ?? 0)));
  const vm = events[0]?.vm ?? 'the VM';
  const runs = picked.map((run) => ({
    title: titleOf(run, vm),
    summary: summaryOf(run, vm),
    totalMs: run.totalMs,
    failed: run.outcome === 'failed' || run.outcome === 'interrupted',
    // "rollback start/done" are markers of the rollback, told by the summary.
    rows: run.steps.filter((s) => s.step !== 'rollback').map((s) => {
      // Release and rollback log each undo under the id of the step it undoes.
      const undo = s.status === 'undone' || s.phase === 'rollback' || s.phase === 'release';
      return {
        phase: phaseName(s.phase),
        label: stepWords(s.step, undo),
        message: s.message,
        durationMs: s.durationMs,
        status: statusWords(s.status),
        failed: s.status === 'fail',
        rollback: s.phase === 'rollback',
        share: (s.durationMs ?? 0) / longest,
      };
    }),
  }));
  return { runs, failed: runs.some((r) => r.failed) };
};

export const formatMs = (ms: number | null): string =>
  ms === null ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
