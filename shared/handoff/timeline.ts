// Parses the runtime's JSON-lines log (/var/log/gpu-ferry/<vm>.jsonl) into HandoffEvents and groups the
// last handoff into a timeline: what ran, how long each step took, what failed and what was rolled back.
import type { HandoffEvent } from '../ipc/contract';

export interface LoggedEvent extends HandoffEvent {
  /**
   * Of this event's durationMs, the time spent in kernel operations and waiting on the system (sysfs writes,
   * modprobe, systemctl stop, polls); durationMs - waitMs is the runtime's own work. On a run's closing event,
   * the whole run's wait. Null on events without a duration.
   */
  waitMs: number | null;
  /** That wait summed since the run began (cumulative: not a per-step figure). Logs written before waitMs existed call it kernelMs. */
  runWaitMs: number | null;
}

export interface ParsedLog {
  events: LoggedEvent[];
  /** Lines that are not events (truncated by a crash, edited by hand), with their line numbers. */
  badLines: { line: number; text: string }[];
}

const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

export function parseHandoffLog(text: string): ParsedLog {
  const out: ParsedLog = { events: [], badLines: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      out.badLines.push({ line: i + 1, text: raw });
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || !str(o.ts) || !str(o.vm) || !str(o.phase) || !str(o.step) || !str(o.status) || !num(o.durationMs) || !str(o.message)) {
      out.badLines.push({ line: i + 1, text: raw });
      return;
    }
    const ms = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    out.events.push({ ts: o.ts, vm: o.vm, phase: o.phase, step: o.step, status: o.status, durationMs: o.durationMs, message: o.message,
      waitMs: ms(o.waitMs), runWaitMs: ms(o.runWaitMs ?? o.kernelMs) });
  });
  return out;
}

export type RunOutcome = 'done' | 'failed' | 'skipped' | 'interrupted';

export interface HandoffRun {
  /** prepare, release or rescue. */
  action: string;
  startedAt: string;
  outcome: RunOutcome;
  /** From the runtime's start to the run's end. */
  totalMs: number | null;
  /** Of totalMs, kernel operations and waiting on the system. */
  waitMs: number | null;
  /** totalMs - waitMs: the runtime's own work (bash, parsing, bookkeeping, questions to systemd). */
  ownMs: number | null;
  /** Every step event of the run, rollback included, in order. */
  steps: LoggedEvent[];
  failedStep: string | null;
  rolledBack: string[];
}

const ACTIONS = new Set(['prepare', 'release', 'rescue']);
// The rescue logs each of its own steps as step "rescue" too (ok / warn / fail without a duration); only
// the closing "rescue done|fail" carries the run's duration.
const isRescueDetail = (e: LoggedEvent): boolean =>
  e.phase === 'rescue' && e.step === 'rescue' && e.status !== 'start' && e.status !== 'done' && e.durationMs === null;
const isEnd = (e: LoggedEvent): boolean =>
  (ACTIONS.has(e.phase) && e.step === e.phase && (e.status === 'done' || e.status === 'fail' || e.status === 'skip') && !isRescueDetail(e)) ||
  ((e.step === 'config' || e.step === 'lock') && e.status === 'fail');
const isPhaseStart = (e: LoggedEvent): boolean => ACTIONS.has(e.phase) && e.step === e.phase && e.status === 'start';

function toRun(events: LoggedEvent[], end: LoggedEvent | null): HandoffRun {
  const first = events[0] as LoggedEvent;
  const action = end?.phase ?? (first.phase === 'rollback' ? 'prepare' : first.phase);
  const steps = events.filter((e) => e.step !== e.phase || isRescueDetail(e));
  const failed = steps.find((e) => e.status === 'fail' && e.phase !== 'rollback');
  const endWait = end === null ? null : (end.waitMs ?? end.runWaitMs);
  const outcome: RunOutcome = end === null ? 'interrupted' : end.status === 'done' ? 'done' : end.status === 'skip' ? 'skipped' : 'failed';
  return {
    action,
    startedAt: first.ts,
    outcome,
    totalMs: end?.durationMs ?? null,
    waitMs: endWait,
    ownMs: end?.durationMs != null && endWait !== null ? end.durationMs - endWait : null,
    steps,
    failedStep: failed?.step ?? (end?.status === 'fail' && end.step !== end.phase ? end.step : null),
    rolledBack: steps.filter((e) => e.status === 'undone').map((e) => e.step),
  };
}

/**
 * Splits events into runs. A run ends at `<action> done|fail|skip` (or a config/lock failure); a run
 * cut short (the runtime was killed) has no end and is closed as `interrupted` when the next run begins.
 */
export function handoffRuns(events: LoggedEvent[]): HandoffRun[] {
  const runs: HandoffRun[] = [];
  let buf: LoggedEvent[] = [];
  const bufAction = (): string | null => buf.find((e) => ACTIONS.has(e.phase))?.phase ?? (buf.length > 0 ? 'prepare' : null);
  for (const e of events) {
    const startsNew =
      buf.length > 0 &&
      ((e.step === 'recover') ||
        (isPhaseStart(e) && buf.some(isPhaseStart)) ||
        (ACTIONS.has(e.phase) && bufAction() !== e.phase));
    if (startsNew) { runs.push(toRun(buf, null)); buf = []; }
    buf.push(e);
    if (isEnd(e)) { runs.push(toRun(buf, e)); buf = []; }
  }
  if (buf.length > 0) runs.push(toRun(buf, null));
  return runs;
}

/**
 * The last prepare, the release after it, and a `gpu-ferry rescue` run after those (what the dashboard
 * shows after the host display returns; a rescue that followed a failed handoff must not be hidden).
 */
export function lastHandoff(events: LoggedEvent[]): { prepare: HandoffRun | null; release: HandoffRun | null; rescue: HandoffRun | null } {
  const runs = handoffRuns(events);
  let prepare: HandoffRun | null = null;
  let release: HandoffRun | null = null;
  let rescue: HandoffRun | null = null;
  for (const r of runs) {
    if (r.action === 'prepare' && r.outcome !== 'skipped') { prepare = r; release = null; rescue = null; }
    else if (r.action === 'release' && r.outcome !== 'skipped') { release = r; rescue = null; }
    else if (r.action === 'rescue') rescue = r;
  }
  return { prepare, release, rescue };
}
