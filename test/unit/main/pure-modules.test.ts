import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AFTER_LOGIN_FLAG,
  applyAutostart,
  autostartEntry,
  quoteExecArg,
} from '../../../electron/main/autostart';
import { isAllowedExternalUrl } from '../../../electron/main/external-links';
import { handoffNotification } from '../../../electron/main/handoff-notification';
import { parseMainOptions } from '../../../electron/main/main-options';
import { trayMenu, trayTooltip } from '../../../electron/main/tray-menu';
import { isTrustedSenderUrl } from '../../../electron/main/trusted-sender';
import {
  DEFAULT_WINDOW_STATE,
  fitToScreens,
  loadWindowState,
  saveWindowState,
} from '../../../electron/main/window-state';

const run = promisify(execFile);
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-main-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('external links', () => {
  it.each([
    ['https://looking-glass.io/downloads', true],
    ['https://github.com/gnif/LookingGlass', true],
    ['http://looking-glass.io/', false],
    ['https://looking-glass.io.evil.example/', false],
    ['https://user:pw@github.com/', false],
    ['https://github.com:8443/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => expect(isAllowedExternalUrl(url)).toBe(allowed));
});

describe('trusted sender', () => {
  const origins = {
    rendererFileUrl: 'file:///opt/GPU%20Ferry/resources/app.asar/dist/renderer/index.html',
    devUrl: null,
  };
  it('accepts our index.html with a hash route and refuses other files and web pages', () => {
    expect(
      isTrustedSenderUrl('file:///opt/GPU%20Ferry/resources/app.asar/dist/renderer/index.html#/vms', origins),
    ).toBe(true);
    expect(isTrustedSenderUrl('file:///tmp/evil.html', origins)).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5173/', origins)).toBe(false);
    expect(isTrustedSenderUrl('data:text/html,hi', origins)).toBe(false);
  });
  it('accepts the dev server only when configured', () => {
    const dev = { ...origins, devUrl: 'http://localhost:5173/' };
    expect(isTrustedSenderUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5174/', dev)).toBe(false);
  });
});

describe('window state', () => {
  it('round-trips and falls back to defaults on a broken file', async () => {
    expect(await loadWindowState(dir)).toEqual(DEFAULT_WINDOW_STATE);
    await saveWindowState(dir, { width: 1000, height: 700, x: 10, y: 20, maximized: true });
    expect(await loadWindowState(dir)).toEqual({ width: 1000, height: 700, x: 10, y: 20, maximized: true });
  });
  it('drops a position that is off every screen', () => {
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(fitToScreens({ width: 800, height: 600, x: 5000, y: 0, maximized: false }, screens)).toEqual({
      width: 800,
      height: 600,
      maximized: false,
    });
    expect(fitToScreens({ width: 800, height: 600, x: 100, y: 100, maximized: false }, screens).x).toBe(100);
  });
});

describe('autostart entry', () => {
  it('quotes Exec arguments per the Desktop Entry Specification', () => {
    expect(quoteExecArg('/opt/gpu-ferry/gpu-ferry')).toBe('/opt/gpu-ferry/gpu-ferry');
    expect(quoteExecArg('/home/a b/GPU Ferry.AppImage')).toBe('"/home/a b/GPU Ferry.AppImage"');
    expect(quoteExecArg('/x/100%$')).toBe('"/x/100%%\\\\$"');
    expect(() => quoteExecArg('a\nb')).toThrow(/line breaks/);
  });
  it('writes an entry desktop-file-validate accepts, and removes it when disabled', async () => {
    const argv = ['/home/a b/Apps/GPU Ferry-0.1.0.AppImage'];
    expect(await applyAutostart(true, argv, dir)).toBe(true);
    expect(await applyAutostart(true, argv, dir)).toBe(false); // unchanged
    const file = path.join(dir, 'gpu-ferry.desktop');
    expect(await readFile(file, 'utf8')).toBe(autostartEntry([...argv, AFTER_LOGIN_FLAG]));
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    const { stdout, stderr } = await run('desktop-file-validate', [file]);
    expect(stdout + stderr).toBe('');
    expect(await applyAutostart(false, argv, dir)).toBe(true);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });
});

describe('tray menu', () => {
  it('offers Launch for stopped VMs and Shut down for running ones', () => {
    const items = trayMenu([
      { name: 'win11', state: 'running', mode: 'single-gpu', gpu: '0000:01:00.0' },
      { name: 'games', state: 'shut off', mode: null, gpu: null },
    ]);
    const byLabel = new Map(items.map((i) => [i.label, i]));
    expect(byLabel.get('Launch win11')?.enabled).toBe(false);
    expect(byLabel.get('Shut down win11')?.enabled).toBe(true);
    expect(byLabel.get('Launch games')?.action).toEqual({ kind: 'start', vm: 'games' });
    expect(byLabel.get('Shut down games')?.enabled).toBe(false);
    expect(byLabel.has('win11 (single GPU): running')).toBe(true);
    expect(trayTooltip([{ name: 'win11', state: 'running', mode: null, gpu: null }])).toBe(
      'GPU Ferry — running: win11',
    );
  });
  it('says when libvirt is unavailable', () => {
    expect(trayMenu(null).map((i) => i.label)).toContain('VMs unavailable (is libvirt running?)');
  });
});

describe('handoff notifications', () => {
  const base = {
    ts: '2026-01-01T00:00:00Z',
    vm: 'win11',
    phase: 'release',
    step: 'unbind-vfio',
    status: 'done',
    durationMs: 120,
    message: 'ok',
  };
  it('announces the end of a run once, not every step', () => {
    expect(handoffNotification(base)).toBeNull();
    expect(handoffNotification({ ...base, status: 'fail', message: 'nvidia in use' })).toBeNull(); // its run end follows
    expect(handoffNotification({ ...base, step: 'release', durationMs: 4200 })).toEqual({
      title: 'GPU handoff finished',
      body: 'The GPU is back on the host after win11 (4.2 s).',
    });
    expect(handoffNotification({ ...base, phase: 'prepare', step: 'prepare', durationMs: null })?.body).toBe(
      'The GPU now belongs to win11.',
    );
  });
  it('announces failures of a run and runs stopped before any step', () => {
    expect(
      handoffNotification({
        ...base,
        phase: 'prepare',
        step: 'prepare',
        status: 'fail',
        message: 'rolled back: display restored',
      }),
    ).toEqual({
      title: 'GPU handoff for win11 failed',
      body: 'prepare: rolled back: display restored',
    });
    expect(
      handoffNotification({
        ...base,
        phase: 'prepare',
        step: 'lock',
        status: 'fail',
        message: 'another handoff runs',
      })?.title,
    ).toBe('GPU handoff for win11 failed');
  });
});

describe('main options', () => {
  it('reads our flags among Chromium switches and rejects a malformed URI', () => {
    const o = parseMainOptions([
      '--no-sandbox',
      '--host=spec.json',
      '--simulate-root',
      '/tmp/r',
      '--connect=not a uri',
      '--after-login',
    ]);
    expect(o.host).toBe(path.resolve('spec.json'));
    expect(o.simulatedRoot).toBe('/tmp/r');
    expect(o.libvirtUri).toBe('qemu:///system');
    expect(o.afterLogin).toBe(true);
  });
});
