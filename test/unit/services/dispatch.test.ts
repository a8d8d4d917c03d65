import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, MAX_ARGS_BYTES } from '../../../electron/services/dispatch';
import { createHandlers } from '../../../electron/services/handlers';
import { createEventHub } from '../../../electron/services/events';
import { ServiceError } from '../../../electron/services/service-error';
import type { ServiceContext } from '../../../electron/services/context';

let dataDir: string;
const quiet = () => undefined;
const context = (): ServiceContext => ({
  hostSource: { root: dataDir },
  simulatedRoot: dataDir,
  libvirtUri: 'test:///default',
  dataDir,
  events: createEventHub(),
  shell: 'browser',
  version: '9.9.9',
});

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-dispatch-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

describe('dispatch', () => {
  it('answers app.info with the context values', async () => {
    const r = await dispatch(createHandlers(context()), 'app.info', []);
    expect(r).toEqual({
      ok: true,
      value: expect.objectContaining({ version: '9.9.9', shell: 'browser', simulated: true }),
    });
  });

  it.each([['nope'], ['__proto__'], ['toString'], [42], [null]])(
    'refuses unknown channel %s',
    async (channel) => {
      const r = await dispatch(createHandlers(context()), channel, []);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('unknown-channel');
    },
  );

  it('refuses non-list arguments and names the channel', async () => {
    const r = await dispatch(createHandlers(context()), 'vm.start', 'win11');
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid-arguments', message: 'vm.start: the arguments must be a list.' },
    });
  });

  it('names the expected number of arguments', async () => {
    expect(await dispatch(createHandlers(context()), 'vm.start', [])).toEqual({
      ok: false,
      error: { code: 'invalid-arguments', message: 'vm.start: expected 1 argument, got 0.' },
    });
    expect(await dispatch(createHandlers(context()), 'vm.list', [1])).toMatchObject({
      error: { message: 'vm.list: expected 0 arguments, got 1.' },
    });
  });

  it('says which field is missing', async () => {
    expect(await dispatch(createHandlers(context()), 'vm.stop', ['win11', {}])).toMatchObject({
      error: { message: 'vm.stop: argument 2, field force: is missing (a boolean is required)' },
    });
  });

  it('explains a schema failure by argument position', async () => {
    const r = await dispatch(createHandlers(context()), 'vm.stop', ['win11', { force: 'yes' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-arguments');
      expect(r.error.message).toMatch(/^vm\.stop: argument 2, field force: /);
    }
  });

  it('refuses oversized arguments before validation', async () => {
    const r = await dispatch(createHandlers(context()), 'vm.start', ['x'.repeat(MAX_ARGS_BYTES + 1)]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/too large/);
  });

  it('passes a ServiceError code through and hides stacks of other errors', async () => {
    const handlers = createHandlers(context());
    handlers['vm.list'] = async () => {
      throw new ServiceError('libvirt-down', 'libvirt is not running: start libvirtd.');
    };
    handlers['plan.goals'] = async () => {
      throw new Error('boom\n    at secret (/home/x/file.ts:1:1)');
    };
    expect(await dispatch(handlers, 'vm.list', [])).toEqual({
      ok: false,
      error: { code: 'libvirt-down', message: 'libvirt is not running: start libvirtd.' },
    });
    const r = await dispatch(handlers, 'plan.goals', [], quiet);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('failed');
      expect(r.error.message).toContain('boom');
      expect(r.error.message).not.toContain('secret');
      expect(r.error.message).toContain('Details are in the application log.');
    }
    // Browser mode has no application log: its message points to the terminal running the server.
    const browser = await dispatch(handlers, 'plan.goals', [], quiet, 'the terminal where gpu-ferry serve runs');
    expect(browser.ok ? '' : browser.error.message).toMatch(/Details are in the terminal where gpu-ferry serve runs\.$/);
  });
});

describe('settings', () => {
  it('stores a change, keeps a backup and merges over defaults', async () => {
    const handlers = createHandlers(context());
    const first = await dispatch(handlers, 'settings.set', [{ theme: 'dark' }]);
    expect(first).toEqual({ ok: true, value: expect.objectContaining({ theme: 'dark', autostart: false }) });
    await dispatch(handlers, 'settings.set', [{ autostart: true }]);
    const stored = JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8'));
    expect(stored).toEqual({ theme: 'dark', autostart: true });
    const backup = JSON.parse(await readFile(path.join(dataDir, 'settings.json.bak'), 'utf8'));
    expect(backup).toEqual({ theme: 'dark' });
  });

  it('refuses unknown settings keys and changes nothing', async () => {
    const r = await dispatch(createHandlers(context()), 'settings.set', [{ theme: 'dark', evil: 1 }]);
    expect(r.ok).toBe(false);
    await expect(readFile(path.join(dataDir, 'settings.json'))).rejects.toThrow(/ENOENT/);
  });

  it('reports a broken settings file clearly and does not overwrite it', async () => {
    await writeFile(path.join(dataDir, 'settings.json'), '{"theme": "purple"}');
    const r = await dispatch(createHandlers(context()), 'settings.set', [{ autostart: true }]);
    expect(r).toEqual({
      ok: false,
      error: { code: 'settings-invalid', message: expect.stringMatching(/settings\.json is not valid/) },
    });
    expect(await readFile(path.join(dataDir, 'settings.json'), 'utf8')).toBe('{"theme": "purple"}');
  });
});
