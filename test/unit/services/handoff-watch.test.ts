// The handoff log follower: only events appended after it started, each once, a half-written line
// only when complete, and a replaced (shorter) log read from its start.
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventHub } from '../../../electron/services/events';
import { watchHandoffLogs } from '../../../electron/services/handoff-watch';

let root: string;
let log: string;
const line = (step: string, status: string) =>
  JSON.stringify({
    ts: '2026-11-23T20:00:00Z',
    vm: 'win11',
    phase: 'release',
    step,
    status,
    durationMs: 10,
    message: step,
  }) + '\n';

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-watch-'));
  await mkdir(path.join(root, 'var/log/gpu-ferry'), { recursive: true });
  log = path.join(root, 'var/log/gpu-ferry/win11.jsonl');
  await writeFile(log, line('old', 'done'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('handoff log follower', () => {
  it('emits appended events once, waiting for complete lines', async () => {
    const hub = createEventHub();
    const seen: string[] = [];
    hub.onAny((event, payload) => event === 'handoff.event' && seen.push((payload as { step: string }).step));
    const watcher = await watchHandoffLogs(root, hub, 60_000);
    await watcher.check();
    expect(seen).toEqual([]);
    const next = line('rebind-host-driver', 'done');
    await appendFile(log, next.slice(0, 20));
    await watcher.check();
    expect(seen).toEqual([]);
    await appendFile(log, next.slice(20) + line('release', 'done'));
    await watcher.check();
    await watcher.check();
    expect(seen).toEqual(['rebind-host-driver', 'release']);
    await writeFile(log, line('prepare', 'start')); // replaced by a shorter file
    await watcher.check();
    expect(seen).toEqual(['rebind-host-driver', 'release', 'prepare']);
    watcher.stop();
  });
});
