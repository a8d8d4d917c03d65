// The last handoff out of a VM's event log: from the last "prepare" (libvirt's first hook phase), or the
// whole log when there is none, with each event's share of the longest duration for the bars.
import type { HandoffEvent } from '../../../shared/ipc/contract';

export interface TimelineRow extends HandoffEvent {
  failed: boolean;
  rollback: boolean;
  /** 0..1 of the longest step, for the bar width. */
  share: number;
}

export const lastHandoff = (events: HandoffEvent[]): { rows: TimelineRow[]; totalMs: number; failed: boolean } => {
  let start = 0;
  events.forEach((e, i) => {
    if (e.phase === 'prepare' && (i === 0 || events[i - 1]?.phase !== 'prepare')) start = i;
  });
  const slice = events.slice(start);
  const longest = Math.max(1, ...slice.map((e) => e.durationMs ?? 0));
  const rows = slice.map((e) => ({
    ...e,
    failed: /fail|error/i.test(e.status),
    rollback: /rollback|rolled/i.test(e.phase) || /rollback|rolled/i.test(e.status),
    share: (e.durationMs ?? 0) / longest,
  }));
  return {
    rows,
    totalMs: rows.reduce((sum, r) => sum + (r.durationMs ?? 0), 0),
    failed: rows.some((r) => r.failed),
  };
};

export const formatMs = (ms: number | null): string =>
  ms === null ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
