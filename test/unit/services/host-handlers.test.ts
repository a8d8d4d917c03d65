// host.* and the host-derived settings default, through dispatch, on a materialized host spec.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/services/dispatch';
import { createHandlers } from '../../../electron/services/handlers';
import { createEventHub } from '../../../electron/services/events';
import type { DoctorReport } from '../../../shared/analyze/report';

const spec = path.join(__dirname, 'fixtures/single-gpu.host.json');
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-hosth-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

const handlersFor = (hostSource: { root?: string; host?: string }) =>
  createHandlers({
    hostSource,
    simulatedRoot: null,
    libvirtUri: 'test:///default',
    dataDir,
    events: createEventHub(),
    shell: 'browser',
    version: '0',
  });

describe('host handlers', () => {
  it('host.doctor reports the single GPU and recommends single-GPU mode', async () => {
    const r = await dispatch(handlersFor({ host: spec }), 'host.doctor', []);
    expect(r.ok).toBe(true);
    const report = (r as { value: DoctorReport }).value;
    expect(report.gpus.map((g) => g.address)).toEqual(['0000:0a:00.0']);
    expect(report.recommendation.mode).toBe('single-gpu');
  });

  it('host.scan returns the host model read from the materialized root', async () => {
    const r = await dispatch(handlersFor({ host: spec }), 'host.scan', []);
    expect(r).toMatchObject({ ok: true, value: { format: 'gpu-ferry-host-model/1' } });
  });

  it('defaults autostart on for a single-GPU machine and reports it as simulated', async () => {
    const handlers = handlersFor({ host: spec });
    expect(await dispatch(handlers, 'settings.get', [])).toMatchObject({
      ok: true,
      value: { autostart: true },
    });
    expect(await dispatch(handlers, 'app.info', [])).toMatchObject({ ok: true, value: { simulated: true } });
  });

  it('says which host file is wrong and why', async () => {
    const bad = path.join(dataDir, 'bad.host.json');
    await writeFile(bad, '{"format":"gpu-ferry-host/9"}');
    const r = await dispatch(handlersFor({ host: bad }), 'host.doctor', []);
    expect(r).toMatchObject({ ok: false, error: { code: 'host-unreadable' } });
    if (!r.ok) expect(r.error.message).toMatch(/bad\.host\.json.*format/);
    const missing = await dispatch(handlersFor({ root: path.join(dataDir, 'nope') }), 'host.scan', []);
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'host-unreadable', message: expect.stringMatching(/no such directory/) },
    });
  });
});
