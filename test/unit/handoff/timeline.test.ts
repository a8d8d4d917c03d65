import { describe, expect, it } from 'vitest';
import { handoffRuns, lastHandoff, parseHandoffLog } from '../../../shared/handoff/timeline';

// As the runtime writes them: waitMs is this event's own wait (null without a duration), runWaitMs the run's running sum.
const ev = (phase: string, step: string, status: string, durationMs: number | null = null, message = '') =>
  JSON.stringify({ ts: '2026-11-23T20:00:00.000Z', vm: 'w', phase, step, status, durationMs, waitMs: durationMs === null ? null : Math.floor(durationMs / 4), runWaitMs: 5, message });

describe('handoff timeline', () => {
  it('keeps bad lines apart (a crash can truncate the last line)', () => {
    const parsed = parseHandoffLog(`${ev('prepare', 'prepare', 'start')}\n{"ts":"x","vm":\n${JSON.stringify({ ts: 1 })}\n`);
    expect(parsed.events).toHaveLength(1);
    expect(parsed.badLines.map((b) => b.line)).toEqual([2, 3]);
  });

  it('splits runs: a killed prepare is interrupted, the release after it undoes its steps', () => {
    const log = [
      ev('prepare', 'prepare', 'start'), ev('prepare', 'dm-stop', 'ok', 300), ev('prepare', 'vtcon-unbind', 'ok', 2),
      // killed here
      ev('release', 'release', 'start', null, 'the last prepare did not complete'), ev('release', 'vtcon-unbind', 'undone', 1), ev('release', 'dm-stop', 'undone', 20),
      ev('release', 'release', 'done', 30),
      ev('prepare', 'prepare', 'start'), ev('prepare', 'holders', 'fail', 4, 'in use by: 1:steam'), ev('prepare', 'rollback', 'start'),
      ev('rollback', 'vtcon-unbind', 'undone', 1), ev('rollback', 'rollback', 'done'), ev('prepare', 'prepare', 'fail', 40),
      ev('release', 'release', 'skip', 0),
    ].join('\n');
    const runs = handoffRuns(parseHandoffLog(log).events);
    expect(runs.map((r) => [r.action, r.outcome])).toEqual([['prepare', 'interrupted'], ['release', 'done'], ['prepare', 'failed'], ['release', 'skipped']]);
    expect(runs[1]?.rolledBack).toEqual(['vtcon-unbind', 'dm-stop']);
    expect(runs[2]).toMatchObject({ failedStep: 'holders', rolledBack: ['vtcon-unbind'], totalMs: 40, waitMs: 10, ownMs: 30 });
    expect(runs[0]?.steps.map((e) => [e.step, e.durationMs, e.waitMs])).toEqual([['dm-stop', 300, 75], ['vtcon-unbind', 2, 0]]);
    const last = lastHandoff(parseHandoffLog(log).events);
    expect(last.prepare?.outcome).toBe('failed');
    expect(last.release).toBeNull();
  });

  it('a rescue after a failed handoff is its own run, with its steps, and lastHandoff keeps it', () => {
    const log = [
      ev('prepare', 'prepare', 'start'), ev('prepare', 'holders', 'fail', 4), ev('prepare', 'rollback', 'start'),
      ev('rollback', 'dm-stop', 'fail', 3), ev('rollback', 'rollback', 'fail'), ev('prepare', 'prepare', 'fail', 40),
      // As the runtime logs a rescue: its own steps are step "rescue" too, without a duration.
      ev('rescue', 'rescue', 'start'), ev('rescue', 'rescue', 'fail', null, 'no such device 0000:0b:00.0'),
      ev('rescue', 'rescue', 'ok', null, 'efi-framebuffer.0 back on efi-framebuffer'), ev('rescue', 'rescue', 'fail', 900, 'some steps failed'),
    ].join('\n');
    const runs = handoffRuns(parseHandoffLog(log).events);
    expect(runs.map((r) => [r.action, r.outcome])).toEqual([['prepare', 'failed'], ['rescue', 'failed']]);
    expect(runs[1]?.steps.map((e) => e.message)).toEqual(['no such device 0000:0b:00.0', 'efi-framebuffer.0 back on efi-framebuffer']);
    expect(runs[1]?.totalMs).toBe(900);
    const last = lastHandoff(parseHandoffLog(log).events);
    expect(last.rescue?.outcome).toBe('failed');
    const again = `${log}\n${ev('prepare', 'prepare', 'start')}\n${ev('prepare', 'prepare', 'done', 10)}`;
    expect(lastHandoff(parseHandoffLog(again).events).rescue).toBeNull(); // older than the newest prepare
  });

  it('reads a log written before waitMs existed: its cumulative kernelMs is the run wait, the steps have no wait of their own', () => {
    const old = (step: string, status: string, durationMs: number | null, kernelMs: number) =>
      JSON.stringify({ ts: '2026-11-23T20:00:00.000Z', vm: 'w', phase: 'prepare', step, status, durationMs, kernelMs, message: '' });
    const { events } = parseHandoffLog([old('prepare', 'start', null, 0), old('dm-stop', 'ok', 900, 700), old('prepare', 'done', 1000, 750)].join('\n'));
    expect(events[1]).toMatchObject({ waitMs: null, runWaitMs: 700 });
    expect(handoffRuns(events)[0]).toMatchObject({ totalMs: 1000, waitMs: 750, ownMs: 250 });
  });
});
